"""Reader for PDF files with text (not scans): tables and flow text, page by page.

Refused before parsing: a file without the closing ``%%EOF`` (truncated), an encrypted file,
more pages than ``Limits.max_pages``. Then, per page (pdfplumber):

- ruled tables are found from their drawn lines; each cell's characters are gathered by
  position, so a horizontally merged cell is one cell with ``col_span`` and a vertically
  merged one holds its text once, in the top row, with EMPTY cells below whose
  ``Source.cell`` names the top cell (as the DOCX reader does);
- unruled tables are found among the remaining lines: several lines in a row split by wide
  gaps into columns that start at the same places; a line without text in the first column
  continues the row above;
- the rest is flow text: lines grouped into paragraphs.

Across pages, a table whose first block on the next page is a table with the same columns is
one table: the header rows the next page repeats are dropped, and a row cut by the page break
(its first cell empty on the new page) is joined to the row above.

Text: lines of a cell or paragraph join with a space when the line was wrapped (the next
line's first word would not have fitted on it) and with a newline otherwise. A hyphen ending a
wrapped line is a hyphenation ("цифро-" + "визации" -> "цифровизации") unless the document
itself writes the hyphenated word inside a line ("бизнес-процессов"), the next part starts
with a capital or digit, or the first part is an abbreviation ("ИИ-").

Places: ``Source.page`` (1-based) and ``cell="r{row}/c{col}"``, the row as counted on that
page within its table and the column in the table grid.
"""

from __future__ import annotations

import io
import re
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from legalkpi.errors import BadInput, LegalKpiError, LimitExceeded, Limits, RefusedUnsafe
from parsers.grid import Cell, Document, Paragraph, Row, Source, Table
from parsers.textio import sha256_of

NAME = "pdf"

_HYPHENS = "-\u2010\u2011\u00ad"
_WORD_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_TOKEN = re.compile(r"\S+")
_LINE_TOL = 3.0  # points: characters whose tops differ less are on one line
_TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}


# --- geometry-carrying pieces --------------------------------------------------------------------


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float  # font size, for gaps and fits
    first_word: float = 0.0  # width of the line's first word, for the wrap test
    pieces: list[Line] = field(default_factory=list)  # parts between wide gaps (columns)


@dataclass
class PCell:
    lines: list[Line]
    right: float  # where text may reach in this cell (for the wrap test)
    page: int
    address: str
    col_span: int = 1
    continues: str | None = None  # the top cell's address when this is a vertical-merge continuation


@dataclass
class PRow:
    cells: list[PCell]
    page: int
    address: str


@dataclass
class PTable:
    rows: list[PRow]
    columns: list[float]  # x of each grid column's left edge
    page: int
    last_page: int
    ruled: bool = True


@dataclass
class PPara:
    lines: list[Line]
    right: float
    page: int


@dataclass
class _Page:
    number: int
    right: float = 0.0  # the rightmost text on the page
    blocks: list[tuple[float, PTable | PPara]] = field(default_factory=list)  # (top, block)


# --- entry -----------------------------------------------------------------------------------


