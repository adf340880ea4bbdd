"""Apply an amending act to the records of the act it amends: the consolidated version.

Every instruction names its target: the section (by its heading), the part, the row by its
printed number, and for a replacement in a cell the column, by its printed number ("в графе 4")
or its header ("в графе «2025 год»"), read from the base act's own header row. The named
column decides: the quoted old text must be what that cell prints (as a whole word or figure),
and the row is never searched for it elsewhere. Quoted rows are interpreted by
:func:`legalkpi.reading.extract.extract` under the same header as the rows they join.

All or nothing: every instruction that cannot be read, whose target does not exist or whose
old text is not in its cell is collected, and :class:`AmendmentRefused` names each with its
line; the base record is never changed.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from legalkpi.amending.read import AmendingAct, Instruction, read_amending
from legalkpi.errors import DEFAULT_LIMITS, BadInput, LegalKpiError, Limits
from legalkpi.model import ActRecord, Criterion, Formula, Indicator, PartRef, Section, SectionRef
from legalkpi.reading import normalize as nz
from legalkpi.reading.agencies import match_agency
from legalkpi.reading.extract import Columns, read_columns
from parsers.grid import Document, Paragraph, Row, Source, Table


@dataclass(frozen=True)
class Problem:
    """Why one instruction cannot be applied."""

    source: Source
    message: str
    text: str  # the instruction as printed

    def line(self) -> str:
        text = self.text if len(self.text) <= 70 else self.text[:69] + "…"
        return f"{_where(self.source)} «{text}»: {self.message}"


class AmendmentRefused(BadInput):
    """The amending act cannot be applied as a whole; nothing was applied or written."""

    code = "amendment-refused"

    def __init__(self, problems: list[Problem], *, file: str) -> None:
        self.problems = problems
        listed = "; ".join(p.line() for p in problems)
        n = len(problems)
        super().__init__(
            f"{n} instruction{'s' if n != 1 else ''} cannot be applied, nothing was applied: {listed}",
            file=file,
        )


def _where(source: Source) -> str:
    lines = source.lines()
    if lines:
        return f"line {lines[0]}" if lines[0] == lines[1] else f"lines {lines[0]}-{lines[1]}"
    return source.place() or "?"


@dataclass
class Amendment:
    """One applied instruction, as published in ``amendments``."""

    op: str
    section: int | None
    part: int | None
    number: int | None
    column: int | str | None
    year: int | None
    field: str | None
    old: str | None
    new: str | None
    source: Source
    id: str | None = None  # the indicator concerned, in the consolidated act
    unchanged_lang: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "section": self.section,
            "part": self.part,
            "number": self.number,
            "column": self.column,
            "year": self.year,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "id": self.id,
            "unchanged_lang": self.unchanged_lang or None,
            "source": self.source.to_dict(),
        }


@dataclass
class Consolidation:
    record: ActRecord  # the consolidated act: edition = the amending act's date
    amending: AmendingAct
    amendments: list[Amendment] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        from legalkpi.jsonio import act_dict, record_dict

        a = self.amending
        amends = a.amends
        return {
            **record_dict(self.record),
            "amending_act": {
                **act_dict(a.act),
                "file": a.file,
                "amends": None
                if amends is None
                else {"kind": amends.kind, "number": amends.number, "date": amends.date},
            },
            "amendments": [m.to_dict() for m in self.amendments],
        }


# ---- entry points --------------------------------------------------------------------------


def read_document_of_amending(
    path: str | Path, *, limits: Limits = DEFAULT_LIMITS, display_name: str | None = None
) -> Document:
    """Read a file as the acts are read; a text with no tables and few numbered points (an amending
    act that only replaces figures or words) is read as numbered prose when it introduces amendments."""
    from legalkpi.amending.read import is_amending
    from legalkpi.errors import UnknownLayout
    from parsers import prose, read_document
    from parsers.textio import decode

    try:
        return read_document(path, limits=limits, display_name=display_name)
    except UnknownLayout:
        name = display_name or str(path)
        decoded = decode(Path(path).read_bytes(), name)
        doc = prose.read(decoded.text, name, decoded.encoding, decoded.sha256)
        if not is_amending(doc):
            raise
        return doc


def read_amending_file(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> tuple[AmendingAct, Document]:
    """Read an amending act from any form (text, DOCX, PDF, HTML); BadInput when it is none."""
    from legalkpi.api import act_of

    doc = read_document_of_amending(path, limits=limits)
    amending = read_amending(doc, act_of(doc, None))
    if amending is None:
        raise BadInput(
            "not an amending act: no point introducing amendments ('Внести в … следующие изменения:')",
            file=doc.file,
        )
    return amending, doc


def amend_file(
    base: str | Path,
    amending: str | Path,
    *,
    corpus_root: str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Consolidation:
    """The consolidated version of the act in ``base`` after the amending act in ``amending``."""
    from legalkpi import api

    loaded = api.load(base, corpus_root=corpus_root, limits=limits)
    record = api.extract_loaded(loaded)
    act, _ = read_amending_file(amending, limits=limits)
    return consolidate(record, loaded.doc, act)


def is_amending_file(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> bool:
    """True when the file reads as an amending act (used by ``diff`` to decide what NEW is)."""
    from legalkpi.amending.read import is_amending

    try:
        return is_amending(read_document_of_amending(path, limits=limits))
    except LegalKpiError:
        return False


def consolidated_if_amending(old: str, new: str, corpus_root: str | Path | None = None) -> ActRecord | None:
    """For ``diff OLD NEW``: when NEW is an amending act, OLD as amended by it; else None."""
    if not Path(new).is_file() or not is_amending_file(new):
        return None
    if not Path(old).is_file():
        raise BadInput(
            "an amending act is applied to a file of the act it amends, not to a catalogue version", file=old
        )
    return amend_file(old, new, corpus_root=corpus_root).record


# ---- consolidation ---------------------------------------------------------------------------


def consolidate(base: ActRecord, base_doc: Document, amending: AmendingAct) -> Consolidation:
    """Apply every instruction to a copy of ``base``; AmendmentRefused lists all that do not fit."""
    file = amending.file
    _check_identity(base, amending)
    work = _Work(copy.deepcopy(base), _Headers(base_doc), amending)
    for ins in amending.instructions:
        work.apply(ins)
    if work.problems:
        raise AmendmentRefused(work.problems, file=file)
    rec = work.record
    rec.act = replace(rec.act, edition=amending.act.date, source=None)
    for k, ind in enumerate(rec.indicators):
        ind.row = k
    rec.years = sorted({v.year for i in rec.indicators for v in i.values})
    rec.warnings = rec.warnings + work.warnings
    return Consolidation(record=rec, amending=amending, amendments=work.amendments)


def _check_identity(base: ActRecord, amending: AmendingAct) -> None:
    from legalkpi.model import base_number

    file = amending.file
    if not amending.act.date:
        raise BadInput("the amending act's date cannot be read from its header", file=file)
    c = amending.amends
    if c is None:
        raise BadInput("cannot read which act this amends", file=file)
    b = base.act
    if not b.number:
        raise BadInput(
            "the base act's kind and number are unknown (no header line, not in the corpus)", file=base.file
        )
    if (c.kind, c.base) != (b.kind, base_number(b.number)) or (c.date and b.date and c.date != b.date):
        raise BadInput(
            f"the amending act amends {c.kind} No. {c.number} of {c.date}, the base is {b.kind} No. {b.number} of {b.date}",
            file=file,
        )
    if amending.act.lang and b.lang and amending.act.lang != b.lang:
        raise BadInput(
            f"the amending act is in {amending.act.lang}, the base act in {b.lang}: apply each language's text to its own",
            file=file,
        )
    if b.edition and amending.act.date <= b.edition:
        raise BadInput(
            f"the base is already the edition of {b.edition}; this amending act is of {amending.act.date}",
            file=file,
        )


class _Headers:
    """Which header row governs each row of the base act (the general block and the sector
    tables have different columns)."""

    def __init__(self, doc: Document) -> None:
        self.by_key: dict[tuple[Any, ...], tuple[Row, Row]] = {}  # row's place -> (row, its header row)
        current: Row | None = None
        for b in doc.blocks:
            rows = b.rows if isinstance(b, Table) else []
            for row in rows:
                if read_columns([row]) is not None:
                    current = row
                elif current is not None:
                    self.by_key[_key(row.source)] = (row, current)

    def of(self, ind: Indicator) -> Row | None:
        """The header over the base act's row of ``ind``; None for a row that is not the base
        act's own (one an earlier amending act brought) or that cannot be told for sure."""
        if ind.source is None:
            return None
        found = self.by_key.get(_key(ind.source))
        if found is None:
            return None
        row, header = found
        if ind.name_orig and any(c.orig == ind.name_orig for c in row.cells):
            return header
        return None


