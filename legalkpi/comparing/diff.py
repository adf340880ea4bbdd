"""What changed between two versions of a KPI act: indicators added, removed, changed, moved.

Sections are matched by identity first: each section resolves to a registry agency
(``data/agencies.json``), so Order 124's sector sections "10. Құрылыс", "11. Өнеркәсіп" and
"12. Геология…" all land in the group of Resolution 1157's "10. …Өнеркәсіп және құрылыс
министрлігі" (reported as a merge), whatever their numbers and wording. Inside a group,
indicators are paired by the similarity of their names (rapidfuzz ``token_set_ratio`` on
normalised names); each indicator is used at most once, best score first. Leftovers are then
paired across groups with a stricter threshold: those are the moves.

When the two sides are in different languages names cannot be compared; the pairs come from
the bilingual aligner (:mod:`legalkpi.comparing.align`) instead.

Only years printed in both acts are compared: Order 124 runs 2024–2026, Resolution 1157 2025–2026.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from legalkpi import markdown as md
from legalkpi.comparing.match import normalise_name
from legalkpi.errors import BadInput, LegalKpiError
from legalkpi.model import ActRecord, Indicator, PartRef, Section, SectionRef, YearValue

KINDS = ("added", "removed", "changed", "moved", "same")
SECTION_KINDS = ("same", "renamed", "merged", "split", "added", "removed")

# Thresholds on the 0–100 name score, chosen on Order 124 -> Resolution 1157 (Kazakh): rows
# carried over with reworded names score 66 and up (forest-fire systems: 66; "студент үшін
# ақша" -> "ақша студенттің соңынан ереді": 73); a dropped row scores at most 61 against the rows
# new in its section ("Tabigat" map -> the forest-and-fauna map, a different measure). Siblings in
# one act score higher (up to 93: "Автоматизация поставки нефти/газа с использованием ИИ"), but
# pairs are ranked against each other, so a sibling only wins when the true partner is gone.
# Moves across sections need near-equal names.
NAME_THRESHOLD = 65.0
MOVE_THRESHOLD = 90.0


@dataclass(frozen=True)
class Options:
    name_threshold: float = NAME_THRESHOLD  # least name score to pair two indicators of one section group
    move_threshold: float = MOVE_THRESHOLD  # least name score to pair indicators of different sections
    include_same: bool = False  # list unchanged pairs too (kind "same")


@dataclass
class FieldChange:
    field: str  # "name" | "unit" | "target" | "weight" | "formula_kind" | "formula" | "criteria"
    year: int | None
    old: Any
    new: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "year": self.year, "old": self.old, "new": self.new}


@dataclass
class Change:
    kind: str  # one of KINDS
    old: Indicator | None
    new: Indicator | None
    score: float | None
    fields: list[FieldChange] = field(default_factory=list)
    group: str = ""  # section group key of the side that stays (new, else old)

    def to_dict(self) -> dict[str, Any]:
        ind = self.new or self.old
        assert ind is not None
        return {
            "kind": self.kind,
            "old": self.old.id if self.old else None,
            "new": self.new.id if self.new else None,
            "score": None if self.score is None else round(self.score, 1),
            "name": ind.name,
            "section": {"old": _place(self.old), "new": _place(self.new)},
            "fields": [f.to_dict() for f in self.fields],
        }


@dataclass
class SectionChange:
    kind: str  # one of SECTION_KINDS
    group: str  # registry agency id, "general", or "title:<normalised title>"
    old: list[SectionRef]
    new: list[SectionRef]
    counts: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "group": self.group,
            "old": [_section_dict(s) for s in self.old],
            "new": [_section_dict(s) for s in self.new],
            "counts": self.counts,
        }


@dataclass
class Diff:
    old_key: str
    new_key: str
    years: list[int]  # the years compared: those both acts print
    method: str  # "names" | "aligner"
    options: Options
    changes: list[Change]
    sections: list[SectionChange]

    def listed(self) -> list[Change]:
        """The changes to show: without unchanged pairs unless asked for."""
        return [c for c in self.changes if c.kind != "same" or self.options.include_same]

    def summary(self) -> dict[str, int]:
        return {k: sum(1 for c in self.changes if c.kind == k) for k in KINDS}

    def has_any(self, kinds: Iterable[str]) -> bool:
        wanted = set(kinds)
        return any(c.kind in wanted for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "old": self.old_key,
            "new": self.new_key,
            "years": self.years,
            "method": self.method,
            "thresholds": {"name": self.options.name_threshold, "move": self.options.move_threshold},
            "summary": self.summary(),
            "changes": [c.to_dict() for c in self.listed()],
            "sections": [s.to_dict() for s in self.sections],
        }


def _place(ind: Indicator | None) -> dict[str, Any] | None:
    if ind is None:
        return None
    s, p = ind.section, ind.part
    return {
        "ordinal": s.ordinal,
        "title": s.title,
        "part": p.ordinal,
        "part_title": p.title,
        "number": ind.number,
    }


def _section_dict(s: SectionRef) -> dict[str, Any]:
    return {"ordinal": s.ordinal, "title": s.title, "agency": s.agency_id}


# ---- normalisation and scores -------------------------------------------------------------

_QUOTES = str.maketrans(
    {"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "'": '"', "–": "-", "—": "-", "−": "-"}
)


def _canon(text: str) -> str:
    """Text equality up to spacing, letter case and quote/dash style.

    Renditions of one act differ in exactly these (a PDF splits "ақпараттанды ру", writes
    '" КеАҚ' for '"КеАҚ'); they are not amendments and must not show up as changes.
    """
    return "".join(text.translate(_QUOTES).lower().replace("ё", "е").split()).rstrip(".;")


def name_score(a: str, b: str) -> float:
    """The 0–100 name score of one pair (the matcher scores whole sections in bulk)."""
    from legalkpi.comparing.match import name_matrix

    return float(name_matrix([a], [b])[0][0, 0])


# ---- section groups -----------------------------------------------------------------------


def section_group(ref: SectionRef) -> str:
    """The identity of a section across acts and languages: its registry agency.

    The general block (ordinal 0) is one group; a section whose title names no registry
    agency or direction keeps its own normalised title.
    """
    if ref.ordinal == 0:
        return "general"
    if ref.agency_id:
        return ref.agency_id
    return _group_of_title(ref.title)


@lru_cache(maxsize=512)
def _group_of_title(title: str) -> str:
    """Sections rebuilt from reports or catalogues carry only a title: match it to the registry."""
    from legalkpi.reading.agencies import match_agency, match_direction

    entry = match_agency(title)
    if entry is not None:
        return entry.id
    direction = match_direction(title)
    if direction is not None:
        return direction[0].id
    return "title:" + normalise_name(title)


def _sections_of(record: ActRecord) -> list[Section]:
    """The record's sections; for records rebuilt from a catalogue, the ones its indicators name."""
    if record.sections:
        return record.sections
    seen: dict[tuple[int, str], Section] = {}
    for i in record.indicators:
        key = (i.section.ordinal, i.section.title)
        sec = seen.setdefault(key, Section(ref=i.section, parts=[]))
        if all(p.ordinal != i.part.ordinal for p in sec.parts):
            sec.parts.append(i.part)
    return list(seen.values())


