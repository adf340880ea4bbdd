"""The structure of an act read as prose: its own record, points, and attached documents.

An order such as No. 601/НҚ has its own text (preamble, numbered points, signature) and the
documents it approves or appends, each under a stamp ("Утверждены приказом …", "приложение
к Правилам …"): the Rules with chapters ("Глава 1. …"), paragraphs ("Параграф 1. …"),
sections ("Раздел 1. …"), points ("17-1."), sub-points ("1)", "- 6)") and footnotes
("Сноска. …"); the appendix with its form tables. Every node keeps its Source.

:func:`act_from_text` recognises any act's own header line (kind, number, date) and title.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from legalkpi.errors import NotAnIndicatorAct
from legalkpi.model import Act, Notice
from legalkpi.reading.actwords import language_of, words
from legalkpi.reading.citations import header_citation
from parsers.grid import Block, Document, Paragraph, Source, Table

_POINT = re.compile(r"^(?P<n>\d+(?:-\d+)?)\.\s+(?P<t>.*)$", re.S)
_SUBPOINT = re.compile(r"^(?:-\s*)?(?P<n>\d+(?:-\d+)?)\)\s*(?P<t>.*)$", re.S)
# A hyphen glued to a digit opens no list item: "подпунктом 361" / "-1) пункта 15" is one
# reference broken across lines by the PDF converter.
_GLUED = re.compile(r"^-\d")
_ENDS_SENTENCE = re.compile(r"[.;:!?]\s*$")
_SIGNATURE_WORDS = 4
CONTAINERS = ("approved", "appendix", "chapter", "paragraph", "section")
_LEVEL = {"approved": 0, "appendix": 0, "chapter": 1, "paragraph": 2, "section": 3}


@dataclass
class Node:
    kind: str  # preamble|point|subpoint|text|footnote|signature|table|approved|appendix|chapter|paragraph|section
    number: str
    text: str
    source: Source
    children: list[Node] = field(default_factory=list)
    stamp: str = ""  # for attached documents: the stamp over them
    caption: str = ""  # for tables: the line above
    rows: int = 0
    columns: int = 0

    def walk(self) -> Iterator[Node]:
        yield self
        for c in self.children:
            yield from c.walk()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"kind": self.kind}
        if self.number:
            d["number"] = self.number
        d["text"] = self.text
        if self.stamp:
            d["stamp"] = self.stamp
        if self.kind == "table":
            d.update(caption=self.caption, rows=self.rows, columns=self.columns)
        d["source"] = self.source.to_dict()
        if self.children:
            d["children"] = [c.to_dict() for c in self.children]
        return d


@dataclass
class Structure:
    file: str
    act: Act | None
    lang: str
    nodes: list[Node]
    warnings: list[Notice] = field(default_factory=list)

    def walk(self) -> Iterator[Node]:
        for n in self.nodes:
            yield from n.walk()

    def find(self, kind: str, number: str = "") -> list[Node]:
        return [n for n in self.walk() if n.kind == kind and (not number or n.number == number)]

    def to_dict(self) -> dict[str, Any]:
        a = self.act
        return {
            "file": self.file,
            "act": None
            if a is None
            else {
                "kind": a.kind,
                "number": a.number,
                "date": a.date,
                "lang": a.lang,
                "title": a.title,
                "source": a.source.to_dict() if a.source else None,
            },
            "lang": self.lang,
            "nodes": [n.to_dict() for n in self.nodes],
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _lines(doc: Document) -> Iterator[tuple[str, Source]]:
    """Every text line of paragraphs and table cells, in reading order."""
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            texts = [(b.text, b.source)]
        else:
            texts = [(c.text, c.source) for r in b.rows for c in r.cells]
        for text, src in texts:
            for ln in text.split("\n"):
                if ln.strip():
                    yield ln.strip(), src


def act_from_text(doc: Document) -> Act | None:
    """The act a document is, from its own header line; the title is the line above it
    (the official database prints the title first), else the line below."""
    lines = _lines(doc)  # read only as far as the header (and the line below it)
    first = ""
    for i, (line, src) in enumerate(lines):
        if i == 0:
            first = line
        c = header_citation(line)
        if c is None:
            continue
        title = first if i > 0 else next(lines, ("", src))[0]
        return Act(kind=c.kind, number=c.number, date=c.date, lang=c.lang, title=title, source=src)
    return None


class _Reader:
    """One pass over the blocks, keeping the open containers and the current point."""

    def __init__(self, doc: Document, lang: str) -> None:
        self.doc = doc
        self.lang = lang
        self.nodes: list[Node] = []
        self.stack: list[Node] = []  # open containers, outermost first
        self.point: Node | None = None
        self.sub: Node | None = None
        self.last: Node | None = None  # the node the next continuation line joins
        self.stamp_line = -1
        self.want_title: Node | None = None
        self.warnings: list[Notice] = []

    # -- placing nodes -------------------------------------------------------------
    def _add(self, node: Node) -> Node:
        (self.stack[-1].children if self.stack else self.nodes).append(node)
        self.last = node
        return node

    def _open(self, node: Node) -> None:
        level = _LEVEL[node.kind]
        while self.stack and _LEVEL[self.stack[-1].kind] >= level:
            self.stack.pop()
        self._add(node)
        self.stack.append(node)
        self.point = self.sub = None

    def _in_appendix(self) -> bool:
        return bool(self.stack) and self.stack[0].kind == "appendix"

    # -- reading -------------------------------------------------------------------
    def read(self, skip: set[int]) -> None:
        for i, b in enumerate(self.doc.blocks):
            if i in skip:
                continue
            if isinstance(b, Table):
                self._table(b, self.doc.blocks[i - 1] if i else None)
            else:
                self._paragraph(b)

    def _table(self, t: Table, above: Block | None) -> None:
        caption = above.text if isinstance(above, Paragraph) else ""
        cols = max((len(r.cells) for r in t.rows), default=0)
        node = Node("table", "", "", t.source, caption=caption, rows=len(t.rows), columns=cols)
        owner = self.point.children if self.point is not None else self._target()
        owner.append(node)
        self.last = None

    def _target(self) -> list[Node]:
        return self.stack[-1].children if self.stack else self.nodes

    def _paragraph(self, p: Paragraph) -> None:
        text, src = p.text, p.source
        kind = words().stamp_kind(text)
        if kind or (src.first_line is not None and src.first_line == self.stamp_line + 1):
            self._stamp(kind, text, src)
            return
        self.stamp_line = -1
        if self.want_title is not None:
            if len(text.split()) > 1:  # "Форма" labels the appendix, the next line titles it
                self.want_title.text = (
                    (self.want_title.text + " " + text).strip() if self.want_title.text else text
                )
                self.want_title = None
            else:
                self.want_title.stamp = f"{self.want_title.stamp} | {text}"
            return
        if self._continues(text):
            assert self.last is not None
            glue = "" if _GLUED.match(text) else " "
            self.last.text += glue + text
            self.last.source = self.last.source.merge(src)
            return
        if self._footnote(text, src):
            return
        # an appendix (a form) numbers its own headings ("1.2. План график"); they are
        # not chapters and points of the act
        if not self._in_appendix() and (
            self._heading(text, src) or self._point(text, src) or self._subpoint(text, src)
        ):
            return
        self._text(text, src)

    def _stamp(self, kind: str, text: str, src: Source) -> None:
        if self.stamp_line >= 0 and src.first_line == self.stamp_line + 1 and self.stack:
            self.stack[0].stamp += " " + text  # the stamp runs on
        else:
            self.stack.clear()
            self.nodes.append(node := Node(kind or "appendix", "", "", src, stamp=text))
            self.stack.append(node)
            self.point = self.sub = None
            self.want_title = node
        self.stack[0].source = self.stack[0].source.merge(src)
        self.stamp_line = src.last_line if src.last_line is not None else -1
        self.last = None

    def _continues(self, text: str) -> bool:
        if self.last is None or _ENDS_SENTENCE.search(self.last.text):
            return False
        return bool(_GLUED.match(text)) or text[:1].islower()

    def _heading(self, text: str, src: Source) -> bool:
        for kind, by_lang in words().headings.items():
            m = by_lang.get(self.lang, by_lang["ru"]).match(text)
            if m:
                self._open(Node(kind, m["n"], m["t"].strip(), src))
                return True
        return False

    def _footnote(self, text: str, src: Source) -> bool:
        prefixes = words().note_prefixes.get(self.lang, [])
        if not any(text.startswith(p + ".") for p in prefixes):
            return False
        owner = self.point.children if self.point is not None else self._target()
        owner.append(Node("footnote", "", text, src))
        self.last = None
        return True

    def _point(self, text: str, src: Source) -> bool:
        m = _POINT.match(text)
        if not m:
            return False
        self.point = self._add(Node("point", m["n"], m["t"], src))
        self.sub = None
        return True

    def _subpoint(self, text: str, src: Source) -> bool:
        m = _SUBPOINT.match(text)
        if not m or self.point is None:
            return False
        self.sub = Node("subpoint", m["n"], m["t"], src)
        self.point.children.append(self.sub)
        self.last = self.sub
        return True

    def _text(self, text: str, src: Source) -> None:
        node = Node("text", "", text, src)
        if self.stack == [] and self.point is not None and self._is_signature(text):
            node.kind = "signature"
            self.nodes.append(node)
            self.point = self.sub = None
        elif self.sub is not None and (text[:1].islower() or self.sub.text.rstrip().endswith(":")):
            # lines under "1) представители …:" list that sub-point's members
            self.sub.children.append(node)
        elif self.point is not None:
            self.point.children.append(node)
            self.sub = None
        elif self.nodes and self.nodes[-1].kind == "signature" and not self.stack:
            self.nodes[-1].text += " " + text
            self.nodes[-1].source = self.nodes[-1].source.merge(src)
            return
        else:
            self._target().append(node)
        self.last = node

    @staticmethod
    def _is_signature(text: str) -> bool:
        # the signatory's lines: a few words and no sentence ("Исполняющего / обязанности
        # министра / К. Тулеушин")
        return len(text.split()) <= _SIGNATURE_WORDS and not _ENDS_SENTENCE.search(text)


def read_structure(doc: Document) -> Structure:
    """The act record and the tree of a prose act's parts, each with its Source."""
    _refuse_foreign(doc)
    act = act_from_text(doc)
    lang = act.lang if act else language_of(doc.text())
    skip = _header_blocks(doc, act)
    r = _Reader(doc, lang)
    preamble = _preamble(doc, skip)
    if preamble is not None:
        r.nodes.append(preamble[1])
        skip.add(preamble[0])
    r.read(skip)
    if act is None and not any(n.kind in ("point", "chapter", "approved", "appendix") for top in r.nodes for n in top.walk()):
        raise NotAnIndicatorAct(
            "this text has no KPI table: no header naming the indicator column was found, and no act header "
            "or numbered points (\"1. …\") of a rules act either; check that the file is the act's full text, "
            "or give its DOCX, PDF or the legal database's HTML",
            file=doc.file,
        )
    return Structure(
        file=doc.file, act=act, lang=lang, nodes=r.nodes, warnings=r.warnings + _numbering(r.nodes)
    )