def _key(s: Source) -> tuple[Any, ...]:
    return (s.first_line, s.page, s.cell)


def _fold(text: str) -> str:
    return nz.fold_spaces(text).casefold().replace("ё", "е")


def _old_pattern(old: str) -> re.Pattern[str]:
    """The old text as a whole figure or word: "5 %" does not match in "15 %" nor "2,5 %"."""
    words = old.split()
    body = r"\s+".join(re.escape(w) for w in words)
    head = r"(?<![\w.,])" if words and words[0][:1].isalnum() else ""
    tail = r"(?![\w]|[.,]\d)" if words and words[-1][-1:].isalnum() else ""
    return re.compile(head + body + tail)


class _Work:
    def __init__(self, record: ActRecord, headers: _Headers, amending: AmendingAct) -> None:
        self.record = record
        self.headers = headers
        self.amending = amending
        self.lang = record.act.lang
        self.problems: list[Problem] = []
        self.amendments: list[Amendment] = []
        self.warnings: list[Any] = []
        self.sections: list[Section] = list(record.sections) or _sections_of(record.indicators)

    def fail(self, ins: Instruction, message: str) -> None:
        self.problems.append(Problem(ins.source, message, ins.text))

    # -- targets

    def section_of(self, ins: Instruction) -> Section | None:
        if not ins.section:
            if ins.op != "insert-section":
                self.fail(ins, "no section named: the instruction is under no heading 'в разделе «…»:'")
            return None
        title = ins.section
        m = re.match(r"^(\d{1,2})\s*\.\s*(.*)$", title)
        ordinal = int(m.group(1)) if m else None
        name = m.group(2) if m else title
        name = re.sub(r"\s*\([^()]*\)\s*$", "", name)  # "… (строительство)": the first part's title
        if ordinal is not None:
            sec = next((s for s in self.sections if s.ref.ordinal == ordinal), None)
            if sec is None:
                self.fail(ins, f"the act has no section {ordinal}")
            elif not _same_title(sec.ref.title, name):
                self.fail(ins, f"section {ordinal} is «{sec.ref.title}», not «{name}»")
                return None
            return sec
        found = [s for s in self.sections if _same_title(s.ref.title, name)]
        if len(found) != 1:
            self.fail(ins, f"the act has {'no' if not found else 'more than one'} section «{title}»")
            return None
        return found[0]

    def part_of(self, ins: Instruction, sec: Section) -> PartRef | None:
        if not ins.part:
            return None
        part = next((p for p in sec.parts if _fold(p.title) == _fold(ins.part)), None)
        if part is None:
            self.fail(ins, f"section {sec.ref.ordinal} has no part «({ins.part})»")
        return part

    def rows_in(self, sec: Section, part: PartRef | None) -> list[Indicator]:
        return [
            i for i in self.record.indicators
            if i.section.ordinal == sec.ref.ordinal and (part is None or i.part.ordinal == part.ordinal)
        ]  # fmt: skip

    def row_of(self, ins: Instruction) -> tuple[Section, PartRef | None, Indicator] | None:
        sec = self.section_of(ins)
        if sec is None:
            return None
        part = self.part_of(ins, sec)
        if ins.part and part is None:
            return None
        found = [i for i in self.rows_in(sec, part) if i.number == ins.number]
        where = f"section {sec.ref.ordinal}" + (f", part «({part.title})»" if part else "")
        if not found:
            self.fail(ins, f"{where} has no row {ins.number}")
            return None
        if len(found) > 1:
            self.fail(
                ins, f"{where} has {len(found)} rows numbered {ins.number}: name the part ('в части «(…)»:')"
            )
            return None
        return sec, part, found[0]

    # -- operations

    def apply(self, ins: Instruction) -> None:
        if not ins.op or ins.problem:
            self.fail(ins, f"cannot read the instruction: {ins.problem}")
            return
        if ins.unchanged_lang == self.lang and ins.op != "language-only":
            # "текст на казахском языке не изменяется" read in the Kazakh text: nothing to do here
            ins = replace(ins, op="language-only")
        getattr(self, "_" + ins.op.replace("-", "_"))(ins)

    def _record(self, ins: Instruction, sec: int | None, part: int | None, **kw: Any) -> None:
        self.amendments.append(
            Amendment(
                op=ins.op,
                section=sec,
                part=part,
                number=kw.pop("number", ins.number),
                column=kw.pop("column", None),
                year=kw.pop("year", None),
                field=kw.pop("field", None),
                old=kw.pop("old", None),
                new=kw.pop("new", None),
                source=ins.source,
                id=kw.pop("id", None),
                unchanged_lang=ins.unchanged_lang,
            )
        )

    def _language_only(self, ins: Instruction) -> None:
        hit = self.row_of(ins) if ins.number is not None else None
        if hit is None and ins.number is not None:
            return
        sec, part, ind = hit if hit else (None, None, None)
        self._record(
            ins,
            sec.ref.ordinal if sec else None,
            ind.part.ordinal if ind else None,
            id=ind.id if ind else None,
        )

    def _delete_row(self, ins: Instruction) -> None:
        hit = self.row_of(ins)
        if hit is None:
            return
        sec, _, ind = hit
        self.record.indicators.remove(ind)
        self._record(ins, sec.ref.ordinal, ind.part.ordinal, old=ind.name, id=ind.id)

    def _replace_row(self, ins: Instruction) -> None:
        hit = self.row_of(ins)
        if hit is None:
            return
        sec, _, ind = hit
        new = self.one_row(ins, self.header_for(sec))
        if new is None:
            return
        _place(new, ind.section, ind.part, ind.id, ins)
        self.record.indicators[self.record.indicators.index(ind)] = new
        self._record(ins, sec.ref.ordinal, ind.part.ordinal, old=ind.name, new=new.name, id=new.id)

    def _insert_row(self, ins: Instruction) -> None:
        sec = self.section_of(ins)
        if sec is None:
            return
        part = self.part_of(ins, sec)
        if ins.part and part is None:
            return
        if part is None:
            if len(sec.parts) > 1:
                self.fail(
                    ins,
                    f"section {sec.ref.ordinal} has parts: name the part the row joins ('в части «(…)»:')",
                )
                return
            part = sec.parts[0]
        rows = self.rows_in(sec, part)
        if any(i.number == ins.number for i in rows):
            self.fail(
                ins,
                f"section {sec.ref.ordinal} already has a row {ins.number}"
                + (f" in part «({part.title})»" if part.title else ""),
            )
            return
        new = self.one_row(ins, self.header_for(sec))
        if new is None:
            return
        _place(new, sec.ref, part, f"s{sec.ref.ordinal}-p{part.ordinal}-n{ins.number}", ins)
        before = [
            i for i in rows if i.number is not None and ins.number is not None and i.number < ins.number
        ]
        self._insert_after(before[-1] if before else None, rows, sec, new)
        self._record(ins, sec.ref.ordinal, part.ordinal, new=new.name, id=new.id)

    def _insert_after(
        self, anchor: Indicator | None, rows: list[Indicator], sec: Section, new: Indicator
    ) -> None:
        inds = self.record.indicators
        if anchor is not None:
            inds.insert(inds.index(anchor) + 1, new)
        elif rows:
            inds.insert(inds.index(rows[0]), new)
        else:
            same = [i for i in inds if i.section.ordinal <= sec.ref.ordinal]
            inds.insert(inds.index(same[-1]) + 1 if same else len(inds), new)

    def _replace_in_cell(self, ins: Instruction) -> None:
        hit = self.row_of(ins)
        if hit is None:
            return
        sec, _, ind = hit
        header = self.headers.of(ind) or self.header_for(sec)
        if header is None:
            self.fail(ins, f"no header row found for row {ins.number} of section {sec.ref.ordinal}")
            return
        cols = read_columns([header])
        assert cols is not None
        idx = self.column_index(ins, header)
        if idx is None:
            return
        fld, years = _field_of(cols, idx)
        column = ins.column if ins.column is not None else ins.column_title
        if fld is None:
            self.fail(
                ins,
                f"column {column} ({nz.fold_spaces(header.cells[idx].text)}) holds no value an amendment can change",
            )
            return
        pat = _old_pattern(ins.old)
        texts = _texts(ind, fld, years)
        missing = [t for t in texts if not pat.search(t)]
        if missing or not texts:
            printed = " / ".join(dict.fromkeys(nz.fold_spaces(t) for t in (missing or texts))) or "nothing"
            self.fail(ins, f"row {ins.number}, column {column}: the cell prints «{printed}», not «{ins.old}»")
            return
        _set_texts(ind, fld, years, lambda t: pat.sub(lambda _m: ins.new, t), self.lang)
        ys: list[int | None] = list(years) or [None]
        for y in ys:
            self._record(
                ins,
                sec.ref.ordinal,
                ind.part.ordinal,
                column=column,
                year=y,
                field=fld,
                old=ins.old,
                new=ins.new,
                id=ind.id,
            )

    def column_index(self, ins: Instruction, header: Row) -> int | None:
        texts = [nz.fold_spaces(c.text) for c in header.cells]
        if ins.column is not None:
            if not 1 <= ins.column <= len(texts):
                self.fail(ins, f"the table has columns 1 to {len(texts)}, not {ins.column}")
                return None
            return ins.column - 1
        found = [k for k, t in enumerate(texts) if _fold(t) == _fold(ins.column_title)]
        if len(found) != 1:
            self.fail(
                ins,
                f"{'no' if not found else 'more than one'} column is headed «{ins.column_title}»"
                + ("" if not found else ": name it by its number"),
            )
            return None
        return found[0]

    def _insert_section(self, ins: Instruction) -> None:
        if any(s.ref.ordinal == ins.section_ordinal for s in self.sections):
            self.fail(ins, f"the act already has a section {ins.section_ordinal}")
            return
        header = self.last_sector_header()
        rec = self.interpret(ins, header) if header is not None else None
        if header is None:
            self.fail(ins, "no sector table in the base act to take the columns from")
        if rec is None:
            return
        new_secs = [
            s for s in rec.sections if rec.indicators and any(i.section is s.ref for i in rec.indicators)
        ]
        if len(new_secs) != 1 or new_secs[0].ref.ordinal != ins.section_ordinal:
            got = ", ".join(str(s.ref.ordinal) for s in new_secs) or "none"
            self.fail(
                ins,
                f"the quoted rows must open section {ins.section_ordinal} with its title row; they open: {got}",
            )
            return
        sec = new_secs[0]
        agency = match_agency(sec.ref.title)
        sec.ref.agency_id = agency.id if agency else sec.ref.agency_id
        sec.source = ins.content_source
        for ind in rec.indicators:
            _place(
                ind,
                sec.ref,
                ind.part,
                f"s{sec.ref.ordinal}-p{ind.part.ordinal}-n{ind.number}",
                ins,
                keep_part=True,
            )
        inds = self.record.indicators
        pos = max(
            (k + 1 for k, i in enumerate(inds) if i.section.ordinal < sec.ref.ordinal), default=len(inds)
        )
        inds[pos:pos] = rec.indicators
        self.sections.append(sec)
        self.sections.sort(key=lambda s: s.ref.ordinal)
        if self.record.sections:
            self.record.sections = self.sections
        for ind in rec.indicators:
            self._record(ins, sec.ref.ordinal, ind.part.ordinal, number=ind.number, new=ind.name, id=ind.id)

    def _insert_part(self, ins: Instruction) -> None:
        sec = self.section_of(ins)
        if sec is None:
            return
        if any(_fold(p.title) == _fold(ins.part) for p in sec.parts):
            self.fail(ins, f"section {sec.ref.ordinal} already has a part «({ins.part})»")
            return
        new = self.part_rows(ins, sec)
        if new is None:
            return
        part = PartRef(len(sec.parts) + 1, ins.part)
        rows = self.rows_in(sec, None)
        for ind in new:
            _place(ind, sec.ref, part, f"s{sec.ref.ordinal}-p{part.ordinal}-n{ind.number}", ins)
        inds = self.record.indicators
        pos = inds.index(rows[-1]) + 1 if rows else len(inds)
        inds[pos:pos] = new
        sec.parts.append(part)
        for ind in new:
            self._record(ins, sec.ref.ordinal, part.ordinal, number=ind.number, new=ind.name, id=ind.id)

    def _replace_part(self, ins: Instruction) -> None:
        sec = self.section_of(ins)
        if sec is None:
            return
        part = self.part_of(ins, sec)
        if part is None:
            return
        new = self.part_rows(ins, sec)
        if new is None:
            return
        old = self.rows_in(sec, part)
        for ind in new:
            _place(ind, sec.ref, part, f"s{sec.ref.ordinal}-p{part.ordinal}-n{ind.number}", ins)
        inds = self.record.indicators
        pos = inds.index(old[0]) if old else len(inds)
        for ind in old:
            inds.remove(ind)
        inds[pos:pos] = new
        for ind in old:
            self._record(ins, sec.ref.ordinal, part.ordinal, number=ind.number, old=ind.name, id=ind.id)
        for ind in new:
            self._record(ins, sec.ref.ordinal, part.ordinal, number=ind.number, new=ind.name, id=ind.id)

    # -- quoted rows

    def header_for(self, sec: Section) -> Row | None:
        for ind in self.record.indicators:
            if ind.section.ordinal == sec.ref.ordinal:
                h = self.headers.of(ind)
                if h is not None:
                    return h
        return self.last_sector_header() if sec.ref.ordinal > 0 else None

    def last_sector_header(self) -> Row | None:
        found = None
        for ind in self.record.indicators:
            if ind.section.ordinal > 0:
                found = self.headers.of(ind) or found
        return found

    def interpret(self, ins: Instruction, header: Row | None) -> ActRecord | None:
        """The quoted rows read under the base act's header row, by the acts' own interpreter."""
        from legalkpi.reading.extract import extract

        if header is None:
            self.fail(ins, "no header row in the base act for this section")
            return None
        if not ins.content:
            self.fail(ins, "no quoted rows follow")
            return None
        doc = Document(file=self.amending.file, reader="amending", encoding="", sha256="")
        doc.blocks = [Table(rows=[header], source=header.source), *ins.content]
        act = replace(self.record.act, source=None)
        try:
            rec = extract(doc, act)
        except LegalKpiError as e:
            self.fail(ins, f"the quoted rows cannot be read: {e.message}")
            return None
        self.warnings.extend(rec.warnings)
        return rec

    def one_row(self, ins: Instruction, header: Row | None) -> Indicator | None:
        rec = self.interpret(ins, header)
        if rec is None:
            return None
        if len(rec.indicators) != 1:
            self.fail(ins, f"{len(rec.indicators)} rows are quoted, one is expected")
            return None
        new = rec.indicators[0]
        if new.number != ins.number:
            self.fail(ins, f"the quoted row is numbered {new.number}, the instruction says {ins.number}")
            return None
        return new

    def part_rows(self, ins: Instruction, sec: Section) -> list[Indicator] | None:
        """Rows of a part: the quoted text opens with the part's title "(…)", then its rows."""
        content = list(ins.content)
        first = content[0] if content else None
        title = ""
        if isinstance(first, Table) and first.rows and len(first.rows[0].non_empty()) == 1:
            title = first.rows[0].non_empty()[0].text
            content[0] = Table(rows=first.rows[1:], source=first.source)
        elif isinstance(first, Paragraph):
            title, content = first.text, content[1:]
        if _fold(title).strip("() ") != _fold(ins.part):
            self.fail(ins, f"the quoted rows must open with the part's title «({ins.part})»")
            return None
        rec = self.interpret(
            replace(ins, content=[b for b in content if not (isinstance(b, Table) and not b.rows)]),
            self.header_for(sec),
        )
        if rec is None:
            return None
        if not rec.indicators:
            self.fail(ins, "no rows are quoted for the part")
            return None
        return rec.indicators


