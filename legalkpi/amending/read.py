"""Read an amending act: its own identity, the act it amends, and each instruction as data.

The instructions stand between the point that opens them ("1. Внести в постановление … № 1157
… следующие изменения и дополнения:" / "… № 1157 қаулысына мынадай өзгерістер мен
толықтырулар енгізілсін:") and the next numbered point. Headings ("в приложении 1 …:",
"в разделе «…»:", "в части «(…)»:" and their Kazakh forms "1-қосымшада:", "«…» бөлімінде:",
"«(…)» бөлігінде:") open the section and part the instructions under them concern. An
instruction that brings new rows ("изложить в следующей редакции:", "следующего содержания:")
is followed by the quoted rows «…»; they are table rows of the document, read by the same
readers as acts (:mod:`parsers`) and interpreted later, with the base act's header, by
:mod:`legalkpi.reading.extract`. Nothing here is applied; :mod:`legalkpi.amending.apply` does that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from legalkpi.model import Act
from legalkpi.reading import normalize as nz
from legalkpi.reading.citations import Citation, find_citations
from parsers.grid import Block, Cell, Document, Paragraph, Row, Source, Table

OPS = (
    "replace-row",
    "delete-row",
    "replace-in-cell",
    "insert-row",
    "insert-section",
    "insert-part",
    "replace-part",
    "language-only",
)
# Operations whose quoted rows follow the instruction.
WITH_CONTENT = ("replace-row", "insert-row", "insert-section", "insert-part", "replace-part")

_RU_ROW = r"строк(?:у|е|ой|а),?\s+порядковый\s+номер\s+(?P<n>\d+)"
_KK_ROW = r"реттік\s+нөмірі\s+(?P<n>\d+)\s*-\s*жол"
_RU_COLUMN = r"в\s+графе\s+(?:(?P<col>\d+)|«(?P<ctitle>[^«»]+)»)"
_KK_COLUMN = r"(?:(?P<col>\d+)\s*-\s*баған(?:да|ында)|«(?P<ctitle>[^«»]+)»\s+деген\s+баған(?:да|ында))"

# One list per language: (operation, pattern over the instruction with its end mark removed).
_PATTERNS: dict[str, list[tuple[str, re.Pattern[str]]]] = {
    "ru": [
        ("delete-row", re.compile(rf"^{_RU_ROW},?\s+исключить$")),
        ("replace-row", re.compile(rf"^{_RU_ROW},?\s+изложить\s+в\s+следующей\s+редакции\s*:$")),
        (
            "replace-in-cell",
            re.compile(
                rf"^в\s+{_RU_ROW},?\s+{_RU_COLUMN},?\s+(?P<what>цифр\w*|слов\w*)\s+«(?P<old>.*?)»\s+"
                r"заменить\s+(?:цифр\w*|слов\w*)\s+«(?P<new>.*)»$"
            ),
        ),
        (
            "replace-in-cell",
            re.compile(
                rf"^{_RU_COLUMN},?\s+(?P<what>цифр\w*|слов\w*)\s+«(?P<old>.*?)»\s+"
                r"заменить\s+(?:цифр\w*|слов\w*)\s+«(?P<new>.*)»$"
            ),
        ),
        ("insert-row", re.compile(rf"^дополнить\s+{_RU_ROW},?\s+следующего\s+содержания\s*:$")),
        ("insert-section", re.compile(r"^дополнить\s+разделом\s+(?P<n>\d+)\s+следующего\s+содержания\s*:$")),
        (
            "insert-part",
            re.compile(r"^дополнить\s+частью\s+«(?P<part>[^«»]+)»\s+следующего\s+содержания\s*:$"),
        ),
        (
            "replace-part",
            re.compile(r"^часть\s+«(?P<part>[^«»]+)»\s+изложить\s+в\s+следующей\s+редакции\s*:$"),
        ),
        (
            "language-only",
            re.compile(
                rf"^в\s+{_RU_ROW},?\s+изменени\w+\s+внос\w+\s+в\s+текст\s+на\s+(?P<lang>казахском|русском)\s+языке$"
            ),
        ),
    ],
    "kk": [
        ("delete-row", re.compile(rf"^{_KK_ROW}\s+алып\s+тасталсын$")),
        ("replace-row", re.compile(rf"^{_KK_ROW}\s+мынадай\s+редакцияда\s+жазылсын\s*:$")),
        (
            "replace-in-cell",
            re.compile(
                rf"^{_KK_ROW}(?:да|дың|ында)\s*,?\s*{_KK_COLUMN}\s+«(?P<old>.*?)»\s+деген\s+(?P<what>цифр\w*|сөз\w*)\s+"
                r"«(?P<new>.*)»\s+деген\s+(?:цифр\w*|сөз\w*)\s+ауыстырылсын$"
            ),
        ),
        (
            "replace-in-cell",
            re.compile(
                rf"^{_KK_COLUMN}\s+«(?P<old>.*?)»\s+деген\s+(?P<what>цифр\w*|сөз\w*)\s+"
                r"«(?P<new>.*)»\s+деген\s+(?:цифр\w*|сөз\w*)\s+ауыстырылсын$"
            ),
        ),
        ("insert-row", re.compile(rf"^мынадай\s+мазмұндағы\s+{_KK_ROW}мен\s+толықтырылсын\s*:$")),
        (
            "insert-section",
            re.compile(r"^мынадай\s+мазмұндағы\s+(?P<n>\d+)\s*-\s*бөліммен\s+толықтырылсын\s*:$"),
        ),
        (
            "insert-part",
            re.compile(r"^мынадай\s+мазмұндағы\s+«(?P<part>[^«»]+)»\s+бөлігімен\s+толықтырылсын\s*:$"),
        ),
        ("replace-part", re.compile(r"^«(?P<part>[^«»]+)»\s+бөлігі\s+мынадай\s+редакцияда\s+жазылсын\s*:$")),
        (
            "language-only",
            re.compile(
                rf"^{_KK_ROW}(?:да|ында)\s+(?P<lang>орыс|қазақ)\s+тіліндегі\s+мәтінге\s+өзгеріс\s+енгізіледі$"
            ),
        ),
    ],
}
_HEADINGS: dict[str, dict[str, re.Pattern[str]]] = {
    "ru": {
        "annex": re.compile(r"^в\s+приложении\s+(?P<n>\d+)\b.*:$"),
        "section": re.compile(r"^в\s+разделе\s+«(?P<title>.+)»\s*:$"),
        "part": re.compile(r"^в\s+части\s+«(?P<part>[^«»]+)»\s*:$"),
        "row": re.compile(rf"^в\s+{_RU_ROW}\s*:$"),
    },
    "kk": {
        "annex": re.compile(r"^.*?(?P<n>\d+)\s*-\s*қосымшада\s*:$"),
        "section": re.compile(r"^«(?P<title>.+)»\s+бөлімінде\s*:$"),
        "part": re.compile(r"^«(?P<part>[^«»]+)»\s+бөлігінде\s*:$"),
        "row": re.compile(rf"^{_KK_ROW}(?:да|ында)\s*:$"),
    },
}
# "…, текст на казахском языке не изменяется" / "…, қазақ тіліндегі мәтін өзгермейді": the language left as it is.
_UNCHANGED = {
    "ru": re.compile(r"[,;]?\s*текст\s+на\s+(?P<lang>казахском|русском)\s+языке\s+не\s+изменяется\s*$"),
    "kk": re.compile(r"[,;]?\s*(?P<lang>қазақ|орыс)\s+тіліндегі\s+мәтін\s+өзгермейді\s*$"),
}
_LANG_WORDS = {"казахском": "kk", "русском": "ru", "қазақ": "kk", "орыс": "ru"}
_INTRO = {
    "ru": re.compile(
        r"^(?:\d+\.\s*)?Внести\s+в\s+.*\bследующ\w+\s+(?:изменени|дополнени)\w*.*:$", re.IGNORECASE
    ),
    "kk": re.compile(r"^(?:\d+\.\s*)?.*\b(?:өзгеріс|толықтыру)\w*\s+.*енгізілсін\s*:$", re.IGNORECASE),
}
_POINT = re.compile(r"^\d+\.\s+\S")
_SECTION_NUMBER = re.compile(r"^(?P<n>\d{1,2})\s*\.\s*(?P<title>\S.*)$")
_OPEN = "«"
_CLOSE = re.compile(r"»\s*[;.]?\s*$")


@dataclass
class Instruction:
    """One instruction of an amending act, as printed and as data."""

    op: str  # one of OPS, or "" when the sentence cannot be read
    text: str  # the sentence as printed (spaces folded)
    source: Source
    annex: int | None = None
    section: str = ""  # the heading "в разделе «…»" as printed, quotes removed
    section_ordinal: int | None = None  # its number, or the number of a new section
    part: str = ""  # the part's title without brackets ("промышленность")
    number: int | None = None  # the row's printed number
    column: int | None = None  # "в графе 4"
    column_title: str = ""  # "в графе «2025 год»"
    what: str = ""  # "figures" | "words" for replacements in a cell
    old: str = ""
    new: str = ""
    unchanged_lang: str = ""  # the language whose text this instruction leaves as it is
    content: list[Block] = field(default_factory=list)  # the quoted rows, quote marks removed
    content_source: Source | None = None
    problem: str = ""  # why the instruction cannot be read

    def to_dict(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "section": self.section,
            "section_ordinal": self.section_ordinal,
            "part": self.part,
            "number": self.number,
            "column": self.column if self.column is not None else (self.column_title or None),
            "old": self.old,
            "new": self.new,
            "unchanged_lang": self.unchanged_lang,
            "text": self.text,
            "problem": self.problem,
            "source": self.source.to_dict(),
        }


@dataclass
class AmendingAct:
    act: Act  # the amending act itself (kind, number, date, language, title)
    amends: Citation | None  # the act it amends, as cited in the opening point
    instructions: list[Instruction]
    file: str

    @property
    def amends_work(self) -> str:
        return self.amends.work if self.amends else ""


def is_amending(doc: Document) -> bool:
    """True when the document holds an opening point that introduces amendments to an act."""
    return any(_intro_lang(t) for t in _paragraph_texts(doc)[:60])


def _paragraph_texts(doc: Document) -> list[str]:
    return [nz.fold_spaces(b.text) for b in doc.blocks if isinstance(b, Paragraph)]


def _intro_lang(text: str) -> str:
    for lang, pat in _INTRO.items():
        if pat.match(text) and find_citations(text):
            return lang
    return ""


def read_amending(doc: Document, act: Act | None = None) -> AmendingAct | None:
    """The amending act a document holds, or None when it introduces no amendments.

    ``act``: the amending act's own identity when known (the manifest); else read from its header line."""
    r = _Reader(doc)
    r.read()
    if not r.lang:
        return None
    from legalkpi.reading.structure import act_from_text

    own = act or act_from_text(doc) or Act(kind="", number="", date="", lang=r.lang, title="")
    if not own.lang:
        own.lang = r.lang
    return AmendingAct(act=own, amends=r.amends, instructions=r.instructions, file=doc.file)


