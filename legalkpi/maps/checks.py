"""Checks of one filled map against the Rules 601/НҚ (as amended by 251 НҚ) and their appendix form.

Each code comes from one point of the Rules; :data:`CODES` is the table the README prints. One
cause gives one finding: a value that still holds the form's instruction text is reported as such
and not checked again; the schedule's and the Gantt's years are compared with the period only when
the period itself is right.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from legalkpi.findings import Finding
from legalkpi.maps import form
from legalkpi.maps.form import (
    CASE_FIELDS,
    CASE_LABELS,
    CODE_ORDER,
    FAST_TRACK_LABELS,
    PASSPORT_FIELDS,
    PASSPORT_LABELS,
    PERIOD_YEARS,
    REENGINEERING_STATUSES,
    SCHEDULE_CODES,
    MapRecord,
    Sphere,
    Value,
    fold,
)
from legalkpi.maps.reader import ReadMap
from legalkpi.provenance import Source
from legalkpi.text import fold_spaces


@dataclass(frozen=True)
class Code:
    severity: str
    rule: str  # the point of the Rules it comes from
    meaning: str


APPENDIX = "приложение к Правилам (п. 17-1)"
CODES: dict[str, Code] = {
    "period-not-five-years": Code("error", "п. 16; п. 17 пп. 3)", "«Сроки реализации» is not a five-year period (or cannot be read as YYYY-YYYY)"),
    "field-missing": Code("error", "п. 17-1", "a field or part of the form is absent (passport row, case row, fast-track row, a sphere's description, subjects, problems, technologies, cases, schedule)"),
    "field-empty": Code("error", "п. 17-1", "a field of the form is present but not filled"),
    "form-instruction": Code("error", "п. 17-1", "the form's instruction or placeholder text is left in place of a value"),
    "unread-text": Code("warning", "п. 17-1", "text that fits no part of the form (kept, not read)"),
    "field-repeated": Code("warning", "п. 17-1", "a field of the form is given twice; the last one is read"),
    "sphere-not-described": Code("error", f"п. 17 пп. 2); {APPENDIX}: раздел «формируется для каждой сферы»", "a sphere listed in the passport has no sphere section"),
    "sphere-not-in-passport": Code("error", f"{APPENDIX}: паспорт, «Сфера, охваченные картой»", "a sphere section is not listed in the passport"),
    "reengineering-status": Code("error", f"{APPENDIX}: «Статус реинжиниринга» — одно из: планируется, в работе, внедрено", "a case's reengineering status is not one of the allowed values"),
    "automation-status": Code("error", f"{APPENDIX}: «Статус автоматизации» — Да (наименование ИС) / нет", "a case's automation status is neither «Да» nor «Нет»"),
    "automation-systems-missing": Code("error", f"{APPENDIX}: «Да (наименование информационных систем)»; п. 38", "automation «Да» names no information system"),
    "case-subject-unknown": Code("warning", f"п. 17 пп. 2); {APPENDIX}: «Наименования субъекта или объекта регулирования»", "a case's subject/object is not among the sphere's subjects/objects of regulation"),
    "subject-count": Code("warning", f"{APPENDIX}: «Субъекты / объекты регулирования», Кол-во", "the count of a subject/object of regulation is not a number"),
    "schedule-code": Code("error", f"п. 17 пп. 3); {APPENDIX}: R, F, D", "a quarter of the schedule holds something other than R, F or D"),
    "schedule-code-order": Code("error", "пп. 29, 35, 36; приложение: R → F → D", "within a process a code comes after a later stage (F or D before R, D before F)"),
    "schedule-process-empty": Code("error", "п. 17 пп. 3); п. 26", "a process of the schedule has no quarter filled"),
    "schedule-case-unknown": Code("error", f"п. 17 пп. 3); {APPENDIX}: 1.2", "the schedule names a case that the sphere's cases do not hold"),
    "schedule-process-unknown": Code("warning", f"{APPENDIX}: «Название кейса (под процесса)»", "a process of the schedule is not among its case's business processes"),
    "case-not-scheduled": Code("error", f"п. 17 пп. 3); {APPENDIX}: «Раздел 1.2 охватывает все кейсы»", "a case of the sphere has no row in the schedule"),
    "schedule-period": Code("error", "п. 17 пп. 3) (на 5-летний период)", "the schedule's years differ from the map's period"),
    "gantt-code": Code("error", f"{APPENDIX}: сводный график, R / F / D", "a Gantt cell holds something other than R, F, D joined by «и»"),
    "gantt-mismatch": Code("error", f"п. 26; {APPENDIX}: сводный график", "the Gantt's codes for a sphere and year differ from the codes of that year in the sphere's quarterly schedule"),
    "gantt-sphere-missing": Code("error", f"{APPENDIX}: сводный график трансформации сфер", "a sphere section has no row in the summary Gantt chart"),
    "gantt-sphere-unknown": Code("error", f"{APPENDIX}: сводный график трансформации сфер", "a Gantt row names no sphere section"),
    "gantt-period": Code("error", f"{APPENDIX}: «пятилетним периодом»", "the Gantt's years differ from the map's period"),
    "fast-track-count": Code("error", f"{APPENDIX}: 1.4 «по одному на каждую сферу»", "a sphere has no fast-track project, or more than one"),
    "fast-track-case-unknown": Code("error", f"{APPENDIX}: 1.4 «из перечисленных выше»", "the fast-track project names a case (or process) the sphere does not hold"),
    "fast-track-sphere": Code("error", f"{APPENDIX}: 1.4 «Сфера»", "the fast-track project's sphere is not the sphere it stands in"),
    "basis-without-rules": Code("warning", f"п. 17-1; {APPENDIX}: «Основание для разработки»", "the basis does not cite the Rules of digital transformation"),
}

# Points the checks cover, and points a single map cannot show (printed in the README).
NOT_CHECKABLE = {
    "п. 16 (3 months from the Rules)": "needs the date the draft was made",
    "п. 17 пп. 1) (link with the planning system's targets)": "needs the planning documents' indicators",
    "п. 17 пп. 4), 7), 8); пп. 39–40 (data, organisational unity, services analysis)": "not in the form's fields",
    "пп. 18–19 (targets reasonable, measurable)": "a judgement on the plans of development",
    "п. 20 (pilots, annexed documents)": "annexes are separate documents",
    "п. 21 (budget)": "budget documents",
    "пп. 22–24 (approval in 10 working days, approval, publication in 3 days)": "dates of the procedure",
    "пп. 25–37 (monitoring, project team, reengineering steps)": "what happens after approval",
    "п. 38 (automation per the e-government architecture)": "needs the architecture portal",
    "пп. 41–42 (changes at most once in 6 months)": "needs the map's earlier versions",
}


def finding(code: str, message: str, source: Source | None, *, subject: str | None = None,
            field: str | None = None, year: int | None = None, **data: object) -> Finding:  # fmt: skip
    c = CODES[code]
    return Finding(code=code, severity=c.severity, message=message, source=source, subject=subject,
                   field=field, year=year, data={"rule": c.rule, **data})  # fmt: skip


def check_map(read: ReadMap) -> list[Finding]:
    """Every finding of one map, in document order."""
    rec = read.record
    out: list[Finding] = []
    for text, src in read.instructions:
        out.append(finding("form-instruction", f"the form's instruction text is left in place: «{_short(text)}»", src))
    for text, src in read.unread:
        out.append(finding("unread-text", f"text that fits no part of the form: «{_short(text)}»", src))
    for where, label, src in read.repeated:
        out.append(finding("field-repeated", f"{where}: «{label}» is given twice; the last one is read", src, subject=where))
    out += _passport(read)
    listed = [fold(_strip_sphere(s)) for s in rec.passport.items("spheres")]
    for s in rec.spheres:
        out += _sphere(rec, s)
        if listed and fold(s.name) not in listed:
            out.append(finding("sphere-not-in-passport", f"sphere section «{s.name}» is not listed in the passport", s.source, subject=s.name))
    names = {fold(s.name) for s in rec.spheres}
    v = rec.passport.fields.get("spheres")
    for item in rec.passport.items("spheres"):
        if fold(_strip_sphere(item)) not in names and not form.is_instruction(item):
            out.append(finding("sphere-not-described", f"sphere «{item}» is listed in the passport but has no section", v.source if v else None, subject=item))
    for g in rec.gantt_unplaced:
        missing = [s.name for s in rec.spheres if s.gantt is None]
        hint = f"; spheres without a Gantt row: {', '.join(missing)}" if missing else ""
        out.append(finding("gantt-sphere-unknown", f"the Gantt row «{g.sphere}» names no sphere section{hint}", g.source, subject=g.sphere))
    out += _gantt_years(rec)
    return out


def _strip_sphere(text: str) -> str:
    return re.sub(r"^\s*(?:\d+[.)]\s*)?(?:сфера\s*\d*\s*[-–—:.]\s*)?", "", text, flags=re.IGNORECASE).strip()


def _short(text: str, n: int = 80) -> str:
    t = fold_spaces(text)
    return t if len(t) <= n else t[: n - 1] + "…"


def _filled(value: Value | None, where: str, label: str, fallback: Source | None, subject: str) -> Iterator[Finding]:
    """field-missing / field-empty / form-instruction for one value; nothing when it is filled."""
    if value is None:
        yield finding("field-missing", f"{where}: the form's field «{label}» is missing", fallback, subject=subject, field=label)
    elif not value.text.strip():
        yield finding("field-empty", f"{where}: «{label}» is not filled", value.source, subject=subject, field=label)
    elif form.is_instruction(value.text) or (value.items and any(form.is_instruction(i) for i in value.items)):
        yield finding("form-instruction", f"{where}: «{label}» still holds the form's instruction text «{_short(value.text)}»",
                      value.source, subject=subject, field=label)  # fmt: skip


def _ok(value: Value | None) -> bool:
    return value is not None and bool(value.text.strip()) and not form.is_instruction(value.text) and not any(
        form.is_instruction(i) for i in value.items
    )


def _passport(read: ReadMap) -> list[Finding]:
    rec = read.record
    p = rec.passport
    out: list[Finding] = []
    if p.source is None:
        return [finding("field-missing", "the passport table is missing", Source(rec.file), field="passport")]
    for key, _ in PASSPORT_FIELDS:
        out += _filled(p.fields.get(key), "passport", PASSPORT_LABELS[key], p.source, "passport")
    period = p.fields.get("period")
    if _ok(period) and period is not None:
        years = form.parse_period(period.text)
        if years is None or years[1] - years[0] + 1 != PERIOD_YEARS:
            span = f"{years[1] - years[0] + 1} years" if years else "no YYYY-YYYY span"
            out.append(finding("period-not-five-years", f"«Сроки реализации» is «{period.text}»: {span}, the Rules ask for five",
                               period.source, subject="passport", field="period"))  # fmt: skip
    basis = p.fields.get("basis")
    if _ok(basis) and basis is not None and "правил" not in fold(basis.text):
        out.append(finding("basis-without-rules", f"«Основание для разработки» does not cite the Rules: «{_short(basis.text)}»",
                           basis.source, subject="passport", field="basis"))  # fmt: skip
    return out


def _good_period(rec: MapRecord) -> list[int] | None:
    if rec.period and rec.period[1] - rec.period[0] + 1 == PERIOD_YEARS:
        return list(range(rec.period[0], rec.period[1] + 1))
    return None


def _sphere(rec: MapRecord, s: Sphere) -> list[Finding]:
    out: list[Finding] = []
    where = f"sphere {s.number} «{s.name}»"
    parts = {"description": "Описание", "subjects": "Субъекты / объекты регулирования", "problems": "Проблемы сферы",
             "technologies": "Перспективные технологии", "cases": "Кейсы", "schedule": "План график"}  # fmt: skip
    for part, label in parts.items():
        if part not in s.seen:
            out.append(finding("field-missing", f"{where}: the part «{label}» is missing", s.source, subject=s.name, field=label))
    if "description" in s.seen and not (s.description and s.description.text.strip()):
        out.append(finding("field-empty", f"{where}: «Описание» is not filled", s.source, subject=s.name, field="Описание"))
    for part, items in (("problems", s.problems), ("technologies", s.technologies)):
        if part in s.seen and not items:
            out.append(finding("field-empty", f"{where}: «{parts[part]}» is not filled", s.source, subject=s.name, field=parts[part]))
    if "subjects" in s.seen and not s.subjects:
        out.append(finding("field-empty", f"{where}: no subject or object of regulation", s.source, subject=s.name, field=parts["subjects"]))
    for sub in s.subjects:
        if sub.count and not re.fullmatch(r"[\d\s\u00a0\u202f]+(?:[.,]\d+)?", sub.count.strip()):
            out.append(finding("subject-count", f"{where}: the count of «{sub.name}» is «{sub.count}», not a number", sub.count_source, subject=sub.name, field="count"))
        elif not sub.count:
            out.append(finding("field-empty", f"{where}: the count of «{sub.name}» is not filled", sub.source, subject=sub.name, field="count"))
    if "cases" in s.seen and not s.cases:
        out.append(finding("field-empty", f"{where}: no case", s.source, subject=s.name, field="Кейсы"))
    subjects = {fold(x.name) for x in s.subjects}
    for case in s.cases:
        out += _case(s, case, subjects)
    out += _schedule(rec, s)
    out += _fast_track(s)
    out += _gantt(rec, s)
    return out


def _case(s: Sphere, case: form.Case, subjects: set[str]) -> list[Finding]:
    out: list[Finding] = []
    where = f"sphere {s.number}, case «{case.name}»"
    for key, _ in CASE_FIELDS:
        out += _filled(case.fields.get(key), where, CASE_LABELS[key], case.source, case.name)
    status = case.fields.get("reengineering")
    if _ok(status) and status is not None and fold(status.text).rstrip(".") not in REENGINEERING_STATUSES:
        out.append(finding("reengineering-status", f"{where}: «Статус реинжиниринга» is «{status.text}»; allowed: "
                           + ", ".join(REENGINEERING_STATUSES), status.source, subject=case.name, field="reengineering"))  # fmt: skip
    auto = case.fields.get("automation")
    if _ok(auto) and auto is not None:
        state, systems = form.parse_automation(auto.text)
        if not state:
            out.append(finding("automation-status", f"{where}: «Статус автоматизации» is «{_short(auto.text)}», neither «Да» nor «Нет»",
                               auto.source, subject=case.name, field="automation"))  # fmt: skip
        elif state == "да" and not systems:
            out.append(finding("automation-systems-missing", f"{where}: automation «{auto.text}» names no information system",
                               auto.source, subject=case.name, field="automation"))  # fmt: skip
    sub = case.fields.get("subject")
    if _ok(sub) and sub is not None and subjects and fold(sub.text) not in subjects:
        out.append(finding("case-subject-unknown", f"{where}: subject/object «{sub.text}» is not among the sphere's subjects/objects of regulation",
                           sub.source, subject=case.name, field="subject"))  # fmt: skip
    return out


def _schedule(rec: MapRecord, s: Sphere) -> list[Finding]:
    out: list[Finding] = []
    where = f"sphere {s.number}, schedule"
    cases = {fold(c.name): c for c in s.cases}
    period = _good_period(rec)
    if period and s.schedule_years and s.schedule_years != period:
        out.append(finding("schedule-period", f"{where}: the years are {_years(s.schedule_years)}, the period is {_years(period)}",
                           s.schedule_source, subject=s.name))  # fmt: skip
    scheduled = set()
    unknown_cases: set[str] = set()
    for row in s.schedule:
        subject = f"{row.case} / {row.process}" if row.case else row.process
        case = cases.get(fold(row.case))
        if case is None:
            if row.case not in unknown_cases:
                unknown_cases.add(row.case)
                what = f"case «{row.case}»" if row.case else "no case"
                out.append(finding("schedule-case-unknown", f"{where}: process «{row.process}» stands under {what}, which the sphere's cases do not hold",
                                   row.case_source or row.source, subject=subject))  # fmt: skip
        else:
            scheduled.add(fold(case.name))
            if fold(row.process) not in {fold(p) for p in case.items("processes")}:
                out.append(finding("schedule-process-unknown", f"{where}: process «{row.process}» is not among the business processes of case «{case.name}»",
                                   row.source, subject=subject))  # fmt: skip
        if not row.unit:
            out.append(finding("field-empty", f"{where}: process «{row.process}» has no responsible unit", row.source, subject=subject, field="unit"))
        if not row.quarters:
            out.append(finding("schedule-process-empty", f"{where}: process «{row.process}» has no quarter filled", row.source, subject=subject))
            continue
        latest = ("", -1)
        for q in sorted(row.quarters):
            code = row.quarters[q]
            if code not in SCHEDULE_CODES:
                out.append(finding("schedule-code", f"{where}: «{row.process}» {q} holds «{code}»; the codes are R, F, D",
                                   row.cells.get(q, row.source), subject=subject, field=q, year=int(q[:4])))  # fmt: skip
                continue
            if CODE_ORDER[code] < latest[1]:
                out.append(finding("schedule-code-order", f"{where}: «{row.process}» has {code} in {q} after {latest[0]}; the order is R, then F, then D",
                                   row.cells.get(q, row.source), subject=subject, field=q, year=int(q[:4])))  # fmt: skip
                break
            latest = (f"{code} in {q}" if CODE_ORDER[code] > latest[1] else latest[0], max(latest[1], CODE_ORDER[code]))
    if "schedule" in s.seen and not unknown_cases:  # else a misnamed case is reported once, as unknown
        for c in s.cases:
            if fold(c.name) not in scheduled:
                out.append(finding("case-not-scheduled", f"sphere {s.number}: case «{c.name}» has no row in the schedule", c.source, subject=c.name))
    return out


def _years(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]}" if years == list(range(years[0], years[-1] + 1)) else ", ".join(map(str, years))


def _fast_track(s: Sphere) -> list[Finding]:
    out: list[Finding] = []
    where = f"sphere {s.number}, fast track"
    if len(s.fast_track) != 1:
        n = len(s.fast_track)
        out.append(finding("fast-track-count", f"sphere {s.number} «{s.name}» has {n} fast-track projects; the form asks for one per sphere",
                           s.fast_track[1].source if n > 1 else s.source, subject=s.name))  # fmt: skip
    known = {fold(c.name) for c in s.cases} | {fold(p) for c in s.cases for p in c.items("processes")}
    for ft in s.fast_track:
        for key, label in FAST_TRACK_LABELS.items():
            out += _filled(ft.fields.get(key), where, label, ft.source, s.name)
        sphere = ft.fields.get("sphere")
        if _ok(sphere) and sphere is not None and fold(_strip_sphere(sphere.text)) != fold(s.name):
            out.append(finding("fast-track-sphere", f"{where}: «Сфера» is «{sphere.text}», the section is «{s.name}»",
                               sphere.source, subject=s.name, field="sphere"))  # fmt: skip
        case = ft.fields.get("case")
        if _ok(case) and case is not None and fold(case.text) not in known:
            out.append(finding("fast-track-case-unknown", f"{where}: case «{case.text}» is not among the sphere's cases or processes",
                               case.source, subject=case.text, field="case"))  # fmt: skip
    return out


def gantt_codes(text: str) -> tuple[set[str], list[str]]:
    """A Gantt cell's codes and the tokens that are not codes: 'R и F' -> ({'R', 'F'}, [])."""
    tokens = form.codes_of(text)
    return {t for t in tokens if t in SCHEDULE_CODES}, [t for t in tokens if t not in SCHEDULE_CODES]


