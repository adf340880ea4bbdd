"""The form of the digital transformation map (appendix to the Rules 601/НҚ, point 17-1), as data.

The record follows the appendix: a passport, then per sphere its description, subjects/objects
of regulation, problems, prospective technologies, cases (groups of business processes), the
quarterly schedule (план-график) with its codes, the fast-track project, and the row of the
summary Gantt chart. The labels the form prints, the instruction texts it asks to replace and
the values it allows live here, once; the reader and the checks use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from legalkpi.provenance import Source
from legalkpi.text import fold_spaces

# ---- labels of the form (first column of its two-column tables) -------------------------------

PASSPORT_FIELDS: tuple[tuple[str, str], ...] = (
    # (field, how the form's label starts; matched on the folded text)
    ("name", "наименование карты"),
    ("goal", "цель"),
    ("planning_documents", "документ сгп"),
    ("spheres", "сфера"),
    ("principles", "принципы"),
    ("developer", "государственные органы, ответственные за разработку"),
    ("implementers", "государственные органы и организации, ответственные за реализацию"),
    ("basis", "основание для разработки"),
    ("period", "сроки реализации"),
)
PASSPORT_LABELS = {
    "name": "Наименование карты цифровой трансформации",
    "goal": "Цель",
    "planning_documents": "Документ СГП",
    "spheres": "Сфера, охваченные картой цифровой трансформации",
    "principles": "Принципы",
    "developer": "Государственные органы, ответственные за разработку карты",
    "implementers": "Государственные органы и организации, ответственные за реализацию карты",
    "basis": "Основание для разработки",
    "period": "Сроки реализации",
}
LIST_PASSPORT_FIELDS = ("planning_documents", "spheres", "implementers")

CASE_FIELDS: tuple[tuple[str, str], ...] = (
    ("processes", "бизнес-процессы"),
    ("ai_use", "перспективное использование искусственного интеллекта"),
    ("units", "ответственные структурные подразделения"),
    ("functions", "связанные функции"),
    ("services", "связанные государственные услуги"),
    ("automation", "статус автоматизации"),
    ("subject", "субъект / объект"),
    ("reengineering", "статус реинжиниринга"),
)
CASE_LABELS = {
    "processes": "Бизнес-процессы",
    "ai_use": "Перспективное использование Искусственного интеллекта",
    "units": "Ответственные структурные подразделения",
    "functions": "Связанные функции центрального государственного органа",
    "services": "Связанные государственные услуги",
    "automation": "Статус автоматизации",
    "subject": "Субъект / объект",
    "reengineering": "Статус реинжиниринга",
}
LIST_CASE_FIELDS = ("processes", "ai_use", "units", "functions", "services")
CASE_TITLE = "наименование кейса"

FAST_TRACK_FIELDS: tuple[tuple[str, str], ...] = (
    ("sphere", "сфера"),
    ("case", "наименование кейса"),
    ("importance", "сложности и важность"),
    ("effects", "потенциальные эффекты"),
    ("solutions", "перспективные решения"),
)
FAST_TRACK_LABELS = {
    "sphere": "Сфера",
    "case": "Наименование кейса",
    "importance": "Сложности и важность кейса",
    "effects": "Потенциальные эффекты",
    "solutions": "Перспективные решения или технологии",
}

# ---- allowed values --------------------------------------------------------------------------

REENGINEERING_STATUSES = ("планируется", "в работе", "внедрено")  # the form: "Одно из перечисленных"
SCHEDULE_CODES = {"R": "реинжиниринг", "F": "реализация целевого варианта процесса", "D": "реализация оптимального варианта процесса"}
CODE_ORDER = {"R": 0, "F": 1, "D": 2}  # reengineering, then the target variant, then the optimal one
QUARTERS = ("I", "II", "III", "IV")
PERIOD_YEARS = 5  # points 16 and 17.3: a five-year period

# ---- the form's own instruction texts: left in a filled map they are findings --------------------
# Folded beginnings of the placeholder and guidance texts of the appendix.
INSTRUCTIONS: tuple[str, ...] = (
    "указать наименование",
    "указывается полное наименование",
    "указывается цель карты",
    "указываются документы системы государственного планирования",
    "перечисляются сферы",
    "наименование государственного органа",
    "перечисление государственных органов",
    "данный раздел формируется",
    "общее описание сферы в один абзац",
    "перечислить проблемы",
    "перечислить перспективные технологии",
    "название субъекта или объекта",
    "количество субъектов или объектов",
    "вклад в экономику (",
    "процессы в рамках жизненного цикла",
    "перечисление бизнес-процессов",
    "бизнес-процесс ...",
    "перечисление наиболее перспективных технологий",
    "технология 1",
    "департаменты",
    "подведомственные организаци",
    "перечисление функций государственного органа",
    "перечисление связанных государственных услуг",
    "да (наименование информационных систем)",
    "наименования связанных ис",
    "наименования субъекта или объекта",
    "одно из перечисленных",
    "раздел 1.2 охватывает",
    "необходимо перечислить наиболее важные",
    "наименование сферы",
    "наименование процесса",
    "описание почему именно этот процесс",
    "какие потенциальные эффекты",
    "примеры успешного применения",
    "диаграмма ганта с отражением",
    "процесс 1",
    "сфера 1",
    "наименование кейса 1",
    "...",
    "…",
)


def fold(text: str) -> str:
    """Text as compared: lower case, ё as е, dashes and quotes unified, spaces folded."""
    t = text.casefold().replace("ё", "е")
    t = re.sub(r"[\u2010-\u2015\u2212]", "-", t)
    t = re.sub(r"[«»“”„\"']", '"', t)
    return fold_spaces(t)


def is_instruction(text: str) -> bool:
    """Whether a filled value is (or starts with) one of the form's instruction texts."""
    t = fold(text)
    if not t:
        return False
    if re.fullmatch(r"[-.…\s\d]+", t) and ("..." in t or "…" in t):
        return True
    return any(t == i or (len(i) > 4 and t.startswith(i)) for i in INSTRUCTIONS)


