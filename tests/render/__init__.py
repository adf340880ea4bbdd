"""Write hand-written indicator act records as the documents users bring.

Tests that must not trust the code under test describe an act by hand (:class:`ActSpec`: its
sections per ministry, parts such as "(промышленность)", rows with number, name, unit, per-year
target and weight, formula), pick a :class:`Layout`, render it with one of the writers below and
compare what ``legalkpi`` extracts with the hand-written record (:func:`expected`).

Forms:

- ``docx``: python-docx, with real merged cells (``w:gridSpan`` for a year over "значение |
  удельный вес" and for section titles, ``w:vMerge`` for header cells spanning two rows) and the
  header rows flagged ``w:tblHeader`` (repeated on every page when printed);
- ``html``: like the official database's pages (``<table>`` with ``colspan``/``rowspan``,
  ``<br>`` between a cell's paragraphs, ``<p>`` flow text);
- ``cells``: the one-cell-per-line text the DOCX/HTML converters write (corpus/1157-ru.txt): a
  tab line opens a cell, an empty line opens a row, a merged cell is written once, the cell
  under a vertically merged one is written empty;
- ``pdftext``: the tab-separated text a PDF layout converter writes (corpus/1157-kk.txt): one
  line per row, a merged cell's text in its first column and the columns it covers empty, page
  breaks as ``---`` lines, rows cut by a page break continued on the next page as a line with an
  empty number cell;
- ``pdf``: :func:`write_docx` converted by LibreOffice (:func:`docx_to_pdf`); tests use the PDFs
  committed under ``tests/fixtures/layouts/`` (made by ``tests/fixtures/layouts/make_layouts.py``)
  because CI has no LibreOffice.

A whole document (:class:`DocSpec`: flow paragraphs, notes, any tables and KPI tables planned from
act records) is written by :func:`write_docx_blocks` / :func:`write_html_blocks` (the legal
database's page style with ``adilet=True``: notes as ``<span class="note">`` / ``<p class="comment">``,
header cells as ``<th>``, a ``<script>`` and ``<style>`` readers must ignore); the format fixtures
``tests/fixtures/{1157-ru,1157-kk,124-kk-consolidated-151}.*`` are made so
(``tests/fixtures/make_fixtures.py``, records in ``tests/render/slices.py``).

Nothing here imports ``legalkpi`` or ``parsers``: the renderer knows only the hand-written record.
"""

from __future__ import annotations

import html as html_mod
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

# --- the hand-written record ----------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """One year of a row, as printed: target "99,74", "–", "рост на 15 %"; weight "5 %", "0"."""

    target: str
    weight: str = ""  # "" when the act prints one weight column for all years


@dataclass(frozen=True)
class KpiRow:
    number: str  # as printed: "1", "1.1"
    name: str  # paragraphs separated by "\n"
    unit: str
    values: tuple[Value, ...]  # one per year of the act, in the act's order
    formula: str  # paragraphs separated by "\n"
    weight: str = ""  # the one weight of the row, when the act has one weight column for all years
    short: int = 0  # the row's last ``short`` cells are absent (a short row), for the silent-loss tests
    formula_images: int = 0  # pictures (a formula typeset as an image) before the formula's text
    # The row's last weight cell is one cell merged down over this row and the next ones (vMerge /
    # rowspan), printed once: the rows it covers. The record still gives every row its weight, as a
    # person reads it.
    weight_merged: int = 0


@dataclass(frozen=True)
class Part:
    title: str  # "" for a section without parts; else printed as "(title)"
    rows: tuple[KpiRow, ...]


@dataclass(frozen=True)
class SectionSpec:
    title: str  # without its number
    ordinal: int | None  # printed number ("1. Министерство …"); None for an unnumbered title
    parts: tuple[Part, ...]
    agency_id: str | None = None  # the registry id a person gives this ministry; None if none
    part_in_title: bool = False  # the first part's title printed after the section's: "10. … (строительство)"