def _section_key(ref: SectionRef) -> tuple[int, str]:
    return (ref.ordinal, ref.title)


# ---- field comparison ---------------------------------------------------------------------


def _unit_differs(old: Indicator, new: Indicator, same_lang: bool) -> bool:
    """Units differ in kind; "бірл." and "бірлік", "ед." and "единиц" are one unit spelt two ways."""
    if old.unit_kind != new.unit_kind:
        return True
    return same_lang and old.unit_kind in ("other",) and _canon(old.unit) != _canon(new.unit)


def _target_key(v: YearValue | None) -> tuple[Any, ...]:
    if v is None:
        return ("absent",)
    if v.target_kind == "none":
        return ("none",)
    if v.target is None:
        return (v.target_kind, _canon(v.target_text))
    return (v.target_kind, v.target)


def _target_text(v: YearValue | None) -> str | None:
    return None if v is None else v.target_text


def compare_fields(old: Indicator, new: Indicator, years: list[int], same_lang: bool) -> list[FieldChange]:
    """The fields that differ between two paired indicators, in a fixed order.

    Across languages the wording cannot be compared: only the unit's kind, the numbers and the
    formula's kind are.
    """
    out: list[FieldChange] = []
    if same_lang and _canon(old.name) != _canon(new.name):
        out.append(FieldChange("name", None, old.name, new.name))
    if _unit_differs(old, new, same_lang):
        out.append(FieldChange("unit", None, old.unit, new.unit))
    for y in years:
        ov, nv = old.value(y), new.value(y)
        if _target_key(ov) != _target_key(nv):
            out.append(FieldChange("target", y, _target_text(ov), _target_text(nv)))
        ow, nw = (ov.weight if ov else None), (nv.weight if nv else None)
        if ow != nw:
            out.append(FieldChange("weight", y, ow, nw))
    if old.formula.kind != new.formula.kind:
        out.append(FieldChange("formula_kind", None, old.formula.kind, new.formula.kind))
    elif (
        same_lang
        and "missing" not in (old.formula.kind, new.formula.kind)
        and _canon(old.formula.text) != _canon(new.formula.text)
    ):
        out.append(FieldChange("formula", None, old.formula.text, new.formula.text))
    ow_c, nw_c = [c.weight for c in old.criteria], [c.weight for c in new.criteria]
    if ow_c != nw_c:
        out.append(FieldChange("criteria", None, ow_c, nw_c))
    return out


