"""The original forms of the acts (DOCX, PDF, the legal database's HTML) read as a person reads them.

The fixtures are documents typed by hand (tests/render/slices.py: the first part of corpus acts
1157-ru, 1157-kk and 124-kk-consolidated-151) and written by tests/render
(tests/fixtures/make_fixtures.py, fixtures.json). Every test compares what our readers extract with
those records or with values a person read in them.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

import pytest

from parsers import read_document
from parsers.grid import Document, Row, Table

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "tests"))  # for `render`

from render import paragraphs as record_paragraphs  # noqa: E402
from render import table_rows as record_rows  # noqa: E402
from render.compare import assert_numbers_as_read, describe_difference, got, want  # noqa: E402
from render.slices import FIXTURES as RECORDS  # noqa: E402

ACTS = tuple(RECORDS)
FORMS = ("docx", "html", "pdf")


@functools.cache
def form(stem: str, ext: str) -> Document:
    return read_document(FIXTURES / f"{stem}.{ext}")


def norm(s: str) -> str:
    return " ".join(s.split())


def is_continuation(row: Row, i: int) -> bool:
    """A vertically merged cell below its top: empty, its place names another row's cell."""
    cell = row.cells[i]
    if not (cell.is_empty and cell.source.cell and row.source.cell):
        return False
    return not cell.source.cell.startswith(f"{row.source.cell}/")


def row_texts(doc: Document) -> list[list[str]]:
    """Non-empty cell texts row by row, whitespace folded; a merged continuation reads as its top."""
    out = []
    for table in (b for b in doc.blocks if isinstance(b, Table)):
        above: list[str] = []
        for row in table.rows:
            texts = [
                above[i] if is_continuation(row, i) and i < len(above) else c.text
                for i, c in enumerate(row.cells)
            ]
            above = texts
            filled = [norm(t) for t in texts if norm(t)]
            if filled:
                out.append(filled)
    return out


def paragraphs(doc: Document) -> list[str]:
    return [norm(p.text) for p in doc.paragraphs()]


# --- the fixtures themselves -------------------------------------------------------------------


@pytest.mark.parametrize("stem", ACTS)
@pytest.mark.parametrize("ext", FORMS)
def test_fixture_is_small_and_read_by_its_reader(stem: str, ext: str) -> None:
    path = FIXTURES / f"{stem}.{ext}"
    assert path.stat().st_size < 300_000
    assert form(stem, ext).reader == ext


def test_fixtures_are_made_from_the_current_records(tmp_path: Path) -> None:
    # DOCX and HTML are deterministic: rendering the records again gives the committed HTML bytes
    # and the committed DOCX body (its other parts come from python-docx's template and Pillow).
    import zipfile

    from render import render_doc

    for stem, (doc, _acts) in RECORDS.items():
        html = render_doc(doc, "html", tmp_path / f"{stem}.html")
        assert html.read_bytes() == (FIXTURES / f"{stem}.html").read_bytes(), f"{stem}.html: run make_fixtures.py"
        docx = render_doc(doc, "docx", tmp_path / f"{stem}.docx")
        with zipfile.ZipFile(docx) as made, zipfile.ZipFile(FIXTURES / f"{stem}.docx") as committed:
            body = "word/document.xml"
            assert made.read(body) == committed.read(body), f"{stem}.docx: run make_fixtures.py"


# --- the grid a person reads ------------------------------------------------------------------------


@pytest.mark.parametrize("stem", ACTS)
@pytest.mark.parametrize("ext", FORMS)
def test_rows_match_record(stem: str, ext: str) -> None:
    expected = record_rows(RECORDS[stem][0].blocks)
    got_rows = row_texts(form(stem, ext))
    for k, (want_row, have) in enumerate(zip(expected, got_rows, strict=False)):
        assert have == want_row, f"row {k}"
    assert len(got_rows) == len(expected)


@pytest.mark.parametrize("stem", ACTS)
@pytest.mark.parametrize("ext", ["docx", "html"])
def test_paragraphs_match_record(stem: str, ext: str) -> None:
    assert paragraphs(form(stem, ext)) == record_paragraphs(RECORDS[stem][0].blocks)