# ---- the record ---------------------------------------------------------------------------------


@dataclass
class Value:
    """A filled field: its text as printed, list items when the field is a list, and its place."""

    text: str
    source: Source | None = None
    items: list[str] = field(default_factory=list)


@dataclass
class Subject:
    name: str
    count: str  # as printed ("1 250")
    gdp: str
    lifecycle: str
    source: Source | None = None
    count_source: Source | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "count": self.count, "gdp": self.gdp, "lifecycle": self.lifecycle}


@dataclass
class Case:
    name: str
    fields: dict[str, Value] = field(default_factory=dict)
    source: Source | None = None

    def items(self, key: str) -> list[str]:
        v = self.fields.get(key)
        return list(v.items) if v else []

    def text(self, key: str) -> str:
        v = self.fields.get(key)
        return v.text if v else ""

    def automation(self) -> tuple[str, list[str]]:
        """("да" | "нет" | "", the information systems named)."""
        return parse_automation(self.text("automation"))

    def to_dict(self) -> dict[str, Any]:
        status, systems = self.automation()
        out: dict[str, Any] = {"name": self.name}
        for key, _ in CASE_FIELDS:
            if key == "automation":
                out["automation"] = {"status": status, "systems": systems, "text": self.text(key)}
            elif key in LIST_CASE_FIELDS:
                out[key] = self.items(key)
            else:
                out[key] = self.text(key)
        return out


@dataclass
class ScheduleRow:
    case: str
    process: str
    unit: str
    quarters: dict[str, str]  # "2025-Q1" -> "R" (only filled quarters)
    source: Source | None = None
    cells: dict[str, Source] = field(default_factory=dict)  # quarter -> its cell
    case_source: Source | None = None  # the row naming the case above the process

    def to_dict(self) -> dict[str, Any]:
        return {"case": self.case, "process": self.process, "unit": self.unit, "quarters": dict(self.quarters)}


