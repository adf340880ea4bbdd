"""Internal consistency of one KPI act: rules over an :class:`ActRecord`, findings as data.

Each rule reads the extracted record (never the text again) and yields :class:`Finding` s with a
stable kebab-case code, a severity and the place in the document. The weight totals per agency
and year are also returned as figures (:class:`Total`), because a reader wants to see them even
where nothing is wrong. The rules and what they deliberately leave alone:

* ``criteria-sum`` — sub-weights of a criteria formula must add up to 100 %.
* ``percent-over-100`` / ``percent-below-0`` — a level target in "%" outside 0..100. Growth
  targets ("рост на 15 %") are not levels and counts are not percents, so neither is checked.
* ``target-against-direction`` — a target that falls from year to year although the name says
  the indicator grows (or rises although it says it falls); ``target-falls`` (info) when the
  name gives no direction. See :func:`direction` for the words.
* ``weight-without-target`` / ``target-without-weight`` — a dash target with weight 0 is how
  the acts say "not this year" and is fine; so is a 0 target with weight 0.
* ``unit-formula-mismatch`` — a ratio (numerator/denominator) measured in units, or a
  "quantitative indicator" measured in "%".
* ``number-gap`` / ``number-repeated`` — printed row numbers within one section part.
* ``agency-without-section`` / ``section-without-agency``.
* ``weight-total`` — an agency's total weight in a year (general block + its sector sections)
  that differs from the total most agencies of the act have; ``weight-total-not-100`` (info)
  when that usual total is not 100 %; ``weight-total-other`` — a total that differs from the
  other language's text of the same act.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from legalkpi.errors import BadInput
from legalkpi.findings import Finding, severity_rank
from legalkpi.model import ActRecord, ActRef, Indicator, Section, YearValue
from legalkpi.provenance import Source
from legalkpi.reading.agencies import match_agency
from legalkpi.values import PARAGRAPH_BREAK, direction_cue, is_share

SEVERITIES = ("info", "warning", "error")  # the levels `check` uses, from legalkpi.findings


# Codes every rule may produce, with their default severity: the config refuses unknown codes.
CODES: dict[str, str] = {
    "criteria-sum": "error",
    "percent-over-100": "error",
    "percent-below-0": "error",
    "target-against-direction": "warning",
    "target-falls": "info",
    "weight-without-target": "error",
    "target-without-weight": "error",
    "unit-formula-mismatch": "warning",
    "number-gap": "warning",
    "number-repeated": "warning",
    "agency-without-section": "error",
    "section-without-agency": "warning",
    "weight-total": "warning",
    "weight-total-not-100": "info",
    "weight-total-other": "warning",
    "values-unread": "warning",
}


def _finding(
    code: str, message: str, ind: Indicator | None = None, *, severity: str | None = None, **kw: Any
) -> Finding:
    if ind is not None:
        kw.setdefault("source", ind.source)
    return Finding(code, severity or CODES[code], message, subject=ind.id if ind else None, **kw)


def _pct(x: float) -> str:
    return f"{x:g} %"


def _row(ind: Indicator) -> str:
    return f"row {ind.number}" if ind.number is not None else "a row"


# --- criteria ---------------------------------------------------------------------------


def check_criteria(record: ActRecord) -> Iterator[Finding]:
    for ind in record.indicators:
        weights = [c.weight for c in ind.criteria if c.weight is not None]
        if not weights:
            continue
        total = round(sum(weights), 6)
        if total != 100:
            listed = " + ".join(f"{w:g}" for w in weights)
            yield _finding(
                "criteria-sum",
                f"{_row(ind)}: criteria weights {listed} = {_pct(total)}, not 100 %",
                ind,
                field="criteria",
            )


# --- percent range ----------------------------------------------------------------------

_SHARE = re.compile(r"^(доля|удельн|процент)|(үлесі|пайызы)$", re.IGNORECASE)


def check_percent_range(record: ActRecord) -> Iterator[Finding]:
    for ind in record.indicators:
        if ind.unit_kind != "percent":
            continue
        # A share cannot pass 100 %; another percent (a rate like "темп роста 105 %") might.
        share = ind.formula.kind == "ratio" or is_share(head_text(ind), record.act.lang)
        for v in ind.values:
            if v.target_kind != "level" or v.target is None:
                continue
            if v.target > 100:
                yield _finding(
                    "percent-over-100",
                    f"{_row(ind)}: target {v.target_text} % in {v.year} is over 100 %",
                    ind,
                    severity=None if share else "warning",
                    field="target",
                    year=v.year,
                )
            elif v.target < 0:
                yield _finding(
                    "percent-below-0",
                    f"{_row(ind)}: target {v.target_text} % in {v.year} is below 0",
                    ind,
                    field="target",
                    year=v.year,
                )


# --- direction ----------------------------------------------------------------------------

# Which way an indicator should go is read from the head of its name. Russian puts the head
# noun first ("Доля …", "Увеличение количества …", "Достижение роста …", "Снижение …"), Kazakh
# last ("… үлесі", "… санын ұлғайту", "… азайту"); so the first two words count in Russian and the
# last word in Kazakh. Words before the Kazakh head are modifiers ("адалдықты арттыруда ЖИ
# қолдану" is "applying AI", not "raising"), as are Russian words after the second.
# Only the name's first paragraph and sentence count, without parentheses: criteria listed
# after it ("Проект должен соответствовать критериям: … сокращение времени …") do not say
# where the indicator goes. A name with no such word has no direction.
def head_text(ind: Indicator) -> str:
    """The name, or its first printed paragraph when the printed name has several (the criteria follow)."""
    # The cleaned name lost the paragraph breaks; the printed one keeps them, but in text from PDF
    # it also keeps words split by stray spaces, so it is used only when it has paragraphs.
    if ind.name_orig and PARAGRAPH_BREAK.search(ind.name_orig.strip()):
        return ind.name_orig
    return ind.name


def direction(ind: Indicator, lang: str) -> str | None:
    cue = direction_cue(head_text(ind), lang)
    return cue[0] if cue else None


def _scored(v: YearValue) -> bool:
    """A level target that counts that year: weight 0 says the year does not count."""
    return v.target_kind == "level" and v.target is not None and v.weight != 0


def check_direction(record: ActRecord) -> Iterator[Finding]:
    for ind in record.indicators:
        way = direction(ind, record.act.lang)
        values = sorted((v for v in ind.values if _scored(v)), key=lambda v: v.year)
        for a, b in zip(values, values[1:], strict=False):
            assert a.target is not None and b.target is not None
            change = f"{a.target_text} in {a.year} to {b.target_text} in {b.year}"
            if way == "up" and b.target < a.target:
                yield _finding(
                    "target-against-direction",
                    f"{_row(ind)}: the name says it grows, but the target falls from {change}",
                    ind,
                    field="target",
                    year=b.year,
                )
            elif way == "down" and b.target > a.target:
                yield _finding(
                    "target-against-direction",
                    f"{_row(ind)}: the name says it falls, but the target rises from {change}",
                    ind,
                    field="target",
                    year=b.year,
                )
            elif way is None and b.target < a.target:
                yield _finding(
                    "target-falls",
                    f"{_row(ind)}: the target falls from {change} (the name gives no direction)",
                    ind,
                    field="target",
                    year=b.year,
                )


# --- targets and weights --------------------------------------------------------------------


def _shared_weight_sections(record: ActRecord) -> set[int]:
    """Sections whose table gives one weight for all years: no row's weight differs by year.

    There a dash target cannot come with weight 0, since the act has nowhere to print it.
    """
    out = set()
    for s in record.sections:
        rows = [i for i in record.indicators if i.section.ordinal == s.ref.ordinal]
        if rows and all(len({v.weight_text for v in i.values}) <= 1 for i in rows):
            out.add(s.ref.ordinal)
    return out


def check_targets_and_weights(record: ActRecord) -> Iterator[Finding]:
    shared = _shared_weight_sections(record)
    for ind in record.indicators:
        for v in ind.values:
            has_target = v.target_kind != "none"
            if not has_target and v.weight:
                note = "; the act gives one weight for all years" if ind.section.ordinal in shared else ""
                yield _finding(
                    "weight-without-target",
                    f"{_row(ind)}: weight {v.weight_text} in {v.year} but no target ({v.target_text or 'blank'}){note}",
                    ind,
                    severity="warning" if note else None,
                    field="weight",
                    year=v.year,
                )
            elif has_target and v.weight is None:
                said = f"unreadable weight {v.weight_text!r}" if v.weight_text else "no weight"
                yield _finding(
                    "target-without-weight",
                    f"{_row(ind)}: target {v.target_text} in {v.year} but {said}",
                    ind,
                    field="weight",
                    year=v.year,
                )
            elif has_target and v.weight == 0 and v.target:
                yield _finding(
                    "target-without-weight",
                    f"{_row(ind)}: target {v.target_text} in {v.year} with weight 0",
                    ind,
                    severity="warning",
                    field="weight",
                    year=v.year,
                )


# --- unit and formula -----------------------------------------------------------------------


def check_unit_formula(record: ActRecord) -> Iterator[Finding]:
    for ind in record.indicators:
        if ind.formula.kind == "ratio" and ind.unit_kind == "count":
            yield _finding(
                "unit-formula-mismatch",
                f"{_row(ind)}: a ratio (numerator/denominator) measured in {ind.unit!r}",
                ind,
                field="unit",
            )
        elif ind.formula.kind == "quantitative" and ind.unit_kind == "percent":
            yield _finding(
                "unit-formula-mismatch",
                f"{_row(ind)}: a quantitative indicator measured in {ind.unit!r}",
                ind,
                field="unit",
            )


# --- numbering ----------------------------------------------------------------------------


def check_numbering(record: ActRecord) -> Iterator[Finding]:
    parts: dict[tuple[int, int], list[Indicator]] = {}
    for ind in sorted(record.indicators, key=lambda i: i.row):
        parts.setdefault((ind.section.ordinal, ind.part.ordinal), []).append(ind)
    for rows in parts.values():
        seen: set[int] = set()
        prev = 0
        for ind in rows:
            n = ind.number
            if n is None:
                continue
            where = _where(ind)
            if n in seen:
                yield _finding(
                    "number-repeated", f"row number {n} is printed again in {where}", ind, field="number"
                )
            elif n != prev + 1:
                yield _finding(
                    "number-gap",
                    f"row {n} follows row {prev} in {where}: expected {prev + 1}",
                    ind,
                    field="number",
                )
            seen.add(n)
            prev = max(prev, n)


def _where(ind: Indicator) -> str:
    s = f"section {ind.section.ordinal}" if ind.section.ordinal else "the general block"
    return f"{s} ({ind.part.title})" if ind.part.title else s


# --- agencies -----------------------------------------------------------------------------


def _agency_ids(record: ActRecord) -> dict[int, str | None]:
    out = {}
    for a in record.agencies:
        entry = match_agency(a.name)
        out[a.number] = entry.id if entry else None
    return out


def check_agencies(record: ActRecord) -> Iterator[Finding]:
    sectors = [s for s in record.sections if s.ref.ordinal > 0]
    ids = _agency_ids(record)
    for a in record.agencies:
        covered = any(
            s.ref.agency == a.number or (ids[a.number] and s.ref.agency_id == ids[a.number]) for s in sectors
        )
        if not covered:
            yield _finding(
                "agency-without-section",
                f"agency {a.number} ({a.name}) is in the agency list but has no section",
                field="agency",
                source=a.source,
            )
    listed = set(ids.values())
    for s in sectors:
        if s.ref.agency is not None:
            continue
        if s.ref.agency_id is None:
            msg = f"section {s.ref.ordinal} ({s.ref.title}) names no known agency"
        elif record.agencies and s.ref.agency_id not in listed:
            msg = f"section {s.ref.ordinal} ({s.ref.title}) belongs to {s.ref.agency_id}, which is not in the agency list"
        else:
            continue
        yield _finding("section-without-agency", msg, field="section", source=s.source)


# What extraction could not read (legalkpi.reading.extract warnings): said here, never "0 findings".
UNREAD_WARNINGS = ("row-short", "cell-unread", "row-unread")


def check_unread(record: ActRecord) -> Iterator[Finding]:
    for w in record.warnings:
        if w.code in UNREAD_WARNINGS:
            yield _finding("values-unread", f"values could not be read: {w.message}", field=w.code, source=w.source)


RULES: tuple[Callable[[ActRecord], Iterable[Finding]], ...] = (
    check_unread,
    check_criteria,
    check_percent_range,
    check_direction,
    check_targets_and_weights,
    check_unit_formula,
    check_numbering,
    check_agencies,
)


# --- weight totals --------------------------------------------------------------------------


@dataclass
class Total:
    """The weights one agency's deputy is measured by in one year."""

    agency: int | None  # number in the act's agency list
    agency_id: str | None
    name: str
    year: int
    general: float
    sector: float
    source: Source | None = None
    other: Total | None = None

    @property
    def total(self) -> float:
        return round(self.general + self.sector, 6)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "agency": self.agency,
            "agency_id": self.agency_id,
            "name": self.name,
            "year": self.year,
            "general": self.general,
            "sector": self.sector,
            "total": self.total,
        }
        if self.other is not None:
            d["other"] = {
                "general": self.other.general,
                "sector": self.other.sector,
                "total": self.other.total,
            }
        return d