@pytest.mark.parametrize("stem", ACTS)
def test_pdf_flow_text_matches_record(stem: str) -> None:
    # A PDF cannot tell a line break inside a paragraph from a paragraph break, so compare the
    # flow text as one stream.
    assert " ".join(paragraphs(form(stem, "pdf"))) == " ".join(record_paragraphs(RECORDS[stem][0].blocks))


# --- facts of each form ------------------------------------------------------------------------------


def row_starting(doc: Document, *texts: str) -> Row:
    for row in doc.rows():
        if [c.text for c in row.cells[: len(texts)]] == list(texts):
            return row
    raise AssertionError(f"no row starting {texts}")


def general_row(doc: Document, number: str, name_start: str) -> Row:
    return next(r for r in doc.rows() if r.cells[0].text == number and r.cells[1].text.startswith(name_start))


@pytest.mark.parametrize("ext", FORMS)
def test_targets_of_failover_indicator(ext: str) -> None:
    # Indicator 2 of the general block: 99,74 for 2025 in both languages; 2026 is 99,8 in
    # Russian and 99,63 in Kazakh (the texts differ, the readers must not).
    ru = general_row(form("1157-ru", ext), "2", "Отказоустойчивость")
    kk = general_row(form("1157-kk", ext), "2", "Мемлекеттік органның және")
    assert [c.text for c in ru.cells[2:5]] == ["%", "99,74", "99,8"]
    assert [c.text for c in kk.cells[2:6]] == ["%", "99,74", "99,63", "5 %"]


@pytest.mark.parametrize("ext", FORMS)
def test_kazakh_letters(ext: str) -> None:
    doc = form("1157-kk", ext)
    names = [
        r.cells[1].text
        for r in doc.rows()
        if len(r.cells) == 2 and r.cells[0].text.isdigit() and r.cells[1].text != "2"
    ]
    assert names[0] == "Қазақстан Республикасының Ауыл шаруашылығы министрлігі"
    assert "Қазақстан Республикасының Ғылым және жоғары білім министрлігі" in names
    assert len(names) == 16
    kazakh = set("ӘҒҚҢӨҰҮҺІәғқңөұүһі")
    typed = "".join(b for b in RECORDS["1157-kk"][0].blocks if isinstance(b, str)) + "".join(
        x for row in record_rows(RECORDS["1157-kk"][0].blocks) for x in row
    )
    assert kazakh & set(doc.text()) == kazakh & set(typed)
    assert len(kazakh & set(doc.text())) >= 14


@pytest.mark.parametrize("ext", FORMS)
def test_section_title_spans_the_table(ext: str) -> None:
    row = row_starting(form("1157-ru", ext), "2. Министерство юстиции Республики Казахстан")
    assert len(row.cells) == 1
    assert row.cells[0].col_span == 8


@pytest.mark.parametrize("ext", FORMS)
def test_repeated_header_kept_once(ext: str) -> None:
    # The DOCX repeats the header before sections 2 and 3 (and the PDF on every page); it is read once.
    doc = form("1157-ru", ext)
    sectoral = [
        t
        for t in doc.tables()
        if any(c.text == "Удельный вес" for c in t.rows[0].cells) and len(t.rows[0].cells) == 8
    ]
    assert len(sectoral) == 1
    headers = [r for r in sectoral[0].rows if r.cells[0].text == "№ п/п"]
    assert len(headers) == 1
    numbering = [r for r in sectoral[0].rows if [c.text for c in r.cells] == [str(i) for i in range(1, 9)]]
    assert len(numbering) == 1


@pytest.mark.parametrize("ext", FORMS)
def test_vertical_merge_given_once(ext: str) -> None:
    # The 2026 weights "0" of Justice indicators 4-6 are one merged cell: the text stands in
    # row 4; rows 5 and 6 hold an empty cell naming row 4's cell.
    doc = form("1157-ru", ext)
    table = next(
        t for t in doc.tables() if any(r.cells[0].text.startswith("2. Министерство юстиции") for r in t.rows)
    )
    start = next(i for i, r in enumerate(table.rows) if r.cells[0].text.startswith("2. Министерство юстиции"))
    rows = table.rows[start + 4 : start + 7]
    assert [r.cells[0].text for r in rows] == ["4", "5", "6"]
    top = rows[0].cells[6]
    assert top.text == "0"
    for r in rows[1:]:
        assert r.cells[6].text == ""
        assert r.cells[6].source.cell == top.source.cell
    assert rows[2].cells[5].text == "–"  # the cell beside it is the row's own