class _Reader:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.lang = ""
        self.amends: Citation | None = None
        self.instructions: list[Instruction] = []
        self.annex: int | None = None
        self.section = ""
        self.section_ordinal: int | None = None
        self.part = ""
        self.row: int | None = None  # "в строке, порядковый номер 2:" over instructions on its cells
        self.waiting: Instruction | None = None  # an instruction whose quoted rows are being read
        self.opened = False
        self.pending: list[tuple[str, Source]] = []  # a sentence cut over several paragraphs

    def read(self) -> None:
        state = "before"
        for block in self.doc.blocks:
            if self.waiting is not None:
                self._content(block)
                continue
            if state == "after":
                break
            if isinstance(block, Table):
                if state == "inside":
                    self._unreadable(
                        block.source,
                        " | ".join(block.rows[0].texts()) if block.rows else "",
                        "rows quoted by no instruction",
                    )
                continue
            text = nz.fold_spaces(block.text)
            if not text:
                continue
            if state == "before":
                lang = _intro_lang(text)
                if lang:
                    self.lang, state = lang, "inside"
                    self.amends = find_citations(text)[0]
                continue
            if self.pending or not text.endswith((";", ":", ".")):
                self.pending.append((text, block.source))
                if not text.endswith((";", ":", ".")):
                    continue
                text = " ".join(t for t, _ in self.pending)
                source = self.pending[0][1].merge(self.pending[-1][1])
                self.pending = []
            else:
                source = block.source
            if _POINT.match(text):
                state = "after"  # the next point of the amending act ends its instructions
                continue
            self._sentence(text, source)
        if self.pending:
            text = " ".join(t for t, _ in self.pending)
            self._unreadable(self.pending[0][1].merge(self.pending[-1][1]), text, "the sentence does not end")
        if self.waiting is not None:
            self.waiting.problem = "the quoted rows are not closed with »"
            self.waiting = None

    def _unreadable(self, source: Source, text: str, why: str) -> None:
        self.instructions.append(Instruction(op="", text=text, source=source, problem=why))

    def _sentence(self, text: str, source: Source) -> None:
        body = text.rstrip(";.").rstrip()
        for kind, pat in _HEADINGS[self.lang].items():
            m = pat.match(body)
            if m:
                self._heading(kind, m)
                return
        unchanged = ""
        m = _UNCHANGED[self.lang].search(body)
        if m:
            unchanged = _LANG_WORDS[m.group("lang")]
            body = body[: m.start()].rstrip(" ,;")
        for op, pat in _PATTERNS[self.lang]:
            m = pat.match(body)
            if m:
                self._instruction(op, m, text, source, unchanged)
                return
        self._unreadable(source, text, "not an instruction this reader knows")

    def _heading(self, kind: str, m: re.Match[str]) -> None:
        self.row = None
        if kind == "row":
            self.row = int(m.group("n"))
        elif kind == "annex":
            self.annex, self.section, self.section_ordinal, self.part = int(m.group("n")), "", None, ""
        elif kind == "section":
            title = nz.fold_spaces(m.group("title"))
            n = _SECTION_NUMBER.match(title)
            self.section, self.section_ordinal, self.part = title, int(n.group("n")) if n else None, ""
        else:
            self.part = _part_title(m.group("part"))

    def _instruction(self, op: str, m: re.Match[str], text: str, source: Source, unchanged: str) -> None:
        g = m.groupdict()
        ins = Instruction(
            op=op,
            text=text,
            source=source,
            annex=self.annex,
            section=self.section,
            section_ordinal=self.section_ordinal,
            part=self.part,
            unchanged_lang=unchanged,
        )
        if op == "insert-section":
            ins.section, ins.section_ordinal, ins.part = "", int(g["n"]), ""
        elif g.get("n"):
            ins.number = int(g["n"])
        if op == "replace-in-cell" and not g.get("n"):
            if self.row is None:
                ins.op, ins.problem = (
                    "",
                    "no row named: the instruction is under no heading 'в строке, порядковый номер …:'",
                )
            ins.number = self.row
        else:
            self.row = None  # a row-level instruction closes the row heading
        if g.get("part"):
            ins.part = _part_title(g["part"])
        if op == "replace-in-cell":
            ins.column = int(g["col"]) if g.get("col") else None
            ins.column_title = nz.fold_spaces(g.get("ctitle") or "")
            ins.what = "figures" if g["what"].startswith("цифр") else "words"
            ins.old, ins.new = g["old"], g["new"]
        if op == "language-only":
            # "changes are made to the text in Kazakh": the other language stays as it is
            changed = _LANG_WORDS[g["lang"]]
            ins.unchanged_lang = "ru" if changed == "kk" else "kk"
        self.instructions.append(ins)
        if op in WITH_CONTENT:
            self.waiting, self.opened = ins, False

    def _content(self, block: Block) -> None:
        """Collect the quoted rows of the waiting instruction; the closing » ends them."""
        ins = self.waiting
        assert ins is not None
        closed = False
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if not self.opened:
                if not text.startswith(_OPEN):
                    ins.problem = "the new wording does not follow in quotes «…»"
                    self.waiting = None
                    return
                text, self.opened = text[1:].lstrip(), True
            if _CLOSE.search(text):
                text, closed = _CLOSE.sub("", text).rstrip(), True
            if text:
                ins.content.append(Paragraph(text=text, source=block.source, orig=block.orig))
        else:
            rows = [Row(cells=list(r.cells), source=r.source) for r in block.rows]
            if not self.opened:
                first = rows[0].cells[0] if rows and rows[0].cells else None
                if first is None or not first.text.lstrip().startswith(_OPEN):
                    ins.problem = "the new wording does not follow in quotes «…»"
                    self.waiting = None
                    return
                rows[0].cells[0] = _trim(first, opening=True)
                self.opened = True
            last = rows[-1].cells[-1] if rows and rows[-1].cells else None
            if last is not None and _CLOSE.search(last.text):
                rows[-1].cells[-1] = _trim(last, opening=False)
                closed = True
            ins.content.append(Table(rows=rows, source=block.source))
        src = block.source
        ins.content_source = src if ins.content_source is None else ins.content_source.merge(src)
        if closed:
            self.waiting = None


def _trim(cell: Cell, *, opening: bool) -> Cell:
    text = cell.text.lstrip()[1:].lstrip() if opening else _CLOSE.sub("", cell.text).rstrip()
    return Cell(text=text, source=cell.source, orig=cell.orig, col_span=cell.col_span, images=cell.images)


def _part_title(text: str) -> str:
    """ "(промышленность)" -> "промышленность"."""
    return nz.fold_spaces(text).strip().removeprefix("(").removesuffix(")").strip()
