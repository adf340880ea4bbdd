"""Hand-written digital transformation maps, filled as a ministry would fill the form of the Rules 601/НҚ.

``clean()`` is one map with no mistake, written in the shape ``legalkpi map --format json`` gives
(``map``): the test reads it back from DOCX, PDF and the converter's text and expects this record.
``PLANTED`` lists maps with ONE realistic mistake each: how the clean map is changed, and the one
finding a person expects (its code and the place: a key of the renderer's address book).
Quarters are written per process as five groups of four characters, one per year, "." for empty.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

YEARS = (2025, 2026, 2027, 2028, 2029)

BASIS = (
    "Административный процедурно-процессуальный кодекс Республики Казахстан, Правила цифровой трансформации "
    "государственного управления, утвержденные приказом исполняющего обязанности Министра цифрового развития, "
    "инноваций и аэрокосмической промышленности Республики Казахстан от 27 сентября 2024 года № 601/НҚ"
)
PRINCIPLES = (
    "При разработке карты цифровой трансформации отрасли учитываются принципы цифровой трансформации, "
    "отраженные в Правилах цифровой трансформации государственного управления: управленческая ответственность, "
    "цифровизация по умолчанию, приоритет сущности над формой, оптимальность регламентации, непрерывное совершенствование."
)


def quarters(plan: str) -> dict[str, str]:
    """'RRFF FFFF .... .... ....' -> {'2025-Q1': 'R', '2025-Q2': 'R', '2025-Q3': 'F', ...}."""
    groups = plan.split()
    assert len(groups) == len(YEARS) and all(len(g) == 4 for g in groups), plan
    return {f"{y}-Q{q + 1}": ch for y, g in zip(YEARS, groups, strict=True) for q, ch in enumerate(g) if ch != "."}


def row(case: str, process: str, unit: str, plan: str) -> dict[str, Any]:
    return {"case": case, "process": process, "unit": unit, "quarters": quarters(plan)}


S1_C1 = "Прикрепление к организации ПМСП"
S1_C2 = "Выдача медицинских справок"
S2_C1 = "Электронный рецепт"
S2_C2 = "Лицензирование фармацевтической деятельности"
DOMP = "Департамент организации медицинской помощи"
KF = "Комитет фармации"


def clean() -> dict[str, Any]:
    return copy.deepcopy(_CLEAN)


_CLEAN: dict[str, Any] = {
    "title": "Карта цифровой трансформации отрасли «Здравоохранение» Министерство здравоохранения Республики Казахстан",
    "preamble": ["Утверждена приказом Министра здравоохранения Республики Казахстан", "Приложение к приказу"],
    "passport": {
        "name": "Карта цифровой трансформации отрасли здравоохранения Республики Казахстан на 2025–2029 годы",
        "goal": "Повышение доступности и качества медицинской помощи за счет перевода процессов отрасли в цифровой формат и использования данных",
        "planning_documents": [
            "Концепция развития здравоохранения Республики Казахстан до 2026 года",
            "План развития Министерства здравоохранения Республики Казахстан на 2024–2028 годы",
        ],
        "spheres": ["Первичная медико-санитарная помощь", "Лекарственное обеспечение"],
        "principles": PRINCIPLES,
        "developer": "Министерство здравоохранения Республики Казахстан",
        "implementers": [
            "Комитет медицинского и фармацевтического контроля",
            "РГП на ПХВ «Республиканский центр электронного здравоохранения»",
            "Местные исполнительные органы областей, городов Астаны, Алматы и Шымкента",
        ],
        "basis": BASIS,
        "period": "2025–2029 годы",
    },
    "period": {"from": 2025, "to": 2029},
    "spheres": [
        {
            "number": 1,
            "name": "Первичная медико-санитарная помощь",
            "description": (
                "Первичная медико-санитарная помощь оказывается 1 250 организациями прикрепленному населению "
                "численностью 20,1 млн человек. Ключевой индикатор Плана развития – доля посещений, записанных "
                "через цифровые каналы, с 45 % в 2024 году до 80 % в 2029 году."
            ),
            "subjects": [
                {"name": "Организации ПМСП", "count": "1 250", "gdp": "1,2 %",
                 "lifecycle": "Лицензирование, прикрепление населения, оказание помощи, отчетность"},
                {"name": "Прикрепленное население", "count": "20 100 000", "gdp": "не применимо",
                 "lifecycle": "Прикрепление, запись на прием, получение справок"},
            ],  # fmt: skip
            "problems": [
                "Очереди в регистратуре при записи на прием",
                "Бумажные справки, которые граждане приносят в другие организации",
                "Жалобы на отказ в прикреплении к выбранной поликлинике",
            ],
            "technologies": [
                "Запись на прием через мобильное приложение eGov Mobile",
                "Прогнозирование нагрузки на участки с применением ИИ",
            ],
            "cases": [
                {
                    "name": S1_C1,
                    "processes": [
                        "Прикрепление гражданина к поликлинике",
                        "Открепление и смена поликлиники",
                        "Учет прикрепленного населения",
                    ],
                    "ai_use": ["Прогноз нагрузки на участки по данным прикрепления", "Проверка заявлений на прикрепление"],
                    "units": [DOMP, "РГП на ПХВ «Республиканский центр электронного здравоохранения»"],
                    "functions": [
                        "организация оказания первичной медико-санитарной помощи",
                        "ведение регистра прикрепленного населения",
                    ],
                    "services": ["Прикрепление к медицинской организации, оказывающей первичную медико-санитарную помощь"],
                    "automation": {
                        "status": "да",
                        "systems": ["ИС «Регистр прикрепленного населения»", "портал «электронного правительства»"],
                        "text": "Да (ИС «Регистр прикрепленного населения», портал «электронного правительства»)",
                    },
                    "subject": "Прикрепленное население",
                    "reengineering": "в работе",
                },
                {
                    "name": S1_C2,
                    "processes": [
                        "Выдача справки о состоянии здоровья (форма 075/у)",
                        "Выдача справки для водителей транспортных средств",
                    ],
                    "ai_use": ["Заполнение справки по данным электронного паспорта здоровья"],
                    "units": [DOMP],
                    "functions": ["утверждение форм учетной и отчетной документации в области здравоохранения"],
                    "services": [
                        "Выдача справки с медицинской организации, оказывающей первичную медико-санитарную помощь",
                        "Выдача медицинской справки для водителей",
                    ],
                    "automation": {"status": "нет", "systems": [], "text": "Нет"},
                    "subject": "Организации ПМСП",
                    "reengineering": "планируется",
                },
            ],
            "schedule": [
                row(S1_C1, "Прикрепление гражданина к поликлинике", DOMP, "RRFF FFFF .... .... ...."),
                row(S1_C1, "Открепление и смена поликлиники", DOMP, "..RR FFFF FFDD .... ...."),
                row(S1_C1, "Учет прикрепленного населения", DOMP, "RRFF FF.. .... .... ...."),
                row(S1_C2, "Выдача справки о состоянии здоровья (форма 075/у)", DOMP, ".... RRRF FFFF DD.. ...."),
                row(S1_C2, "Выдача справки для водителей транспортных средств", DOMP, ".... ..RR FFFF FDDD DD.."),
            ],
            "fast_track": [
                {
                    "sphere": "Первичная медико-санитарная помощь",
                    "case": S1_C1,
                    "importance": "Больше всего жалоб граждан (около 12 тысяч в год) и ручная сверка списков прикрепления",
                    "effects": "Прикрепление за один день без посещения поликлиники; точные списки для подушевого финансирования",
                    "solutions": "Проактивное прикрепление новорожденных по данным ЗАГС (опыт Эстонии)",
                }
            ],
            "gantt": {"2025": "R и F", "2026": "R и F", "2027": "F и D", "2028": "F и D", "2029": "D"},
            "gantt_unit": DOMP,
        },
        {
            "number": 2,
            "name": "Лекарственное обеспечение",
            "description": (
                "Лекарственное обеспечение на амбулаторном уровне получают 2,3 млн пациентов через 9 800 аптечных "
                "организаций. Индикатор Концепции – доля рецептов, выписанных в электронном виде, 100 % к 2026 году."
            ),
            "subjects": [
                {"name": "Аптечные организации", "count": "9 800", "gdp": "0,4 %",
                 "lifecycle": "Лицензирование, закуп, отпуск лекарственных средств"},
                {"name": "Пациенты на амбулаторном лекарственном обеспечении", "count": "2 300 000", "gdp": "не применимо",
                 "lifecycle": "Учет, выписка рецепта, отпуск лекарственных средств"},
            ],  # fmt: skip
            "problems": ["Отсутствие лекарств по рецепту в ближайшей аптеке", "Долгое переоформление лицензий"],
            "technologies": ["Мониторинг остатков лекарств в аптеках в реальном времени"],
            "cases": [
                {
                    "name": S2_C1,
                    "processes": ["Выписка электронного рецепта", "Отпуск лекарственных средств по электронному рецепту"],
                    "ai_use": ["Проверка совместимости назначенных лекарств"],
                    "units": [KF],
                    "functions": ["организация лекарственного обеспечения"],
                    "services": ["Отпуск лекарственных средств в рамках гарантированного объема бесплатной медицинской помощи"],
                    "automation": {"status": "да", "systems": ["ИС «Электронный рецепт»"], "text": "Да (ИС «Электронный рецепт»)"},
                    "subject": "Пациенты на амбулаторном лекарственном обеспечении",
                    "reengineering": "внедрено",
                },
                {
                    "name": S2_C2,
                    "processes": ["Выдача лицензии на фармацевтическую деятельность", "Переоформление лицензии"],
                    "ai_use": ["Оценка рисков заявителя перед выдачей лицензии"],
                    "units": [KF, "Территориальные департаменты Комитета фармации"],
                    "functions": ["лицензирование фармацевтической деятельности"],
                    "services": ["Выдача лицензии на фармацевтическую деятельность", "Переоформление лицензии на фармацевтическую деятельность"],
                    "automation": {"status": "да", "systems": ["ГБД «Е-лицензирование»"], "text": "Да (ГБД «Е-лицензирование»)"},
                    "subject": "Аптечные организации",
                    "reengineering": "в работе",
                },
            ],
            "schedule": [
                row(S2_C1, "Выписка электронного рецепта", KF, "FFFF DDDD .... .... ...."),
                row(S2_C1, "Отпуск лекарственных средств по электронному рецепту", KF, "FFFF FFDD DD.. .... ...."),
                row(S2_C2, "Выдача лицензии на фармацевтическую деятельность", KF, "RR.. FFFF FFFF DDDD ...."),
                row(S2_C2, "Переоформление лицензии", KF, "..RR RFFF FFFF FFFF DD.."),
            ],
            "fast_track": [
                {
                    "sphere": "Лекарственное обеспечение",
                    "case": S2_C2,
                    "importance": "Долгие сроки и бумажные документы при переоформлении лицензий",
                    "effects": "Переоформление без участия заявителя по данным государственных баз",
                    "solutions": "Реестровая модель лицензирования (опыт Сингапура)",
                }
            ],
            "gantt": {"2025": "R и F", "2026": "R, F и D", "2027": "F и D", "2028": "F и D", "2029": "D"},
            "gantt_unit": KF,
        },
    ],
}


@dataclass(frozen=True)
class Planted:
    name: str
    change: Callable[[dict[str, Any]], None]
    code: str
    place: str  # the renderer's address-book key of the cell the finding must name


def _set(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(m: dict[str, Any]) -> None:
        node: Any = m
        for k in path[:-1]:
            node = node[k]
        node[path[-1]] = value

    return change


def _sched(sphere: int, k: int, plan: str) -> Callable[[dict[str, Any]], None]:
    def change(m: dict[str, Any]) -> None:
        m["spheres"][sphere]["schedule"][k]["quarters"] = quarters(plan)

    return change


def _more_spheres(m: dict[str, Any]) -> None:
    m["passport"]["spheres"].append("Медицинское образование и наука")


PLANTED: tuple[Planted, ...] = (
    # the period runs six years
    Planted("period-six-years", _set(("passport", "period"), "2025–2030 годы"), "period-not-five-years", "passport/period"),
    # the form's placeholder for public services left as it was
    Planted(
        "services-left-as-form",
        _set(("spheres", 0, "cases", 1, "services"),
             "Перечисление связанных государственных услуг (из Реестра государственных услуг) - ... - ..."),  # fmt: skip
        "form-instruction",
        "s0/c1/services",
    ),
    # a status outside the form's list
    Planted("status-finished", _set(("spheres", 1, "cases", 0, "reengineering"), "завершено"), "reengineering-status", "s1/c0/reengineering"),
    # automation "Да" without the information systems
    Planted(
        "automation-yes-without-systems",
        _set(("spheres", 1, "cases", 1, "automation"), {"status": "да", "systems": [], "text": "Да"}),
        "automation-systems-missing",
        "s1/c1/automation",
    ),
    # the target variant before reengineering is over: R in Q3 after F in Q2
    Planted("target-before-reengineering", _sched(0, 0, "RFRF FFFF .... .... ...."), "schedule-code-order", "s0/r0/2025-Q3"),
    # a Cyrillic "Р" (реинжиниринг) typed for the Latin code R
    Planted("cyrillic-code", _sched(1, 2, "RР.. FFFF FFFF DDDD ...."), "schedule-code", "s1/r2/2025-Q2"),
    # the Gantt forgets the optimal variant of 2027
    Planted("gantt-forgets-d", _set(("spheres", 0, "gantt", "2027"), "F"), "gantt-mismatch", "gantt/s0/2027"),
    # the fast-track project names a case the sphere does not hold
    Planted(
        "fast-track-unknown-case",
        _set(("spheres", 1, "fast_track", 0, "case"), "Лицензирование медицинской деятельности"),
        "fast-track-case-unknown",
        "s1/f0/case",
    ),
    # a sphere listed in the passport without its section
    Planted("sphere-without-section", _more_spheres, "sphere-not-described", "passport/spheres"),
)


def planted(p: Planted) -> dict[str, Any]:
    m = clean()
    p.change(m)
    return m


def _drop_schedule_of_first_case(m: dict[str, Any]) -> None:
    s = m["spheres"][1]
    s["schedule"] = [r for r in s["schedule"] if r["case"] != S2_C1]
    # the Gantt drawn from what is left, so that the missing case is the only mistake
    s["gantt"] = {"2025": "R", "2026": "R и F", "2027": "F", "2028": "F и D", "2029": "D"}


def _drop_second_passport_sphere(m: dict[str, Any]) -> None:
    m["passport"]["spheres"] = m["passport"]["spheres"][:1]


def _rename_schedule_case(m: dict[str, Any]) -> None:
    m["spheres"][0]["schedule_names"] = {S1_C2: "Выдача справок"}


# More mistakes, checked in DOCX and the converter's text (no PDF fixtures: the PDF reader is proven above).
MORE: tuple[Planted, ...] = (
    Planted("automation-partly", _set(("spheres", 1, "cases", 0, "automation"),
            {"status": "", "systems": [], "text": "Частично (ИС «Электронный рецепт»)"}), "automation-status", "s1/c0/automation"),  # fmt: skip
    Planted("subject-not-in-table", _set(("spheres", 0, "cases", 1, "subject"), "Медицинские организации"), "case-subject-unknown", "s0/c1/subject"),
    Planted("count-in-words", _set(("spheres", 1, "subjects", 0, "count"), "около 10 тысяч"), "subject-count", "s1/subject0/count"),
    Planted("process-without-quarters", _sched(0, 2, ".... .... .... .... ...."), "schedule-process-empty", "s0/r2/process"),
    Planted("schedule-case-misnamed", _rename_schedule_case, "schedule-case-unknown", f"s0/case/{S1_C2}"),
    Planted("case-left-out-of-schedule", _drop_schedule_of_first_case, "case-not-scheduled", "s1/c0/name"),
    Planted("process-renamed-in-schedule", _set(("spheres", 1, "schedule", 1, "process"), "Отпуск лекарств по рецепту"),
            "schedule-process-unknown", "s1/r1/process"),  # fmt: skip
    Planted("gantt-cyrillic-d", _set(("spheres", 1, "gantt", "2029"), "Д"), "gantt-code", "gantt/s1/2029"),
    Planted("gantt-sphere-abbreviated", _set(("spheres", 0, "gantt_name"), "ПМСП"), "gantt-sphere-unknown", "gantt/s0/name"),
    Planted("gantt-row-forgotten", _set(("spheres", 1, "gantt"), None), "gantt-sphere-missing", "table/gantt"),
    Planted("no-fast-track", _set(("spheres", 0, "fast_track"), []), "fast-track-count", "s0/heading"),
    Planted("fast-track-other-sphere", _set(("spheres", 1, "fast_track", 0, "sphere"), "Первичная медико-санитарная помощь"),
            "fast-track-sphere", "s1/f0/sphere"),  # fmt: skip
    Planted("sphere-left-out-of-passport", _drop_second_passport_sphere, "sphere-not-in-passport", "s1/heading"),
    Planted("goal-row-deleted", _set(("passport", "goal"), None), "field-missing", "table/passport"),
    Planted("ai-use-empty", _set(("spheres", 0, "cases", 0, "ai_use"), []), "field-empty", "s0/c0/ai_use"),
    Planted("signature-after-gantt", _set(("after",), ["Вице-министр здравоохранения А. Ахметов"]), "unread-text", "after/0"),
    Planted("basis-without-rules", _set(("passport", "basis"), "Административный процедурно-процессуальный кодекс Республики Казахстан"),
            "basis-without-rules", "passport/basis"),  # fmt: skip
)
