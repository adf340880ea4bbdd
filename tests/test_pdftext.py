"""The PDF-converted Kazakh text of Resolution No. 1157 (corpus/1157-kk.txt) read into whole rows.

Facts checked against the document itself and, for the row structure, against the Russian text
of the same act (corpus/1157-ru.txt).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parsers import pdftext, read_document
from parsers.grid import Document, Row, Table
from parsers.words import Vocabulary, repair_spacing, vocabulary_for

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
KK = CORPUS / "1157-kk.txt"
KK_124 = CORPUS / "124-kk-consolidated-151.txt"


@pytest.fixture(scope="module")
def doc() -> Document:
    return read_document(KK)


@pytest.fixture(scope="module")
def doc_with_124() -> Document:
    """Read with a vocabulary learnt from the Kazakh No. 124 text as well."""
    text = KK.read_text(encoding="utf-8")
    return pdftext.read(text, str(KK), "utf-8", "", kazakh_texts=[KK_124.read_text(encoding="utf-8")])


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return vocabulary_for([KK.read_text(encoding="utf-8"), KK_124.read_text(encoding="utf-8")])


def _is_title(row: Row) -> bool:
    cells = row.non_empty()
    return len(cells) == 1 and not cells[0].text.strip().isdigit()


def _number(row: Row) -> str | None:
    first = row.cells[0].text.strip()
    return first if first.isdigit() and len(row.non_empty()) > 1 else None


def _indicator_tables(doc: Document) -> tuple[Table, Table]:
    tables = [t for t in doc.tables() if len(t.rows[0].cells) >= 7]
    assert len(tables) == 2
    return tables[0], tables[1]


def _sections(table: Table) -> dict[str, list[Row]]:
    """Indicator rows under each title row ("1. … министрлігі", "(өнеркәсіп)")."""
    out: dict[str, list[Row]] = {}
    current = None
    for row in table.rows:
        if _is_title(row):
            current = row.non_empty()[0].text
            out[current] = []
        elif current is not None and _number(row):
            out[current].append(row)
    return out


def _general(doc: Document) -> dict[str, Row]:
    general, _ = _indicator_tables(doc)
    titles = [i for i, r in enumerate(general.rows) if _is_title(r)]
    return {_number(r) or "": r for r in general.rows[titles[0] + 1 :] if _number(r)}


def _sector(doc: Document, title_start: str) -> list[Row]:
    _, sector = _indicator_tables(doc)
    return next(rows for title, rows in _sections(sector).items() if title.startswith(title_start))


# --- row structure ----------------------------------------------------------------------------


def test_read_by_the_pdftext_reader(doc: Document) -> None:
    assert doc.reader == "pdftext"


def test_general_block_has_ten_indicators_in_order(doc: Document) -> None:
    assert list(_general(doc)) == [str(n) for n in range(1, 11)]


def test_indicator_rows_per_section(doc: Document) -> None:
    _, sector = _indicator_tables(doc)
    counts = {re.match(r"\(?(\S+)", title).group(1): len(rows) for title, rows in _sections(sector).items()}  # type: ignore[union-attr]
    # As in the Russian text, except Energy: the Kazakh numbers 9 rows 1-9 and Digital's 4 rows.
    assert counts == {
        "1.": 6, "2.": 6, "3.": 6, "4.": 6, "5.": 6, "6.": 6, "7.": 8, "8.": 5, "9.": 5,
        "10.": 4, "өнеркәсіп)": 3, "геология": 3,
        "11.": 6, "12.": 5, "13.": 5, "14.": 6, "15.": 9, "16.": 4,
    }  # fmt: skip


def test_energy_rows_are_numbered_one_to_nine(doc: Document) -> None:
    rows = _sector(doc, "15. ")
    assert [_number(r) for r in rows] == [str(n) for n in range(1, 10)]
    assert rows[3].cells[1].text == "ЖИ пайдалана отырып, мұнай беруді автоматтандыру"


def test_digital_section_repeats_number_two_as_in_the_kazakh_text(doc: Document) -> None:
    rows = _sector(doc, "16. ")
    assert [_number(r) for r in rows] == ["1", "2", "2", "3"]
    assert rows[1].cells[1].text.startswith("Әрбір көрсетілетін қызметке үш реттен асырмай шерту")
    assert rows[2].cells[1].text.startswith('"Мемлекеттік қызметшінің ассистенті" жобасы')


def test_section_titles_printed_outside_the_table_are_rows(doc: Document) -> None:
    _, sector = _indicator_tables(doc)
    titles = [r.non_empty()[0].text for r in sector.rows if _is_title(r)]
    assert "2. Қазақстан Республикасының Әділет министрлігі" in titles  # a plain line in the file
    assert "1. Қазақстан Республикасының Ауыл шаруашылығы министрлігі" in titles  # a tab row in the file
    assert "(геология және жер қойнауын пайдалану)" in titles
    assert len([t for t in titles if re.match(r"\d+\. ", t)]) == 16


def test_header_and_column_number_rows_stay_rows(doc: Document) -> None:
    general, sector = _indicator_tables(doc)
    assert general.rows[0].texts()[:2] == ["Р/с №", "Көрсеткіштің атауы"]
    assert general.rows[1].texts() == [str(n) for n in range(1, 8)]
    assert sector.rows[1].texts() == [str(n) for n in range(1, 9)]


def test_flow_text_stays_paragraphs(doc: Document) -> None:
    paragraphs = [p.text for p in doc.paragraphs()]
    assert "ЭҮ – электрондық үкімет" in paragraphs
    assert "Ескертпе: аббревиатуралардың толық жазылуы:" in paragraphs
    assert any(p.startswith("Күші жойылған Қазақстан Республикасы Үкіметінің") for p in paragraphs)
    # The sector title before the second table is flow text, as "Отраслевые …" is in Russian.
    assert any(p.endswith("салалық түйінді көрсеткіштері") for p in paragraphs)
    assert not any(p.startswith("2. Қазақстан Республикасының Әділет") for p in paragraphs)


# --- rows rejoined from fragments -------------------------------------------------------------


def test_general_row_2_values(doc: Document) -> None:
    row = _general(doc)["2"]
    assert row.texts()[2:6] == ["%", "99,74", "99,63", "5 %"]  # Russian: 99,74 / 99,8
    formula = row.cells[6].text
    assert formula.startswith(r"$A=100\% - \frac{t_{\text{тұралау}}}{t_{\text{жалпы}}}$")
    assert formula.endswith("t жалпы = 365 күн = 8760 сағат")  # the line after the page break
    assert (row.source.first_line, row.source.last_line) == (61, 63)


def test_general_row_5_name_begins_before_the_numbered_line(doc: Document) -> None:
    row = _general(doc)["5"]
    # Line 68 runs the name's start and the numerator's start together in one cell:
    # "…деректері (алымы: есепті кезеңде…"; the numerator goes to the formula column.
    assert row.cells[1].text == (
        "Мемлекеттік органның цифрландырылған салалық деректері (бірегей атрибуттары) толықтығының "
        "архитектуралық порталдағы ағымдағы деректерге қатысты 15 %-ға өсуіне қол жеткізу"
    )
    assert row.cells[6].text.startswith("алымы: есепті кезеңде цифрландырылған деректер саны бөлімі:")
    assert row.texts()[3:6] == ["15 %-ға өсу", "15 %-ға өсу", "5 %"]
    assert (row.source.first_line, row.source.last_line) == (68, 70)
    assert (row.cells[1].source.first_line, row.cells[1].source.last_line) == (68, 70)


def test_general_row_4_formula_begins_on_the_line_before(doc: Document) -> None:
    row = _general(doc)["4"]
    assert row.cells[1].text == "ЭҮ ақпараттандыру объектілерінің қорғалу деңгейі"
    assert row.cells[1].orig == "Э Ү ақпараттанды р у объектілеріні ң қорғалу деңгейі"
    assert row.cells[6].text.startswith(r"$S = \frac{(Ia+Ib)}{2},$" + "\nмұндағы: S –")
    assert "пайыздық көрсеткіш, ол ақпараттық қауіпсіздік" in row.cells[6].text
    assert (row.source.first_line, row.source.last_line) == (65, 67)


def test_general_row_8_spans_the_page_break(doc: Document) -> None:
    row = _general(doc)["8"]
    name = row.cells[1].text
    assert name.startswith("Деректер сапасын арттыру Деректер сапасының деңгейі мынадай өлшемшарттарға")
    assert "сервистердің сипаттамасы, ол сервис мақсатының" in name  # before + numbered line
    # The name goes on after the `---` page break, on the line before row 9.
    assert "дерекқорлардағы деректер сапасын телнұсқаларды жою, қалып қойған мәндерді толтыру" in name
    assert name.endswith("(өрістер мен кестелерді сипаттаудың болуы) арқылы жақсарту")
    assert row.texts()[2:6] == ["%", "100 %", "100 %", "20 %"]
    assert row.cells[6].text.endswith(
        "30 % – дерекқорлардағы деректер сапасын жақсарту"
    )  # word cut by the page
    assert (row.source.first_line, row.source.last_line) == (75, 80)


def test_general_row_10_name_slid_into_the_number_column(doc: Document) -> None:
    row = _general(doc)["10"]
    assert row.cells[1].text.endswith("мониторингтеу кезінде жобалық басқаруды пайдалану")
    assert row.cells[6].text.endswith("процесін жобалық басқару арқылы жүзеге асыру")
    assert row.texts()[5] == "10 %"


def test_justice_row_1_name_ends_after_the_page_break(doc: Document) -> None:
    row = _sector(doc, "2. ")[0]
    assert row.cells[1].text.endswith("нотариат куәландырылған сенімхаттардың үлесі")
    assert row.cells[7].text.endswith("нотариат куәландырылған сенімхаттардың жалпы саны 100-ге көбейту")
    assert row.texts()[2:7] == ["%", "5", "5 %", "7", "10 %"]
    assert (row.source.first_line, row.source.last_line) == (105, 108)


def test_justice_row_5_gets_its_formula_from_the_next_page(doc: Document) -> None:
    row = _sector(doc, "2. ")[4]
    assert row.cells[1].text == '"Е-заң көмегі" АЖ-да құқықтық көмек экожүйесін құру'
    assert row.cells[7].text == "сандық көрсеткіш"
    assert (row.cells[7].source.first_line, row.cells[7].source.last_line) == (114, 114)
    assert (row.source.first_line, row.source.last_line) == (112, 114)


def test_fragment_before_a_row_that_follows_a_section_title(doc: Document) -> None:
    row = _sector(doc, "14. ")[0]
    assert row.cells[1].text.startswith(
        "Орман өрттерін ерте анықтаудың автоматтандырылған ақпараттық жүйелерін (ОӨЕА ААЖ) ауқымды түрде қолдану"
    )
    assert (row.source.first_line, row.source.last_line) == (265, 268)


def test_row_sources_cover_their_cells(doc: Document) -> None:
    for row in doc.rows():
        for cell in row.cells:
            assert row.source.first_line is not None and cell.source.first_line is not None
            assert (
                row.source.first_line
                <= cell.source.first_line
                <= (cell.source.last_line or 0)
                <= (row.source.last_line or 0)
            )


def test_no_row_is_left_with_an_empty_number_cell(doc: Document) -> None:
    general, sector = _indicator_tables(doc)
    for row in general.rows + sector.rows:
        assert row.cells[0].text.strip(), row.source.place()


# --- split words --------------------------------------------------------------------------------


def test_split_words_repaired_in_cells(doc: Document) -> None:
    general = _general(doc)
    assert "Жоба мынадай өлшемшарттарға сәйкес келуге тиіс" in general["1"].cells[1].text
    assert general["2"].cells[1].text.startswith("Мемлекеттік органның және ведомстволық")
    assert "мониторингтеу кезінде" in general["10"].cells[1].text
    assert "ж ә н е" in general["2"].cells[1].orig  # the raw text is kept


def test_latex_is_kept(doc: Document) -> None:
    formula = _general(doc)["6"].cells[6]
    assert formula.text.startswith(r"$A = 100 - \left(\frac{b}{c}\right) * 100,$")
    assert r"\left(\frac{b}{c}\right)" in formula.orig


def test_vocabulary_of_no_124_repairs_more(doc: Document, doc_with_124: Document) -> None:
    text = KK.read_text(encoding="utf-8")
    alone = pdftext.read(text, str(KK), "utf-8", "", vocabulary=Vocabulary.from_texts([text]))
    assert "бизнес-процес тердің реинжинирин гін" in _general(alone)["1"].cells[1].text
    assert "бизнес-процестердің реинжинирингін жүргізу" in _general(doc_with_124)["1"].cells[1].text
    assert "Еуропротоколдар саны" in _sector(doc_with_124, "13. ")[1].cells[7].text


def test_shipped_vocabulary_is_the_corpus_vocabulary(doc: Document, doc_with_124: Document) -> None:
    """Read with no vocabulary given, the file is mended with the one shipped with the package, which
    is learnt from the corpus's two Kazakh texts: the same as learning from them on the spot."""
    assert "бизнес-процестердің реинжинирингін жүргізу" in _general(doc)["1"].cells[1].text
    assert [c.text for r in doc.rows() for c in r.cells] == [c.text for r in doc_with_124.rows() for c in r.cells]


