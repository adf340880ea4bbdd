"""The lineage of acts: which act amended, re-edited or repealed which, and when.

Built from the acts themselves (their change notes and repeal lists, see
:mod:`legalkpi.reading.notes`), never from a hand-made list. An act node is the work (kind + number,
``kz/order/124``): the Russian "124-р" and the Kazakh "124-ө" are one node, and so are the
corpus texts of one act in two languages or editions. Acts named by a relation but absent
from the corpus are nodes too, marked ``present: false`` with what the citing text says.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from legalkpi.catalogue.corpus import NOT_ACTS, Entry, Manifest, verify
from legalkpi.errors import DEFAULT_LIMITS, BadInput, Limits
from legalkpi.model import Act, ActRef, Notice, base_number
from legalkpi.provenance import Source
from legalkpi.reading.notes import Change, read_changes
from legalkpi.reading.structure import act_from_text
from parsers import read_document
from parsers.grid import Document

RELATION_TYPES = ("amends", "new_edition", "repeals")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class CorpusText:
    """One corpus file holding an act: its language and edition ("" = original text)."""

    file: str
    lang: str
    edition: str
    ref: str  # the catalogue identity, ``kz/order/124@2024-10-24/kk``

    def to_dict(self) -> dict[str, str]:
        return {"file": self.file, "lang": self.lang, "edition": self.edition, "ref": self.ref}


@dataclass
class ActNode:
    key: str  # kz/<kind>/<number>
    kind: str
    number: str  # language-neutral: "124"
    date: str = ""
    numbers: dict[str, set[str]] = field(default_factory=dict)  # lang -> numbers as printed
    titles: dict[str, str] = field(default_factory=dict)  # lang -> title
    texts: list[CorpusText] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.texts)

    @property
    def title(self) -> str:
        return self.titles.get("ru") or self.titles.get("kk", "")

    def label(self) -> str:
        """Every printed number, Russian first: ``124-р / 124-ө``."""
        printed = [n for lang in ("ru", "kk") for n in sorted(self.numbers.get(lang, ()))]
        return " / ".join(dict.fromkeys(printed)) or self.number

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "kind": self.kind,
            "number": self.number,
            "numbers": {lang: sorted(v) for lang, v in sorted(self.numbers.items())},
            "date": self.date,
            "title": self.title,
            "titles": dict(sorted(self.titles.items())),
            "present": self.present,
            "files": [t.to_dict() for t in self.texts],
        }


@dataclass
class Relation:
    source_key: str  # the acting act ("from")
    target_key: str  # the act changed ("to")
    type: str  # "amends" | "new_edition" | "repeals"
    date: str
    part: str  # "" = the whole act
    part_title: str = ""
    sources: list[Source] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def whole(self) -> bool:
        return not self.part

    def sort_key(self) -> tuple[str, str, str, str, str]:
        return (self.date, self.target_key, self.source_key, self.type, self.part)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "from": self.source_key,
            "to": self.target_key,
            "type": self.type,
            "date": self.date,
            "part": self.part,
        }
        if self.part_title:
            d["part_title"] = self.part_title
        d["source"] = self.sources[0].to_dict() if self.sources else None
        d["sources"] = [s.to_dict() for s in self.sources]
        d["text"] = self.texts
        return d


@dataclass
class ActState:
    """An act on a given date: the edition then in force and the corpus texts that hold it."""

    act: ActNode
    edition: str  # date of the last change in force, "" for the original text
    amended_by: list[str]
    repealed_parts: list[str]

    @property
    def texts_of_edition(self) -> list[CorpusText]:
        return [t for t in self.act.texts if t.edition == self.edition]

    def describe(self) -> str:
        if not self.amended_by:
            return "original text"
        return f"as amended by {', '.join(self.amended_by)} (edition {self.edition})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.act.key,
            "number": self.act.label(),
            "date": self.act.date,
            "title": self.act.title,
            "present": self.act.present,
            "edition": self.edition,
            "amended_by": self.amended_by,
            "repealed_parts": self.repealed_parts,
            "texts": [{**t.to_dict(), "matches_edition": t.edition == self.edition} for t in self.act.texts],
        }


@dataclass(frozen=True)
class Event:
    date: str
    act: str
    event: str  # "adopted" | "amends" | "new_edition" | "repeals"
    by: str
    part: str
    part_title: str = ""

    def to_dict(self) -> dict[str, str]:
        return {
            "date": self.date,
            "act": self.act,
            "event": self.event,
            "by": self.by,
            "part": self.part,
            "part_title": self.part_title,
        }


@dataclass
class Lineage:
    acts: list[ActNode]
    relations: list[Relation]
    warnings: list[Notice] = field(default_factory=list)

    def act(self, key: str) -> ActNode | None:
        return next((a for a in self.acts if a.key == key), None)

    def relations_to(self, key: str) -> list[Relation]:
        return [r for r in self.relations if r.target_key == key]

    def in_force(self, date: str) -> list[ActState]:
        """Acts adopted on or before ``date`` and not repealed as a whole by then, each with
        the edition in force: the latest amendment, new edition or partial repeal dated on or
        before ``date``. Dates are adoption dates (see the module's gaps in the report)."""
        out: list[ActState] = []
        for act in self.acts:
            if not act.date or act.date > date:
                continue
            earlier = [r for r in self.relations_to(act.key) if r.date <= date]
            if any(r.type == "repeals" and r.whole for r in earlier):
                continue
            changes = sorted(earlier, key=Relation.sort_key)
            amended_by = list(dict.fromkeys(r.source_key for r in changes))
            out.append(
                ActState(
                    act=act,
                    edition=max((r.date for r in changes), default=""),
                    amended_by=amended_by,
                    repealed_parts=[r.part for r in changes if r.type == "repeals"],
                )
            )
        return out

    def timeline(self) -> list[Event]:
        """Adoptions and relations, by date then act key; adoption first on a shared date."""
        events = [Event(a.date, a.key, "adopted", "", "") for a in self.acts if a.date]
        events += [
            Event(r.date, r.target_key, r.type, r.source_key, r.part, r.part_title) for r in self.relations
        ]
        rank = {"adopted": 0, "amends": 1, "new_edition": 1, "repeals": 2}
        return sorted(events, key=lambda e: (e.date, e.act, rank[e.event], e.by, e.part, e.part_title))

    def to_dict(self) -> dict[str, Any]:
        return {
            "acts": [a.to_dict() for a in self.acts],
            "relations": [r.to_dict() for r in self.relations],
            "warnings": [w.to_dict() for w in self.warnings],
        }


class _Builder:
    def __init__(self) -> None:
        self.nodes: dict[str, ActNode] = {}
        self.relations: dict[tuple[str, str, str, str, str], Relation] = {}
        self.warnings: list[Notice] = []
        self.by_file: dict[str, dict[int, Relation]] = {}  # source file -> the relations it is a source of

    def node(self, kind: str, number: str, date: str, lang: str, source: Source | None) -> ActNode:
        key = f"kz/{kind}/{base_number(number)}"
        n = self.nodes.setdefault(key, ActNode(key=key, kind=kind, number=base_number(number)))
        n.numbers.setdefault(lang, set()).add(number)
        if date and not n.date:
            n.date = date
        elif date and date != n.date:
            self.warnings.append(Notice("date-conflict", f"{key} is dated {n.date} and {date}", source))
        return n

    def relate(self, src: str, dst: str, rel: str, date: str, change: Change) -> None:
        k = (src, dst, rel, change.part, change.part_title)
        r = self.relations.setdefault(k, Relation(src, dst, rel, date, change.part, change.part_title))
        if date != r.date:
            self.warnings.append(
                Notice("date-conflict", f"{src} {rel} {dst}: dated {r.date} and {date}", change.source)
            )
        r.sources.append(change.source)
        self.by_file.setdefault(change.source.file, {})[id(r)] = r
        r.texts.append(change.text)

    def add_document(self, entry: Entry, ref: ActRef, doc_changes: list[Change], source: Source) -> None:
        own = self.node(entry.kind, entry.number, entry.date, entry.lang, source)
        own.titles.setdefault(entry.lang, entry.title)
        own.texts.append(CorpusText(source.file, entry.lang, entry.edition, ref.key))
        for c in doc_changes:
            if c.by is not None:  # a note: the cited act changed this one
                by = self.node(c.by.kind, c.by.number, c.by.date, c.by.lang, c.source)
                self.relate(by.key, own.key, c.type, c.by.date, c)
            elif c.target is not None:  # a repeal list: this act repeals the cited one
                tgt = self.node(c.target.kind, c.target.number, c.target.date, c.target.lang, c.source)
                if c.target_title:
                    tgt.titles.setdefault(c.target.lang, c.target_title)
                self.relate(own.key, tgt.key, c.type, entry.date, c)

    def amended(self, entry: Entry, source: Source) -> None:
        """An amending act of the corpus (``legalkpi add``) amends the act its manifest entry names."""
        x = entry.extra
        own = self.node(entry.kind, entry.number, entry.date, entry.lang, source)
        tgt = self.node(x["amends_kind"], x["amends_number"], x.get("amends_date", ""), entry.lang, source)
        change = Change("amends", None, None, "", "", source, entry.title, "amending-act")
        self.relate(own.key, tgt.key, "amends", entry.date, change)

    def check_edition(self, entry: Entry, key: str, file: str) -> None:
        """The manifest's edition of a consolidated text must be the date of its last change."""
        # a repeal of the whole act ends its force; it makes no new edition of the text
        dates = [
            r.date
            for r in self.by_file.get(file, {}).values()  # the relations with a source in this file
            if r.target_key == key and not (r.type == "repeals" and r.whole)
        ]
        last = max(dates, default="")
        if entry.edition and last and last != entry.edition:
            self.warnings.append(
                Notice(
                    "edition-mismatch",
                    f"manifest edition {entry.edition}, last change in the text {last}",
                    Source(file),
                )
            )

    def lineage(self) -> Lineage:
        for r in self.relations.values():
            r.sources.sort(key=lambda s: (s.file, s.first_line or 0))
        acts = sorted(self.nodes.values(), key=lambda a: (a.date or "9999", a.key))
        rels = sorted(self.relations.values(), key=Relation.sort_key)
        return Lineage(acts=acts, relations=rels, warnings=self.warnings)


@dataclass
class DocumentFacts:
    """What lineage needs from one read document: the act its text names and its change notes."""

    found: Act | None
    changes: list[Change]


def document_facts(doc: Document) -> DocumentFacts:
    return DocumentFacts(act_from_text(doc), read_changes(doc))


def build_lineage(
    manifest: Manifest, *, limits: Limits = DEFAULT_LIMITS, facts: Mapping[str, DocumentFacts] | None = None
) -> Lineage:
    """Read every act of the manifest (after checking its hash) and link the acts.

    ``facts`` (by manifest file name) are used instead of reading again when the caller has read
    the documents already (``catalog.build`` reads each document once)."""
    b = _Builder()
    for entry in manifest.entries:
        if entry.content in NOT_ACTS:
            continue
        name = f"{manifest.root.name}/{entry.file}"
        got = facts.get(entry.file) if facts is not None else None
        if got is None:
            path = verify(manifest, entry)
            got = document_facts(read_document(path, limits=limits, display_name=name))
        ref = entry.act().ref
        found = got.found
        if found is None:
            b.warnings.append(Notice("no-act-header", "the text names no act of its own", Source(name)))
        elif (found.kind, base_number(found.number), found.date) != (
            entry.kind,
            base_number(entry.number),
            entry.date,
        ):
            b.warnings.append(
                Notice(
                    "act-header-mismatch",
                    f"text says {found.kind} {found.number} of {found.date}, manifest {entry.kind} {entry.number} of {entry.date}",
                    found.source,
                )
            )
        b.add_document(entry, ref, got.changes, Source(name))
        if entry.content == "amending" and entry.extra.get("amends"):
            b.amended(entry, Source(name))
        b.check_edition(entry, ref.work, name)
    return b.lineage()


def check_date(text: str, *, place: str = "--as-of") -> str:
    """A YYYY-MM-DD date, or BadInput naming the value."""
    try:
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise BadInput(f"not a date (want YYYY-MM-DD): {text!r}", place=place) from None


def table_rows(lineage: dict[str, Any], versions: set[str] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """The lineage graph (``Lineage.to_dict()``) as rows of the catalogue's tables: (table name, column
    values) of its acts, then its corpus texts, then its relations; ``versions`` (catalogue keys) links
    corpus texts to their version. The tables are declared in :mod:`legalkpi.catalogue.tables`."""
    acts: list[tuple[str, dict[str, Any]]] = []
    texts: list[tuple[str, dict[str, Any]]] = []
    relations: list[tuple[str, dict[str, Any]]] = []
    keys: set[str] = set()
    for act in lineage.get("acts", []):
        key = str(act.get("key"))
        keys.add(key)
        numbers = act.get("numbers") or {}
        titles = act.get("titles") or {}
        acts.append(("lineage_act", dict(
            key=key, kind=str(act.get("kind", "")), number=str(act.get("number", "")),
            numbers_ru="; ".join(numbers.get("ru", [])), numbers_kk="; ".join(numbers.get("kk", [])),
            date=str(act.get("date") or ""), title=str(act.get("title") or ""), title_ru=str(titles.get("ru", "")),
            title_kk=str(titles.get("kk", "")), present=bool(act.get("present")),
        )))  # fmt: skip
        for t in act.get("files", []):
            ref = str(t.get("ref", ""))
            texts.append(("lineage_text", dict(
                act=key, file=str(t.get("file", "")), lang=str(t.get("lang", "")), edition=str(t.get("edition", "")),
                ref=ref, version=ref if versions is not None and ref in versions else None,
            )))  # fmt: skip
    for k, r in enumerate(lineage.get("relations", [])):
        for end in (str(r.get("from")), str(r.get("to"))):  # an act named only by a relation still gets its row
            if end not in keys:
                keys.add(end)
                parts = end.split("/")
                acts.append(("lineage_act", dict(
                    key=end, kind=parts[1] if len(parts) > 2 else "", number=parts[-1], numbers_ru="", numbers_kk="",
                    date="", title="", title_ru="", title_kk="", present=False,
                )))  # fmt: skip
        src = r.get("source") or {}
        lines = src.get("lines") or []
        relations.append(("lineage_relation", dict(
            position=k, from_act=str(r.get("from")), to_act=str(r.get("to")), type=str(r.get("type")),
            date=str(r.get("date") or ""), part=str(r.get("part") or ""), part_title=str(r.get("part_title") or ""),
            source_file=str(src.get("file", "")), first_line=lines[0] if lines else None,
            last_line=lines[-1] if lines else None,
        )))  # fmt: skip
    return acts + texts + relations