# ---- pairing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    old: int  # index into the old indicators
    new: int
    score: float


def _pair_by_names(
    old: list[Indicator], new: list[Indicator], old_idx: list[int], new_idx: list[int], threshold: float
) -> list[Pair]:
    """The names of one group scored in bulk (rapidfuzz ``cdist``), paired by assignment (:mod:`legalkpi.comparing.match`)."""
    from legalkpi.comparing.match import match_names

    found = match_names([old[o].name for o in old_idx], [new[n].name for n in new_idx], threshold)
    return [Pair(old_idx[i], new_idx[j], score) for i, j, score in found]


def pair_by_names(old: ActRecord, new: ActRecord, options: Options) -> list[Pair]:
    """Pairs inside each section group first, then across groups for what is left."""
    og = [section_group(i.section) for i in old.indicators]
    ng = [section_group(i.section) for i in new.indicators]
    pairs: list[Pair] = []
    for g in dict.fromkeys(og):
        oi = [k for k, x in enumerate(og) if x == g]
        ni = [k for k, x in enumerate(ng) if x == g]
        pairs += _pair_by_names(old.indicators, new.indicators, oi, ni, options.name_threshold)
    used_o, used_n = {p.old for p in pairs}, {p.new for p in pairs}
    left_o = [k for k in range(len(og)) if k not in used_o]
    left_n = [k for k in range(len(ng)) if k not in used_n]
    moves = _pair_by_names(old.indicators, new.indicators, left_o, left_n, options.move_threshold)
    return pairs + [m for m in moves if og[m.old] != ng[m.new]]


def pair_by_aligner(old: ActRecord, new: ActRecord) -> list[Pair]:
    """Pairs across languages, from the bilingual aligner."""
    try:
        from legalkpi.comparing.align import align_records
    except ImportError:
        raise LegalKpiError(
            f"comparing a {old.act.lang} act with a {new.act.lang} act needs the bilingual aligner "
            "(legalkpi.comparing.align), which is not available; compare two texts in one language",
            file=new.file or None,
        ) from None
    ru, kk = (old, new) if old.act.lang == "ru" else (new, old)
    alignment = align_records(ru, kk, check_labels=False, pairs_only=True)
    o_at = {i.id: k for k, i in enumerate(old.indicators)}
    n_at = {i.id: k for k, i in enumerate(new.indicators)}
    pairs = []
    for p in alignment.pairs:
        o_id, n_id = (p.ru_id, p.kk_id) if old is ru else (p.kk_id, p.ru_id)
        if o_id in o_at and n_id in n_at:
            pairs.append(Pair(o_at[o_id], n_at[n_id], float(p.score)))
    return pairs


# ---- the diff -----------------------------------------------------------------------------


def diff_records(
    old: ActRecord,
    new: ActRecord,
    *,
    name_threshold: float = NAME_THRESHOLD,
    move_threshold: float = MOVE_THRESHOLD,
    include_same: bool = False,
) -> Diff:
    """Compare the indicators of two acts (or two editions of one act)."""
    options = Options(name_threshold, move_threshold, include_same)
    for label, t in (("name", name_threshold), ("move", move_threshold)):
        if not 0 <= t <= 100:
            raise BadInput(f"{label} threshold must be between 0 and 100, not {t:g}")
    same_lang = old.act.lang == new.act.lang
    pairs = pair_by_names(old, new, options) if same_lang else pair_by_aligner(old, new)
    years = sorted(set(_years(old)) & set(_years(new)))
    sections = _section_changes(old, new, same_lang)
    changes = _changes(old, new, pairs, years, same_lang, sections)
    _count(sections, changes)
    return Diff(_key(old), _key(new), years, "names" if same_lang else "aligner", options, changes, sections)