def _refuse_foreign(doc: Document) -> None:
    """A text in neither Russian nor Kazakh (mostly Latin letters) is not one of the acts read here."""
    letters = [ch for ch in doc.text()[:200_000] if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    if not letters:
        raise NotAnIndicatorAct("the document has no text to read (a scanned PDF holds only images): "
                                "give a form of the act with its text (DOCX, a PDF with text, HTML)", file=doc.file)  # fmt: skip
    if cyrillic / len(letters) < 0.5:
        share = round(100 * cyrillic / len(letters)) if letters else 0
        raise NotAnIndicatorAct(
            f"this text is not in Russian or Kazakh (only {share} % of its letters are Cyrillic): it has no KPI table "
            "and no act structure to read; give the act's Russian or Kazakh text",
            file=doc.file,
        )


def _header_blocks(doc: Document, act: Act | None) -> set[int]:
    """Blocks up to the header line: the title and the header itself."""
    if act is None or act.source is None:
        return set()
    for i, b in enumerate(doc.blocks):
        if b.source == act.source or (
            isinstance(b, Table) and any(c.source == act.source for r in b.rows for c in r.cells)
        ):
            return set(range(i + 1))
    return set()


def _preamble(doc: Document, skip: set[int]) -> tuple[int, Node] | None:
    """The unnumbered paragraph between the header and point 1 ("В соответствии с … ПРИКАЗЫВАЮ:")."""
    i = max(skip) + 1 if skip else 0
    if i < len(doc.blocks):
        b = doc.blocks[i]
        if isinstance(b, Paragraph) and not _POINT.match(b.text) and _ENDS_SENTENCE.search(b.text):
            return i, Node("preamble", "", b.text, b.source)
    return None


def _numbering(nodes: list[Node]) -> list[Notice]:
    """Gaps and repeats in the numbering of points and sub-points ("2." then "4.")."""
    out: list[Notice] = []
    for parent_children in _sibling_lists(nodes):
        for kind in ("point", "subpoint"):
            seq = [n for n in parent_children if n.kind == kind]
            for prev, cur in zip(seq, seq[1:], strict=False):
                problem = _step(prev.number, cur.number)
                if problem:
                    out.append(
                        Notice(
                            f"{kind}-numbering",
                            f"{kind} {cur.number} follows {prev.number}: {problem}",
                            cur.source,
                        )
                    )
    return out


def _sibling_lists(nodes: list[Node]) -> Iterator[list[Node]]:
    yield nodes
    for n in nodes:
        yield from _sibling_lists(n.children)


_LISTED_GAP = 10  # a longer gap is told by its ends and size, not number by number


def _int(digits: str) -> int:
    """A point number; one too long for Python's int() (over 4,300 digits) counts as larger than any other."""
    return int(digits) if len(digits) <= 30 else 10**30


def _step(prev: str, cur: str) -> str:
    p_main, _, p_ins = prev.partition("-")
    c_main, _, c_ins = cur.partition("-")
    p, c = _int(p_main), _int(c_main)
    if c == p and c_ins and (not p_ins or _int(c_ins) == _int(p_ins) + 1):
        return ""  # an inserted point: 17 then 17-1
    if c == p + 1 and not c_ins:
        return ""
    if c <= p:
        return "repeated or out of order"
    if c - p - 1 > _LISTED_GAP:
        return f"missing {p + 1}–{c - 1} ({c - p - 1} numbers)" if c < 10**30 else "missing numbers (a number too long to count)"
    missing = ", ".join(str(k) for k in range(p + 1, c))
    return f"missing {missing}" if missing else "unexpected insertion"