@pytest.mark.parametrize("ext", FORMS)
def test_multi_paragraph_cell(ext: str) -> None:
    cell = next(c for r in form("1157-ru", ext).rows() for c in r.cells if c.text.startswith("Приложение 1"))
    assert cell.text.split("\n")[:2] == ["Приложение 1", "к постановлению Правительства"]


@pytest.mark.parametrize("ext", ["docx", "html"])
def test_formula_images_counted(ext: str) -> None:
    # The formula of general indicator 6 is a picture (the corpus text keeps only "[image: ]");
    # 124's indicator 4 formula too.
    ru = general_row(form("1157-ru", ext), "6", "Доля доступных")
    assert ru.cells[6].images == 1
    assert ru.cells[6].text.startswith(", где:")
    kk = general_row(form("124-kk-consolidated-151", ext), "4", "ЭҮ ақпараттандыру")
    assert kk.cells[7].images == 1
    assert sum(c.images for r in form("1157-ru", ext).rows() for c in r.cells) == 1


def test_docx_places() -> None:
    doc = form("1157-ru", "docx")
    assert doc.blocks[0].source.cell == "p0"
    row = general_row(doc, "2", "Отказоустойчивость")
    assert re.fullmatch(r"t\d+/r\d+", row.source.cell or "")
    assert row.cells[3].source.cell == f"{row.source.cell}/c3"
    assert row.cells[3].source.first_line is None


def test_html_notes_are_own_paragraphs_and_scripts_ignored() -> None:
    doc = form("124-kk-consolidated-151", "html")
    texts = [p.text for p in doc.paragraphs()]
    notes = [t for t in texts if t.startswith("Ескерту.")]
    assert (
        "Ескерту. 1-тармаққа өзгеріс енгізілді - ҚР Премьер-Министрінің 03.11.2023 № 170-ө өкімімен." in notes
    )
    assert len(notes) == 7
    assert "SCRIPT-TEXT-MUST-NOT-APPEAR" not in doc.text()
    assert "alert" not in doc.text()
    note = next(p for p in doc.paragraphs() if p.text.startswith("Ескерту. Күші жойылды"))
    assert note.source.cell == "body/div[1]/div[1]/p[3]/span[1]"  # after the title and the status line


def test_html_places_and_line_breaks() -> None:
    doc = form("1157-ru", "html")
    row = general_row(doc, "2", "Отказоустойчивость")
    assert re.fullmatch(r"body/div\[1\]/div\[1\]/table\[\d+\]/tbody\[1\]/tr\[\d+\]", row.source.cell or "")
    assert row.cells[3].source.cell == f"{row.source.cell}/td[4]"
    # <br> between a cell's paragraphs reads as a newline
    assert row.cells[6].text.split("\n")[:3] == [", где:", "A – показатель;", "t простоя – время простоя информационной системы в ЦГО;"]


def test_pdf_pages_and_cut_rows() -> None:
    doc = form("1157-ru", "pdf")
    # General indicator 1 starts on page 2 and runs onto page 3: one row, all its text.
    row = general_row(doc, "1", "Успешная реализация")
    assert row.source.page == 2
    assert row.cells[6].text.endswith("20 % – применение KazLLM")
    assert len(row.cells) == 7
    assert general_row(doc, "2", "Отказоустойчивость").cells[3].source.place() == "p3:r3/c3"


def test_pdf_hyphenation() -> None:
    # Line ends of the committed PDF (LibreOffice with Russian patterns), as a person sees them.
    doc = form("1157-ru", "pdf")
    failover = general_row(doc, "2", "Отказоустойчивость")
    # "государствен-" / "ного органа" at a line end is hyphenation.
    assert "государствен-\n" in failover.cells[1].orig
    assert failover.cells[1].text == "Отказоустойчивость информационных систем государственного органа и подведомственных организаций"
    # "бизнес-" / "процессов;" is a real hyphen at a line end: it stays.
    project = general_row(doc, "1", "Успешная реализация")
    assert "бизнес-\n" in project.cells[6].orig
    assert "30 % – проведение реинжиниринга бизнес-процессов;" in project.cells[6].text.split("\n")
    assert "посредством Push-уведомлений" in doc.text()