def _key(record: ActRecord) -> str:
    return record.act.ref.key if record.act.number else (record.file or "?")


def _years(record: ActRecord) -> list[int]:
    return record.years or sorted({v.year for i in record.indicators for v in i.values})


def _changes(
    old: ActRecord,
    new: ActRecord,
    pairs: list[Pair],
    years: list[int],
    same_lang: bool,
    sections: list[SectionChange],
) -> list[Change]:
    one_to_one = {s.group for s in sections if len(s.old) == 1 and len(s.new) == 1}
    multipart = _multipart_groups(old) & _multipart_groups(new)
    out: list[Change] = []
    crossed = _crossed(old, new, pairs)
    for p in pairs:
        o, n = old.indicators[p.old], new.indicators[p.new]
        og, ng = section_group(o.section), section_group(n.section)
        fields = compare_fields(o, n, years, same_lang)
        if (p.old, p.new) in crossed:
            fields.append(FieldChange("order", None, *crossed[(p.old, p.new)]))
        moved = og != ng or (
            ng in one_to_one and ng in multipart and not _same_part(o.part, n.part, same_lang)
        )
        kind = "moved" if moved else ("changed" if fields else "same")
        out.append(Change(kind, o, n, p.score, fields, ng))
    paired_o, paired_n = {p.old for p in pairs}, {p.new for p in pairs}
    out += [
        Change("removed", i, None, None, [], section_group(i.section))
        for k, i in enumerate(old.indicators)
        if k not in paired_o
    ]
    out += [
        Change("added", None, i, None, [], section_group(i.section))
        for k, i in enumerate(new.indicators)
        if k not in paired_n
    ]
    order = {s.group: k for k, s in enumerate(sections)}

    def sort_key(c: Change) -> tuple[int, int, int]:
        # Group order, then the new act's order; a removed row sits where it stood in the old act.
        side = 0 if c.new is not None else 1
        row = c.new.row if c.new is not None else c.old.row if c.old is not None else 0
        return (order.get(c.group, len(order)), side, row)

    return sorted(out, key=sort_key)


def _crossed(old: ActRecord, new: ActRecord, pairs: list[Pair]) -> dict[tuple[int, int], tuple[int, int]]:
    """Pairs of one section group that break its order (off the longest in-order chain), with the
    row's position in the group on each side (1-based): one ``order`` change per reordered row."""
    from legalkpi.comparing.match import in_order

    og = [section_group(i.section) for i in old.indicators]
    ng = [section_group(i.section) for i in new.indicators]
    by_group: dict[str, list[tuple[int, int]]] = {}
    for p in pairs:
        if og[p.old] == ng[p.new]:
            by_group.setdefault(og[p.old], []).append((p.old, p.new))
    out = {}
    for g, group in by_group.items():
        o_rank = {k: r for r, k in enumerate(k for k, x in enumerate(og) if x == g)}
        n_rank = {k: r for r, k in enumerate(k for k, x in enumerate(ng) if x == g)}
        chain = in_order(group)
        out.update({(a, b): (o_rank[a] + 1, n_rank[b] + 1) for a, b in group if (a, b) not in chain})
    return out


def _multipart_groups(record: ActRecord) -> set[str]:
    """Groups whose section is cut into parts ("(строительство)", "(промышленность)")."""
    return {section_group(s.ref) for s in _sections_of(record) if len(s.parts) > 1}


def _same_part(a: PartRef, b: PartRef, same_lang: bool) -> bool:
    return a.ordinal == b.ordinal if not same_lang else _canon(a.title) == _canon(b.title)


def _section_changes(old: ActRecord, new: ActRecord, same_lang: bool) -> list[SectionChange]:
    """How sections map: by group, in the old act's order, then the new act's new groups."""
    olds: dict[str, list[SectionRef]] = {}
    news: dict[str, list[SectionRef]] = {}
    for target, record in ((olds, old), (news, new)):
        seen: set[tuple[int, str]] = set()
        for s in _sections_of(record):
            if _section_key(s.ref) not in seen:
                seen.add(_section_key(s.ref))
                target.setdefault(section_group(s.ref), []).append(s.ref)
    out = []
    for g in dict.fromkeys([*olds, *news]):
        o, n = olds.get(g, []), news.get(g, [])
        out.append(SectionChange(_section_kind(o, n, same_lang), g, o, n))
    return out