def _sections_of(indicators: list[Indicator]) -> list[Section]:
    out: dict[int, Section] = {}
    for i in indicators:
        sec = out.setdefault(i.section.ordinal, Section(ref=i.section, parts=[]))
        if all(p.ordinal != i.part.ordinal for p in sec.parts):
            sec.parts.append(i.part)
    return sorted(out.values(), key=lambda s: s.ref.ordinal)


def _same_title(a: str, b: str) -> bool:
    if _fold(a) == _fold(b):
        return True
    x, y = match_agency(a), match_agency(b)
    return x is not None and y is not None and x.id == y.id


def _place(
    ind: Indicator, sec: SectionRef, part: PartRef, ident: str, ins: Instruction, *, keep_part: bool = False
) -> None:
    ind.section = sec
    if not keep_part:
        ind.part = part
    ind.id = ident
    ind.source = ind.source or ins.content_source


def _field_of(cols: Columns, idx: int) -> tuple[str | None, list[int]]:
    if idx == cols.name:
        return "name", []
    if idx == cols.unit:
        return "unit", []
    if idx == cols.formula:
        return "formula", []
    years = [y for y, c in cols.years if c == idx]
    if years:
        return "target", years
    years = sorted(y for y, c in cols.weights.items() if c == idx)
    if years:
        return "weight", years
    return None, []