def test_pdf_compound_hyphenated_in_its_second_part() -> None:
    # Bug: "информационно-комму-" / "никационной" (hyphenated inside the compound's second part)
    # was read "информационно-комму-никационной": the compound's own hyphen made the left part
    # look non-Cyrillic, so the line-end hyphen was kept as a name's ("Push-уведомлений").
    doc = form("1157-ru", "pdf")
    quality = general_row(doc, "8", "Повышение уровня качества данных")
    assert "информационно-комму-\n" in quality.cells[1].orig
    assert quality.cells[1].text.count("информационно-коммуникационной инфраструктуры") == 2
    assert "комму-" not in doc.text()


def test_pdf_header_copy_cut_by_page_break_is_read_once() -> None:
    # Bug: the header printed again before section 3 of 124's sectoral table is cut by the page
    # break ("Р/с" … "2024" at the foot of page 4, "№" … "жыл" at the top of page 5, under the
    # header the page repeats); its lower half was read as a row of its own.
    import pdfplumber

    with pdfplumber.open(FIXTURES / "124-kk-consolidated-151.pdf") as pdf:
        foot = pdf.pages[3].extract_text().split("\n")[-1]
        top = pdf.pages[4].extract_text().split("\n")
    assert foot.startswith("Р/с Көрсеткіштің атауы Өлшем 2024 2025 2026")
    assert top[3] == "№ жыл жыл жыл"  # after the repeated header and its column numbers
    doc = form("124-kk-consolidated-151", "pdf")
    sectoral = next(t for t in doc.tables() if any(r.cells[0].text == "1. Ауыл шаруашылығы" for r in t.rows))
    firsts = [r.cells[0].text for r in sectoral.rows]
    assert firsts == ["Р/с\n№", "1", "1. Ауыл шаруашылығы", "1", "2", "2. Әділет", "1", "3", "3. Жоғары, жоғары оқу орнынан кейінгі білім және ғылым", "2"]


def test_pdf_kazakh_keeps_hyphens_of_an_unhyphenated_text() -> None:
    # Kazakh was typeset without hyphenation patterns: every line-end hyphen is a real one.
    doc = form("1157-kk", "pdf")
    assert "ақпараттық-коммуникациялық" in doc.text()
    assert "ақпараттықкоммуникациялық" not in doc.text()


def test_pdf_unruled_table() -> None:
    # The agency list has no borders; it is still read as a two-column table.
    doc = form("1157-ru", "pdf")
    agencies = next(
        t for t in doc.tables() if t.rows[0].cells[-1].text == "Наименование государственного органа"
    )
    assert len(agencies.rows) == 18
    assert [c.text for c in agencies.rows[-1].cells] == [
        "16",
        "Министерство цифрового развития, инноваций и аэрокосмической промышленности Республики Казахстан",
    ]


# --- the indicators a person reads ---------------------------------------------------------------


def extracted(stem: str, ext: str):  # type: ignore[no-untyped-def]
    from legalkpi.reading.extract import extract

    return extract(form(stem, ext))


@pytest.mark.parametrize("stem", ACTS)
@pytest.mark.parametrize("ext", FORMS)
def test_indicators_match_record(stem: str, ext: str) -> None:
    # Every indicator of the general block and the ministry sections, field by field (targets and
    # weights as printed and as numbers), in order, nothing else.
    acts = RECORDS[stem][1]
    record = extracted(stem, ext)
    expected = [e for act in acts for e in want(act)]
    assert got(record) == expected, describe_difference(got(record), expected)
    assert_numbers_as_read(record)  # "99,74" -> 99.74, "рост на 15 %" -> 15, "–" -> none


@pytest.mark.parametrize("stem", ["1157-ru", "1157-kk"])
@pytest.mark.parametrize("ext", FORMS)
def test_merged_weight_cell_gives_each_row_its_weight(stem: str, ext: str) -> None:
    # Justice rows 4-6: one merged cell prints the 2026 weight "0" once; a person reads it for each row.
    justice = [i for i in extracted(stem, ext).indicators if i.section.ordinal == 2]
    assert [i.number for i in justice] == [1, 2, 3, 4, 5, 6]
    assert [(i.value(2026).weight_text, i.value(2026).weight) for i in justice[3:]] == [("0", 0.0)] * 3  # type: ignore[union-attr]