def _weight_sum(indicators: Iterable[Indicator], year: int) -> float:
    return round(sum((v.weight or 0.0) for i in indicators for v in i.values if v.year == year), 6)


def _agency_sections(record: ActRecord) -> list[tuple[int | None, str | None, str, list[Section]]]:
    """(number, registry id, name, sections) per agency: from the agency list, else from the sections."""
    sectors = [s for s in record.sections if s.ref.ordinal > 0]
    if record.agencies:
        ids = _agency_ids(record)
        return [
            (
                a.number,
                ids[a.number],
                a.name,
                [
                    s
                    for s in sectors
                    if s.ref.agency == a.number or (ids[a.number] and s.ref.agency_id == ids[a.number])
                ],
            )
            for a in record.agencies
        ]
    by_id: dict[str, list[Section]] = {}
    for s in sectors:
        if s.ref.agency_id:
            by_id.setdefault(s.ref.agency_id, []).append(s)
    return [(None, aid, secs[0].ref.title, secs) for aid, secs in by_id.items()]


def weight_totals(record: ActRecord) -> list[Total]:
    general = [i for i in record.indicators if i.section.ordinal == 0]
    out = []
    for number, aid, name, secs in _agency_sections(record):
        ordinals = {s.ref.ordinal for s in secs}
        own = [i for i in record.indicators if i.section.ordinal in ordinals]
        source = secs[0].source if secs else None
        for year in record.years:
            out.append(
                Total(number, aid, name, year, _weight_sum(general, year), _weight_sum(own, year), source)
            )
    return out