@dataclass(frozen=True)
class ActSpec:
    lang: str  # "ru" | "kk"
    title: str
    years: tuple[int, ...]
    weights: str  # "per-year" | "single"
    sections: tuple[SectionSpec, ...]
    preamble: tuple[str, ...] = ()

    def rows(self) -> list[tuple[SectionSpec, int, Part, KpiRow]]:
        return [(s, k, p, r) for s in self.sections for k, p in enumerate(s.parts, 1) for r in p.rows]


# --- layouts -----------------------------------------------------------------------------------

# Header wordings seen in KPI acts (corpus/1157-*.txt, corpus/124-kk-consolidated-151.txt,
# corpus/report-2024q1-ru.txt) and their usual variants in other acts and editions.
WORDINGS: dict[str, tuple[dict[str, str], ...]] = {
    "ru": (
        {
            "number": "№ п/п",
            "name": "Наименование показателя",
            "unit": "Единица измерения",
            "year": "{y} год",
            "target": "значение",
            "weight": "Удельный вес",
            "formula": "Формула расчета показателя",
            "targets": "Целевые значения",
        },
        {
            "number": "№",
            "name": "Наименование ключевого показателя деятельности",
            "unit": "Ед. изм.",
            "year": "План на {y} год",
            "target": "целевое значение",
            "weight": "вес",
            "formula": "Методика расчета",
            "targets": "План",
        },
        {
            "number": "№ п/п",
            "name": "Наименование показателя",
            "unit": "Единица измерение",
            "year": "{y} год",
            "target": "план",
            "weight": "Удельный вес, %",
            "formula": "Формула расчета",
            "targets": "Целевое значение",
        },
        {  # corpus/1157-ru.txt as printed ("Единица измерение")
            "number": "№ п/п",
            "name": "Наименование показателя",
            "unit": "Единица измерение",
            "year": "{y} год",
            "target": "значение",
            "weight": "Удельный вес",
            "formula": "Формула расчета показателя",
            "targets": "Целевые значения",
        },
    ),
    "kk": (
        {
            "number": "Р/с №",
            "name": "Көрсеткіштің атауы",
            "unit": "Өлшем бірлігі",
            "year": "{y} жыл",
            "target": "мәні",
            "weight": "Үлес салмағы",
            "formula": "Көрсеткішті есептеу формуласы",
            "targets": "Нысаналы мәндер",
        },
        {
            "number": "№",
            "name": "Түйінді көрсеткіштің атауы",
            "unit": "Өлшем",
            "year": "{y} жылға",
            "target": "нысаналы мәні",
            "weight": "салмағы",
            "formula": "Есептеу формуласы",
            "targets": "Жоспар",
        },
        {
            "number": "№ р/с",
            "name": "Көрсеткіштің атауы",
            "unit": "Өлшем бірлігі",
            "year": "{y} жылғы жоспар",
            "target": "жоспар",
            "weight": "Үлес салмағы, %",
            "formula": "Есептеу әдістемесі",
            "targets": "Нысаналы мән",
        },
        {  # corpus/124-kk-consolidated-151.txt, its sectoral table
            "number": "Р/с\n№",
            "name": "Көрсеткіштің атауы",
            "unit": "Өлшем",
            "year": "{y} жыл",
            "target": "мәні",
            "weight": "Үлес салмағы",
            "formula": "Көрсеткішті есептеу формуласы",
            "targets": "Нысаналы мәндер",
        },
    ),
}


