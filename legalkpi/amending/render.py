"""The applied amendments for people: a Markdown comment (escaped) and rows for a terminal table."""

from __future__ import annotations

from legalkpi import markdown as md
from legalkpi.amending.apply import Amendment, Consolidation

HEADERS = ("op", "id", "section", "part", "row", "column", "year", "field", "old", "new", "lines")


def cells(a: Amendment) -> list[str]:
    """One amendment as printed text, values as the acts print them."""
    return [
        a.op,
        a.id or "",
        "" if a.section is None else str(a.section),
        "" if a.part is None else str(a.part),
        "" if a.number is None else str(a.number),
        "" if a.column is None else str(a.column),
        "" if a.year is None else str(a.year),
        a.field or "",
        a.old or "",
        a.new or "",
        a.source.place(),
    ]


def to_markdown(c: Consolidation) -> str:
    act, amending = c.record.act, c.amending.act
    lines = [
        f"### {md.escape(amending.number)} of {md.escape(amending.date)} applied to {md.code(act.ref.key)}",
        "",
        f"{len(c.amendments)} amendments; the consolidated act has {len(c.record.indicators)} indicators.",
        "",
        md.table(HEADERS, ([md.escape(md.shorten(t, 80)) for t in cells(a)] for a in c.amendments)),
    ]
    return "\n".join(lines) + "\n"