def _mode(values: list[float]) -> float | None:
    """The value most agencies have; None when there is no single such value."""
    counts = Counter(values).most_common()
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return None
    return counts[0][0]


def check_weight_totals(totals: list[Total]) -> Iterator[Finding]:
    for year in sorted({t.year for t in totals}):
        those = [t for t in totals if t.year == year]
        mode = _mode([t.total for t in those])
        if mode is None:
            continue
        usual = sum(1 for t in those if t.total == mode)
        if mode != 100:
            yield Finding(
                "weight-total-not-100",
                CODES["weight-total-not-100"],
                f"in {year} the weights of {usual} of {len(those)} agencies add up to {_pct(mode)}, not 100 %",
                field="total",
                year=year,
            )
        for t in those:
            if t.total != mode:
                yield Finding(
                    "weight-total",
                    CODES["weight-total"],
                    f"{t.name}: weights in {year} add up to {_pct(t.total)} (general {_pct(t.general)} + sector "
                    f"{_pct(t.sector)}); {usual} of {len(those)} agencies have {_pct(mode)}",
                    field="total",
                    year=year,
                    source=t.source,
                )


def attach_other(totals: list[Total], other: list[Total]) -> None:
    """Pair each total with the other language's total of the same agency (registry id) and year."""
    theirs = {(t.agency_id, t.year): t for t in other if t.agency_id}
    for t in totals:
        t.other = theirs.get((t.agency_id, t.year)) if t.agency_id else None


