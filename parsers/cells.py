"""Reader for one-cell-per-line text renditions (000, 001, 003).

Converters from DOCX and from the legal database's HTML write each table cell on its own
line(s), introduced by a tab: either a line holding only a tab with the cell's paragraphs on
the following lines, or a tab followed by the cell's text. A row starts at a tab line that
follows a blank line; flow text between tables is indented or separated by blank lines.
"""

from __future__ import annotations

import re

from parsers.grid import Cell, Document, Paragraph, Row, Source, Table
from parsers.textio import split_lines

NAME = "cells"

_MARKER = re.compile(r"\[bookmark:[^\]]*\]")
_IMAGE = re.compile(r"\[image:[^\]]*\]")
_SPACES = re.compile(r"[ \u00a0\u2007\u202f]+")


def sniff(lines: list[str]) -> float:
    """Share of non-blank lines that are tab-introduced cells; 000/001/003 score > 0.3."""
    nonblank = [ln for ln in lines if ln.strip() or ln.startswith("\t")]
    if not nonblank:
        return 0.0
    cell_starts = sum(1 for ln in nonblank if ln.startswith("\t") and "\t" not in ln.lstrip("\t"))
    inner_tabs = sum(1 for ln in nonblank if "\t" in ln.lstrip("\t"))
    if inner_tabs > cell_starts:
        return 0.0
    return cell_starts / len(nonblank)


def clean_text(raw_lines: list[str]) -> tuple[str, int]:
    """Cell/paragraph text: markers removed, spaces folded, paragraphs joined by newlines."""
    images = 0
    paras: list[str] = []
    for ln in raw_lines:
        images += len(_IMAGE.findall(ln))
        ln = _IMAGE.sub("", _MARKER.sub("", ln))
        ln = _SPACES.sub(" ", ln).strip()
        if ln:
            paras.append(ln)
    return "\n".join(paras), images


class _CellBuilder:
    def __init__(self, first_line: int, first_text: str) -> None:
        self.first_line = first_line
        self.last_line = first_line
        self.lines: list[str] = [first_text] if first_text else []

    def add(self, line_no: int, text: str) -> None:
        self.lines.append(text)
        if text.strip():
            self.last_line = line_no

    def build(self, file: str) -> Cell:
        text, images = clean_text(self.lines)
        return Cell(
            text=text,
            orig="\n".join(self.lines).strip("\n"),
            source=Source(file, self.first_line, self.last_line),
            images=images,
        )


def read(text: str, file: str, encoding: str, sha256: str) -> Document:
    doc = Document(file=file, reader=NAME, encoding=encoding, sha256=sha256)
    lines = split_lines(text)
    rows: list[Row] = []
    row_cells: list[_CellBuilder] = []
    cell: _CellBuilder | None = None
    para: list[tuple[int, str]] = []
    blank_run = 0

    def close_row() -> None:
        nonlocal row_cells, cell
        if row_cells:
            cells = [c.build(file) for c in row_cells]
            src = Source(file, cells[0].source.first_line, max(c.source.last_line or 0 for c in cells))
            rows.append(Row(cells=cells, source=src))
        row_cells, cell = [], None

    def close_table() -> None:
        nonlocal rows
        close_row()
        if rows:
            doc.blocks.append(Table(rows=rows, source=rows[0].source.merge(rows[-1].source)))
        rows = []

    def close_para() -> None:
        nonlocal para
        if para:
            txt, _ = clean_text([t for _, t in para])
            if txt:
                doc.blocks.append(
                    Paragraph(text=txt, orig="\n".join(t for _, t in para), source=Source(file, para[0][0], para[-1][0]))
                )
        para = []

    prev_empty = False
    for no, line in enumerate(lines, 1):
        was_empty, prev_empty = prev_empty, line == ""
        if line.startswith("\t"):
            close_para()
            tabs = len(line) - len(line.lstrip("\t"))
            rest = line[tabs:]
            # Rows are separated by a truly empty line; a line of spaces sits between a cell's paragraphs.
            if cell is None or was_empty:
                close_row()
            for k in range(tabs):
                cell = _CellBuilder(no, rest if k == tabs - 1 else "")
                row_cells.append(cell)
            blank_run = 0
        elif not line.strip():
            blank_run += 1
            if cell is not None:
                cell.add(no, "")
            elif para:
                close_para()
        else:
            # Indented text after a blank line is flow text (notes, headings), not a cell's paragraph.
            indent = len(line) - len(line.lstrip())  # the converters indent with no-break spaces too
            leaves_table = blank_run >= 1 and (indent >= 4 or blank_run >= 2 and indent >= 1)
            if cell is not None and not leaves_table:
                cell.add(no, line)
            else:
                if cell is not None:
                    close_table()
                para.append((no, line))
            blank_run = 0
    close_table()
    close_para()
    return doc