def _section_kind(old: list[SectionRef], new: list[SectionRef], same_lang: bool) -> str:
    if not old:
        return "added"
    if not new:
        return "removed"
    if len(old) > 1:
        return "merged"
    if len(new) > 1:
        return "split"
    return "same" if _title_identity(old[0], same_lang) == _title_identity(new[0], same_lang) else "renamed"


def _title_identity(ref: SectionRef, same_lang: bool) -> str:
    """What a title names. In one language the title itself; across languages what the registry
    says it is: a ministry by its full name, or a sector direction such as "Ауыл шаруашылығы"."""
    if same_lang:
        return f"{ref.ordinal}:{_canon(ref.title)}"
    if ref.ordinal == 0:
        return "general"
    from rapidfuzz import fuzz

    from legalkpi.reading.agencies import registry

    title = normalise_name(ref.title)
    for a in registry():
        if any(fuzz.ratio(title, normalise_name(n)) >= 85 for n in (a.ru, a.kk)):
            return f"agency:{a.id}"
        for d in a.directions:
            if any(fuzz.ratio(title, normalise_name(n)) >= 85 for n in (d.ru, d.kk)):
                return f"direction:{d.id}"
    return f"title:{ref.ordinal}"


def _count(sections: list[SectionChange], changes: list[Change]) -> None:
    """Per section group: indicators kept as they were, changed, moved in or out, added, removed."""
    for s in sections:
        s.counts = {k: 0 for k in ("same", "changed", "moved_in", "moved_out", "added", "removed")}
    by_group = {s.group: s for s in sections}
    for c in changes:
        if c.kind == "moved":
            assert c.old is not None and c.new is not None
            src, dst = section_group(c.old.section), section_group(c.new.section)
            if src in by_group:
                by_group[src].counts["moved_out"] += 1
            if dst in by_group:
                by_group[dst].counts["moved_in"] += 1
        elif c.group in by_group:
            by_group[c.group].counts[c.kind] += 1


# ---- catalogue versions as records --------------------------------------------------------


def record_of_version(version: Any) -> ActRecord:
    """A catalogue :class:`legalkpi.catalogue.catalog.Version` as a record ``diff_records`` can take."""
    return ActRecord(
        act=version.act, agencies=[], sections=[], indicators=list(version.indicators), file=version.file
    )


def record_from_catalog(data: dict[str, Any], key: str, file: str = "") -> ActRecord:
    """The version ``key`` of a catalogue JSON (``legalkpi.catalogue.catalog.to_dict``) as a record."""
    from legalkpi.model import Act, Criterion, Formula

    version = next((v for v in data.get("versions", []) if v.get("key") == key), None)
    if version is None:
        known = ", ".join(v.get("key", "?") for v in data.get("versions", []))
        raise BadInput(f"no version {key!r} in the catalogue (it has: {known})", file=file or None)
    a = version["act"]
    act = Act(
        kind=a["kind"],
        number=a["number"],
        date=a["date"],
        lang=a["lang"],
        title=a["title"],
        edition=a.get("edition", ""),
    )
    refs: dict[tuple[int, str], SectionRef] = {}
    indicators = []
    for row, d in enumerate(version["indicators"]):
        s = d["section"]
        sref = refs.setdefault(
            (s["ordinal"], s["title"]), SectionRef(s["ordinal"], s["title"], agency_id=s.get("agency"))
        )
        indicators.append(
            Indicator(
                id=d["id"],
                section=sref,
                part=PartRef(d["part"]["ordinal"], d["part"]["title"]),
                number=d["number"],
                name=d["name"],
                unit=d["unit"],
                unit_kind=d["unit_kind"],
                values=[
                    YearValue(
                        v["year"], v["target"], v["target_text"], v["weight"], target_kind=v["target_kind"]
                    )
                    for v in d["values"]
                ],
                formula=Formula(d["formula"]["kind"], d["formula"]["text"]),
                criteria=[Criterion(c["text"], c["weight"]) for c in d.get("criteria", [])],
                row=row,
            )
        )
    return ActRecord(act=act, agencies=[], sections=[], indicators=indicators, file=version.get("file", ""))


# ---- Markdown -----------------------------------------------------------------------------