def check_other_language(
    totals: list[Total], other_file: str, general_source: Source | None = None
) -> Iterator[Finding]:
    reported_general: set[int] = set()
    for t in totals:
        o = t.other
        if o is None:
            continue
        if o.general != t.general and t.year not in reported_general:
            reported_general.add(t.year)
            yield Finding(
                "weight-total-other",
                CODES["weight-total-other"],
                f"general block weights in {t.year} add up to {_pct(t.general)} here, {_pct(o.general)} in {other_file}",
                field="general",
                year=t.year,
                source=general_source,
            )
        if o.sector != t.sector:
            yield Finding(
                "weight-total-other",
                CODES["weight-total-other"],
                f"{t.name}: sector weights in {t.year} add up to {_pct(t.sector)} here, {_pct(o.sector)} in {other_file}",
                field="sector",
                year=t.year,
                source=t.source,
            )


# --- running the rules ----------------------------------------------------------------------


@dataclass
class CheckResult:
    file: str
    act: str
    findings: list[Finding]
    totals: list[Total]
    other_file: str | None = None
    ignored: int = 0
    fail_on: str | None = None  # the level a config asked to fail on, if any

    def at_or_above(self, severity: str) -> list[Finding]:
        return [f for f in self.findings if severity_rank(f.severity) >= severity_rank(severity)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "act": self.act,
            "other": self.other_file,
            "findings": [f.to_dict() for f in self.findings],
            "ignored": self.ignored,
            "totals": [t.to_dict() for t in self.totals],
        }