@dataclass(frozen=True)
class Layout:
    header_rows: int = 1  # 1: "2025 год | Удельный вес | …"; 2: "2025 год" over "значение | удельный вес"
    wording: int = 0  # index into WORDINGS[lang]
    sections: str = "rows"  # "rows": titles as rows spanning one table; "tables": a title paragraph, then its own table
    column_numbers: bool = True  # the "1 | 2 | … | N" row under the header
    repeat_header: bool = False  # the header printed again before every section (every page)
    page_cut: int = 0  # text forms: every page_cut-th row is cut in two by a page break (0: never)
    # One-cell-per-line text: a one-row header written as corpus/1157-ru.txt has it, every cell
    # followed by an empty line and the header closed by several (the converter's header style).
    header_gaps: bool = False

    def describe(self) -> str:
        return (
            f"h{self.header_rows}-w{self.wording}-{self.sections}"
            f"{'-nums' if self.column_numbers else ''}{'-rep' if self.repeat_header else ''}"
            f"{f'-cut{self.page_cut}' if self.page_cut else ''}{'-gaps' if self.header_gaps else ''}"
        )


# --- the grid plan: what every form writes --------------------------------------------------


@dataclass
class GCell:
    text: str  # paragraphs separated by "\n"
    colspan: int = 1
    rowspan: int = 1
    images: int = 0  # pictures before the text (a formula typeset as an image)


@dataclass
class GRow:
    cells: list[GCell]  # cells that start in this row, left to right (covered positions omitted)
    header: bool = False
    kind: str = "row"  # "header" | "numbers" | "title" | "row"
    cut: bool = False  # text forms: a page break cuts this row in two
    short: int = 0  # the last ``short`` cells of the grid are absent from this row
    grid: list[str | None] = field(default_factory=list)  # text per grid column; None where covered from above


@dataclass
class GTable:
    width: int
    rows: list[GRow]
    ruled: bool = True  # False: no borders (an agency list laid out as a table)


class Note(str):
    """A flow paragraph the legal database marks as a note ("Ескерту. …", "Примечание. …")."""

    __slots__ = ()


Block = str | GTable  # a str block is a flow paragraph (a :class:`Note` is one too)


def width_of(act: ActSpec) -> int:
    years = len(act.years)
    return 3 + (2 * years if act.weights == "per-year" else years + 1) + 1


def header_rows(act: ActSpec, layout: Layout) -> list[GRow]:
    w = WORDINGS[act.lang][layout.wording]
    year = [w["year"].format(y=y) for y in act.years]
    n = width_of(act)
    if layout.header_rows == 1:
        cells = [w["number"], w["name"], w["unit"]]
        if act.weights == "per-year":
            for y in year:
                cells += [y, w["weight"]]
        else:
            cells += [*year, w["weight"]]
        cells.append(w["formula"])
        row = GRow([GCell(c) for c in cells], header=True, kind="header")
        row.grid = list(cells)
        return [row]
    top = [GCell(w["number"], rowspan=2), GCell(w["name"], rowspan=2), GCell(w["unit"], rowspan=2)]
    top_grid: list[str | None] = [w["number"], w["name"], w["unit"]]
    second: list[GCell] = []
    second_grid: list[str | None] = [None, None, None]
    if act.weights == "per-year":
        for y in year:
            top.append(GCell(y, colspan=2))
            top_grid += [y, ""]
            second += [GCell(w["target"]), GCell(w["weight"])]
            second_grid += [w["target"], w["weight"]]
    else:
        top.append(GCell(w["targets"], colspan=len(year)))
        top_grid += [w["targets"]] + [""] * (len(year) - 1)
        top.append(GCell(w["weight"], rowspan=2))
        top_grid.append(w["weight"])
        second += [GCell(y) for y in year]
        second_grid += [*year, None]
    top.append(GCell(w["formula"], rowspan=2))
    top_grid.append(w["formula"])
    second_grid.append(None)
    assert len(top_grid) == len(second_grid) == n
    return [
        GRow(top, header=True, kind="header", grid=top_grid),
        GRow(second, header=True, kind="header", grid=second_grid),
    ]


def numbers_row(n: int) -> GRow:
    texts = [str(i) for i in range(1, n + 1)]
    return GRow([GCell(t) for t in texts], header=True, kind="numbers", grid=list(texts))


def title_row(text: str, n: int) -> GRow:
    return GRow([GCell(text, colspan=n)], kind="title", grid=[text] + [""] * (n - 1))


