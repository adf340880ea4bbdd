"""GitHub Actions workflow commands: ``::error file=F,line=L,endLine=E,title=T::message``.

Escaping follows the runner's rules (actions/toolkit ``command.ts``): in the message ``%``, CR and
LF are percent-encoded; in property values also ``:`` and ``,``. Document text (indicator names,
printed values) can hold any of these, and an unescaped newline would start a new command.
"""

from __future__ import annotations

from collections.abc import Sequence

from legalkpi.findings import Finding

LEVELS = {"error": "error", "warning": "warning", "minor": "notice", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(f: Finding) -> str:
    props: list[tuple[str, str]] = []
    src = f.source
    if src is not None and src.file:
        props.append(("file", src.file))
        if src.first_line is not None:
            props.append(("line", str(src.first_line)))
            if src.last_line is not None and src.last_line != src.first_line:
                props.append(("endLine", str(src.last_line)))
    title = f.code if not f.subject else f"{f.code} {f.subject}"
    props.append(("title", title))
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{LEVELS[f.severity]} {head}::{escape_data(f.message)}"


def render_github(findings: Sequence[Finding]) -> str:
    """One workflow command per finding, in source order."""
    return "".join(annotation(f) + "\n" for f in sorted(findings, key=Finding.sort_key))