def word_changes(old: str, new: str) -> list[tuple[str, str]]:
    """Old → new text as runs of words: ("same" | "del" | "ins", text)."""
    import difflib

    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append(("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(("del", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("ins", " ".join(b[j1:j2])))
    return out


# How each output marks removed and inserted words (text already escaped for that output).
MARKS = {
    "plain": ("[-{}-]", "{{+{}+}}"),
    "markdown": ("~~{}~~", "**{}**"),
    "rich": ("[red]\\[-{}-][/red]", "[green]{{+{}+}}[/green]"),  # visible without colour too
}


def marked_words(old: str, new: str, style: str = "plain") -> str:
    """The new text with removed words struck and inserted words marked, escaped for ``style``."""

    esc = _escaper(style)
    dele, ins = MARKS[style]
    parts = []
    for op, text in word_changes(old, new):
        t = esc(text)
        parts.append(t if op == "same" else (dele if op == "del" else ins).format(t))
    return " ".join(parts)


def _escaper(style: str) -> Callable[[str], str]:
    from legalkpi import markdown, terminal

    table: dict[str, Callable[[str], str]] = {"plain": str, "markdown": markdown.escape, "rich": terminal.markup}
    return table[style]


def describe_fields(fields: list[FieldChange], style: str = "plain") -> str:
    """'target 2025: 99,62 → 99,74; weight 2026: 10 % → 5 %; name: <old → new, changed words marked>'.

    ``plain`` text is to be escaped by the caller; ``markdown`` and ``rich`` come escaped.
    """

    esc = _escaper(style)
    parts = []
    for f in fields:
        label = f"{f.field} {f.year}" if f.year is not None else f.field
        if f.field in ("name", "formula"):
            parts.append(f"{label}: {marked_words(str(f.old), str(f.new), style)}")
        elif f.field == "weight":
            parts.append(esc(f"{label}: {_show_weight(f.old)} → {_show_weight(f.new)}"))
        else:
            parts.append(esc(f"{label}: {_show(f.old)} → {_show(f.new)}"))
    return "; ".join(parts)


def _show_weight(x: Any) -> str:
    return "—" if x is None else f"{_show(x)} %"


def _show(x: Any) -> str:
    """A value as printed: decimal comma, no Python reprs."""
    if x is None:
        return "—"
    if isinstance(x, float):
        return str(int(x)) if x.is_integer() else f"{x:g}".replace(".", ",")
    if isinstance(x, list):
        return "/".join(_show(v) for v in x)
    return str(x)


def section_label(refs: list[SectionRef]) -> str:
    return " + ".join(f"{r.ordinal}. {r.title}" if r.ordinal else (r.title or "general") for r in refs) or "—"


def to_markdown(diff: Diff) -> str:
    """A pull-request comment: counts, then a table per section group. Document text is escaped."""
    summary = diff.summary()
    out = [
        f"### KPI changes {md.code(diff.old_key)} → {md.code(diff.new_key)}",
        "",
        f"Years compared: {', '.join(map(str, diff.years)) or 'none in common'}; matched by {diff.method}"
        + (
            f" (name score ≥ {diff.options.name_threshold:g}, moves ≥ {diff.options.move_threshold:g})"
            if diff.method == "names"
            else ""
        )
        + ".",
        "",
        md.table(list(KINDS), [[str(summary[k]) for k in KINDS]]),
    ]
    listed = diff.listed()
    hidden = 0
    for s in diff.sections:
        rows = [c for c in listed if c.group == s.group]
        if not rows and s.kind == "same" and not diff.options.include_same:
            hidden += 1
            continue
        title = f"{md.escape(md.shorten(section_label(s.old), 90))} → {md.escape(md.shorten(section_label(s.new), 90))}"
        counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in s.counts.items() if v)
        out += ["", f"#### {title} ({s.kind}{'; ' + counts if counts else ''})"]
        if rows:
            out += [
                "",
                md.table(["change", "old", "new", "score", "indicator", "what"], [_md_row(c) for c in rows]),
            ]
    if hidden:
        out += ["", f"{hidden} unchanged sections not shown (`--all` shows them)."]
    return "\n".join(out) + "\n"


def _md_row(c: Change) -> list[str]:
    ind = c.new or c.old
    assert ind is not None
    what = describe_fields(c.fields, "markdown")
    if c.kind == "moved" and c.old is not None:
        where = md.escape(md.shorten(f"from {section_label([c.old.section])}", 120))
        what = where + (f"; {what}" if what else "")
    return [
        c.kind,
        md.code(c.old.id) if c.old else "",
        md.code(c.new.id) if c.new else "",
        "" if c.score is None else f"{c.score:.0f}",
        md.escape(md.shorten(ind.name)),
        what,
    ]