def row_cells(act: ActSpec, r: KpiRow) -> list[str]:
    cells = [r.number, r.name, r.unit]
    if act.weights == "per-year":
        for v in r.values:
            cells += [v.target, v.weight]
    else:
        cells += [v.target for v in r.values] + [r.weight]
    cells.append(r.formula)
    return cells


def section_heading(s: SectionSpec) -> str:
    text = f"{s.ordinal}. {s.title}" if s.ordinal is not None else s.title
    if s.part_in_title and s.parts and s.parts[0].title:
        text += f" ({s.parts[0].title})"
    return text


def plan(act: ActSpec, layout: Layout) -> list[Block]:
    """The blocks every form writes: flow paragraphs and tables of rows with spans."""
    n = width_of(act)
    blocks: list[Block] = [act.title, *act.preamble]

    def head() -> list[GRow]:
        rows = header_rows(act, layout)
        return rows + ([numbers_row(n)] if layout.column_numbers else [])

    table: GTable | None = None
    count = 0
    covered = 0  # rows still under a merged weight cell opened above
    for s in act.sections:
        if layout.sections == "tables" or table is None:
            if layout.sections == "tables":
                blocks.append(section_heading(s))
            table = GTable(n, head())
            blocks.append(table)
        elif layout.repeat_header:
            table.rows += [replace(r, header=False) for r in head()]
        if layout.sections == "rows":
            table.rows.append(title_row(section_heading(s), n))
        for k, p in enumerate(s.parts):
            if p.title and not (k == 0 and s.part_in_title):
                table.rows.append(title_row(f"({p.title})", n))
            for r in p.rows:
                count += 1
                texts = row_cells(act, r)
                kept = len(texts) - r.short
                grid: list[str | None] = [t if i < kept else "" for i, t in enumerate(texts)]
                cut = bool(layout.page_cut) and count % layout.page_cut == 0
                cells = [GCell(t) for t in texts[:kept]]
                if r.formula_images and r.short == 0:
                    cells[-1].images = r.formula_images
                weight_col = n - 2
                if covered:
                    covered -= 1
                    grid[weight_col] = None
                    del cells[weight_col]
                elif r.weight_merged > 1:
                    cells[weight_col].rowspan = r.weight_merged
                    covered = r.weight_merged - 1
                table.rows.append(GRow(cells, grid=grid, cut=cut, short=r.short))
    return blocks


# --- whole documents --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocSpec:
    """A whole document as a person reads it: flow paragraphs, notes and tables, in order.

    KPI tables come from act records (:func:`plan`), other tables from :func:`plain_table`."""

    lang: str  # "ru" | "kk"
    blocks: tuple[Block, ...]
    hyphenate: bool = True  # automatic hyphenation on (as Word documents usually have it)

    @property
    def title(self) -> str:
        return next(b for b in self.blocks if isinstance(b, str))


def plain_table(rows: list[list[str]], *, header_rows: int = 0, ruled: bool = True) -> GTable:
    """A table of one cell per column in every row; its first ``header_rows`` rows are the header."""
    width = max(len(r) for r in rows)
    out = []
    for i, texts in enumerate(rows):
        grid: list[str | None] = [*texts, *[""] * (width - len(texts))]
        header = i < header_rows
        out.append(GRow([GCell(t or "") for t in grid], header=header, kind="header" if header else "row", grid=grid))
    return GTable(width, out, ruled=ruled)


def is_repeated_header(row: GRow) -> bool:
    """A header row printed again further down the table (``Layout.repeat_header``)."""
    return row.kind in ("header", "numbers") and not row.header


def table_rows(blocks: tuple[Block, ...] | list[Block]) -> list[list[str]]:
    """The rows a person reads, table after table: each row's non-empty cell texts, whitespace
    folded; a cell merged down read in every row it covers; a header printed again read once."""
    out = []
    for t in (b for b in blocks if isinstance(b, GTable)):
        above: list[str] = []
        for row in t.rows:
            texts = [above[i] if g is None and i < len(above) else (g or "") for i, g in enumerate(row.grid)]
            above = texts
            if is_repeated_header(row):
                continue
            filled = [fold(x) for x in texts if fold(x)]
            if filled:
                out.append(filled)
    return out