def read(data: bytes, name: str, limits: Limits) -> Document:
    if b"%%EOF" not in data[-4096:]:
        raise BadInput("truncated PDF: no %%EOF at the end of the file", file=name)
    import pdfplumber  # heavy; imported only when a PDF is met
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    deadline = time.monotonic() + limits.max_seconds
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfminer raises many kinds on damaged files; pdfplumber wraps them
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(cause, PDFPasswordIncorrect):
            raise RefusedUnsafe("encrypted PDF (password protected): refused", file=name) from None
        raise BadInput(f"not a readable PDF ({type(cause).__name__}: {cause})", file=name) from None
    with pdf:
        if getattr(pdf.doc, "encryption", None):
            raise RefusedUnsafe("encrypted PDF: refused", file=name)
        declared = _declared_pages(pdf)
        if declared > limits.max_pages:
            raise LimitExceeded(f"PDF has {declared} pages, limit is {limits.max_pages}", file=name)
        pages: list[_Page] = []
        try:
            for i, page in enumerate(pdf.pages, 1):
                if i > limits.max_pages:
                    raise LimitExceeded(f"PDF has more than {limits.max_pages} pages", file=name)
                if time.monotonic() > deadline:
                    raise LimitExceeded(
                        f"reading took over {limits.max_seconds:g} s", file=name, place=f"page {i}"
                    )
                pages.append(read_page(page, i))
                page.close()  # drop the page's cached objects: memory stays flat on long files
        except LegalKpiError:
            raise
        except Exception as e:  # PDFSyntaxError, and what a damaged page raises (MediaBox 1e309, `<< 10 >>`)
            raise BadInput(
                f"damaged PDF ({type(e).__name__}: {e})", file=name, place=f"page {len(pages) + 1}"
            ) from None
    doc = Document(file=name, reader=NAME, encoding="utf-8", sha256=sha256_of(data))
    blocks = join_pages(pages)
    set_text_width(blocks, max((p.right for p in pages), default=0.0))
    lexicon = Lexicon.of(blocks)
    for b in blocks:
        doc.blocks.append(_to_grid(b, name, lexicon))
    return doc


def _declared_pages(pdf: Any) -> int:
    # The page tree's /Count, read without building every page object.
    from pdfminer.pdftypes import resolve1

    try:
        return int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except Exception:
        return 0


# --- one page --------------------------------------------------------------------------------


def read_page(page: Any, number: int) -> _Page:
    out = _Page(number)
    chars = [c for c in page.chars if c["text"].strip()]
    taken: set[int] = set()
    for table in page.find_tables(table_settings=_TABLE_SETTINGS):
        pt, used = ruled_table(table, chars, number)
        if pt.rows:
            taken |= used
            out.blocks.append((table.bbox[1], pt))
    lines = build_lines([c for i, c in enumerate(chars) if i not in taken])
    out.right = max((c["x1"] for c in chars), default=0.0)
    right = max((ln.x1 for ln in lines), default=float(page.width))
    out.blocks.extend(flow_blocks(lines, right, number))
    out.blocks.sort(key=lambda tb: tb[0])
    return out


Box = tuple[float, float, float, float]


def ruled_table(table: Any, chars: list[dict[str, Any]], page: int) -> tuple[PTable, set[int]]:
    # pdfplumber gives each row a slot per distinct cell x0 in the table, None where no cell starts.
    slots = sorted({c[0] for c in table.cells})
    columns = _merge_close(slots)
    rows: list[PRow] = []
    used: set[int] = set()
    placed: list[tuple[Box, str]] = []
    inside = _CharIndex(chars)
    for r, trow in enumerate(table.rows):
        cells: list[PCell] = []
        row_top = min(b[1] for b in trow.cells if b is not None)
        for c, bbox in enumerate(trow.cells):
            if bbox is None:
                cont = _continuation(cells, placed, slots[c], row_top)
                if cont is not None:
                    cells.append(
                        PCell([], cont[0][2], page, f"r{r}/c{_col_of(slots[c], columns)}", continues=cont[1])
                    )
                continue
            idx = inside.within(bbox)
            used.update(idx)
            lines = build_lines([chars[i] for i in idx])
            pad = max(0.0, min((ln.x0 for ln in lines), default=bbox[0]) - bbox[0])
            address = f"r{r}/c{_col_of(bbox[0], columns)}"
            cells.append(PCell(lines, bbox[2] - pad, page, address, _span(bbox, columns)))
            placed.append((bbox, address))
        rows.append(PRow(cells, page, f"r{r}"))
    return PTable(rows, columns, page, page), used


