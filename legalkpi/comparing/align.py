"""Pair the Russian and Kazakh texts of one act, indicator by indicator, and report every difference.

Position alone is not enough: the numbering is wrong in places, and rows may stand in another
order. Sections are paired by agency identity (the bilingual registry); inside a section the rows
are paired by :mod:`legalkpi.comparing.match` — in order where the order holds, by content (an assignment on
the evidence score) for rows that crossed or moved. The evidence is what both texts share:
numbers, units, values, Latin names and abbreviations through a glossary learned from the acts
themselves. Each pair keeps its score and evidence; each finding (the shared
:class:`legalkpi.findings.Finding`) names both values as printed, both source places, and a
severity: ``error`` for what changes what is measured, ``minor`` for notation only.

Labels are checked, not trusted: each text's language is read from the text (the arguments are
swapped, with a note, when the Russian one is Kazakh), and two different acts get a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from legalkpi.comparing import glossary as gl
from legalkpi.comparing import match as mt
from legalkpi.errors import BadInput
from legalkpi.findings import Finding, at_least
from legalkpi.model import ActRecord, Indicator, YearValue
from legalkpi.reading import language

GAP = mt.GAP
MIN_PAIR_SCORE = mt.MIN_PAIR_SCORE

# Severity of each kind of difference: "error" changes what is measured; "minor" is notation.
SEVERITY = {
    "target": "error", "weight": "error", "unit": "error", "formula_kind": "error", "criteria": "error",
    "missing": "error", "shift": "error", "numbering": "warning", "order": "warning",
    "target-notation": "minor", "weight-notation": "minor",
}  # fmt: skip


@dataclass
class Pair:
    ru_id: str
    kk_id: str
    score: float
    evidence: list[str]
    notes: list[str] = field(default_factory=list)  # what extraction mended in either row


@dataclass
class Alignment:
    ru: ActRecord
    kk: ActRecord
    pairs: list[Pair] = field(default_factory=list)
    unpaired: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    glossary: gl.Glossary = field(default_factory=gl.Glossary)
    notes: list[str] = field(default_factory=list)  # swapped arguments, different acts, undetectable language
    languages: dict[str, str | None] = field(default_factory=dict)  # detected from each text

    def shown(self, min_severity: str = "info") -> list[Finding]:
        return at_least(self.findings, min_severity)

    def to_dict(self, min_severity: str = "info") -> dict[str, Any]:
        return {
            "ru": {"file": self.ru.file, "act": self.ru.act.ref.key if self.ru.act.number else "", "detected": self.languages.get("ru")},
            "kk": {"file": self.kk.file, "act": self.kk.act.ref.key if self.kk.act.number else "", "detected": self.languages.get("kk")},
            "notes": self.notes,
            "sections": self.sections,
            "pairs": [{"ru": p.ru_id, "kk": p.kk_id, "score": round(p.score, 3), "evidence": p.evidence, "notes": p.notes} for p in self.pairs],
            "unpaired": self.unpaired,
            "summary": self.summary(),
            "findings": [f.to_dict() for f in self.shown(min_severity)],
            "glossary": [{"ru": k, "kk": v, "support": self.glossary.support.get(k, 0)} for k, v in sorted(self.glossary.pairs.items())],
        }  # fmt: skip

    def summary(self) -> dict[str, int]:
        out = {"pairs": len(self.pairs), "unpaired": len(self.unpaired), "ru_rows": len(self.ru.indicators), "kk_rows": len(self.kk.indicators)}
        for sev in ("error", "warning", "minor", "info"):
            out[sev] = sum(1 for f in self.findings if f.severity == sev)
        return out


# ---- evidence -------------------------------------------------------------------------------


def _text(i: Indicator) -> str:
    return mt.row_text(i)


def score_pair(
    a: Indicator, b: Indicator, glossary: gl.Glossary, position_gap: int, same_act: bool = True
) -> tuple[float, list[str]]:
    """How strongly two rows of paired sections look like the same indicator, and why (one pair)."""
    fa, fb = mt.features(a), mt.features(b)
    total, _ = mt.score_matrix([fa], [fb], glossary, same_act)  # a 1×1 matrix counts "same position"
    off_place = 0.0 if position_gap == 0 else 0.3 * (1.0 if same_act else 0.2)
    return float(total[0, 0]) - off_place, mt.evidence(fa, fb, glossary, position_gap, same_act)


# ---- pairing ----------------------------------------------------------------------------


def _section_key(i: Indicator) -> tuple[Any, ...]:
    """Identity of a section shared by both languages and all acts: the registry agency.

    Agency only, not direction: Order 124's sector sections "Құрылыс", "Өнеркәсіп", "Геология…"
    are the parts of one ministry's section in 1157, in the same order. Sections known only by
    their title (the report's bodies) are matched to the registry by :func:`diff.section_group`.
    """
    from legalkpi.comparing.diff import section_group

    group = section_group(i.section)
    if group.startswith("title:"):
        return ("ordinal", i.section.ordinal)
    return ("general",) if group == "general" else ("agency", group)


def _group(record: ActRecord) -> dict[tuple[Any, ...], list[Indicator]]:
    out: dict[tuple[Any, ...], list[Indicator]] = {}
    keys: dict[int, tuple[Any, ...]] = {}  # per section object: rows of one section share it
    for i in record.indicators:
        key = keys.get(id(i.section))
        if key is None:
            key = keys[id(i.section)] = _section_key(i)
        out.setdefault(key, []).append(i)
    return out


def check_languages(ru: ActRecord, kk: ActRecord) -> tuple[ActRecord, ActRecord, list[str], dict[str, str | None]]:
    """Read each text's language; swap (with a note) when the Russian argument is Kazakh.

    The text decides; a text too short to tell keeps its recorded language. Two texts of one
    language are refused. Returns (russian, kazakh, notes, languages read from the texts).
    """
    dr, dk = language.of_record(ru), language.of_record(kk)
    notes: list[str] = []
    for rec, got in ((ru, dr), (kk, dk)):
        if got is None:
            notes.append(f"too little text to tell the language of {rec.file or 'a text'}: taken as recorded ({rec.act.lang or '?'})")
        elif rec.act.lang and rec.act.lang != got:
            notes.append(f"{rec.file} is recorded as {rec.act.lang} but its text is {language.NAMES[got]}")
    er, ek = dr or ru.act.lang, dk or kk.act.lang
    if er == "kk" and ek == "ru":
        notes.append(f"the first file ({ru.file}) is Kazakh and the second ({kk.file}) Russian, as read from their "
                     "text: swapped, so Russian is on the left")  # fmt: skip
        return kk, ru, notes, {"ru": dk, "kk": dr}
    if er and er == ek:
        name = language.NAMES.get(er, er)
        raise BadInput(f"both texts are {name} (read from the text): align needs a Russian and a Kazakh text", file=kk.file or None)
    return ru, kk, notes, {"ru": dr, "kk": dk}


def _same_act_note(ru: ActRecord, kk: ActRecord) -> str | None:
    a, b = ru.act, kk.act
    if not (a.number and b.number):
        return None
    if a.ref.work == b.ref.work and (not a.date or not b.date or a.date == b.date):
        return None
    return (f"these are not the same act: Russian {a.kind} No. {a.number} of {a.date or '?'}, Kazakh {b.kind} "
            f"No. {b.number} of {b.date or '?'}; rows are paired by content only")  # fmt: skip


def align_records(
    ru: ActRecord, kk: ActRecord, *, check_labels: bool = True, cache: mt.FeatureCache | None = None,
    pairs_only: bool = False,
) -> Alignment:
    """Pair every section and indicator of the Russian text with its Kazakh counterpart.

    ``check_labels`` reads each text's language (and swaps or refuses); ``cache`` keeps row
    features between calls on the same records (stable ids compare many versions);
    ``pairs_only`` skips the comparison of paired rows (no findings).
    """
    notes: list[str] = []
    detected: dict[str, str | None] = {}
    if check_labels:
        ru, kk, notes, detected = check_languages(ru, kk)
    elif ru.act.lang == kk.act.lang and ru.act.lang:
        raise BadInput(f"both texts are in '{ru.act.lang}': align needs a Russian and a Kazakh text", file=kk.file)
    al = Alignment(ru=ru, kk=kk, notes=notes, languages=detected)
    different = _same_act_note(ru, kk)
    same_act = different is None
    ru_groups, kk_groups = _group(ru), _group(kk)
    keys = list(dict.fromkeys([*ru_groups, *kk_groups]))
    cache = {} if cache is None else cache
    # First pass without the glossary: pairs anchored by numbers, values and Latin names teach it.
    anchors = []
    sections = [(ru_groups.get(k, []), kk_groups.get(k, [])) for k in keys]
    first = mt.match_groups(sections, gl.Glossary(), same_act, cache)  # every section scored in one pass
    for (r_rows, k_rows), m in zip(sections, first, strict=True):
        anchors += [(_text(r_rows[p.a]), _text(k_rows[p.b])) for p in m.pairs if p.score >= 1.5]
    al.glossary = gl.learn(anchors, ru.abbreviations, kk.abbreviations)
    # Only abbreviations that differ between the languages add evidence; without them, pass one stands.
    again = any(x != y for x, y in al.glossary.pairs.items())
    second = mt.match_groups(sections, al.glossary, same_act, cache) if again else first
    for k, (r_rows, k_rows), m in zip(keys, sections, second, strict=True):
        al.sections.append(_section_summary(k, r_rows, k_rows))
        for p in m.pairs:
            a, b = r_rows[p.a], k_rows[p.b]
            al.pairs.append(Pair(a.id, b.id, p.score, p.evidence, [] if pairs_only else _mends(a, b)))
            if pairs_only:
                continue
            if p.crossed:
                al.findings.append(_order(a, b, p.a, p.b))
            al.findings += compare(a, b)
        for idx, rows, lang in () if pairs_only else ((m.only_a, r_rows, "ru"), (m.only_b, k_rows, "kk")):
            for x in idx:
                row = rows[x]
                al.unpaired.append({"lang": lang, "id": row.id, "number": row.number, "name": row.name, "source": _src(row)})
                al.findings.append(_missing(row if lang == "ru" else None, row if lang == "kk" else None))
    if different:
        al.notes.append(f"{different}: {len(al.pairs)} of {len(ru.indicators)} Russian and {len(kk.indicators)} "
                        "Kazakh rows could be paired")  # fmt: skip
    return al


def _mends(a: Indicator, b: Indicator) -> list[str]:
    """What the reader mended in either row (converter damage): notes, not differences."""
    return [f"{lang}: {code}" for lang, row in (("ru", a), ("kk", b)) for code in row.warnings_codes]


def _section_summary(key: tuple[Any, ...], ru_rows: list[Indicator], kk_rows: list[Indicator]) -> dict[str, Any]:
    def side(rows: list[Indicator]) -> dict[str, Any] | None:
        if not rows:
            return None
        return {"ordinal": rows[0].section.ordinal, "title": rows[0].section.title, "rows": len(rows)}

    return {"key": ":".join(str(k) for k in key if k), "ru": side(ru_rows), "kk": side(kk_rows)}


# ---- findings -----------------------------------------------------------------------------


def _src(i: Indicator | None) -> dict[str, Any] | None:
    return i.source.to_dict() if i and i.source else None


def _shown(x: Any) -> str:
    """A value as a person reads it: decimal comma, no Python reprs."""
    if x is None:
        return "—"
    if isinstance(x, float):
        return (str(int(x)) if x.is_integer() else f"{x:g}").replace(".", ",")
    if isinstance(x, list | tuple):
        return "/".join(_shown(v) for v in x)
    return str(x)


def weight_printed(v: YearValue | None) -> str:
    """A weight as printed ("5 %"), or from its value when the text is not kept."""
    if v is None:
        return ""
    if v.weight_text:
        return v.weight_text
    return "" if v.weight is None else f"{_shown(v.weight)} %"


def _make(code: str, fieldname: str, year: int | None, a: Indicator | None, b: Indicator | None, ru: Any, kk: Any,
          message: str, severity: str | None = None, ru_printed: str | None = None, kk_printed: str | None = None) -> Finding:  # fmt: skip
    row = a or b
    assert row is not None
    src = (a.source if a and a.source else None) or (b.source if b else None)
    return Finding(
        code=code, severity=severity or SEVERITY[fieldname], message=message, source=src,
        subject=a.id if a else (b.id if b else None), field=fieldname, year=year,
        data={"ru": ru, "kk": kk, "ru_printed": _shown(ru) if ru_printed is None else ru_printed,
              "kk_printed": _shown(kk) if kk_printed is None else kk_printed,
              "ru_id": a.id if a else None, "kk_id": b.id if b else None, "ru_source": _src(a), "kk_source": _src(b),
              "section": row.section.ordinal, "number": row.number},
    )  # fmt: skip


def _finding(code: str, fieldname: str, year: int | None, a: Indicator, b: Indicator, ru: Any, kk: Any, message: str,
             **kw: Any) -> Finding:  # fmt: skip
    return _make(code, fieldname, year, a, b, ru, kk, message, **kw)


def _missing(a: Indicator | None, b: Indicator | None) -> Finding:
    row = a or b
    assert row is not None
    where = "Russian" if a else "Kazakh"
    other = "Kazakh" if a else "Russian"
    return _make("row-in-one-language", "missing", None, a, b, a.name if a else None, b.name if b else None,
                 f"section {row.section.ordinal} row {row.number} is in the {where} text only, no {other} counterpart")  # fmt: skip


def _order(a: Indicator, b: Indicator, ru_pos: int, kk_pos: int) -> Finding:
    """One finding for a row that stands elsewhere in the other text (paired by content)."""
    return _make("row-order-differs", "order", None, a, b, ru_pos + 1, kk_pos + 1,
                 f"section {a.section.ordinal}: row {a.number} stands {ru_pos + 1}th in the Russian section and "
                 f"{kk_pos + 1}th (numbered {b.number}) in the Kazakh one; paired by content")  # fmt: skip


def _bare(text: str) -> str:
    return "".join(text.split())


def compare(a: Indicator, b: Indicator) -> list[Finding]:
    """Every textual difference between two paired rows (a Russian, b Kazakh), graded.

    ``error``: a value that changes what is measured (target, weight, unit kind, formula kind,
    criteria weights, values in other columns). ``minor``: the same meaning in another notation —
    "0" and "–" for a year without weight, "5" and "5 %". What extraction mended (converter
    damage) is not a difference: it is kept as a note on the pair.
    """
    out: list[Finding] = []
    where = f"section {a.section.ordinal} row {a.number}"
    if a.number != b.number:
        out.append(_finding("numbering-differs", "numbering", None, a, b, a.number, b.number, f"{where}: numbered {a.number} in Russian, {b.number} in Kazakh"))
    shifted = _shift(a, b)
    if shifted:
        out.append(_finding("cells-shifted", "shift", None, a, b, shifted[0], shifted[1], f"{where}: values stand one column apart in the two texts"))
    for year in sorted({v.year for v in a.values} & {v.year for v in b.values}):
        va, vb = a.value(year), b.value(year)
        assert va is not None and vb is not None
        if shifted:
            continue
        if _swapped(va, vb):
            out.append(_finding("cells-swapped", "shift", year, a, b, [va.target_text, va.weight], [vb.target_text, vb.weight],
                                f"{where}: {year} target and weight swap places: {va.target_text} and {weight_printed(va)} in Russian, "
                                f"{vb.target_text} and {weight_printed(vb)} in Kazakh",
                                ru_printed=f"{va.target_text} | {weight_printed(va)}", kk_printed=f"{vb.target_text} | {weight_printed(vb)}"))  # fmt: skip
            continue
        out += _target(a, b, year, va, vb, where)
        out += _weight(a, b, year, va, vb, where)
    if a.unit_kind != b.unit_kind:
        out.append(_finding("unit-differs", "unit", None, a, b, a.unit, b.unit, f"{where}: unit {a.unit} ({a.unit_kind}) in Russian, {b.unit} ({b.unit_kind}) in Kazakh"))
    if a.formula.kind != b.formula.kind:
        out.append(_finding("formula-kind-differs", "formula_kind", None, a, b, a.formula.kind, b.formula.kind,
                            f"{where}: formula is {a.formula.kind} in Russian, {b.formula.kind} in Kazakh"))  # fmt: skip
    wa, wb = [c.weight for c in a.criteria], [c.weight for c in b.criteria]
    if wa != wb:
        out.append(_finding("criteria-differ", "criteria", None, a, b, wa, wb,
                            f"{where}: criteria sub-weights {_shown(wa)} in Russian, {_shown(wb)} in Kazakh"))  # fmt: skip
    return out


def _target(a: Indicator, b: Indicator, year: int, va: YearValue, vb: YearValue, where: str) -> list[Finding]:
    if _meaning(va) != _meaning(vb):
        return [_finding("target-differs", "target", year, a, b, va.target_text, vb.target_text,
                         f"{where}: {year} target {va.target_text or 'blank'} in Russian, {vb.target_text or 'blank'} in Kazakh",
                         ru_printed=va.target_text, kk_printed=vb.target_text)]  # fmt: skip
    # Growth targets are worded in each language ("рост на 15 %", "15 %-ға өсу"): not notation.
    if va.target_kind != "growth" and vb.target_kind != "growth" and _bare(va.target_text) != _bare(vb.target_text):
        what = "no target" if _meaning(va) == ("none",) else "the same target"
        return [_finding("target-notation", "target", year, a, b, va.target_text, vb.target_text,
                         f"{where}: {year} {what} written {va.target_text or 'blank'} in Russian, {vb.target_text or 'blank'} in Kazakh "
                         f"(weight {weight_printed(va) or '—'} / {weight_printed(vb) or '—'})",
                         severity="minor", ru_printed=va.target_text, kk_printed=vb.target_text)]  # fmt: skip
    return []


def _weight(a: Indicator, b: Indicator, year: int, va: YearValue, vb: YearValue, where: str) -> list[Finding]:
    pa, pb = weight_printed(va), weight_printed(vb)
    if va.weight != vb.weight and (va.weight or 0) != (vb.weight or 0):
        return [_finding("weight-differs", "weight", year, a, b, va.weight, vb.weight,
                         f"{where}: {year} weight {pa or 'blank'} in Russian, {pb or 'blank'} in Kazakh", ru_printed=pa, kk_printed=pb)]  # fmt: skip
    if _bare(pa) != _bare(pb):
        return [_finding("weight-notation", "weight", year, a, b, va.weight, vb.weight,
                         f"{where}: {year} the same weight written {pa or 'blank'} in Russian, {pb or 'blank'} in Kazakh",
                         severity="minor", ru_printed=pa, kk_printed=pb)]  # fmt: skip
    return []


def _swapped(va: Any, vb: Any) -> bool:
    """Target and weight of one year printed in each other's column in one of the texts."""
    return va.target != vb.target and va.target is not None and va.target == vb.weight and va.weight == vb.target


def _meaning(v: Any) -> tuple[Any, ...]:
    """A target as a reader takes it: a dash, and a 0 that carries no weight, both say "no target"."""
    if v.target_kind == "none" or (v.target == 0 and not v.weight):
        return ("none",)
    return (v.target_kind, v.target)


def _cells(i: Indicator) -> list[Any]:
    return [x for v in i.values for x in (v.target, v.weight)]


def _shift(a: Indicator, b: Indicator) -> tuple[list[Any], list[Any]] | None:
    """Values that match only when one side is moved by a column: a shifted row."""
    ca, cb = _cells(a), _cells(b)
    if ca == cb or len(ca) != len(cb) or len(ca) < 3:
        return None
    for k in (1, -1):
        moved = cb[k:] + [None] * k if k > 0 else [None] * -k + cb[:k]
        overlap = [(x, y) for x, y in zip(ca, moved, strict=True) if x is not None and y is not None]
        if len(overlap) >= 2 and all(x == y for x, y in overlap):
            return ca, cb
    return None
