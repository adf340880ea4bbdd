"""Results of align and diff as :class:`legalkpi.findings.Finding` s, for the CI renderers.

Small and read-only on purpose: they use only the public results (``Alignment.findings``,
``Diff.changes``), whatever the internals that made them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from legalkpi.findings import SEVERITIES, Finding
from legalkpi.provenance import Source

# Fields of an alignment finding that change what is measured (error) or only how it is printed.
ALIGN_SEVERITY = {"numbering": "warning", "shift": "warning"}


def _source(d: dict[str, Any] | None) -> Source | None:
    if not d or not d.get("file"):
        return None
    lines = d.get("lines") or []
    return Source(str(d["file"]), lines[0] if lines else None, lines[-1] if lines else None, d.get("page"), d.get("cell"))


def show_value(x: Any) -> str:
    """A compared value as the acts print it: 99,8 and 5 (not 99.8 and 5.0); lists joined by " / "."""
    if x is None or x == "":
        return "—"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, (int, float)):
        text = str(int(x)) if float(x).is_integer() else f"{x:.4f}".rstrip("0").rstrip(".")
        return text.replace(".", ",")
    if isinstance(x, (list, tuple)):
        return " / ".join(show_value(v) for v in x)
    return str(x)


_show = show_value


def alignment_findings(findings: Iterable[Any]) -> list[Finding]:
    """Findings of ``legalkpi align`` located at the Russian row, the Kazakh row as a related place."""
    out: list[Finding] = []
    for f in findings:
        if isinstance(f, Finding):
            out.append(f)
            continue
        ru_src, kk_src = _source(f.ru_source), _source(f.kk_source)
        primary, other, other_label = (ru_src, f.kk_source, "Kazakh") if ru_src else (kk_src, None, "")
        related = [{**other, "label": f"{other_label} row {f.kk_id}"}] if other else []
        severity = getattr(f, "severity", None) or ALIGN_SEVERITY.get(f.field, "error")
        if severity not in SEVERITIES:
            severity = "error"
        year = f" {f.year}" if f.year is not None else ""
        message = f"{f.message} (ru {_show(f.ru)}; kk {_show(f.kk)}; {f.field}{year})"
        out.append(
            Finding(
                code=f"align-{f.code}" if not str(f.code).startswith("align") else str(f.code), severity=severity,
                message=message, source=primary, subject=f.ru_id or f.kk_id, field=f.field, year=f.year,
                data={"ru": f.ru, "kk": f.kk, "ru_id": f.ru_id, "kk_id": f.kk_id, "related": related},
            )
        )  # fmt: skip
    return out


def diff_findings(changes: Iterable[Any], fail_on: Iterable[str] = ()) -> list[Finding]:
    """One finding per change of ``legalkpi diff``: an error when its kind is in ``fail_on``, else a warning.

    Located at the new row (the old one for a removed indicator), the old row as a related place.
    """
    failing = set(fail_on)
    out: list[Finding] = []
    for ch in changes:
        if ch.kind == "same":
            continue
        ind = ch.new or ch.old
        where = ch.new if ch.new is not None and ch.new.source else ch.old
        src = where.source if where is not None else None
        related = []
        if ch.old is not None and ch.new is not None and ch.old.source is not None:
            related = [{**ch.old.source.to_dict(), "label": f"old row {ch.old.id}"}]
        what = "; ".join(
            f"{fc.field}{'' if fc.year is None else ' ' + str(fc.year)}: {_show(fc.old)} → {_show(fc.new)}" for fc in ch.fields
        )
        ids = " → ".join(x for x in (ch.old.id if ch.old else "", ch.new.id if ch.new else "") if x)
        message = f"{ch.kind} {ids}: {ind.name}" + (f" ({what})" if what else "")
        out.append(
            Finding(
                code=f"diff-{ch.kind}", severity="error" if ch.kind in failing else "warning", message=message, source=src,
                subject=ch.new.id if ch.new else ch.old.id, field=None, year=None,
                data={"old": ch.old.id if ch.old else None, "new": ch.new.id if ch.new else None, "related": related},
            )
        )  # fmt: skip
    return out