def _gantt(rec: MapRecord, s: Sphere) -> list[Finding]:
    out: list[Finding] = []
    g = s.gantt
    if g is None:
        if not rec.gantt_unplaced:  # else the unplaced row is reported, most likely this sphere misnamed
            out.append(finding("gantt-sphere-missing", f"sphere {s.number} «{s.name}» has no row in the summary Gantt chart",
                               rec.gantt_source or s.source, subject=s.name))  # fmt: skip
        return out
    by_year: dict[str, set[str]] = {}
    for row in s.schedule:
        for q, code in row.quarters.items():
            if code in SCHEDULE_CODES:
                by_year.setdefault(q[:4], set()).add(code)
    years = sorted(set(by_year) | set(g.years) | {str(y) for y in rec.gantt_years})
    for y in years:
        codes, bad = gantt_codes(g.years.get(y, ""))
        src = g.cells.get(y, g.source)
        if bad:
            out.append(finding("gantt-code", f"Gantt, «{s.name}» {y}: «{g.years[y]}» holds {', '.join(bad)}; the codes are R, F, D",
                               src, subject=s.name, year=int(y)))  # fmt: skip
            continue
        want = by_year.get(y, set())
        if s.schedule and codes != want:
            out.append(finding("gantt-mismatch", f"Gantt, «{s.name}» {y}: «{g.years.get(y, '')}» but the schedule has {_codes(want)} that year",
                               src, subject=s.name, year=int(y), gantt=_codes(codes), schedule=_codes(want)))  # fmt: skip
    return out


def _codes(codes: set[str]) -> str:
    return " и ".join(sorted(codes, key=CODE_ORDER.__getitem__)) or "nothing"


def _gantt_years(rec: MapRecord) -> list[Finding]:
    period = _good_period(rec)
    if period and rec.gantt_years and rec.gantt_years != period:
        return [finding("gantt-period", f"the Gantt's years are {_years(rec.gantt_years)}, the period is {_years(period)}", rec.gantt_source)]
    return []
