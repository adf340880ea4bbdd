"""Results of align and diff as :class:`legalkpi.findings.Finding` s, for the CI renderers.

Small and read-only on purpose: they use only the public results (``Alignment.findings``,
``Diff.changes``), whatever the internals that made them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from legalkpi.findings import Finding
from legalkpi.provenance import Source


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


def alignment_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings of ``legalkpi align``, located at the Russian row, with the Kazakh row as a related place."""
    out: list[Finding] = []
    for f in findings:
        d = f.data
        ru_src, kk_src = _source(d.get("ru_source")), d.get("kk_source")
        if ru_src is None or not kk_src or d.get("related"):
            out.append(f)
            continue
        related = [{**kk_src, "label": f"Kazakh row {d.get('kk_id')}"}]
        out.append(dataclasses.replace(f, source=f.source or ru_src, data={**d, "related": related}))
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
