"""Issue 9: any table layout, nothing lost silently — fixed acceptance tests.

Every expected value here is typed in by hand (tests/render/acts.py and the small acts below) and
rendered into the document forms by tests/render; nothing is taken from our own readers' output.
PDFs are the committed ones under tests/fixtures/layouts/ (tests/fixtures/layouts/make_layouts.py).
Each silent-loss path of the issue has a test named after it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from render import FORMS, SUFFIX, ActSpec, KpiRow, Layout, Part, SectionSpec, Value, fold, render
from render.acts import (
    ACT_1157_KK,
    ACT_1157_RU,
    ACT_SILENT_LOSS_KK,
    ACT_SILENT_LOSS_RU,
    ACT_THREE_YEARS_KK,
    ACT_THREE_YEARS_RU,
    QUANT_KK,
    QUANT_RU,
    RATIO_KK,
    RATIO_RU,
    THREE_YEARS_LAYOUT,
    TWO_ROW_LAYOUT,
)
from render.compare import assert_same, got, printed_number, want

from legalkpi.api import extract_file

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def made(tmp_path: Path, act: ActSpec, layout: Layout, form: str) -> Path:
    """The act in ``form``: rendered now, or the committed PDF for ``pdf``."""
    if form == "pdf":
        raise AssertionError("PDFs are committed fixtures: use pdf_fixture()")
    return render(act, layout, form, tmp_path / f"act-{act.lang}-{layout.describe()}{SUFFIX[form]}")


def pdf_fixture(stem: str) -> Path:
    path = LAYOUTS / f"{stem}.pdf"
    assert path.is_file(), f"missing committed fixture {path}: run tests/fixtures/layouts/make_layouts.py"
    return path


# --- Resolution 1157 in the two-row-header layout of the issue --------------------------------------

ACTS_1157 = {"ru": ACT_1157_RU, "kk": ACT_1157_KK}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_1157_two_row_header_layout(tmp_path: Path, lang: str, form: str) -> None:
    """Each year spans "значение | удельный вес"; all ministries in one table, titles as spanning rows."""
    act = ACTS_1157[lang]
    record = extract_file(made(tmp_path, act, TWO_ROW_LAYOUT, form))
    assert_same(record, act)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_1157_two_row_header_layout_pdf(lang: str) -> None:
    """Two pages: the header is printed again on page 2 and a row is cut by the page break."""
    import pdfplumber

    act = ACTS_1157[lang]
    path = pdf_fixture(f"1157-{lang}-two-row-header")
    with pdfplumber.open(path) as pdf:  # what the fixture holds, seen without our reader
        assert len(pdf.pages) >= 2
        top_of_page_2 = fold(pdf.pages[1].extract_text())[:200]
    assert ("Наименование показателя" if lang == "ru" else "Көрсеткіштің атауы") in top_of_page_2
    assert_same(extract_file(path), act)


def test_1157_one_row_header_separate_tables_other_wording_pdf() -> None:
    assert_same(extract_file(pdf_fixture("1157-ru-tables-w2")), ACT_1157_RU)


def test_1157_two_row_header_values_a_person_reads(tmp_path: Path) -> None:
    """Spot checks typed straight from corpus/1157-ru.txt, beside the record comparison."""
    record = extract_file(made(tmp_path, ACT_1157_RU, TWO_ROW_LAYOUT, "docx"))
    rows = {(i.section.ordinal, i.part.title, printed_number(i)): i for i in record.indicators}
    vet = rows[(1, "", "2")]
    assert [(v.year, v.target, v.weight) for v in vet.values] == [(2025, 70.0, 5.0), (2026, 90.0, 10.0)]
    bim = rows[(10, "строительство", "1")]
    assert [(v.year, v.target, v.weight) for v in bim.values] == [(2025, 80.0, 2.5), (2026, 100.0, 5.0)]
    assert bim.section.agency_id == "industry"
    growth = rows[(0, "", "5")]
    assert [(v.target, v.target_kind) for v in growth.values] == [(15.0, "growth"), (15.0, "growth")]
    dash = rows[(10, "строительство", "2")].value(2026)
    assert dash is not None and dash.target is None and dash.target_kind == "none" and dash.weight == 0.0


# --- three year columns, other header wording ---------------------------------------------------------

ACTS_THREE = {"ru": ACT_THREE_YEARS_RU, "kk": ACT_THREE_YEARS_KK}


@pytest.mark.parametrize("form", ["docx", "html"])
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_three_year_columns_other_header_wording(tmp_path: Path, lang: str, form: str) -> None:
    act = ACTS_THREE[lang]
    record = extract_file(made(tmp_path, act, THREE_YEARS_LAYOUT, form))
    assert_same(record, act)
    assert record.years == [2025, 2026, 2027]


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_three_year_columns_other_header_wording_pdf(lang: str) -> None:
    record = extract_file(pdf_fixture(f"three-years-{lang}"))
    assert_same(record, ACTS_THREE[lang])
    assert record.years == [2025, 2026, 2027]


# --- small hand-written acts for the silent-loss paths ---------------------------------------------


def small_act(lang: str, rows: tuple[KpiRow, ...] | None = None, sections: tuple[SectionSpec, ...] | None = None) -> ActSpec:
    ru = lang == "ru"
    default = (
        KpiRow(
            "1",
            "Доля услуг, оказанных в электронном виде" if ru else "Электрондық түрде көрсетілген қызметтердің үлесі",
            "%",
            (Value("80", "5 %"), Value("90,5", "10 %")),
            (RATIO_RU if ru else RATIO_KK).format(a="количество услуг" if ru else "қызметтер саны", b="все услуги" if ru else "барлық қызметтер"),
        ),
        KpiRow(
            "2",
            "Внедрение системы учета" if ru else "Есепке алу жүйесін енгізу",
            "ед." if ru else "бірлік",
            (Value("1", "5 %"), Value("–", "0")),
            QUANT_RU if ru else QUANT_KK,
        ),
        KpiRow(
            "3",
            "Количество оцифрованных архивов" if ru else "Цифрландырылған мұрағаттар саны",
            "ед." if ru else "бірлік",
            (Value("12", "10 %"), Value("20", "5 %")),
            QUANT_RU if ru else QUANT_KK,
        ),
    )
    title = "Министерство юстиции Республики Казахстан" if ru else "Қазақстан Республикасының Әділет министрлігі"
    return ActSpec(
        lang=lang,
        title="Ключевые показатели деятельности" if ru else "Қызметтің түйінді көрсеткіштері",
        years=(2025, 2026),
        weights="per-year",
        sections=sections or (SectionSpec(title, 1, (Part("", rows or default),), agency_id="justice"),),
    )


TEXT_AND_MARKUP = ["cells", "pdftext", "html", "docx"]


@pytest.mark.parametrize("form", TEXT_AND_MARKUP)
def test_year_header_worded_plan_na_2025_god(tmp_path: Path, form: str) -> None:
    act = small_act("ru")
    record = extract_file(made(tmp_path, act, Layout(wording=1), form))  # "План на 2025 год", "вес"
    assert_same(record, act)


@pytest.mark.parametrize("form", TEXT_AND_MARKUP)
def test_year_header_worded_2025_zhylga(tmp_path: Path, form: str) -> None:
    act = small_act("kk")
    record = extract_file(made(tmp_path, act, Layout(wording=1), form))  # "2025 жылға", "салмағы"
    assert_same(record, act)


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("form", TEXT_AND_MARKUP)
def test_row_numbered_1_1(tmp_path: Path, lang: str, form: str) -> None:
    base = small_act(lang)
    rows = base.sections[0].parts[0].rows
    numbered = (rows[0], replace(rows[1], number="1.1"), replace(rows[2], number="1.2"), replace(rows[0], number="2"))
    act = small_act(lang, rows=numbered)
    record = extract_file(made(tmp_path, act, Layout(), form))
    assert_same(record, act)
    assert [printed_number(i) for i in record.indicators] == ["1", "1.1", "1.2", "2"]
    assert len({i.id for i in record.indicators}) == 4


@pytest.mark.parametrize("layout", [Layout(), Layout(sections="tables")], ids=lambda la: la.sections)
@pytest.mark.parametrize("form", TEXT_AND_MARKUP)
def test_unnumbered_section_title_after_a_numbered_one(tmp_path: Path, form: str, layout: Layout) -> None:
    rows = small_act("ru").sections[0].parts[0].rows
    sections = (
        SectionSpec("Министерство юстиции Республики Казахстан", 1, (Part("", rows[:2]),), agency_id="justice"),
        SectionSpec("Министерство энергетики Республики Казахстан", None, (Part("", rows[1:]),), agency_id="energy"),
    )
    act = small_act("ru", sections=sections)
    record = extract_file(made(tmp_path, act, layout, form))
    # Every row is kept, under the title printed above it; the unnumbered title's ordinal is the reader's choice.
    assert [(e.section_title, e.agency_id, e.number, e.name, e.values, e.formula) for e in got(record)] == [
        (e.section_title, e.agency_id, e.number, e.name, e.values, e.formula) for e in want(act)
    ]
    assert record.indicators[0].section.ordinal == 1
    assert record.indicators[-1].section is not record.indicators[0].section


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("form", TEXT_AND_MARKUP)
def test_row_missing_cells_mid_table_warns_naming_the_cell(tmp_path: Path, lang: str, form: str) -> None:
    """Row 2 of 3 lacks its last three cells (2026 target and weight, formula): warnings, not a dash."""
    base = small_act(lang)
    rows = base.sections[0].parts[0].rows
    act = small_act(lang, rows=(rows[0], replace(rows[1], values=(rows[1].values[0], Value("1", "5 %")), short=3), rows[2]))
    record = extract_file(made(tmp_path, act, Layout(), form))
    assert [printed_number(i) for i in record.indicators] == ["1", "2", "3"]
    short = record.indicators[1]
    assert short.name == fold(rows[1].name)
    first = short.value(2025)
    assert first is not None and (first.target_text, first.weight_text) == ("1", "5 %")
    missing = short.value(2026)
    # The missing target is not a printed dash ("no target"): it was not printed at all.
    assert missing is None or (missing.target is None and missing.target_text == "" and missing.target_kind != "none")
    named = [w for w in record.warnings if w.source is not None and _same_row(w.source, short.source) and "2026" in w.message]
    assert named, f"no warning names the missing 2026 cell of row 2: {[(w.code, w.message) for w in record.warnings]}"
    # The rows around it are whole.
    assert got(record)[0] == want(act)[0] and got(record)[2] == want(act)[2]


def _same_row(a: object, b: object) -> bool:
    """Two sources point at the same table row: same lines (text forms) or same cell path prefix."""
    if getattr(a, "cell", None) and getattr(b, "cell", None):
        ca, cb = str(a.cell), str(b.cell)  # type: ignore[attr-defined]
        return ca.startswith(cb) or cb.startswith(ca)
    fa, la = getattr(a, "first_line", None), getattr(a, "last_line", None)
    fb, lb = getattr(b, "first_line", None), getattr(b, "last_line", None)
    if None in (fa, fb):
        return False
    return fa <= (lb or fb) and fb <= (la or fa)  # type: ignore[operator]


@pytest.mark.parametrize("lang", ["ru", "kk"])
@pytest.mark.parametrize("form", TEXT_AND_MARKUP)
def test_ministry_missing_from_agency_registry(tmp_path: Path, lang: str, form: str) -> None:
    """Section kept with its title and number, agency null, its rows not merged into the previous section, a warning."""
    ru = lang == "ru"
    rows = small_act(lang).sections[0].parts[0].rows
    unknown = "Министерство по делам космоса Республики Казахстан" if ru else "Қазақстан Республикасының Ғарыш істері министрлігі"
    known = small_act(lang).sections[0]
    sections = (
        replace(known, parts=(Part("", rows[:2]),)),
        SectionSpec(unknown, 2, (Part("", rows[1:]),), agency_id=None),
    )
    act = small_act(lang, sections=sections)
    record = extract_file(made(tmp_path, act, Layout(), form))
    assert_same(record, act)
    moved = [i for i in record.indicators if i.section.title == unknown]
    assert len(moved) == 2 and all(i.section.ordinal == 2 and i.section.agency_id is None for i in moved)
    assert any(unknown in w.message or "agency" in w.code for w in record.warnings), [(w.code, w.message) for w in record.warnings]


@pytest.mark.parametrize("form", TEXT_AND_MARKUP)
def test_header_naimenovanie_klyuchevogo_pokazatelya_is_not_a_report(tmp_path: Path, form: str) -> None:
    """Formulas say "числитель"/"знаменатель"; the table is an indicator table, so the act is no report."""
    from legalkpi.api import classify
    from parsers import read_document

    act = small_act("ru")
    path = made(tmp_path, act, Layout(wording=1), form)  # "Наименование ключевого показателя деятельности"
    assert classify(read_document(path)) == "kpi-act"
    assert_same(extract_file(path), act)


# --- found by the property test; fixed here as named cases -----------------------------------------


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_row_cut_by_page_break_with_header_repeated_on_next_page(tmp_path: Path, lang: str) -> None:
    """PDF layout text: every 2nd row is cut by a page break; the next page repeats the header, then
    the row's continuation (name and formula tails in a line with an empty number cell)."""
    act = ACTS_1157[lang]
    path = made(tmp_path, act, Layout(page_cut=2, repeat_header=True), "pdftext")
    assert "\n---\t---" in path.read_text(encoding="utf-8")
    assert_same(extract_file(path), act)