def paragraphs(blocks: tuple[Block, ...] | list[Block]) -> list[str]:
    """The flow paragraphs (notes included), whitespace folded."""
    return [fold(b) for b in blocks if isinstance(b, str) and fold(b)]


# --- one-cell-per-line text (DOCX/HTML converters) ----------------------------------------------


def write_cells(act: ActSpec, layout: Layout) -> str:
    out: list[str] = []
    first = True
    for b in plan(act, layout):
        if isinstance(b, str):
            # Flow text: at the top, plain lines; between tables, indented after two empty lines.
            out += [b, ""] if first else ["", "", "\u00a0 \u00a0 " + b, ""]
            continue
        first = False
        for row in b.rows:
            spans = row.kind in ("header", "numbers") or None in row.grid
            texts = _cells_of_span_row(row) if spans else [c.text for c in row.cells]
            out.append("")
            if row.kind == "header" and layout.header_gaps and layout.header_rows == 1:
                for line in _cell_lines(texts):
                    out += [line] if line == "\t" else [line, ""]
                out += ["", "", "", ""]
                continue
            if row.cut and row.kind == "row" and len(texts) > 3:
                # A row cut in two by the converter: number and name, then the rest as a new row.
                out += _cell_lines(texts[:2])
                out += ["", "", "", ""]
                out += _cell_lines(texts[2:])
                continue
            out += _cell_lines(texts)
    out.append("")
    return "\n".join(out) + "\n"


def _cells_of_span_row(row: GRow) -> list[str]:
    """Cells as a DOCX converter writes them: a spanning cell once, a vMerge continuation empty."""
    out: list[str] = []
    starting = iter(row.cells)
    k = 0
    while k < len(row.grid):
        if row.grid[k] is None:
            out.append("")
            k += 1
            continue
        cell = next(starting)
        out.append(cell.text)
        k += cell.colspan
    return out


def _cell_lines(texts: list[str]) -> list[str]:
    lines: list[str] = []
    for t in texts:
        lines.append("\t")
        lines += [p for p in t.split("\n") if p.strip()]
    return lines


# --- tab-separated PDF layout text ------------------------------------------------------------


def write_pdftext(act: ActSpec, layout: Layout) -> str:
    out: list[str] = []
    for b in plan(act, layout):
        if isinstance(b, str):
            out += ["", b, ""]
            continue
        header = [r for r in b.rows if r.header]
        for row in b.rows:
            grid = [("" if t is None else t.replace("\n", " ")) for t in row.grid]
            if row.kind == "title":
                out.append(grid[0] + "\t" * (b.width - 1))
                continue
            if row.short:
                grid = grid[: len(grid) - row.short]
            if not (row.cut and row.kind == "row"):
                out.append("\t".join(grid))
                continue
            # A page break inside the row: the first words of name and formula on this page,
            # the rest on the next one, in a line whose number cell is empty.
            first, rest = list(grid), [""] * len(grid)
            for col in (1, len(grid) - 1):
                head, tail = _split_words(grid[col])
                first[col], rest[col] = head, tail
            out.append("\t".join(first))
            out.append("\t".join(["---"] * b.width))
            out.append("")
            if layout.repeat_header:
                for h in header:
                    out.append("\t".join("" if t is None else t.replace("\n", " ") for t in h.grid))
            if any(rest):
                out.append("\t".join(rest))
    out.append("")
    return "\n".join(out) + "\n"


def _split_words(text: str) -> tuple[str, str]:
    words = text.split(" ")
    if len(words) < 2:
        return text, ""
    k = (len(words) + 1) // 2
    return " ".join(words[:k]), " ".join(words[k:])


