"""Reader for prose acts made from PDF (004): numbered points, ``- 1)`` list items, and
tab-separated form tables. Paragraphs keep their line; tab rows become tables."""

from __future__ import annotations

import re

from legalkpi.text import fold_inline
from parsers.grid import Cell, Document, Paragraph, Row, Source, Table
from parsers.textio import split_lines

NAME = "prose"

_POINT = re.compile(r"^\s*(?:-\s*)?(\d+(?:-\d+)?)[.)]\s")
_SEPARATOR = re.compile(r"^[\s\-|\t]*-{2,}[\s\-|\t]*$")


def sniff(lines: list[str]) -> float:
    nonblank = [ln for ln in lines if ln.strip()]
    if not nonblank:
        return 0.0
    points = sum(1 for ln in nonblank if _POINT.match(ln))
    tabbed = sum(1 for ln in nonblank if "\t" in ln)
    if tabbed > len(nonblank) / 2:
        return 0.0
    return min(1.0, points / len(nonblank) + 0.05) if points >= 3 else 0.0


def read(text: str, file: str, encoding: str, sha256: str) -> Document:
    doc = Document(file=file, reader=NAME, encoding=encoding, sha256=sha256)
    rows: list[Row] = []

    def close_table() -> None:
        nonlocal rows
        if rows:
            doc.blocks.append(Table(rows=rows, source=rows[0].source.merge(rows[-1].source)))
        rows = []

    for no, line in enumerate(split_lines(text), 1):
        if not line.strip() or _SEPARATOR.match(line):
            continue
        if "\t" in line.strip(" \u00a0"):  # a row may start with an empty cell (a leading tab)
            cells = [
                Cell(text=fold_inline(p), orig=p, source=Source(file, no, no, cell=f"c{i}"))
                for i, p in enumerate(line.split("\t"))
            ]
            if rows and cells[0].is_empty and len(cells) <= len(rows[-1].cells):
                # A row cut by a page break: the rest of its cells on a line with an empty first cell.
                rows[-1] = _join_rows(rows[-1], cells, Source(file, no, no))
            else:
                rows.append(Row(cells=cells, source=Source(file, no, no)))
            continue
        close_table()
        doc.blocks.append(Paragraph(text=fold_inline(line), orig=line, source=Source(file, no, no)))
    close_table()
    return doc


def _join_rows(row: Row, rest: list[Cell], source: Source) -> Row:
    cells = list(row.cells)
    for i, c in enumerate(rest):
        if not c.is_empty:
            cells[i] = Cell(
                text=f"{cells[i].text} {c.text}".strip(), orig=f"{cells[i].orig}\n{c.orig}", source=cells[i].source.merge(c.source)
            )
    return Row(cells=cells, source=row.source.merge(source))