@pytest.mark.parametrize("form", TEXT_AND_MARKUP)
def test_section_as_own_table_starting_with_a_part_title(tmp_path: Path, form: str) -> None:
    """The section title is a paragraph before its own table, whose first row is "(промышленность)"."""
    rows = small_act("ru").sections[0].parts[0].rows
    sections = (
        SectionSpec(
            "Министерство финансов Республики Казахстан",
            3,
            (Part("промышленность", rows[:2]), Part("строительство", rows[2:])),
            agency_id="finance",
        ),
    )
    act = small_act("ru", sections=sections)
    assert_same(extract_file(made(tmp_path, act, Layout(sections="tables"), form)), act)


# --- every silent-loss path in one act, PDF included -----------------------------------------------

ACTS_SILENT = {"ru": ACT_SILENT_LOSS_RU, "kk": ACT_SILENT_LOSS_KK}


@pytest.mark.parametrize("form", [*TEXT_AND_MARKUP, "pdf"])
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_silent_loss_paths_together(tmp_path: Path, lang: str, form: str) -> None:
    """Sub-numbered rows, an unknown ministry, an unnumbered title after numbered ones, a short row."""
    act = ACTS_SILENT[lang]
    path = pdf_fixture(f"silent-loss-{lang}") if form == "pdf" else made(tmp_path, act, Layout(), form)
    record = extract_file(path)
    g, w = got(record), want(act)
    assert [(e.section_title, e.number) for e in g] == [(e.section_title, e.number) for e in w]
    short_at = 3  # justice row "2": its 2026 target, 2026 weight and formula are absent
    for k, (a, b) in enumerate(zip(g, w, strict=True)):
        if k == short_at:
            assert (a.name, a.unit, a.values[0]) == (b.name, b.unit, b.values[0])
        elif b.section_ordinal == 0:  # the unnumbered title: its ordinal is the reader's choice
            assert replace(a, section_ordinal=0) == b
        else:
            assert a == b, k
    short = record.indicators[short_at]
    missing = short.value(2026)
    assert missing is None or (missing.target_text == "" and missing.target_kind != "none")
    assert any(w.source is not None and _same_row(w.source, short.source) and "2026" in w.message for w in record.warnings)
    unknown = act.sections[1].title
    assert {i.section.agency_id for i in record.indicators if i.section.title == unknown} == {None}
    assert any(unknown in w.message or "agency" in w.code for w in record.warnings)