@dataclass
class FastTrack:
    fields: dict[str, Value] = field(default_factory=dict)
    source: Source | None = None

    def text(self, key: str) -> str:
        v = self.fields.get(key)
        return v.text if v else ""

    def to_dict(self) -> dict[str, Any]:
        return {key: self.text(key) for key, _ in FAST_TRACK_FIELDS}


@dataclass
class GanttRow:
    sphere: str
    unit: str
    years: dict[str, str]  # "2025" -> "R и F" as printed (only filled years)
    source: Source | None = None
    cells: dict[str, Source] = field(default_factory=dict)


@dataclass
class Sphere:
    number: int
    name: str
    source: Source | None = None
    description: Value | None = None
    subjects: list[Subject] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    schedule: list[ScheduleRow] = field(default_factory=list)
    schedule_years: list[int] = field(default_factory=list)
    schedule_source: Source | None = None
    fast_track: list[FastTrack] = field(default_factory=list)
    gantt: GanttRow | None = None
    seen: set[str] = field(default_factory=set)  # which parts of the form the section holds

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "description": self.description.text if self.description else "",
            "subjects": [s.to_dict() for s in self.subjects],
            "problems": list(self.problems),
            "technologies": list(self.technologies),
            "cases": [c.to_dict() for c in self.cases],
            "schedule": [r.to_dict() for r in self.schedule],
            "fast_track": [f.to_dict() for f in self.fast_track],
            "gantt": dict(self.gantt.years) if self.gantt else {},
            "gantt_unit": self.gantt.unit if self.gantt else "",
        }


@dataclass
class Passport:
    fields: dict[str, Value] = field(default_factory=dict)
    source: Source | None = None

    def text(self, key: str) -> str:
        v = self.fields.get(key)
        return v.text if v else ""

    def items(self, key: str) -> list[str]:
        v = self.fields.get(key)
        return list(v.items) if v else []

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, _ in PASSPORT_FIELDS:
            out[key] = self.items(key) if key in LIST_PASSPORT_FIELDS else self.text(key)
        return out


@dataclass
class MapRecord:
    file: str
    title: str = ""  # "Карта цифровой трансформации отрасли …"
    preamble: list[str] = field(default_factory=list)  # text above the title: approval stamp, "Приложение к приказу …"
    passport: Passport = field(default_factory=Passport)
    spheres: list[Sphere] = field(default_factory=list)
    gantt_unplaced: list[GanttRow] = field(default_factory=list)  # Gantt rows naming no sphere section
    gantt_years: list[int] = field(default_factory=list)
    gantt_source: Source | None = None
    period: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "preamble": list(self.preamble),
            "passport": self.passport.to_dict(),
            "period": {"from": self.period[0], "to": self.period[1]} if self.period else None,
            "spheres": [s.to_dict() for s in self.spheres],
        }


# ---- value rules --------------------------------------------------------------------------------

_AUTOMATION = re.compile(r"^\s*(да|нет)\b\s*[:,\-–—]?\s*(.*)$", re.IGNORECASE | re.DOTALL)


def parse_automation(text: str) -> tuple[str, list[str]]:
    """'Да (ИС «А», ИС «Б»)' -> ('да', ['ИС «А»', 'ИС «Б»']); 'Нет' -> ('нет', [])."""
    m = _AUTOMATION.match(text or "")
    if not m:
        return "", []
    status = m.group(1).casefold()
    rest = m.group(2).strip()
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1]
    systems = [s.strip(" .;,") for s in re.split(r"[;\n]|,(?![^«»\"]*[»\"])", rest) if s.strip(" .;,()")]
    return status, systems


_PERIOD = re.compile(r"(\d{4})\s*[-–—]\s*(\d{4})")


def parse_period(text: str) -> tuple[int, int] | None:
    m = _PERIOD.search(text or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def codes_of(text: str) -> list[str]:
    """The codes of a Gantt or schedule cell as printed: 'R и F' -> ['R', 'F']; unknown tokens kept."""
    parts = [p for p in re.split(r"\s*(?:\bи\b|,|/|;|\+|&)\s*|\s+", text.strip()) if p]
    return parts


def quarter_key(year: int, q: int) -> str:
    return f"{year}-Q{q}"