@dataclass(frozen=True)
class Silencer:
    """Which findings to drop: codes everywhere, and codes for single indicators."""

    codes: frozenset[str] = frozenset()
    # "s0-p1-n1" for that indicator of any act, or "kz/order/124#s0-p1-n1" (act work or key) -> codes; "*" = all
    per_indicator: dict[str, frozenset[str]] = field(default_factory=dict)

    def silences(self, f: Finding, act: ActRef | None = None) -> bool:
        if f.code in self.codes:
            return True
        if f.indicator is None:
            return False
        keys = [f.indicator] + ([f"{act.work}#{f.indicator}", f"{act.key}#{f.indicator}"] if act else [])
        codes = frozenset().union(*(self.per_indicator.get(k, frozenset()) for k in keys))
        return "*" in codes or f.code in codes


def check(record: ActRecord, other: ActRecord | None = None, silencer: Silencer | None = None) -> CheckResult:
    """Run every rule on one act (and compare weight totals with ``other``, its other-language text)."""
    if (
        other is not None
        and record.act.number
        and other.act.number
        and record.act.ref.work != other.act.ref.work
    ):
        raise BadInput(f"the other text is {other.act.ref.work}, not {record.act.ref.work}", file=other.file)
    findings = [f for rule in RULES for f in rule(record)]
    totals = weight_totals(record)
    findings += check_weight_totals(totals)
    if other is not None:
        attach_other(totals, weight_totals(other))
        general = next((s.source for s in record.sections if s.ref.ordinal == 0), None)
        findings += check_other_language(totals, other.file, general)
    ref = record.act.ref if record.act.number else None
    kept = [f for f in findings if not (silencer and silencer.silences(f, ref))]
    kept.sort(key=Finding.sort_key)
    act = record.act.ref.key if record.act.number else ""
    return CheckResult(
        record.file, act, kept, totals, other.file if other else None, len(findings) - len(kept)
    )
