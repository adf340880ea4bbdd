"""Pair the Russian and Kazakh texts of one act, indicator by indicator, and flag mismatches.

Position alone is not enough: the numbering is wrong in places. Sections are paired by agency
identity (the bilingual registry); inside a section the two row sequences are aligned by
dynamic programming (no crossing pairs, gaps allowed for rows that exist in one language only)
with a score built from the evidence both texts share: numbers, units, values, Latin names and
abbreviations through a glossary learned from the acts themselves. Each pair keeps its score and
the evidence that made it; each finding names both values and both source places.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from legalkpi import glossary as gl
from legalkpi.errors import BadInput
from legalkpi.model import ActRecord, Indicator

GAP = -0.6  # cost of leaving a row unpaired; a pair must score above 2×GAP to beat two gaps
MIN_PAIR_SCORE = 1.0  # number and position alone (0.8) do not make a pair: some content must agree


@dataclass
class Pair:
    ru_id: str
    kk_id: str
    score: float
    evidence: list[str]


@dataclass
class Finding:
    code: str
    field: str  # target | weight | unit | formula_kind | criteria | missing | numbering | shift
    year: int | None
    ru: Any
    kk: Any
    ru_id: str | None
    kk_id: str | None
    ru_source: dict[str, Any] | None
    kk_source: dict[str, Any] | None
    message: str
    section: int | None = None
    number: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "field": self.field, "year": self.year, "ru": self.ru, "kk": self.kk,
            "ru_id": self.ru_id, "kk_id": self.kk_id, "ru_source": self.ru_source, "kk_source": self.kk_source,
            "section": self.section, "number": self.number, "message": self.message,
        }  # fmt: skip


@dataclass
class Alignment:
    ru: ActRecord
    kk: ActRecord
    pairs: list[Pair] = field(default_factory=list)
    unpaired: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    glossary: gl.Glossary = field(default_factory=gl.Glossary)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ru": {"file": self.ru.file, "act": self.ru.act.ref.key if self.ru.act.number else ""},
            "kk": {"file": self.kk.file, "act": self.kk.act.ref.key if self.kk.act.number else ""},
            "sections": self.sections,
            "pairs": [{"ru": p.ru_id, "kk": p.kk_id, "score": round(p.score, 3), "evidence": p.evidence} for p in self.pairs],
            "unpaired": self.unpaired,
            "findings": [f.to_dict() for f in self.findings],
            "glossary": [{"ru": k, "kk": v, "support": self.glossary.support.get(k, 0)} for k, v in sorted(self.glossary.pairs.items())],
        }


# ---- evidence -------------------------------------------------------------------------------


def _text(i: Indicator) -> str:
    return f"{i.name}\n{i.formula.text}"


def _value_key(v: Any) -> tuple[Any, ...]:
    return (v.target, v.target_kind, v.weight)


def score_pair(
    a: Indicator, b: Indicator, glossary: gl.Glossary, position_gap: int, same_act: bool = True
) -> tuple[float, list[str]]:
    """How strongly two rows of paired sections look like the same indicator, and why.

    Between the two texts of one act, row numbers and positions are strong evidence; between
    different acts (a diff across languages) rows are renumbered, so content must decide.
    """
    score, ev = 0.0, []
    structure = 1.0 if same_act else 0.2
    if a.number == b.number:
        score += 0.5 * structure
        ev.append(f"number {a.number}")
    if position_gap == 0:
        score += 0.3 * structure
        ev.append("same position")
    if a.unit_kind == b.unit_kind and a.unit_kind != "missing":
        score += 0.3
        ev.append(f"unit {a.unit_kind}")
    years = {v.year for v in a.values} & {v.year for v in b.values}
    same_targets = [y for y in sorted(years) if a.value(y) and b.value(y) and a.value(y).target == b.value(y).target]  # type: ignore[union-attr]
    if years and same_targets:
        score += 0.4 * len(same_targets) / len(years)
        ev.append("targets " + ",".join(str(y) for y in same_targets))
    if a.formula.kind == b.formula.kind:
        score += 0.2
        ev.append(f"formula {a.formula.kind}")
    la, lb = gl.latin_names(_text(a)), gl.latin_names(_text(b))
    if la & lb:
        score += 1.0 * gl.similarity_of_sets(la, lb)
        ev.append("latin " + ",".join(sorted(la & lb)))
    elif la and lb:
        score -= 0.3
    na, nb = gl.numbers(a.name), gl.numbers(b.name)
    if na & nb:
        score += 0.3 * gl.similarity_of_sets(na, nb)
        ev.append("numbers " + ",".join(sorted(na & nb)))
    abbr = [(x, y) for x, y in glossary.pairs.items() if x != y and gl.abbreviation_pattern(x).search(_text(a))]
    shared = [f"{x}~{y}" for x, y in abbr if gl.abbreviation_pattern(y).search(_text(b))]
    if shared:
        score += 0.4 * min(1.0, len(shared) / max(1, len(abbr)))
        ev.append("abbr " + ",".join(shared))
    if [c.weight for c in a.criteria] and [c.weight for c in a.criteria] == [c.weight for c in b.criteria]:
        score += 0.3
        ev.append("criteria weights")
    return score, ev


# ---- pairing ----------------------------------------------------------------------------


def _section_key(i: Indicator) -> tuple[Any, ...]:
    """Identity of a section shared by both languages: the registry agency (and direction)."""
    if i.section.ordinal == 0:
        return ("general",)
    if i.section.agency_id:
        # Agency only, not direction: Order 124's sector sections "Құрылыс", "Өнеркәсіп", "Геология…"
        # are the parts of one ministry's section in 1157, in the same order.
        return ("agency", i.section.agency_id)
    return ("ordinal", i.section.ordinal)


def _group(record: ActRecord) -> dict[tuple[Any, ...], list[Indicator]]:
    out: dict[tuple[Any, ...], list[Indicator]] = {}
    for i in record.indicators:
        out.setdefault(_section_key(i), []).append(i)
    return out


def _align_sequences(
    ru: list[Indicator], kk: list[Indicator], glossary: gl.Glossary, same_act: bool = True
) -> list[tuple[Indicator | None, Indicator | None, float, list[str]]]:
    """Needleman–Wunsch over two row sequences: pairs in order, gaps for one-language rows."""
    n, m = len(ru), len(kk)
    scores = [[score_pair(a, b, glossary, abs(i - j), same_act) for j, b in enumerate(kk)] for i, a in enumerate(ru)]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[""] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        best[i][0], move[i][0] = best[i - 1][0] + GAP, "up"
    for j in range(1, m + 1):
        best[0][j], move[0][j] = best[0][j - 1] + GAP, "left"
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = [
                (best[i - 1][j - 1] + scores[i - 1][j - 1][0], "diag"),
                (best[i - 1][j] + GAP, "up"),
                (best[i][j - 1] + GAP, "left"),
            ]
            best[i][j], move[i][j] = max(options, key=lambda t: t[0])  # ties: diag first (stable)
    out: list[tuple[Indicator | None, Indicator | None, float, list[str]]] = []
    i, j = n, m
    while i > 0 or j > 0:
        mv = move[i][j]
        if mv == "diag":
            s, ev = scores[i - 1][j - 1]
            if s >= MIN_PAIR_SCORE:
                out.append((ru[i - 1], kk[j - 1], s, ev))
            else:
                out += [(ru[i - 1], None, 0.0, []), (None, kk[j - 1], 0.0, [])]
            i, j = i - 1, j - 1
        elif mv == "up":
            out.append((ru[i - 1], None, 0.0, []))
            i -= 1
        else:
            out.append((None, kk[j - 1], 0.0, []))
            j -= 1
    out.reverse()
    return out


def align_records(ru: ActRecord, kk: ActRecord) -> Alignment:
    """Pair every section and indicator of the Russian text with its Kazakh counterpart."""
    if ru.act.lang == kk.act.lang and ru.act.lang:
        raise BadInput(f"both texts are in '{ru.act.lang}': align needs a Russian and a Kazakh text", file=kk.file)
    al = Alignment(ru=ru, kk=kk)
    same_act = not (ru.act.number and kk.act.number) or ru.act.ref.work == kk.act.ref.work
    ru_groups, kk_groups = _group(ru), _group(kk)
    keys = list(dict.fromkeys([*ru_groups, *kk_groups]))
    # First pass without the glossary: pairs anchored by numbers, values and Latin names teach it.
    first = [p for k in keys for p in _align_sequences(ru_groups.get(k, []), kk_groups.get(k, []), gl.Glossary(), same_act)]
    anchors = [(_text(a), _text(b)) for a, b, s, _ in first if a and b and s >= 1.5]
    al.glossary = gl.learn(anchors, ru.abbreviations, kk.abbreviations)
    for k in keys:
        r_rows, k_rows = ru_groups.get(k, []), kk_groups.get(k, [])
        al.sections.append(_section_summary(k, r_rows, k_rows))
        for a, b, s, ev in _align_sequences(r_rows, k_rows, al.glossary, same_act):
            if a and b:
                al.pairs.append(Pair(a.id, b.id, s, ev))
                al.findings += compare(a, b)
            else:
                row = a or b
                assert row is not None
                lang = "ru" if a else "kk"
                al.unpaired.append({"lang": lang, "id": row.id, "number": row.number, "name": row.name, "source": _src(row)})
                al.findings.append(_missing(a, b))
    return al


def _section_summary(key: tuple[Any, ...], ru_rows: list[Indicator], kk_rows: list[Indicator]) -> dict[str, Any]:
    def side(rows: list[Indicator]) -> dict[str, Any] | None:
        if not rows:
            return None
        return {"ordinal": rows[0].section.ordinal, "title": rows[0].section.title, "rows": len(rows)}

    return {"key": ":".join(str(k) for k in key if k), "ru": side(ru_rows), "kk": side(kk_rows)}


# ---- findings -----------------------------------------------------------------------------


def _src(i: Indicator | None) -> dict[str, Any] | None:
    return i.source.to_dict() if i and i.source else None


def _finding(code: str, fieldname: str, year: int | None, a: Indicator, b: Indicator, ru: Any, kk: Any, message: str) -> Finding:
    return Finding(code, fieldname, year, ru, kk, a.id, b.id, _src(a), _src(b), message, a.section.ordinal, a.number)


def _missing(a: Indicator | None, b: Indicator | None) -> Finding:
    row = a or b
    assert row is not None
    where = "Russian" if a else "Kazakh"
    other = "Kazakh" if a else "Russian"
    return Finding(
        "row-in-one-language", "missing", None, a.name if a else None, b.name if b else None, a.id if a else None,
        b.id if b else None, _src(a), _src(b),
        f"section {row.section.ordinal} row {row.number} is in the {where} text only, no {other} counterpart",
        row.section.ordinal, row.number,
    )  # fmt: skip


def compare(a: Indicator, b: Indicator) -> list[Finding]:
    """Every disagreement between two paired rows (a Russian, b Kazakh)."""
    out: list[Finding] = []
    where = f"section {a.section.ordinal} row {a.number}"
    if a.number != b.number:
        out.append(_finding("numbering-differs", "numbering", None, a, b, a.number, b.number, f"{where}: numbered {a.number} in Russian, {b.number} in Kazakh"))
    shifted = _shift(a, b)
    if shifted:
        out.append(_finding("cells-shifted", "shift", None, a, b, shifted[0], shifted[1], f"{where}: values look shifted between columns"))
    mended = [w for w in (*a.warnings_codes, *b.warnings_codes) if w == "cells-shifted"]
    if mended and not shifted:
        out.append(_finding("cells-shifted", "shift", None, a, b, _cells(a), _cells(b),
                            f"{where}: an empty cell shifted one text's values right (mended before comparing)"))  # fmt: skip
    for year in sorted({v.year for v in a.values} & {v.year for v in b.values}):
        va, vb = a.value(year), b.value(year)
        assert va is not None and vb is not None
        if shifted:
            continue
        if _swapped(va, vb):
            out.append(_finding("cells-swapped", "shift", year, a, b, [va.target_text, va.weight], [vb.target_text, vb.weight],
                                f"{where}: {year} target and weight swap places: {va.target_text}/{va.weight} in Russian, "
                                f"{vb.target_text}/{vb.weight} in Kazakh"))  # fmt: skip
            continue
        if _meaning(va) != _meaning(vb):
            out.append(_finding("target-differs", "target", year, a, b, va.target_text, vb.target_text,
                                f"{where}: {year} target {va.target_text!r} in Russian, {vb.target_text!r} in Kazakh"))  # fmt: skip
        if va.weight != vb.weight:
            out.append(_finding("weight-differs", "weight", year, a, b, va.weight, vb.weight,
                                f"{where}: {year} weight {va.weight} in Russian, {vb.weight} in Kazakh"))  # fmt: skip
    if a.unit_kind != b.unit_kind:
        out.append(_finding("unit-differs", "unit", None, a, b, a.unit, b.unit, f"{where}: unit {a.unit!r} in Russian, {b.unit!r} in Kazakh"))
    if a.formula.kind != b.formula.kind:
        out.append(_finding("formula-kind-differs", "formula_kind", None, a, b, a.formula.kind, b.formula.kind,
                            f"{where}: formula is {a.formula.kind} in Russian, {b.formula.kind} in Kazakh"))  # fmt: skip
    wa, wb = [c.weight for c in a.criteria], [c.weight for c in b.criteria]
    if wa != wb:
        out.append(_finding("criteria-differ", "criteria", None, a, b, wa, wb, f"{where}: criteria sub-weights {wa} in Russian, {wb} in Kazakh"))
    return out


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
