"""Issue 9: for any hand-written act and any layout, extract(render(act)) gives back the same records.

Acts are generated from hand-written vocabularies (names, units, values as printed with decimal
commas, dashes, growth targets and "5 %" weights, years 2023-2029, ministries as printed in the
two languages) and rendered by tests/render into the converter text forms, the database's HTML and
DOCX. PDF is too slow for this loop (LibreOffice): tests/test_layouts.py covers it with committed
fixtures.

Examples: 40 by default (a fast local run, ~20 s), 500 when CI=true (``HYPOTHESIS_PROFILE``
overrides). Measured on a shared 2-core machine: one example takes 40-600 ms, of which 20-340 ms
is data generation; rendering is ~1 ms for the texts and HTML and ~150 ms for DOCX, extraction
30 ms (cells), 60 ms (HTML), 100 ms (DOCX), 170 ms (PDF text) per act of ~6 rows; 500 examples
ran in 130-170 s.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from render import FORMS, SUFFIX, ActSpec, KpiRow, Layout, Part, SectionSpec, Value, render
from render.compare import assert_same

from legalkpi.api import extract_file

# CI draws the same 500 examples on every run (derandomize): a red build is then a change in the
# code, never the luck of the draw; local runs draw new examples each time and keep exploring.
settings.register_profile(
    "ci",
    max_examples=500,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "dev", max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI", "").lower() == "true" else "dev")

# --- hand-written vocabularies ------------------------------------------------------------------

WORDS = {
    "ru": (
        "доля количество государственных услуг оказанных в электронном виде информационных систем внедрение "
        "платформы цифровизации данных органов обращений граждан реестра процессов автоматизация мониторинга "
        "проектов сервисов обучения специалистов регионах сельских школ больниц и по для с на eGov KazLLM "
        "QazTECH ИИ АПК ИС"
    ).split(),
    "kk": (
        "үлесі саны мемлекеттік қызметтер электрондық түрде көрсетілген ақпараттық жүйелер енгізу платформа "
        "цифрландыру деректер органдар азаматтар өтініштер тізілім процестер автоматтандыру мониторинг жобалар "
        "сервистер оқыту мамандар өңірлер ауылдық мектептер ауруханалар және бойынша үшін арқылы eGov KazLLM "
        "QazTECH ЖИ АӨК АЖ"
    ).split(),
}
# Tokens as printed in 1157 (quotes, parentheses, numbers, Latin names), anywhere but first in a name.
TOKENS = ('"Smart Bridge"', "(топ-5)", "15 %", "2,5", "Gosagro.kz", "IIoT", "ЦОН-а", "т.б.", "(BIM)")
UNITS = {"ru": ("%", "ед.", "единиц", "млрд тенге", "дней"), "kk": ("%", "бірлік", "млрд теңге", "күн", "сағат")}
GROWTH = {"ru": "рост на {n} %", "kk": "{n} %-ға өсу"}
RATIO = {"ru": "числитель: {a}\nзнаменатель: {b}\nумножить на 100", "kk": "алымы: {a}\nбөлімі: {b}\n100-ге көбейту"}
QUANT = {"ru": "количественный показатель", "kk": "сандық көрсеткіш"}
GENERAL = {
    "ru": "Общие ключевые показатели деятельности в сфере цифровизации",
    "kk": "Цифрландыру саласындағы қызметтің жалпы түйінді көрсеткіштері",
}
# (registry id a person gives it, Russian, Kazakh): ministries as the acts print them.
MINISTRIES = (
    ("agriculture", "Министерство сельского хозяйства Республики Казахстан", "Қазақстан Республикасының Ауыл шаруашылығы министрлігі"),
    ("justice", "Министерство юстиции Республики Казахстан", "Қазақстан Республикасының Әділет министрлігі"),
    ("health", "Министерство здравоохранения Республики Казахстан", "Қазақстан Республикасының Денсаулық сақтау министрлігі"),
    ("transport", "Министерство транспорта Республики Казахстан", "Қазақстан Республикасының Көлік министрлігі"),
    ("finance", "Министерство финансов Республики Казахстан", "Қазақстан Республикасының Қаржы министрлігі"),
    (
        "industry",
        "Министерство промышленности и строительства Республики Казахстан",
        "Қазақстан Республикасының Өнеркәсіп және құрылыс министрлігі",
    ),
    ("energy", "Министерство энергетики Республики Казахстан", "Қазақстан Республикасының Энергетика министрлігі"),
    (
        "digital",
        "Министерство цифрового развития, инноваций и аэрокосмической промышленности Республики Казахстан",
        "Қазақстан Республикасының Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі",
    ),
)
PARTS = {
    "ru": ("промышленность", "строительство", "геология и недропользование"),
    "kk": ("өнеркәсіп", "құрылыс", "геология және жер қойнауын пайдалану"),
}
DASHES = ("–", "—")
PLAIN_NUMBERS = ("1", "2", "3", "4")
SUB_NUMBERS = ("1", "1.1", "1.2", "2")  # sub-numbered rows

# --- strategies ------------------------------------------------------------------------------------


def words(lang: str, min_size: int, max_size: int) -> st.SearchStrategy[str]:
    pool = WORDS[lang] + list(TOKENS)
    return st.lists(st.sampled_from(pool), min_size=min_size, max_size=max_size).map(" ".join)


def name(lang: str) -> st.SearchStrategy[str]:
    """A name starts with a capitalised word, as every row of the acts does."""
    first = st.sampled_from(WORDS[lang]).map(lambda w: w[0].upper() + w[1:])
    return st.builds(lambda a, b: f"{a} {b}", first, words(lang, 1, 8))


def decimal() -> st.SearchStrategy[str]:
    return st.builds(lambda a, b: f"{a},{b}", st.integers(0, 999), st.integers(1, 99).map(str))


def target(lang: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(0, 100000).map(str),
        decimal(),
        st.sampled_from(DASHES),
        st.integers(1, 50).map(lambda n: GROWTH[lang].format(n=n)),
        st.integers(1, 100).map(lambda n: f"{n} %"),
    )


def weight() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(1, 40).map(lambda n: f"{n} %"),
        st.integers(1, 40).map(lambda n: f"{n}%"),
        st.integers(1, 9).map(lambda n: f"{n},5 %"),
        st.just("0"),
    )


def formula(lang: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds(lambda a, b: RATIO[lang].format(a=a, b=b), words(lang, 2, 6), words(lang, 2, 6)),
        st.just(QUANT[lang]),
        st.lists(words(lang, 3, 8), min_size=1, max_size=2).map("\n".join),
    )


@st.composite
def acts(draw: st.DrawFn) -> ActSpec:
    lang = draw(st.sampled_from(["ru", "kk"]))
    n_years = draw(st.integers(1, 5))
    first = draw(st.integers(2023, 2029 - n_years + 1))
    years = tuple(range(first, first + n_years))
    weights = draw(st.sampled_from(["per-year", "single"]))

    def rows(count: int) -> tuple[KpiRow, ...]:
        out = []
        numbers = draw(st.sampled_from([PLAIN_NUMBERS, SUB_NUMBERS]))
        for k in range(1, count + 1):
            if weights == "per-year":
                values = tuple(Value(draw(target(lang)), draw(weight())) for _ in years)
                single = ""
            else:
                values = tuple(Value(draw(target(lang))) for _ in years)
                single = draw(weight())
            out.append(KpiRow(numbers[k - 1], draw(name(lang)), draw(st.sampled_from(UNITS[lang])), values, draw(formula(lang)), weight=single))
        return tuple(out)

    sections = []
    if draw(st.booleans()):
        sections.append(SectionSpec(GENERAL[lang], None, (Part("", rows(draw(st.integers(1, 3)))),)))
    chosen = draw(st.lists(st.sampled_from(MINISTRIES), min_size=1, max_size=3, unique=True))
    ordinal = 0
    for ident, ru, kk in chosen:
        ordinal += draw(st.integers(1, 3))
        n_parts = draw(st.integers(1, 2))
        titled = n_parts > 1 or draw(st.booleans())
        titles = draw(st.lists(st.sampled_from(PARTS[lang]), min_size=n_parts, max_size=n_parts, unique=True)) if titled else [""]
        parts = tuple(Part(t, rows(draw(st.integers(1, 3)))) for t in titles)
        sections.append(
            SectionSpec(ru if lang == "ru" else kk, ordinal, parts, agency_id=ident, part_in_title=titled and draw(st.booleans()))
        )
    title = "Ключевые показатели деятельности" if lang == "ru" else "Қызметтің түйінді көрсеткіштері"
    return ActSpec(lang=lang, title=title, years=years, weights=weights, sections=tuple(sections))


layouts = st.builds(
    Layout,
    header_rows=st.sampled_from([1, 2]),
    wording=st.integers(0, 2),
    sections=st.sampled_from(["rows", "tables"]),
    column_numbers=st.booleans(),
    repeat_header=st.booleans(),
    page_cut=st.sampled_from([0, 0, 2, 3]),
)


@settings(settings.get_profile(PROFILE))
@given(act=acts(), layout=layouts, form=st.sampled_from(FORMS))
def test_extract_of_render_gives_back_the_act(act: ActSpec, layout: Layout, form: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = render(act, layout, form, Path(tmp) / f"act{SUFFIX[form]}")
        assert_same(extract_file(path), act)
