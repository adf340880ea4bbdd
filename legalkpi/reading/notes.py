"""Changes an act records about itself or others: change notes and repeal lists.

Two sources, both read from the neutral grid (paragraphs and table cells alike):

* change notes — "Ескерту. 2-тармақ жаңа редакцияда - ҚР Премьер-Министрінің 03.11.2023
  № 170-ө өкімімен.", "Сноска. Правила дополнены пунктом 17-1 в соответствии с приказом …
  от 26.05.2025 № 251 НҚ", also inline ("1) алып тасталды - … № 170-ө өкімімен;") and in the
  header cell of a consolidated text ("… № 124-ө өкімі. Күші жойылды - … № 1157 қаулысымен").
  They change the document's own act; the acting act is named in the instrumental case.
* repeal lists — an appendix headed "Перечень утративших силу …" / "Күші жойылған … тізбесі"
  whose numbered items each name a repealed act or one of its points.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from legalkpi.reading.actwords import words
from legalkpi.reading.citations import Citation, find_citations, quoted_title
from legalkpi.text import fold_spaces
from parsers.grid import Document, Paragraph, Source

_POINT = re.compile(r"^\s*(?P<n>\d+(?:-\d+)?)\.\s+")
_SUBPOINT = re.compile(r"^\s*(?:-\s*)?(?P<n>\d+(?:-\d+)?)\)\s*")
# A sentence ends at ". " before an upper-case letter; dates ("03.11.2023") have no space.
_SENTENCE_END = re.compile(r"[.;]\s+(?=[A-ZА-ЯЁҚҢҒӘӨҰҮҺІ])")
# The action and the acting act's name stand close together in a note.
_MAX_GAP = 160


@dataclass(frozen=True)
class Change:
    """One change: ``by`` did ``type`` to ``part`` of ``target`` (None: the document's own act)."""

    type: str  # "amends" | "new_edition" | "repeals"
    by: Citation | None  # the acting act; None when it is the document's own act (repeal lists)
    target: Citation | None
    part: str  # "" (whole act), "title", "point 2", "subpoint 1) of point 1", "appendix", "appendix 17-1"
    part_title: str  # the heading of the appendix concerned, when the text gives it
    source: Source
    text: str  # the note or list item as printed
    origin: str  # "note" | "repeal-list"
    target_title: str = ""


class _Unit(NamedTuple):
    text: str
    source: Source
    is_paragraph: bool


def _units(doc: Document) -> Iterator[_Unit]:
    """Paragraphs and table cells in reading order: notes sit in either."""
    for b in doc.blocks:
        if isinstance(b, Paragraph):
            yield _Unit(b.text, b.source, True)
        else:
            for row in b.rows:
                for cell in row.cells:
                    if not cell.is_empty:
                        yield _Unit(cell.text, cell.source if cell.source.first_line else row.source, False)


def _flat(text: str) -> str:
    return fold_spaces(text)


class _Context:
    """Where in the act a unit stands: before point 1 (the act as a whole), under a point,
    or inside an appendix (after its stamp, titled by the first line that follows)."""

    def __init__(self) -> None:
        self.point = ""
        self.appendix = False
        self.appendix_title = ""
        self.want_title = False
        self.repeal_list = False
        self.stamp_line = -1

    def see(self, unit: _Unit, flat: str, is_note: bool) -> None:
        """Take in ``unit``, whose text folded is ``flat``."""
        first, last = unit.source.first_line, unit.source.last_line or unit.source.first_line
        if words().stamp_kind(flat) or (first is not None and first == self.stamp_line + 1):
            # a stamp may run over several lines ("приложение к Правилам / цифровой
            # трансформации / …"): the lines right below it belong to it
            self.appendix, self.appendix_title, self.want_title = True, "", True
            self.point, self.repeal_list = "", False
            self.stamp_line = last if last is not None else -1
            return
        if is_note:
            return
        if self.want_title and unit.is_paragraph and len(flat.split()) > 1:
            # a one-word line ("Форма") names the appendix's nature, not its title
            self.appendix_title, self.want_title = flat, False
        m = _POINT.match(flat)
        if m and not self.appendix:
            self.point = m["n"]
        if unit.is_paragraph and not m and any(p.search(flat) for p in words().repeal_lists):
            self.repeal_list = True
        elif self.repeal_list and not m:
            self.repeal_list = False


def read_changes(doc: Document) -> list[Change]:
    """Every change note and repeal-list item of a document, in reading order."""
    out: list[Change] = []
    ctx = _Context()
    for unit in _units(doc):
        flat = _flat(unit.text)
        if ctx.repeal_list and unit.is_paragraph and _POINT.match(flat):
            item = _repeal_item(flat, unit.source)
            if item is not None:
                out.append(item)
                continue
        notes = _notes(flat, unit.source, ctx) if "№" in flat else []  # a note names its act by number
        out.extend(notes)
        ctx.see(unit, flat, is_note=bool(notes))
    return out


def _notes(text: str, source: Source, ctx: _Context) -> list[Change]:
    out: list[Change] = []
    prev_end = 0
    for cit in find_citations(text):
        seg_start = max([prev_end, *(m.end() for m in _SENTENCE_END.finditer(text, 0, cit.start))])
        prev_end = cit.end
        if not cit.is_instrumental:
            continue
        segment = text[seg_start : cit.start]
        action = _last_action(segment)
        if action is None:
            continue
        rel, a_start, a_end = action
        if len(segment) - a_end > _MAX_GAP:
            continue
        part, number = _part(segment[:a_start] + " " + segment[a_end:])
        if not part:
            part, number = _part_from_marker(segment, ctx)
        end = text.find(".", cit.end)
        out.append(
            Change(
                type=rel,
                by=cit,
                target=None,
                part=_part_name(part, number, ctx),
                part_title=ctx.appendix_title if part == "appendix" or (not part and ctx.appendix) else "",
                source=source,
                text=text[seg_start : end + 1 if end >= 0 else len(text)].strip(" ;"),
                origin="note",
            )
        )
    return out


def _last_action(segment: str) -> tuple[str, int, int] | None:
    found = [(m.start(), m.end(), rel) for rel, _, pat in words().actions for m in pat.finditer(segment)]
    if not found:
        return None
    start, end, rel = max(found)
    return rel, start, end


def _part(text: str) -> tuple[str, str]:
    """The part a note names ("2-тармақ", "пунктом 17-1", "тақырыбы"): (kind, number)."""
    for kind, _, pat in words().parts:
        m = pat.search(text)
        if m:
            return kind, (m.groupdict().get("n") or "")
    return "", ""


def _part_from_marker(segment: str, ctx: _Context) -> tuple[str, str]:
    """A note without part words speaks of where it stands: its own point or sub-point
    ("1) алып тасталды - …"), the point above it, the appendix, or the act as a whole."""
    m = _POINT.match(segment)
    if m:
        return "point", m["n"]
    m = _SUBPOINT.match(segment)
    if m:
        return "subpoint", m["n"]
    if ctx.appendix:
        return "appendix", ""
    if ctx.point:
        return "point", ctx.point
    return "", ""


def _part_name(kind: str, number: str, ctx: _Context) -> str:
    if not kind:
        return ""
    if kind == "subpoint":
        return f"subpoint {number}) of point {ctx.point}" if ctx.point else f"subpoint {number})"
    return f"{kind} {number}".strip()


def _repeal_item(text: str, source: Source) -> Change | None:
    body = _POINT.sub("", text, count=1)
    cits = find_citations(body)
    if not cits:
        return None
    # Russian names the repealed act first, Kazakh last; acts named inside its title
    # ("О внесении изменений в распоряжение … № 124-р") are not the target.
    lang = cits[0].lang
    target = cits[0] if words().head_first[lang] else cits[-1]
    outside = body[: target.start] if words().head_first[lang] else body[target.end :]
    kind, number = _part(outside)
    return Change(
        type="repeals",
        by=None,
        target=target,
        part=f"{kind} {number}".strip() if kind else "",
        part_title="",
        source=source,
        text=text,
        origin="repeal-list",
        target_title=quoted_title(body, target),
    )