def _continuation(
    cells: list[PCell], placed: list[tuple[Box, str]], x: float, row_top: float
) -> tuple[Box, str] | None:
    """For a slot with no cell of its own: None if a wider cell on its left covers it (its
    col_span counts it), else the taller cell above that covers it (a vertical merge)."""
    if cells and cells[-1].continues is None:
        left = next(b for b, a in reversed(placed) if a == cells[-1].address)
        if left[2] > x + 1:
            return None
    for bbox, address in reversed(placed):
        if bbox[0] <= x + 1 < bbox[2] and bbox[1] < row_top - 1 and bbox[3] > row_top + 1:
            return bbox, address
    return None


def _merge_close(xs: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for x in sorted(xs):
        if not out or x - out[-1] > tol:
            out.append(x)
    return out


def _col_of(x: float, columns: list[float]) -> int:
    return min(range(len(columns)), key=lambda i: abs(columns[i] - x)) if columns else 0


def _span(bbox: Box, columns: list[float]) -> int:
    return max(1, sum(1 for x in columns if bbox[0] - 1 <= x < bbox[2] - 1))


class _CharIndex:
    """The characters whose centre lies in a box, found by bisecting the centres sorted top to
    bottom instead of testing every character of the page for every cell (the same test as
    :func:`_inside`, the same indexes in page order)."""

    def __init__(self, chars: list[dict[str, Any]]) -> None:
        centres = sorted(
            ((ch["top"] + ch["bottom"]) / 2, (ch["x0"] + ch["x1"]) / 2, i) for i, ch in enumerate(chars)
        )
        self.ys = [c[0] for c in centres]
        self.centres = centres

    def within(self, bbox: Box) -> list[int]:
        from bisect import bisect_left, bisect_right

        lo, hi = bisect_left(self.ys, bbox[1]), bisect_right(self.ys, bbox[3])
        return sorted(i for _, cx, i in self.centres[lo:hi] if bbox[0] <= cx <= bbox[2])


def _inside(ch: dict[str, Any], bbox: Box) -> bool:
    cx = (ch["x0"] + ch["x1"]) / 2
    cy = (ch["top"] + ch["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def build_lines(chars: Iterable[dict[str, Any]]) -> list[Line]:
    """Characters to lines: cluster by top, order by x, a space where the gap is wide."""
    groups: list[list[dict[str, Any]]] = []
    for ch in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if groups and abs(ch["top"] - groups[-1][0]["top"]) <= _LINE_TOL:
            groups[-1].append(ch)
        else:
            groups.append([ch])
    lines = []
    for g in groups:
        g.sort(key=lambda c: c["x0"])
        pieces: list[list[dict[str, Any]]] = [[g[0]]]
        for prev, ch in zip(g, g[1:], strict=False):
            if ch["x0"] - prev["x1"] > 2.0 * max(prev["size"], 1.0):
                pieces.append([ch])  # a column gap
            else:
                pieces[-1].append(ch)
        parts = [_line_of(p) for p in pieces]
        whole = _line_of(g)
        whole.pieces = parts
        lines.append(whole)
    return lines


def _line_of(chars: list[dict[str, Any]]) -> Line:
    out: list[str] = []
    first_end: float | None = None
    for prev, ch in zip([None, *chars], chars, strict=False):
        if prev is not None and ch["x0"] - prev["x1"] > 0.15 * max(prev["size"], 1.0):
            out.append(" ")
            first_end = prev["x1"] if first_end is None else first_end
        out.append(ch["text"])
    return Line(
        text=re.sub(r"\s+", " ", "".join(out)).strip(),
        x0=min(c["x0"] for c in chars),
        x1=max(c["x1"] for c in chars),
        top=min(c["top"] for c in chars),
        bottom=max(c["bottom"] for c in chars),
        size=statistics.median(c["size"] for c in chars),
        first_word=(first_end if first_end is not None else chars[-1]["x1"]) - chars[0]["x0"],
    )


# --- flow text and unruled tables ----------------------------------------------------------------


def flow_blocks(lines: list[Line], right: float, page: int) -> list[tuple[float, PTable | PPara]]:
    """Unruled tables (runs of column-aligned lines), and paragraphs of what is left."""
    out: list[tuple[float, PTable | PPara]] = []
    para: list[Line] = []

    def close_para() -> None:
        nonlocal para
        for group in split_paragraphs(para, right):
            out.append((group[0].top, PPara(group, right, page)))
        para = []

    i = 0
    while i < len(lines):
        table, used = unruled_table(lines, i, right, page)
        if table is not None:
            close_para()
            out.append((lines[i].top, table))
            i += used
        else:
            para.append(lines[i])
            i += 1
    close_para()
    return out


def unruled_table(lines: list[Line], start: int, right: float, page: int) -> tuple[PTable | None, int]:
    """3+ lines from ``start`` split by wide gaps into pieces that start at the same columns;
    a one-piece line starting in a later column continues the row above."""
    columns = [p.x0 for p in lines[start].pieces]
    if len(columns) < 2:
        return None, 0
    run: list[tuple[list[Line], bool]] = []  # pieces, starts a row
    multi = 0
    for j in range(start, len(lines)):
        pieces = lines[j].pieces
        size = lines[j].size
        gap = lines[j].top - lines[j - 1].bottom if run else 0.0
        if len(pieces) >= 2 and all(_near_column(p.x0, columns) for p in pieces) and gap < 5 * size:
            multi += 1
            run.append((pieces, _near_column(pieces[0].x0, columns[:1])))
        elif len(pieces) == 1 and run and _near_column(pieces[0].x0, columns) and gap <= 1.5 * size:
            run.append((pieces, False))  # the next line or paragraph of a cell
        else:
            break
    while run and len(run[-1][0]) == 1 and _near_column(run[-1][0][0].x0, columns[:1]):
        run.pop()  # a last line in the first column is the flow text that follows the table
    if multi < 3 and not (start == 0 and multi == 2):  # at a page's top: a repeated header
        return None, 0
    rows: list[PRow] = []
    for pieces, starts_row in run:
        if starts_row or not rows:
            rows.append(PRow([PCell([], 0.0, page, "") for _ in columns], page, f"r{len(rows)}"))
        for p in pieces:
            rows[-1].cells[_col_of(p.x0, columns)].lines.append(p)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row.cells):
            cell.address = f"r{r}/c{c}"
            cell.right = columns[c + 1] - 4.0 if c + 1 < len(columns) else right
    return PTable(rows, columns, page, page, ruled=False), len(run)


def _near_column(x: float, columns: list[float], tol: float = 4.0) -> bool:
    return any(abs(x - c) <= tol for c in columns)


def split_paragraphs(lines: list[Line], right: float) -> list[list[Line]]:
    groups: list[list[Line]] = []
    for ln in lines:
        if groups and not _breaks(groups[-1][-1], ln, right):
            groups[-1].append(ln)
        else:
            groups.append([ln])
    return groups


def _breaks(prev: Line, nxt: Line, right: float) -> bool:
    """A new paragraph: a wide vertical gap, or the next line's first word would have fitted."""
    if nxt.top - prev.bottom > 0.9 * prev.size:
        return True
    return not _wrapped(prev, nxt, right)


def _wrapped(prev: Line, nxt: Line, right: float) -> bool:
    space = 0.25 * prev.size
    return prev.x1 + space + nxt.first_word > right - 1.0


# --- across pages ----------------------------------------------------------------------------


def set_text_width(blocks: list[PTable | PPara], right: float) -> None:
    """Flow text may reach the rightmost text of the document (one page may hold only
    short lines, and its own right edge would make every line look unwrapped)."""
    for b in blocks:
        if isinstance(b, PPara):
            b.right = max(b.right, right)
        elif not b.ruled:
            for row in b.rows:
                row.cells[-1].right = max(row.cells[-1].right, right)


def join_pages(pages: list[_Page]) -> list[PTable | PPara]:
    out: list[PTable | PPara] = []
    for page in pages:
        for k, (_, block) in enumerate(page.blocks):
            prev = out[-1] if out else None
            if (
                k == 0
                and isinstance(block, PTable)
                and isinstance(prev, PTable)
                and prev.last_page == page.number - 1
                and _same_columns(prev.columns, block.columns)
            ):
                continue_table(prev, block)
            else:
                out.append(block)
    for b in out:
        if isinstance(b, PTable):
            drop_repeated_header(b)
    return out


def drop_repeated_header(table: PTable) -> None:
    """Drop later copies of the header: the first row, and the column numbering under it."""
    head = [_row_texts(r) for r in table.rows[:2]]
    if len(head) == 2 and head[1] != [str(i) for i in range(1, len(head[1]) + 1)]:
        head = head[:1]
    if not head or not any(head[0]):
        return
    table.rows[len(head) :] = [r for r in table.rows[len(head) :] if _row_texts(r) not in head]


def _same_columns(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= 3.0 for x, y in zip(a, b, strict=True))


def _row_texts(row: PRow) -> list[str]:
    return [" ".join(ln.text for ln in c.lines) for c in row.cells]


def continue_table(table: PTable, more: PTable) -> None:
    rows = list(more.rows)
    k = 0
    while rows and k < len(table.rows) and _repeats(rows[0], table.rows[k]) and any(_row_texts(rows[0])):
        rows.pop(0)  # the header the page repeats
        k += 1
    if rows and table.rows and (_is_cut(table.rows[-1], rows[0]) or _is_cut_header(table, table.rows[-1], rows[0])):
        last = table.rows[-1]
        for a, b in zip(last.cells, rows.pop(0).cells, strict=True):
            a.lines.extend(b.lines)
    table.rows.extend(rows)
    table.last_page = more.last_page


def _repeats(row: PRow, header: PRow) -> bool:
    """``row`` is ``header`` printed again at a page's top: the same cells, and at least three
    quarters of the filled ones with the same text (a repeated header's merged cells may be
    drawn shorter, so a few characters can fall into the cell below)."""
    a, b = _row_texts(row), _row_texts(header)
    if a == b:
        return True
    if len(a) != len(b) or [c.col_span for c in row.cells] != [c.col_span for c in header.cells]:
        return False
    filled = [(x, y) for x, y in zip(a, b, strict=True) if x or y]
    return len(filled) >= 3 and sum(1 for x, y in filled if x == y) >= 0.75 * len(filled)


def _is_cut_header(table: PTable, last: PRow, first: PRow) -> bool:
    """A copy of the header printed again down the table (before a section) and cut by the page
    break ("Р/с" | … | "2024" above, "№" | … | "жыл" below): the two pieces, cell by cell, read
    as the table's first row."""
    if len(table.rows) < 2 or last is table.rows[0] or not (len(first.cells) == len(last.cells) == len(table.rows[0].cells)):
        return False
    above, below = _row_texts(last), _row_texts(first)
    joined = [" ".join(x for x in (a, b) if x) for a, b in zip(above, below, strict=True)]
    return any(below) and joined == _row_texts(table.rows[0])


def _is_cut(last: PRow, first: PRow) -> bool:
    """The new page's first row continues the last one: the same cells, an empty first cell
    (the row's number, if any, stayed above) and text only where the row above has text."""
    if len(last.cells) != len(first.cells) or [c.col_span for c in last.cells] != [
        c.col_span for c in first.cells
    ]:
        return False
    if len(first.cells) == 1:  # a title across the table: cut if it goes on in lower case
        head = first.cells[0].lines[0].text[:1] if first.cells[0].lines else ""
        return bool(last.cells[0].lines) and head.isalpha() and head.islower()
    if first.cells[0].lines or not any(c.lines for c in first.cells):
        return False
    return all(a.lines or a.continues for a, b in zip(last.cells, first.cells, strict=True) if b.lines)


# --- text ------------------------------------------------------------------------------------


def _bare(token: str) -> str:
    return _WORD_EDGE.sub("", token).lower()


@dataclass
class Lexicon:
    """What the document itself says about its line-end hyphens.

    ``hyphenates`` is true when the document shows hyphenation: at least two line-end
    hyphens whose joined word the document also writes inside a line. A document that never
    does (a Kazakh text typeset without Kazakh patterns) keeps every hyphen as written.
    """

    hyphenated: set[str]
    words: set[str]
    hyphenates: bool
    inner: set[str] = field(default_factory=set)  # words seen neither first nor last on a line

    @classmethod
    def of(cls, blocks: list[PTable | PPara]) -> Lexicon:
        hyphenated: set[str] = set()
        words: set[str] = set()
        inner: set[str] = set()
        pairs: list[tuple[str, str]] = []
        for lines in _all_lines(blocks):
            for i, ln in enumerate(lines):
                tokens = _TOKEN.findall(ln.text)
                inner.update(_bare(t) for t in tokens[1:-1])
                ends_hyphen = bool(tokens) and tokens[-1][-1:] in _HYPHENS
                for t in tokens[:-1] if ends_hyphen else tokens:
                    bare = _bare(t)
                    if "-" in bare.strip("-"):
                        hyphenated.add(bare)
                    elif bare:
                        words.add(bare)
                if ends_hyphen and i + 1 < len(lines):
                    pairs.append((_bare(tokens[-1][:-1]), _bare(lines[i + 1].text.split(" ")[0])))
        evidence = sum(1 for left, right in pairs if left + right in words)
        return cls(hyphenated, words, evidence >= 2, inner)

    def glue(self, prev: str, nxt: str) -> str:
        """The separator between a one-word line that fills its cell and the next line: ""
        when that word was too long for the cell and broken there, else a space."""
        last = prev.split(" ")[-1]
        first = nxt.split(" ")[0]
        left, right = _bare(last), _bare(first)
        if left + right in self.inner:
            return ""
        if left in self.inner and right in self.inner:
            return " "
        verdict = _russian_words(left, right)
        if verdict is not None:
            return "" if verdict else " "
        broken_word = last[-1:].isalpha() and first[:1].isalpha() and first[:1].islower()
        broken_number = last[-1:].isdigit() and first[:1].isdigit()
        return "" if broken_word or broken_number else " "

    def join(self, head: str, tail: str) -> str:
        """``head`` ends with a hyphen at a line end; ``tail`` is the next line."""
        if head.endswith("\u00ad"):
            return head[:-1] + tail
        last = _TOKEN.findall(head)[-1][:-1] if head.strip() else ""
        first = tail.split(" ")[0]
        left, right = _bare(last), _bare(first)
        if self.keeps_hyphen(last, first, left, right):
            return head + tail
        return head[:-1] + tail

    def keeps_hyphen(self, last: str, first: str, left: str, right: str) -> bool:
        if "-" in left.strip("-"):
            # A compound hyphenated in its last part ("информационно-комму-" + "никационной"):
            # that part decides.
            if left + right in self.hyphenated:
                return False
            last, left = last.rpartition("-")[2], left.rpartition("-")[2]
        if not self.hyphenates or not (left[-1:].isalpha() and first[:1].isalpha()):
            return True
        if first[:1].isupper() or _is_abbreviation(last) or len(left) < 2:
            return True  # "ИИ-помощник", "Е-заң", "e-Gov": hyphens of names
        if _is_cyrillic(left) != _is_cyrillic(right):
            return True  # "Push-уведомлений", "SDU-ға": a Latin name with a Cyrillic ending
        if left + right in self.words:
            return False
        if f"{left}-{right}" in self.hyphenated:
            return True
        return _russian_compound(left, right)


def _is_abbreviation(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 2


_KAZAKH = set("әғқңөұүһі")
_morph: Any = None


def _russian_words(left: str, right: str) -> bool | None:
    """True when the dictionary knows ``left + right`` as one word, False when it knows both
    halves but not the whole, None when it cannot tell (not Russian, no dictionary)."""
    morph = _morphology(left, right)
    if morph is None:
        return None
    if morph.word_is_known(left + right):
        return True
    if morph.word_is_known(left) and morph.word_is_known(right):
        return False
    return None


def _morphology(left: str, right: str) -> Any:
    global _morph
    if not (_is_cyrillic(left) and _is_cyrillic(right)) or _KAZAKH & set(left + right):
        return None
    if _morph is None:
        try:
            import pymorphy3

            _morph = pymorphy3.MorphAnalyzer(lang="ru")
        except Exception:  # no dictionary installed: decide without it
            _morph = False
    return _morph or None


def _russian_compound(left: str, right: str) -> bool:
    """For Russian words: a real compound when both halves are words and the whole is not
    ("бизнес-процессов", "информационно-коммуникационной"), by pymorphy3's dictionary."""
    morph = _morphology(left, right)
    if morph is None or morph.word_is_known(left + right):
        return False
    if morph.word_is_known(f"{left}-{right}"):
        return True
    return bool(morph.word_is_known(left) and morph.word_is_known(right) and len(left) > 3)


def _is_cyrillic(word: str) -> bool:
    return bool(word) and all("\u0400" <= c <= "\u04ff" for c in word)


def _all_lines(blocks: list[PTable | PPara]) -> Iterable[list[Line]]:
    for b in blocks:
        if isinstance(b, PPara):
            yield b.lines
        else:
            for row in b.rows:
                for cell in row.cells:
                    yield cell.lines


def text_of(lines: list[Line], right: float, lexicon: Lexicon) -> str:
    """Paragraphs joined by newlines; wrapped lines joined, hyphenation undone."""
    out = ""
    for i, ln in enumerate(lines):
        if i == 0:
            out = ln.text
            continue
        prev = lines[i - 1]
        if _breaks_in_cell(prev, ln, right):
            out = f"{out}\n{ln.text}"
        elif out.endswith(" -"):
            out = f"{out} {ln.text}"  # a dash, not a hyphen
        elif out[-1:] == "/":
            out = out + ln.text  # lines break after a slash inside "п/п", "Р/с"
        elif out[-1:] in _HYPHENS:
            out = lexicon.join(out, ln.text)
        elif _broken_word(prev, ln, right):
            out = out + lexicon.glue(out, ln.text) + ln.text
        else:
            out = f"{out} {ln.text}"
    return out


def _broken_word(prev: Line, nxt: Line, right: float) -> bool:
    """A word too long for its cell is broken without a hyphen: the line is that one word
    filling the cell so that not even the next character would have fitted."""
    first = nxt.text.split(" ")[0]
    next_char = nxt.first_word / max(1, len(first))
    return " " not in prev.text and right - prev.x1 < next_char + 0.5


def _breaks_in_cell(prev: Line, nxt: Line, right: float) -> bool:
    # A page break inside a cut row puts the next line above the previous one.
    if nxt.top < prev.top:
        return not _wrapped(prev, nxt, right)
    return _breaks(prev, nxt, right)


def _to_grid(block: PTable | PPara, file: str, lexicon: Lexicon) -> Table | Paragraph:
    if isinstance(block, PPara):
        text = text_of(block.lines, block.right, lexicon)
        orig = "\n".join(ln.text for ln in block.lines)
        return Paragraph(text=text, orig=orig, source=Source(file, page=block.page))
    rows = []
    for prow in block.rows:
        cells = []
        for pc in prow.cells:
            if pc.continues is not None:
                src = Source(file, page=pc.page, cell=pc.continues)
                cells.append(Cell(text="", orig="", source=src, col_span=pc.col_span))
                continue
            cells.append(
                Cell(
                    text=text_of(pc.lines, pc.right, lexicon),
                    orig="\n".join(ln.text for ln in pc.lines),
                    source=Source(file, page=pc.page, cell=pc.address),
                    col_span=pc.col_span,
                )
            )
        rows.append(Row(cells=cells, source=Source(file, page=prow.page, cell=prow.address)))
    return Table(rows=rows, source=Source(file, page=block.page))
