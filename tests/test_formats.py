"""The original forms of the acts (DOCX, PDF, the legal database's HTML) read into the same grid,
and the same indicators, as their text renditions.

The fixtures are slices of the corpus acts (see tests/fixtures/make_fixtures.py and
fixtures.json): preamble, agency list, header, general block, first three ministry sections.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from parsers import read_document
from parsers.grid import Document, Row, Table

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
ACTS = {
    "1157-ru": "corpus/1157-ru.txt",
    "124-kk-consolidated-151": "corpus/124-kk-consolidated-151.txt",
    "1157-kk": "corpus/1157-kk.txt",
}
FORMS = ("docx", "html", "pdf")


def _load_generator():  # the slice rule lives in the generator; use the same one
    spec = importlib.util.spec_from_file_location("make_fixtures", FIXTURES / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


GEN = _load_generator()


@functools.cache  # read once per session; tests only look
def text_slice(stem: str) -> Document:
    doc = GEN.read_rendition(ACTS[stem])
    doc.blocks = GEN.slice_blocks(doc.blocks)
    return doc


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


def row_texts(doc_or_blocks: Document | list) -> list[list[str]]:
    """Non-empty cell texts row by row, whitespace folded; a merged continuation reads as its top."""
    blocks = doc_or_blocks.blocks if isinstance(doc_or_blocks, Document) else doc_or_blocks
    out = []
    for table in (b for b in blocks if isinstance(b, Table)):
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


# --- same grid as the text rendition -------------------------------------------------------------


@pytest.mark.parametrize("stem", ACTS)
@pytest.mark.parametrize("ext", FORMS)
def test_rows_match_text_rendition(stem: str, ext: str) -> None:
    expected = row_texts(text_slice(stem))
    got = row_texts(form(stem, ext))
    assert len(got) == len(expected)
    for want, have in zip(expected, got, strict=True):
        assert have == want


@pytest.mark.parametrize("stem", ACTS)
@pytest.mark.parametrize("ext", ["docx", "html"])
def test_paragraphs_match_text_rendition(stem: str, ext: str) -> None:
    assert paragraphs(form(stem, ext)) == paragraphs(text_slice(stem))


@pytest.mark.parametrize("stem", ACTS)
def test_pdf_flow_text_matches_text_rendition(stem: str) -> None:
    # A PDF cannot tell a line break inside a paragraph from a paragraph break, so compare the
    # flow text as one stream.
    assert " ".join(paragraphs(form(stem, "pdf"))) == " ".join(paragraphs(text_slice(stem)))


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
    assert kazakh & set(doc.text()) == kazakh & set(text_slice("1157-kk").text())
    assert len(kazakh & set(doc.text())) >= 14


@pytest.mark.parametrize("ext", FORMS)
def test_section_title_spans_the_table(ext: str) -> None:
    row = row_starting(form("1157-ru", ext), "2. Министерство юстиции Республики Казахстан")
    assert len(row.cells) == 1
    assert row.cells[0].col_span == 8


@pytest.mark.parametrize("ext", FORMS)
def test_repeated_header_kept_once(ext: str) -> None:
    # The DOCX repeats the header before section 2 (and the PDF on every page); it is read once.
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
    # The formula of general indicator 6 was an image in the original (the text rendition keeps
    # only "[image: ]"); 124's indicator 4 formula too.
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
    assert note.source.cell == "body/div[1]/div[1]/p[2]/span[1]"


def test_html_places_and_line_breaks() -> None:
    doc = form("1157-ru", "html")
    row = general_row(doc, "2", "Отказоустойчивость")
    assert re.fullmatch(r"body/div\[1\]/div\[1\]/table\[\d+\]/tbody\[1\]/tr\[\d+\]", row.source.cell or "")
    assert row.cells[3].source.cell == f"{row.source.cell}/td[4]"
    # <br> between a cell's paragraphs reads as a newline
    assert row.cells[5].text.split("\n")[:3] == ["5 %", ", где:", "A – показатель;"]


def test_pdf_pages_and_cut_rows() -> None:
    doc = form("1157-ru", "pdf")
    # General indicator 1 starts on page 2 and runs onto page 3: one row, all its text.
    row = general_row(doc, "1", "Успешная реализация")
    assert row.source.page == 2
    assert row.cells[6].text.endswith("20 % – применение KazLLM")
    assert len(row.cells) == 7
    assert general_row(doc, "2", "Отказоустойчивость").cells[3].source.place() == "p3:r3/c3"


def test_pdf_hyphenation() -> None:
    doc = form("1157-ru", "pdf")
    row = general_row(doc, "1", "Успешная реализация")
    # "транс-" / "формации" at a line end is hyphenation; "бизнес-процессов" is a real hyphen.
    assert "согласно картам цифровой трансформации" in row.cells[1].text
    assert "проведение реинжиниринга бизнес-процессов" in row.cells[1].text
    assert "транс-" in row.cells[1].orig and "транс-формации" not in row.cells[1].text
    # "информационно-" / "коммуникационной" is a compound: the hyphen stays.
    assert "информационно-коммуникационной" in doc.text()
    assert "информационнокоммуникационной" not in doc.text()
    assert "посредством Push-уведомлений" in doc.text()


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


# --- same indicators as the text rendition ---------------------------------------------------------


def indicator_keys(doc: Document, *, weights: bool = True) -> list[tuple]:
    from legalkpi.reading.extract import extract

    return [
        (
            i.section.ordinal,
            norm(i.section.title),
            str(i.part),
            i.number,
            norm(i.name),
            i.unit,
            tuple((v.year, v.target, v.target_text, v.weight if weights else None) for v in i.values),
        )
        for i in extract(doc).indicators
    ]


@pytest.mark.parametrize("stem", ACTS)
@pytest.mark.parametrize("ext", FORMS)
def test_same_indicators_as_text_rendition(stem: str, ext: str) -> None:
    expected = indicator_keys(text_slice(stem), weights=False)
    assert len(expected) >= 16
    assert indicator_keys(form(stem, ext), weights=False) == expected


@pytest.mark.parametrize("ext", FORMS)
def test_same_weights_without_merged_cells(ext: str) -> None:
    stem = "124-kk-consolidated-151"
    assert indicator_keys(form(stem, ext)) == indicator_keys(text_slice(stem))


@pytest.mark.parametrize("stem", ["1157-ru", "1157-kk"])
@pytest.mark.parametrize("ext", FORMS)
def test_same_weights_with_merged_cells(stem: str, ext: str) -> None:
    # Justice rows 5-6: one merged cell prints the 2026 weight "0" for both rows.
    assert indicator_keys(form(stem, ext)) == indicator_keys(text_slice(stem))