def test_row_cut_by_page_break_continuation_is_not_given_to_the_next_row(tmp_path: Path) -> None:
    """Found by the property test (shrunk by hand): row 2 is cut by the page break; after the repeated
    header come its name and formula tails, then row 3. The tails belong to row 2, not to row 3."""

    def row(number: str, name: str, unit: str, target: str, weight: str, formula: str = QUANT_KK) -> KpiRow:
        return KpiRow(number, name, unit, (Value(target),), formula, weight=weight)

    act = ActSpec(
        lang="kk",
        title="Қызметтің түйінді көрсеткіштері",
        years=(2028,),
        weights="single",
        sections=(
            SectionSpec(
                "Қазақстан Республикасының Қаржы министрлігі",
                3,
                (
                    Part(
                        "геология және жер қойнауын пайдалану",
                        (
                            row("1", "Енгізу өтініштер", "сағат", "—", "22 %"),
                            row("2", "Бойынша платформа ЦОН-а ЦОН-а мамандар", "бірлік", "55,88", "0"),
                            row("3", "Сервистер сервистер (топ-5) өтініштер", "сағат", "–", "2,5 %", "процестер электрондық (BIM) автоматтандыру енгізу"),
                        ),
                    ),
                ),
                agency_id="finance",
                part_in_title=True,
            ),
            SectionSpec(
                "Қазақстан Республикасының Өнеркәсіп және құрылыс министрлігі",
                4,
                (Part("", (row("1", "Үшін платформа", "бірлік", "13 %-ға өсу", "15%"),)),),
                agency_id="industry",
            ),
        ),
    )
    layout = Layout(header_rows=1, wording=2, sections="rows", column_numbers=False, repeat_header=True, page_cut=2)
    path = made(tmp_path, act, layout, "pdftext")
    assert "\tЦОН-а мамандар\t" in path.read_text(encoding="utf-8")
    assert_same(extract_file(path), act)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_row_cut_in_two_by_the_converter_under_a_two_row_header(tmp_path: Path, lang: str) -> None:
    """One-cell-per-line text, four years under a two-row header (its first row has 8 cells, a data
    row 12): every 2nd row is written as two rows (number and name, then the rest)."""
    base = small_act(lang)
    years = (2023, 2024, 2025, 2026)
    rows = tuple(replace(r, values=r.values + r.values) for r in base.sections[0].parts[0].rows)
    act = replace(small_act(lang, rows=rows), years=years)
    path = made(tmp_path, act, Layout(header_rows=2, page_cut=2), "cells")
    assert_same(extract_file(path), act)


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_header_written_in_the_converters_style(tmp_path: Path, lang: str) -> None:
    """One-cell-per-line text whose header cells are each followed by an empty line and the header
    closed by several, as in corpus/1157-ru.txt."""
    act = ACTS_1157[lang]
    path = made(tmp_path, act, Layout(header_gaps=True), "cells")
    assert "\t\n2025 " in path.read_text(encoding="utf-8")
    assert_same(extract_file(path), act)


