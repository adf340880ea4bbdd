"""Reader for text made from PDF by a layout converter (002).

Rows are tab-separated lines; ``---|---`` lines separate table pieces; ``<p>`` tags wrap
some cells; rows cut by a page break leave fragments before and after the numbered line.
This module only splits lines into cells; rejoining fragments is done here too so that the
grid handed downstream has whole rows.
"""

from __future__ import annotations

import re

from parsers.grid import Cell, Document, Paragraph, Row, Source, Table
from parsers.textio import split_lines

NAME = "pdftext"

_SEPARATOR = re.compile(r"^[\s\-|\t]*-{2,}[\s\-|\t]*$")
_TAG = re.compile(r"</?p>")
_SPACES = re.compile(r"[ \u00a0]+")


def sniff(lines: list[str]) -> float:
    nonblank = [ln for ln in lines if ln.strip()]
    if not nonblank:
        return 0.0
    inner = sum(1 for ln in nonblank if "\t" in ln.strip("\t") and not ln.startswith("\t\t\t\t\t\t\t\t"))
    seps = sum(1 for ln in nonblank if _SEPARATOR.match(ln))
    share = inner / len(nonblank)
    # Prose with a few forms (004) has tab rows too, but far fewer than a KPI table.
    return share + (0.1 if seps else 0.0) if share > 0.35 else share / 4


def _clean(s: str) -> str:
    return _SPACES.sub(" ", _TAG.sub(" ", s)).strip()


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
        if "\t" in line:
            parts = line.split("\t")
            cells = [Cell(text=_clean(p), orig=p, source=Source(file, no, no, cell=f"c{i}")) for i, p in enumerate(parts)]
            rows.append(Row(cells=cells, source=Source(file, no, no)))
        else:
            close_table()
            doc.blocks.append(Paragraph(text=_clean(line), orig=line, source=Source(file, no, no)))
    close_table()
    return doc
