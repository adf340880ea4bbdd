"""Reader for one-cell-per-line text renditions (000, 001, 003).

Converters from DOCX and from the legal database's HTML write each table cell on its own
line(s), introduced by a tab: either a line holding only a tab with the cell's paragraphs on
the following lines, or a tab followed by the cell's text. A row starts at a tab line that
follows a blank line; flow text between tables is indented or separated by blank lines.
"""

from __future__ import annotations

import re

from legalkpi.text import fold_inline
from parsers.grid import Cell, Document, Paragraph, Row, Source, Table
from parsers.textio import split_lines

NAME = "cells"

_MARKER = re.compile(r"\[bookmark:[^\]]*\]")
_IMAGE = re.compile(r"\[image:[^\]]*\]")


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
        if "[" in ln:  # markers and images are bracketed
            images += len(_IMAGE.findall(ln))
            ln = _IMAGE.sub("", _MARKER.sub("", ln))
        ln = fold_inline(ln)
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
    gaps: list[int] = []  # empty lines before each row, for _merge_header_runs
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
            gaps.append(row_gap)
        row_cells, cell = [], None

    def close_table() -> None:
        nonlocal rows, gaps
        close_row()
        if rows:
            rows = _rejoin_cut_rows(_merge_header_runs(rows, gaps + [99]))
            doc.blocks.append(Table(rows=rows, source=rows[0].source.merge(rows[-1].source)))
        rows, gaps = [], []

    def close_para() -> None:
        nonlocal para
        if para:
            txt, _ = clean_text([t for _, t in para])
            if txt:
                doc.blocks.append(
                    Paragraph(text=txt, orig="\n".join(t for _, t in para), source=Source(file, para[0][0], para[-1][0]))
                )
        para = []

    empty_run = 0  # truly empty lines just before this one: they separate rows
    blank_run = 0  # empty or space-only lines just before this one
    row_gap = 0
    for no, line in enumerate(lines, 1):
        if line.startswith("\t"):
            if para:
                close_para()
            tabs = len(line) - len(line.lstrip("\t"))
            rest = line[tabs:]
            # Rows are separated by a truly empty line; a line of spaces sits between a cell's paragraphs.
            if cell is None or empty_run > 0:
                close_row()
                row_gap = empty_run
            for k in range(tabs):
                cell = _CellBuilder(no, rest if k == tabs - 1 else "")
                row_cells.append(cell)
            blank_run = 0
        elif not line.strip():
            if cell is not None:
                cell.add(no, "")
            elif para:
                close_para()
            blank_run += 1
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
        empty_run = empty_run + 1 if line == "" else 0
    close_table()
    close_para()
    return doc


_ROW_NUMBER = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3})*\s*[.)]?\s*$")


def _numbered(row: Row) -> bool:
    return bool(row.cells) and bool(_ROW_NUMBER.match(row.cells[0].text))


def _names_columns(row: Row) -> bool:
    """A header row: every filled cell reads as header text ("2025 год", "Удельный вес")."""
    from parsers.header import is_header_text  # the header model imports the grid

    filled = [c.text for c in row.cells if c.text.strip()]
    return len(filled) >= 2 and all(is_header_text(t) for t in filled)


def _rejoin_cut_rows(rows: list[Row]) -> list[Row]:
    """Rejoin a row the DOCX converter cut in two (Energy row 4 of 1157 in Russian).

    A numbered row with fewer cells than the table's header, followed by an unnumbered row of
    several filled cells that together fit the header's width (allowing a stray empty cell or
    two), is one row. The header is the last wide row whose first cell is no number.
    """
    out: list[Row] = []
    width = 0
    for row in rows:
        if len(row.cells) >= 3 and not _numbered(row) and _names_columns(row):
            width = max(width, len(row.cells)) if out and _names_columns(out[-1]) else len(row.cells)
            out.append(row)
            continue
        prev = out[-1] if out else None
        if (
            prev is not None
            and width
            and _numbered(prev)
            and len(prev.cells) < width
            and not _numbered(row)
            and len(row.non_empty()) >= 2
            and len(prev.cells) + len(row.cells) <= width + 2
        ):
            out[-1] = Row(cells=prev.cells + row.cells, source=prev.source.merge(row.source), mended=(*prev.mended, "row-rejoined"))
            continue
        out.append(row)
    return out


def _merge_header_runs(rows: list[Row], gaps: list[int]) -> list[Row]:
    """Mend header rows that the DOCX converter wrote one cell per row.

    In a table header it ended every cell with an empty line, the mark of a new row elsewhere,
    and closed the header with several empty lines. So a run of one-cell rows, each one empty
    line apart, that ends with a wider gap is one row. ``gaps[i]`` is the count of empty lines
    before row i; ``gaps[len(rows)]`` stands for the table's end.
    """
    out: list[Row] = []
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and len(rows[j].cells) == 1 and len(rows[j + 1].cells) == 1 and gaps[j + 1] == 1:
            j += 1
        if j > i and len(rows[j].cells) == 1 and gaps[j + 1] >= 2:
            cells = [c for r in rows[i : j + 1] for c in r.cells]
            out.append(Row(cells=cells, source=rows[i].source.merge(rows[j].source)))
            i = j + 1
        else:
            out.append(rows[i])
            i += 1
    return out