# --- HTML (the official database's pages) -----------------------------------------------------


def write_html(act: ActSpec, layout: Layout) -> str:
    return write_html_blocks(plan(act, layout), act.lang, act.title)


_PNG_URI = "data:image/png;base64,iVBORw0KGgo="  # readers only count images


def write_html_blocks(blocks: list[Block] | tuple[Block, ...], lang: str, title: str, *, adilet: bool = False) -> str:
    """Blocks as an HTML page. ``adilet``: the legal database's extras — notes marked two ways
    (``<span class="note">`` and ``<p class="comment">``, alternately, so readers meet each),
    header cells as ``<th>``, and a ``<style>`` and ``<script>`` whose text readers must ignore."""
    e = html_mod.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{e(title)}</title>',
    ]
    if adilet:
        out += [
            "<style>.note{color:#000080} td{vertical-align:top}</style>",
            '<script>document.write("<p>SCRIPT-TEXT-MUST-NOT-APPEAR</p>")</script>',
            "</head><body>",
        ]
    else:
        out.append("<style>td{vertical-align:top}</style></head><body>")
    out.append('<div class="container"><div class="text">')
    notes = 0
    for b in blocks:
        if isinstance(b, str):
            if adilet and isinstance(b, Note):
                notes += 1
                out.append(f'<p><span class="note"><em>{e(b)}</em></span></p>' if notes % 2 else f'<p class="comment">{e(b)}</p>')
            else:
                out.append(f"<p>{e(b)}</p>")
            continue
        out.append('<table border="1" cellspacing="0" cellpadding="3"><tbody>' if b.ruled else "<table><tbody>")
        for row in b.rows:
            tag = "th" if adilet and row.header else "td"
            cells = []
            for c in row.cells:
                attrs = (f' colspan="{c.colspan}"' if c.colspan > 1 else "") + (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "")
                imgs = "".join(f'<img src="{_PNG_URI}" alt="">' for _ in range(c.images))
                body = "<br>".join(e(p) for p in c.text.split("\n"))
                cells.append(f"<{tag}{attrs}>{imgs}{body}</{tag}>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table>")
    out.append("</div></div>" + ("<script>alert('x')</script>" if adilet else "") + "</body></html>")
    return "\n".join(out) + "\n"


# --- DOCX -----------------------------------------------------------------------------------------

FIXED_ZIP_TIME = (2025, 1, 1, 0, 0, 0)


def write_docx(act: ActSpec, layout: Layout, path: Path) -> None:
    write_docx_blocks(plan(act, layout), act.lang, path)


def write_docx_blocks(
    blocks: list[Block] | tuple[Block, ...], lang: str, path: Path, *, hyphenate: bool = False, author: str = "legalkpi tests"
) -> None:
    """Blocks as a Word document: A4 landscape, Times New Roman 10 pt, the text's language set (its
    hyphenation patterns then apply when ``hyphenate``), tables ruled or not, real merged cells."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    d = docx.Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(1.5))
    normal = d.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(10)
    rpr = normal.element.get_or_add_rPr()
    lang_el = OxmlElement("w:lang")
    lang_el.set(qn("w:val"), "ru-RU" if lang == "ru" else "kk-KZ")
    rpr.append(lang_el)
    if hyphenate:
        d.settings.element.append(OxmlElement("w:autoHyphenation"))
    d.core_properties.author = author
    previous_table = False
    for b in blocks:
        if isinstance(b, str):
            d.add_paragraph(b)
            previous_table = False
            continue
        if previous_table:
            d.add_paragraph("")  # adjacent Word tables would fuse into one
        previous_table = True
        table = d.add_table(rows=0, cols=b.width)
        if b.ruled:
            table.style = d.styles["Table Grid"]
        widths = [Cm(w) for w in _column_widths(b, 26.7)]
        for col_obj, wd in zip(table.columns, widths, strict=True):
            col_obj.width = wd
        pictures = []
        for tr, with_images in _docx_rows(b, [int(w) for w in widths]):
            table._tbl.append(tr)
            pictures += with_images
        for tc, images in pictures:
            _add_pictures(tc, table, images)
    buf = io.BytesIO()
    d.save(buf)
    _write_atomic(path, _normalise_zip(buf.getvalue()))


def formula_png() -> bytes:
    """A small picture standing for a formula typeset as an image."""
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (120, 28), "white")
    ImageDraw.Draw(img).text((4, 8), "A = b / c * 100", fill="black")
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _add_pictures(tc: object, table: object, images: int) -> None:
    """``images`` pictures, then a space, at the start of the cell's first paragraph."""
    from docx.shared import Cm
    from docx.table import _Cell

    first = _Cell(tc, table).paragraphs[0]  # type: ignore[arg-type]
    p = first._p
    runs = list(p.r_lst)
    for r in runs:
        p.remove(r)
    for _ in range(images):
        first.add_run().add_picture(io.BytesIO(formula_png()), width=Cm(2.5))
    first.add_run(" ")
    for r in runs:
        p.append(r)