def _texts(ind: Indicator, fld: str, years: list[int]) -> list[str]:
    if fld == "name":
        return [ind.name]
    if fld == "unit":
        return [ind.unit]
    if fld == "formula":
        return [ind.formula.text]
    out = []
    for y in years:
        v = ind.value(y)
        if v is not None:
            out.append(v.target_text if fld == "target" else v.weight_text)
    return out


def _set_texts(ind: Indicator, fld: str, years: list[int], change: Any, lang: str) -> None:
    if fld == "name":
        ind.name = nz.fix_yo(nz.fold_spaces(change(ind.name)), lang)
    elif fld == "unit":
        ind.unit = nz.fold_spaces(change(ind.unit))
        ind.unit_kind = nz.unit_kind(ind.unit)
    elif fld == "formula":
        text = change(ind.formula.text)
        ind.formula = Formula(nz.formula_kind(text), text)
        ind.criteria = [Criterion(t, w) for t, w in nz.parse_criteria(text)]
    else:
        for y in years:
            v = ind.value(y)
            if v is None:
                continue
            if fld == "target":
                v.target_text = nz.fold_spaces(change(v.target_text))
                v.target, v.target_kind = nz.parse_target(v.target_text)
            else:
                v.weight_text = nz.fold_spaces(change(v.weight_text))
                v.weight = nz.parse_weight(v.weight_text)


__all__ = [
    "Amendment",
    "AmendmentRefused",
    "Consolidation",
    "amend_file",
    "consolidate",
    "read_amending_file",
]