def test_row_cut_by_page_break_tail_goes_back_to_the_cut_row(tmp_path: Path) -> None:
    """Found by the property test (shrunk): PDF layout text, row "1.1" cut by a page break, its tails
    "оқыту (топ-5) АЖ" / "15 % үлесі Gosagro.kz" on the next page, then row "1.2"."""

    def row(number: str, name: str, unit: str, values: list[tuple[str, str]], formula: str) -> KpiRow:
        return KpiRow(number, name, unit, tuple(Value(t, w) for t, w in values), formula)

    rows = (
        row("1", "Және электрондық тізілім АЖ қызметтер", "бірлік", [("9 %", "20%"), ("—", "40 %")], QUANT_KK),
        row(
            "1.1",
            "Органдар органдар қызметтер оқыту (топ-5) АЖ",
            "млрд теңге",
            [("65536", "3,5 %"), ("47 %", "29%")],
            "eGov ақпараттық деректер және деректер 15 % үлесі Gosagro.kz",
        ),
        row("1.2", "Процестер өтініштер", "млрд теңге", [("16,81", "0"), ("17 %-ға өсу", "5,5 %")], "Gosagro.kz сервистер 2,5 АЖ"),
    )
    act = ActSpec(
        lang="kk",
        title="Қызметтің түйінді көрсеткіштері",
        years=(2027, 2028),
        weights="per-year",
        sections=(SectionSpec("Қазақстан Республикасының Энергетика министрлігі", 2, (Part("", rows),), agency_id="energy"),),
    )
    layout = Layout(header_rows=2, wording=1, sections="tables", column_numbers=False, page_cut=2)
    path = made(tmp_path, act, layout, "pdftext")
    assert "\tоқыту (топ-5) АЖ\t" in path.read_text(encoding="utf-8")
    assert_same(extract_file(path), act)