def _docx_rows(t: GTable, widths_emu: list[int]) -> list[tuple[object, list[tuple[object, int]]]]:
    """``w:tr`` elements with real merges: ``w:gridSpan`` across columns, ``w:vMerge`` down rows,
    each with the ``w:tc`` elements that take pictures (and how many).

    Written as XML directly (python-docx's ``merge`` recomputes the whole grid at each call).
    A short row gets fewer ``w:tc`` elements than the grid has columns.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    owner: list[list[tuple[int, GCell] | None]] = [[None] * t.width for _ in t.rows]
    for ri, row in enumerate(t.rows):
        col = 0
        for c in row.cells:
            while owner[ri][col] is not None:
                col += 1
            for dr in range(c.rowspan):
                for dc in range(c.colspan):
                    owner[ri + dr][col + dc] = (ri, c)
            col += c.colspan
    out = []
    for ri, row in enumerate(t.rows):
        pictures: list[tuple[object, int]] = []
        tr = OxmlElement("w:tr")
        if row.header:
            trpr = OxmlElement("w:trPr")
            trpr.append(OxmlElement("w:tblHeader"))
            tr.append(trpr)
        col = 0
        while col < t.width and owner[ri][col] is not None:
            origin, cell = owner[ri][col]  # type: ignore[misc]
            tc = OxmlElement("w:tc")
            tcpr = OxmlElement("w:tcPr")
            tcw = OxmlElement("w:tcW")
            tcw.set(qn("w:w"), str(sum(widths_emu[col : col + cell.colspan]) // 635))
            tcw.set(qn("w:type"), "dxa")
            tcpr.append(tcw)
            if cell.colspan > 1:
                span = OxmlElement("w:gridSpan")
                span.set(qn("w:val"), str(cell.colspan))
                tcpr.append(span)
            if cell.rowspan > 1:
                vmerge = OxmlElement("w:vMerge")
                if origin == ri:
                    vmerge.set(qn("w:val"), "restart")
                tcpr.append(vmerge)
            tc.append(tcpr)
            for para in cell.text.split("\n") if origin == ri else [""]:
                p = OxmlElement("w:p")
                if para:
                    r = OxmlElement("w:r")
                    text = OxmlElement("w:t")
                    text.text = para
                    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                    r.append(text)
                    p.append(r)
                tc.append(p)
            tr.append(tc)
            if cell.images and origin == ri:
                pictures.append((tc, cell.images))
            col += cell.colspan
        out.append((tr, pictures))
    return out


def _column_widths(t: GTable, total_cm: float) -> list[float]:
    """Each column at least as wide as its longest word (as a typist sets it), the rest of the page
    shared by the length of the column's row texts."""
    least, share = [], []
    for i in range(t.width):
        spanned = {r.grid[i] for r in t.rows if r.kind in ("title",) or any(c.colspan > 1 for c in r.cells)}
        words = [w for r in t.rows for w in (r.grid[i] or "").split() if (r.grid[i] or "") not in spanned or r.kind == "row"]
        texts = [r.grid[i] or "" for r in t.rows if r.kind == "row"]
        least.append(0.5 + 0.2 * max((len(w) for w in words), default=1))
        share.append(max(1.0, (sum(len(x) for x in texts) / max(1, len(texts))) ** 0.5))
    spare = max(0.0, total_cm - sum(least))
    return [w + spare * s / sum(share) for w, s in zip(least, share, strict=True)]