def test_repair_spacing_joins_letter_runs_and_word_tails(vocab: Vocabulary) -> None:
    assert repair_spacing("Э Ү ақпараттанды р у объектілеріні ң қорғалу деңгейі", vocab) == (
        "ЭҮ ақпараттандыру объектілерінің қорғалу деңгейі"
    )
    assert (
        repair_spacing("QazTECH әзірлеу платформасы нда іске асыру", vocab)
        == "QazTECH әзірлеу платформасында іске асыру"
    )
    assert repair_spacing("Т Ж М Стратегиялық жоспарлау", vocab) == "ТЖМ Стратегиялық жоспарлау"


def test_repair_spacing_keeps_real_words_apart(vocab: Vocabulary) -> None:
    # "мен" and "да" are words of their own although many words end with them.
    assert (
        repair_spacing("табиғи ресурстар мен жануарлар дүниесін", vocab)
        == "табиғи ресурстар мен жануарлар дүниесін"
    )
    assert (
        repair_spacing("әскери инфрақұрылымның басқа да объектілері", vocab)
        == "әскери инфрақұрылымның басқа да объектілері"
    )
    # A seam no Kazakh word has ("та" + "ы") is not guessed: the converter lost a letter there.
    assert repair_spacing("дайындықта ы және", vocab) == "дайындықта ы және"


def test_repair_spacing_leaves_latex_alone(vocab: Vocabulary) -> None:
    text = r"$S = \frac{(Ia+Ib)}{2},$ мұндағы: S – жалпы деңгейі"
    assert repair_spacing(text, vocab) == text


def test_vocabulary_is_learnt_once_per_process() -> None:
    texts = [KK.read_text(encoding="utf-8")]
    assert vocabulary_for(texts) is vocabulary_for(list(texts))


def test_vocabulary_does_not_count_pieces_of_split_words(vocab: Vocabulary) -> None:
    assert vocab.count("мониторингтеу") >= 1
    assert vocab.count("мониторингте") == 0  # only ever seen as "мониторингте у"
    assert vocab.count("және") > 50
