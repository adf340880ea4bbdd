"""The domain model every command works on: acts, agencies, sections, parts, indicators.

Plain dataclasses with slots (cheap to import; a 1,000-act catalogue holds some 300,000 of them and
slots spare each its attribute dict, so no other attribute can be set on them);
:mod:`legalkpi.catalogue.catalog` maps them to SQL tables and :mod:`legalkpi.jsonio` to the published JSON.
Identity follows FRBR as in Laws.Africa's cobalt: an act (the work) in a language at an edition
(expression) is one :class:`ActRef`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from legalkpi.provenance import Source


@dataclass(frozen=True, order=True, slots=True)
class ActRef:
    """Act × language × edition. ``number`` is language-neutral: "124" for 124-р and 124-ө."""

    kind: str  # "resolution" | "order" | "ministerial-order" | "report"
    number: str  # "1157", "124", "601"
    lang: str  # "ru" | "kk"
    edition: str = ""  # ISO date of the consolidated edition, "" for the original text

    @property
    def work(self) -> str:
        return f"kz/{self.kind}/{self.number}"

    @property
    def key(self) -> str:
        """Stable string: ``kz/order/124@2024-10-24/kk``."""
        ed = f"@{self.edition}" if self.edition else ""
        return f"{self.work}{ed}/{self.lang}"


@dataclass(slots=True)
class Act:
    kind: str
    number: str  # as printed, e.g. "124-ө", "1157", "601/НҚ"
    date: str  # ISO date of adoption
    lang: str
    title: str
    edition: str = ""
    source: Source | None = None

    @property
    def ref(self) -> ActRef:
        return ActRef(self.kind, base_number(self.number), self.lang, self.edition)


def base_number(number: str) -> str:
    """'124-р' and '124-ө' -> '124'; '601/НҚ' -> '601'; '251 НҚ' -> '251'."""
    head = number.strip().split("/")[0].split()[0]
    return head.split("-")[0]


@dataclass(slots=True)
class Agency:
    number: int
    name: str
    source: Source


@dataclass(slots=True)
class Criterion:
    text: str
    weight: float | None


@dataclass(slots=True)
class YearValue:
    year: int
    target: float | None
    target_text: str
    weight: float | None
    weight_text: str = ""
    target_kind: str = "level"  # "level" | "growth" | "none"


@dataclass(slots=True)
class Formula:
    kind: str  # "ratio" | "quantitative" | "criteria" | "expression" | "missing"
    text: str


@dataclass(slots=True)
class SectionRef:
    ordinal: int  # 0 for the general block, else the printed section number
    title: str
    agency: int | None = None  # number in the agency list, when the section names one
    agency_id: str | None = None  # registry id (data/agencies.json): same in both languages and all acts
    direction_id: str | None = None  # registry direction, for sector sections ("Ауыл шаруашылығы")


@dataclass(slots=True)
class PartRef:
    ordinal: int  # 1-based sub-block of the section ("(промышленность)" restarts numbering)
    title: str


@dataclass(slots=True)
class Indicator:
    id: str
    section: SectionRef
    part: PartRef
    number: int | None  # as printed (may be wrong: duplicates and gaps are real)
    name: str
    unit: str
    unit_kind: str  # "percent" | "count" | "other" | "missing"
    values: list[YearValue]
    formula: Formula
    criteria: list[Criterion] = field(default_factory=list)
    source: Source | None = None
    name_orig: str = ""  # the name as printed, before repairs
    row: int = 0  # position of the row in the act, 0-based, for stable ordering
    warnings_codes: tuple[str, ...] = ()  # what extraction had to mend in this row
    number_text: str = ""  # the number as printed: "3", "1.1" (``number`` is None for "1.1")

    def value(self, year: int) -> YearValue | None:
        return next((v for v in self.values if v.year == year), None)


@dataclass(slots=True)
class Section:
    ref: SectionRef
    parts: list[PartRef]
    source: Source | None = None


@dataclass(slots=True)
class Notice:
    """Something the reader had to mend, could not read or wants a person to see (not a rule
    finding: those are legalkpi.findings.Finding)."""

    code: str
    message: str
    source: Source | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "source": self.source.to_dict() if self.source else None}


@dataclass(slots=True)
class ActRecord:
    """Everything ``extract`` gives for one file."""

    act: Act
    agencies: list[Agency]
    sections: list[Section]
    indicators: list[Indicator]
    warnings: list[Notice] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    abbreviations: list[tuple[str, str]] = field(default_factory=list)  # the act's own list: (short, expansion)
    file: str = ""
    encoding: str = "utf-8"
    sha256: str = ""