def _normalise_zip(data: bytes) -> bytes:
    """Same bytes on every run: fixed entry times and core-property dates."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
        for info in zin.infolist():
            body = zin.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-01-01T00:00:00Z", body)
            zi = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(zi, body)
    return out.getvalue()


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def docx_to_pdf(docx_path: Path, pdf_path: Path) -> str:
    """Convert with LibreOffice (headless); returns its version line. Needs ``soffice``."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp, "profile").as_uri()
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx_path)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        _write_atomic(pdf_path, Path(tmp, docx_path.with_suffix(".pdf").name).read_bytes())
        return subprocess.run([soffice, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()


# --- one entry point -------------------------------------------------------------------------------

TEXT_FORMS = ("cells", "pdftext")
FORMS = ("cells", "pdftext", "html", "docx")
SUFFIX = {"cells": ".txt", "pdftext": ".txt", "html": ".html", "docx": ".docx", "pdf": ".pdf"}


def render(act: ActSpec, layout: Layout, form: str, path: Path) -> Path:
    """Write ``act`` in ``form`` to ``path`` and return it."""
    if form == "cells":
        _write_atomic(path, write_cells(act, layout).encode("utf-8"))
    elif form == "pdftext":
        _write_atomic(path, write_pdftext(act, layout).encode("utf-8"))
    elif form == "html":
        _write_atomic(path, write_html(act, layout).encode("utf-8"))
    elif form == "docx":
        write_docx(act, layout, path)
    elif form == "pdf":
        tmp_docx = path.with_suffix(".docx")
        write_docx(act, layout, tmp_docx)
        docx_to_pdf(tmp_docx, path)
    else:
        raise ValueError(f"unknown form {form!r}")
    return path


def render_doc(doc: DocSpec, form: str, path: Path) -> Path:
    """Write a whole document in ``form`` ("docx", "html": the legal database's page style)."""
    if form == "docx":
        write_docx_blocks(doc.blocks, doc.lang, path, hyphenate=doc.hyphenate, author="legalkpi fixtures")
    elif form == "html":
        _write_atomic(path, write_html_blocks(doc.blocks, doc.lang, doc.title, adilet=True).encode("utf-8"))
    else:
        raise ValueError(f"unknown form {form!r}")
    return path


# --- what a person reads from the record --------------------------------------------------------

_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Whitespace as a reader compares it: any run of spaces and line breaks is one space."""
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Expected:
    section_ordinal: int | None
    section_title: str
    agency_id: str | None
    part: str
    number: str
    name: str
    unit: str
    values: tuple[tuple[int, str, str], ...]  # (year, target as printed, weight as printed)
    formula: str


def expected(act: ActSpec) -> list[Expected]:
    """The records a person reads from the act, one per indicator row, in order."""
    out = []
    for s, _k, p, r in act.rows():
        if act.weights == "per-year":
            values = tuple((y, fold(v.target), fold(v.weight)) for y, v in zip(act.years, r.values, strict=True))
        else:
            values = tuple((y, fold(v.target), fold(r.weight)) for y, v in zip(act.years, r.values, strict=True))
        out.append(
            Expected(
                section_ordinal=s.ordinal,
                section_title=fold(s.title),
                agency_id=s.agency_id,
                part=fold(p.title),
                number=r.number,
                name=fold(r.name),
                unit=fold(r.unit),
                values=values,
                formula=fold(r.formula),
            )
        )
    return out
