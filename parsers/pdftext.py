"""Reader for text made from PDF by a layout converter (002).

Rows are tab-separated lines ``N→name→unit→…→formula``. The converter leaves three kinds of
damage that this reader undoes, so that the grid handed downstream has whole, clean rows:

* a row cut by a page break leaves *fragments*: lines with an empty number cell holding the
  beginning of some cells (printed before the numbered line) or their ends (after it). Each
  fragment is merged cell-wise into the row it belongs to, decided by evidence (see
  :func:`_direction`);
* section titles are printed outside the table as plain lines ("2. Қазақстан Республикасының
  Әділет министрлігі"); between two table lines they become one-cell rows again;
* ``<p>`` tags wrap cell paragraphs and words are split by stray spaces: cell texts are cleaned
  and repaired by :mod:`parsers.words`, the raw text is kept in ``Cell.orig``. LaTeX
  formulas (``$...$``) stay as they are.

``---|---`` lines mark page and table-piece boundaries; they are no rows.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from legalkpi.text import fold_inline
from parsers.grid import Cell, Document, Paragraph, Row, Source, Table
from parsers.textio import split_lines
from parsers.words import Vocabulary, repair_spacing, shipped, vocabulary_for

NAME = "pdftext"

_SEPARATOR = re.compile(r"^[\s\-|\t]*-{2,}[\s\-|\t]*$")
_TAG = re.compile(r"</?p>")
_ROW_NUMBER = re.compile(r"^\d{1,3}(?:\.\d{1,3})*\.?$")
_FIRST_WORD = re.compile(r"^\W*(\S+)")
_LAST_WORD = re.compile(r"(\S+?)\W*$")


def sniff(lines: list[str]) -> float:
    nonblank = [ln for ln in lines if ln.strip()]
    if not nonblank:
        return 0.0
    inner = sum(1 for ln in nonblank if "\t" in ln.strip("\t") and not ln.startswith("\t\t\t\t\t\t\t\t"))
    seps = sum(1 for ln in nonblank if _SEPARATOR.match(ln))
    share = inner / len(nonblank)
    # Prose with a few forms (004) has tab rows too, but far fewer than a KPI table.
    return share + (0.1 if seps else 0.0) if share > 0.35 else share / 4


# --- lines -------------------------------------------------------------------------------

BLANK, BREAK, TEXT = "blank", "break", "text"  # kinds of non-tab lines (BREAK: a --- line)
NUMBERED, TITLE, HEADER, COLUMNS, FRAGMENT = "numbered", "title", "header", "columns", "fragment"


@dataclass
class _Line:
    no: int
    raw: str
    kind: str
    cells: list[str] = field(default_factory=list)
    plain: list[str] = field(default_factory=list)  # each cell's text (_plain), computed once


_SPACES = re.compile(r"[ \u00a0\u2007\u202f\u2009]+")


def _plain(raw: str) -> str:
    """The text of a raw cell or line: tags and runs of spaces folded, tabs (cell separators) kept."""
    if "<" in raw:
        raw = _TAG.sub(" ", raw)
    if "  " in raw or "\u00a0" in raw or "\u2007" in raw or "\u202f" in raw or "\u2009" in raw:
        raw = _SPACES.sub(" ", raw)  # else every run of spaces is one plain space already
    return raw.strip()


def _is_column_numbers(cells: Sequence[str]) -> bool:
    """The row under a header that numbers the columns: "1→2→3…"."""
    return len(cells) >= 2 and cells[0].strip() == "1" and [c.strip() for c in cells] == [str(k) for k in range(1, len(cells) + 1)]


def _tab_kind(cells: list[str], plain: list[str]) -> str:
    filled = [i for i, c in enumerate(plain) if c]
    if _is_column_numbers(cells):
        return COLUMNS
    if _ROW_NUMBER.match(cells[0].strip()) and any(i > 0 for i in filled):
        return NUMBERED
    if filled == [0]:
        return TITLE  # "1. … министрлігі→→→…", "(өнеркәсіп)→→→…"
    return FRAGMENT


def _classify(lines: list[str]) -> list[_Line]:
    from parsers.header import continues_header, texts_name_indicators  # the header model imports the grid

    out: list[_Line] = []
    for no, raw in enumerate(lines, 1):
        if _SEPARATOR.match(raw):
            out.append(_Line(no, raw, BREAK))
        elif not raw.strip():
            out.append(_Line(no, raw, BLANK))
        elif "\t" in raw:
            cells = raw.split("\t")
            plain = [_plain(c) for c in cells]
            out.append(_Line(no, raw, _tab_kind(cells, plain), cells, plain))
        else:
            out.append(_Line(no, raw, TEXT))
    # A header is the line the column numbers follow, or a line naming the indicators, with
    # the lines of a header band under it (first cell empty, header words only).
    content = [ln for ln in out if ln.kind not in (BLANK, BREAK)]
    for a, b in zip(content, content[1:], strict=False):
        if b.kind == COLUMNS and a.cells:
            a.kind = HEADER
    for a, b in zip(content, content[1:], strict=False):
        if a.cells and texts_name_indicators(a.plain):
            a.kind = HEADER
        if a.kind == HEADER and b.cells and continues_header(b.plain):
            b.kind = HEADER
    return out


def _is_tab(line: _Line | None) -> bool:
    return line is not None and bool(line.cells)


# --- tables --------------------------------------------------------------------------------


def _split_blocks(lines: list[_Line]) -> list[tuple[str, list[_Line]]]:
    """("table", lines) and ("para", [line]) blocks in reading order.

    A table starts at a header (or the first tab line after flow text). A plain text line
    between two table lines, the next one not a header, is a title printed outside the
    table grid ("2. … министрлігі", "(геология …)"): it stays in the table as a row.
    """
    blocks: list[tuple[str, list[_Line]]] = []
    table: list[_Line] | None = None
    content = [ln for ln in lines if ln.kind not in (BLANK, BREAK)]
    next_content = {a.no: b for a, b in zip(content, content[1:], strict=False)}
    previous: _Line | None = None
    header: list[str] = []  # the current table's header lines
    repeating = False  # inside a header the page repeats: not rows, and the table goes on
    for ln in lines:
        starts_band = ln.kind == HEADER and not (previous is not None and previous.kind == HEADER)
        if ln.kind not in (BLANK, BREAK):
            previous = ln
        if starts_band and table is not None and header and _plain(ln.raw) == header[0]:
            repeating = True
        if repeating and ln.kind in (HEADER, COLUMNS):
            continue
        if ln.kind not in (BLANK, BREAK):
            repeating = False
        if starts_band:
            header = []
        if ln.kind == HEADER:
            header.append(_plain(ln.raw))
        if starts_band or (ln.cells and table is None):
            table = []
            blocks.append(("table", table))
        if ln.cells or ln.kind in (BLANK, BREAK):
            if table is not None:
                table.append(ln)
            continue
        nxt = next_content.get(ln.no)
        if table is not None and _is_tab(nxt) and nxt is not None and nxt.kind != HEADER:
            ln.kind = TITLE
            table.append(ln)
            continue
        table = None
        blocks.append(("para", [ln]))
    return blocks


@dataclass
class _RowDraft:
    """A row being assembled: per column, its pieces (line number, raw text) in reading order."""

    head: _Line
    pieces: list[list[tuple[int, str]]]
    lines: list[int]

    @classmethod
    def of(cls, line: _Line) -> _RowDraft:
        cells = line.cells or [line.raw]
        return cls(line, [[(line.no, c)] for c in cells], [line.no])

    def add(self, frag: _Line) -> None:
        """Merge a fragment cell-wise; pieces stay in line order, which is reading order."""
        cells = _split_formula_from_name(_unshift(frag.cells), len(self.pieces))
        while len(self.pieces) < len(cells):
            self.pieces.append([])
        for i, raw in enumerate(cells):
            if _plain(raw):
                self.pieces[i] = sorted([*self.pieces[i], (frag.no, raw)])
        self.lines.append(frag.no)


def _unshift(cells: list[str]) -> list[str]:
    """A fragment's text in the number column is the name column's: fragments have no number,
    and the converter slid the name left into the empty cell ("басқаруды пайдалану→→…")."""
    if len(cells) > 1 and _plain(cells[0]) and not _plain(cells[1]):
        return ["", cells[0], *cells[2:]]
    return cells


_FORMULA_START = re.compile(r"\(?\s*(?=(?:алымы|числитель)\s*:)", re.IGNORECASE)


def _split_formula_from_name(cells: list[str], width: int) -> list[str]:
    """A fragment whose name cell runs on into "алымы: …" (numerator) with the formula cell empty.

    On a page cut the converter can write the ends of two cells as one: "…деректері (алымы: есепті
    кезеңде…". A numerator never belongs to a name, so the text from the keyword on goes to the
    formula column (the row's last); the "(" before it stays with the name it opens.
    """
    if len(cells) < 2 or width < 3:
        return cells
    m = _FORMULA_START.search(cells[1])
    formula_empty = len(cells) < width or not _plain(cells[width - 1])
    if not m or m.start() == 0 or not formula_empty:
        return cells
    head, tail = cells[1][: m.end()].rstrip(), cells[1][m.end() :]
    out = [*cells, *([""] * (width - len(cells)))]
    out[1], out[width - 1] = head, tail
    return out


@dataclass
class _ColumnHabits:
    """How cells of each column usually begin and end, learnt from the table's numbered rows."""

    starts: dict[int, Counter[str]]
    ends: dict[int, Counter[str]]
    pairs: set[tuple[str, str]] = field(default_factory=set)  # adjacent words anywhere in the rows

    @classmethod
    def of(cls, rows: Iterable[_Line]) -> _ColumnHabits:
        starts: dict[int, Counter[str]] = {}
        ends: dict[int, Counter[str]] = {}
        pairs: set[tuple[str, str]] = set()
        for row in rows:
            for i, text in enumerate(row.plain):
                if text:
                    if i not in starts:
                        starts[i], ends[i] = Counter(), Counter()
                    starts[i][_first_word(text)] += 1
                    ends[i][_last_word(text)] += 1
                    words = text.lower().split()  # the words lower-cased: lower() keeps white space where it is
                    pairs.update(zip(words, words[1:], strict=False))
        return cls(starts, ends, pairs)

    def joins(self, left: str, right: str) -> bool:
        """The words at a seam are written together elsewhere in the table ("сандық" + "көрсеткіш")."""
        a, b = left.split(), right.split()
        return bool(a and b) and (a[-1].lower(), b[0].lower()) in self.pairs

    def continues(self, i: int, text: str) -> bool:
        """The text reads as the middle of a cell: it starts lower-case, unlike the column's usual starts."""
        first = _first_word(text)
        return first[:1].islower() and self.starts.get(i, Counter())[first] < 2

    def is_cut(self, i: int, text: str) -> bool:
        """The text stops mid-way: no full stop, and a last word the column's cells rarely end with."""
        return not text.endswith(".") and self.ends.get(i, Counter())[_last_word(text)] < 2


def _first_word(text: str) -> str:
    m = _FIRST_WORD.match(text)
    return m.group(1).lower() if m else ""


def _last_word(text: str) -> str:
    # No match of _LAST_WORD starts before the white space that precedes the text's last word
    # character (its group has no white space and reaches that character): search from there,
    # not from 0, where the lazy group would be tried at every position of the text.
    k = len(text)
    while k and not (text[k - 1].isalnum() or text[k - 1] == "_"):  # \w
        k -= 1
    start = k
    while start and not text[start - 1].isspace():
        start -= 1
    m = _LAST_WORD.search(text, start)
    return m.group(1).lower() if m else ""


def _direction(
    frag: _Line, prev: _Line | None, nxt: _Line | None, lines: list[_Line], habits: _ColumnHabits
) -> int:
    """-1 when the fragment ends the previous row, +1 when it begins the next one.

    Rule (evidence, scored for each side; the higher score wins, a tie goes to the previous row):
    * a page break lies between the pieces of a cut row, and the converter prints it as a blank
      or ``---`` line; a fragment printed right against a row, with nothing between, was on the
      same page as that row, so it is another row's piece (+3 to the side with a break when only
      one side has one);
    * a cell empty in a row but filled in the fragment was cut whole onto the other page (+2);
    * the words at a seam are written together elsewhere in the table (+2 to that side);
    * the previous row's cell stops mid-way, or the fragment's cell starts lower-case like a
      continuation (+1 back); the next row's cell starts like a continuation, the fragment's
      cell starts with a capital as cells do, or it stops mid-way (+1 forward each).
    Rows across a title, header or another table are no candidates.
    """
    if prev is None or nxt is None:
        return -1 if nxt is None else 1
    back = forward = 0
    broken_before, broken_after = _breaks_between(lines, prev.no, frag.no), _breaks_between(lines, frag.no, nxt.no)
    # A page break on one side only is the strongest sign: the converter prints the piece of a cut row
    # on the next page right after the break, against the next row (1157-kk lines 106-109).
    back += 3 * (broken_before and not broken_after) + (broken_before and broken_after)
    forward += 3 * (broken_after and not broken_before) + (broken_before and broken_after)
    for i, raw in enumerate(_unshift(frag.cells)):
        text = _plain(raw)
        if i == 0 or not text:
            continue
        before = prev.plain[i] if i < len(prev.plain) else ""
        after = nxt.plain[i] if i < len(nxt.plain) else ""
        back += 2 * (not before) + (bool(before) and habits.is_cut(i, before)) + habits.continues(i, text)
        forward += 2 * (not after) + (bool(after) and habits.continues(i, after)) + habits.is_cut(i, text)
        back += 2 * habits.joins(before, text)
        forward += 2 * habits.joins(text, after)
        forward += text[:1].isupper()  # a capital opens a cell
    return 1 if forward > back else -1


def _breaks_between(lines: list[_Line], a: int, b: int) -> bool:
    return any(ln.kind in (BLANK, BREAK) for ln in lines[a : b - 1])  # line numbers are 1-based


def _table_rows(items: list[_Line], all_lines: list[_Line]) -> list[_RowDraft]:
    units = [ln for ln in items if ln.kind in (NUMBERED, TITLE, HEADER, COLUMNS, FRAGMENT)]
    habits: _ColumnHabits | None = None  # learnt when a fragment first needs them: most tables have none
    drafts: dict[int, _RowDraft] = {ln.no: _RowDraft.of(ln) for ln in units if ln.kind != FRAGMENT}
    for k, ln in enumerate(units):
        if ln.kind != FRAGMENT:
            continue
        prev = next((u for u in reversed(units[:k]) if u.kind != FRAGMENT), None)
        nxt = next((u for u in units[k + 1 :] if u.kind != FRAGMENT), None)
        prev = prev if prev is not None and prev.kind == NUMBERED else None
        nxt = nxt if nxt is not None and nxt.kind == NUMBERED else None
        if prev is None and nxt is None:
            drafts[ln.no] = _RowDraft.of(ln)  # nothing to join: keep the text as a row of its own
            continue
        if habits is None:
            habits = _ColumnHabits.of(u for u in units if u.kind == NUMBERED)
        owner = nxt if _direction(ln, prev, nxt, all_lines, habits) > 0 else prev
        assert owner is not None
        drafts[owner.no].add(ln)
    return [drafts[no] for no in sorted(drafts)]


# --- cells ------------------------------------------------------------------------------------


def _paragraphs(raw: str) -> list[str]:
    """A cell's paragraphs: ``<p>`` tags separate them."""
    return [p for p in (fold_inline(s) for s in (_TAG.split(raw) if "<" in raw else (raw,))) if p]


def _cell_text(pieces: list[tuple[int, str]], repair: _Repair) -> str:
    """Pieces of one cell cut by page breaks, joined: the cut falls inside a sentence (often
    inside a word), so the last paragraph of a piece continues in the first of the next."""
    paras: list[str] = []
    for _, raw in pieces:
        more = _paragraphs(raw)
        if paras and more:
            paras[-1] = f"{paras[-1]} {more.pop(0)}"
        paras.extend(more)
    return repair("\n".join(paras))


def _build_row(draft: _RowDraft, file: str, repair: _Repair) -> Row:
    cells = []
    for i, pieces in enumerate(draft.pieces):
        filled = [(no, raw) for no, raw in pieces if _plain(raw)]
        nos = [no for no, _ in filled] or [draft.head.no]
        cells.append(
            Cell(
                text=_cell_text(filled, repair),
                orig="\n".join(raw for _, raw in filled),
                source=Source(file, min(nos), max(nos), cell=f"c{i}"),
            )
        )
    return Row(cells=cells, source=Source(file, min(draft.lines), max(draft.lines)))


_KK_LETTERS = frozenset("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
def _is_kazakh(text: str) -> bool:
    sample = text[:20000]
    return sum(sample.count(ch) for ch in _KK_LETTERS) > len(sample) / 200


class _Repair:
    """The split-word repair of one document's texts (no vocabulary: none). A document repeats
    many cell texts ("5 %", "сандық көрсеткіш"): each distinct text is repaired once."""

    def __init__(self, vocab: Vocabulary | None) -> None:
        self.vocab = vocab
        self.done: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        if self.vocab is None:
            return text
        got = self.done.get(text)
        if got is None:
            got = self.done[text] = repair_spacing(text, self.vocab)
        return got


# --- document ---------------------------------------------------------------------------------

MAX_LINE = 100_000  # characters in one line; spaCy refuses 1,000,000, and no act prints such a line
_PUNCT_RUN = re.compile(r"([^\w\s])\1{999,}")  # "[[[[…": the tokenizer slows to a crawl on such runs


def _check_shape(text: str, file: str) -> None:
    """Refuse, with the line, text no act holds and the word-splitting tokenizer cannot take."""
    from legalkpi.errors import LimitExceeded

    for no, line in enumerate(text.split("\n"), 1):
        if len(line) > MAX_LINE:
            raise LimitExceeded(f"line of {len(line)} characters, limit is {MAX_LINE}: not the text of an act",
                                file=file, place=f"line {no}")  # fmt: skip
    m = _PUNCT_RUN.search(text)
    if m:
        no = text.count("\n", 0, m.start()) + 1
        raise LimitExceeded(f"a run of over 1,000 {m.group(1)!r} characters: not the text of an act",
                            file=file, place=f"line {no}")  # fmt: skip


def read(
    text: str,
    file: str,
    encoding: str,
    sha256: str,
    *,
    vocabulary: Vocabulary | None = None,
    kazakh_texts: Sequence[str] = (),
) -> Document:
    """Read the 002 layout. Split words are repaired with ``vocabulary``; else with one learnt
    (once per process) from this text and the Kazakh texts given; else with the vocabulary shipped
    with the package (learnt from the corpus), so the output never depends on the current folder.
    Only Kazakh text is repaired."""
    _check_shape(text, file)
    # The split-word repair knows Kazakh words and endings; a Russian text is left as written.
    vocab: Vocabulary | None = None
    if not _is_kazakh(text):
        pass
    elif vocabulary is not None:
        vocab = vocabulary
    elif kazakh_texts:
        vocab = vocabulary_for([text, *kazakh_texts])
    else:
        vocab = shipped()
    doc = Document(file=file, reader=NAME, encoding=encoding, sha256=sha256)
    repair = _Repair(vocab)
    lines = _classify(split_lines(text))
    for kind, items in _split_blocks(lines):
        if kind == "para":
            ln = items[0]
            doc.blocks.append(
                Paragraph(
                    text=repair(_plain(ln.raw)), orig=ln.raw, source=Source(file, ln.no, ln.no)
                )
            )
            continue
        rows = [_build_row(d, file, repair) for d in _table_rows(items, lines)]
        if rows:
            doc.blocks.append(Table(rows=rows, source=rows[0].source.merge(rows[-1].source)))
    return doc
