"""The header model (parsers/header.py), classification by structure, and what is never lost.

Every grid here is written by hand; the expected columns are what a person reads from it.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from legalkpi.errors import UnknownLayout
from parsers import read_document
from parsers.grid import Cell, Document, Paragraph, Row, Source, Table
from parsers.header import expand, read_header

ROOT = Path(__file__).resolve().parents[1]


def _row(texts: list[str | tuple[str, int]], n: int) -> Row:
    cells = []
    for k, t in enumerate(texts):
        text, span = (t, 1) if isinstance(t, str) else t
        cells.append(Cell(text=text, source=Source("x.docx", cell=f"t0/r{n}/c{k}"), col_span=span))
    return Row(cells=cells, source=Source("x.docx", cell=f"t0/r{n}"))


def _expanded(rows: list[Row]) -> list[Row]:
    return [Row(cells=expand(r), source=r.source) for r in rows]


def test_two_row_header_with_value_and_weight_per_year() -> None:
    # "2025 год" spans "значение | удельный вес" (DOCX gridSpan); the other header cells span both rows.
    rows = _expanded(
        [
            _row(["№ п/п", "Наименование показателя", "Единица измерения", ("2025 год", 2), ("2026 год", 2), "Формула расчета"], 0),
            _row(["", "", "", "значение", "удельный вес", "значение", "удельный вес", ""], 1),
            _row([str(i) for i in range(1, 9)], 2),
        ]
    )
    cols = read_header(rows, 0)
    assert cols is not None
    assert (cols.number, cols.name, cols.unit, cols.formula) == (0, 1, 2, 7)
    assert cols.years == [(2025, 3), (2026, 5)]
    assert cols.weights == {2025: 4, 2026: 6}
    assert cols.rows == 3  # two header rows and the column numbers


def test_one_weight_for_three_years_other_wording() -> None:
    rows = _expanded(
        [
            _row(["№", "Наименование ключевого показателя деятельности", "Ед. изм.", ("План", 3), "вес", "Методика расчета"], 0),
            _row(["", "", "", "План на 2025 год", "2026 жылға", "2027 жылғы жоспар", "", ""], 1),
        ]
    )
    cols = read_header(rows, 0)
    assert cols is not None
    assert cols.years == [(2025, 3), (2026, 4), (2027, 5)]
    assert cols.weights == {2025: 6, 2026: 6, 2027: 6}
    assert (cols.unit, cols.formula, cols.rows) == (2, 7, 2)


def test_spanning_cells_written_once_in_a_text_rendition_are_spread() -> None:
    # The one-cell-per-line converters write a spanning cell once and give no span.
    rows = [
        Row([Cell(t, Source("x.txt", 1, 1)) for t in ["Р/с №", "Көрсеткіштің атауы", "Өлшем бірлігі", "2025 жыл", "2026 жыл", "Есептеу әдістемесі"]], Source("x.txt", 1, 1)),
        Row([Cell(t, Source("x.txt", 2, 2)) for t in ["", "", "", "мәні", "үлес салмағы", "мәні", "үлес салмағы", ""]], Source("x.txt", 2, 2)),
    ]
    cols = read_header(rows, 0)
    assert cols is not None
    assert cols.years == [(2025, 3), (2026, 5)]
    assert cols.weights == {2025: 4, 2026: 6}
    assert (cols.unit, cols.formula, cols.width) == (2, 7, 8)


def test_header_without_year_columns_is_an_error_naming_the_row() -> None:
    rows = _expanded([_row(["№", "Наименование показателя", "Ед. изм.", "Примечание"], 4)])
    with pytest.raises(UnknownLayout) as e:
        read_header(rows, 0)
    assert e.value.file == "x.docx"
    assert "t0/r4" in (e.value.place or "")


def test_agency_list_header_is_no_indicator_header() -> None:
    assert read_header(_expanded([_row(["№ п/п", "Наименование государственного органа"], 0)]), 0) is None


def _doc(rows: list[list[str]]) -> Document:
    doc = Document(file="x.txt", reader="cells", encoding="utf-8", sha256="0" * 64)
    grid = [Row([Cell(t, Source("x.txt", n, n)) for t in r], Source("x.txt", n, n)) for n, r in enumerate(rows, 1)]
    doc.blocks = [Paragraph("Ключевые показатели", Source("x.txt", 0, 0)), Table(grid, grid[0].source)]
    return doc


HEADER = ["№", "Наименование ключевого показателя деятельности", "Ед. изм.", "2025 год", "Удельный вес", "Методика расчета"]


def test_classify_by_table_structure_not_by_formula_words() -> None:
    from legalkpi.api import classify

    act = _doc([HEADER, ["1", "Доля услуг", "%", "50", "5 %", "числитель: услуги\nзнаменатель: все услуги"]])
    assert classify(act) == "kpi-act"
    report = _doc(
        [["№", "Наименование KPI", "Ед. изм", "Числитель (a)", "Знаменатель (b)", "Присвоенный удельный вес"], ["1", "Доля", "%", "5", "10", "2,5"]]
    )
    assert classify(report) == "kpi-report"
    # Formula words in a table without an indicator header make no report.
    loose = _doc([["1", "числитель: услуги", "знаменатель: все услуги"]])
    assert classify(loose) == "rules"


def test_extract_leaves_the_document_as_it_was() -> None:
    from legalkpi.reading.extract import extract

    doc = read_document(ROOT / "tests" / "fixtures" / "1157-ru.docx")
    before = copy.deepcopy(doc)
    record = extract(doc)
    assert doc == before
    # Justice row 5's 2026 weight is the merged "0" printed once, in row 4 (a person reads it for both).
    justice5 = next(i for i in record.indicators if i.section.ordinal == 2 and i.number == 5)
    assert justice5.value(2026) is not None and justice5.value(2026).weight_text == "0"  # type: ignore[union-attr]


def test_row_unread_and_unknown_column_are_warnings_naming_the_cells() -> None:
    from legalkpi.reading.extract import extract

    header = [*HEADER[:5], "Ответственный", HEADER[5]]
    record = extract(
        _doc(
            [
                header,
                ["1", "Доля услуг", "%", "50", "5 %", "МЦРИАП", "числитель: услуги"],
                ["", "", "", "строка без номера", "5 %", "", ""],
                ["2", "Число сервисов", "ед.", "3", "5 %", "", "количественный показатель"],
            ]
        )
    )
    assert [i.number_text for i in record.indicators] == ["1", "2"]
    by_code = {w.code: w for w in record.warnings}
    assert "МЦРИАП" in by_code["cell-unread"].message and "column 6" in by_code["cell-unread"].message
    assert by_code["cell-unread"].source == Source("x.txt", 2, 2)
    assert "строка без номера" in by_code["row-unread"].message


def test_check_says_when_values_could_not_be_read(tmp_path: Path) -> None:
    # A short row (its 2026 cells and formula missing) in a one-cell-per-line text.
    lines = ["Ключевые показатели", ""]
    rows = [
        ["№", "Наименование показателя", "Единица измерения", "2025 год", "Удельный вес", "2026 год", "Удельный вес", "Формула расчета"],
        ["1. Министерство юстиции Республики Казахстан"],
        ["1", "Доля услуг", "%", "50", "5 %", "60", "5 %", "числитель: услуги"],
        ["2", "Число сервисов", "ед.", "3", "5 %"],
        ["3", "Доля систем", "%", "10", "5 %", "20", "5 %", "числитель: системы"],
    ]
    for r in rows:
        lines.append("")
        for t in r:
            lines += ["\t", t]
    path = tmp_path / "short.txt"
    path.write_text("\n".join([*lines, "", ""]), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "legalkpi", "check", str(path), "-f", "json", "--fail-on", "warning", "--corpus", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    unread = [f for f in findings if f["code"] == "values-unread"]
    assert len(unread) == 1
    assert "2026 target" in unread[0]["message"] and "formula" in unread[0]["message"]


def test_unmappable_header_exits_2_naming_the_header_row(tmp_path: Path) -> None:
    lines = ["Ключевые показатели", ""]
    for r in [["№", "Наименование показателя", "Единица измерения", "Примечание"], ["1", "Доля услуг", "%", "текст"]]:
        lines.append("")
        for t in r:
            lines += ["\t", t]
    path = tmp_path / "bad.txt"
    path.write_text("\n".join([*lines, "", ""]), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "legalkpi", "extract", str(path), "--corpus", str(tmp_path)], capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.returncode == 2
    assert "header row 4" in proc.stderr and "cannot be mapped" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_year_spanning_target_and_weight_without_sub_labels() -> None:
    rows = _expanded([_row(["№", "Наименование показателя", "Ед. изм.", ("2025 год", 2), ("2026 год", 2), "Формула"], 0)])
    cols = read_header(rows, 0)
    assert cols is not None
    assert cols.years == [(2025, 3), (2026, 5)]
    assert cols.weights == {2025: 4, 2026: 6}


@pytest.mark.parametrize(
    ("name", "weight"),
    [
        ("Наименование индикатора", "Весовой коэффициент"),
        ("Показатель", "Вес"),
        ("Түйінді көрсеткіш", "Салмақ"),
        ("Индикатордың атауы", "Үлес салмағы, %"),
    ],
)
def test_other_wordings_of_name_and_weight(name: str, weight: str) -> None:
    rows = _expanded([_row(["№", name, "Өлшем бірлігі", "2025", "2026", weight, "Есептеу әдістемесі"], 0)])
    cols = read_header(rows, 0)
    assert cols is not None
    assert (cols.name, cols.unit, cols.formula) == (1, 2, 6)
    assert cols.years == [(2025, 3), (2026, 4)]
    assert cols.weights == {2025: 5, 2026: 5}


def test_title_row_naming_indicators_is_no_header() -> None:
    rows = _expanded([_row([("Ключевые показатели деятельности", 8)], 0)])
    assert read_header(rows, 0) is None


def test_short_row_whose_last_cell_is_stretched_to_the_edge() -> None:
    # A row printing only number, name, unit, 2025 target and weight, its last cell widened over
    # the 2026 columns and the formula (as Word draws it): those are missing, not "10 %".
    from legalkpi.reading.extract import extract

    header = _row(["№", "Наименование показателя", "Ед. изм.", "2025 год", "Удельный вес", "2026 год", "Удельный вес", "Формула"], 0)
    short = _row(["2", "Число сервисов", "ед.", "1", ("10 %", 4)], 1)
    doc = Document(file="x.docx", reader="docx", encoding="utf-8", sha256="0" * 64)
    doc.blocks = [Table([header, short], header.source)]
    record = extract(doc)
    (ind,) = record.indicators
    assert [(v.year, v.target_text, v.weight_text) for v in ind.values] == [(2025, "1", "10 %"), (2026, "", "")]
    assert ind.value(2026).target_kind == "missing"  # type: ignore[union-attr]
    assert ind.formula.text == ""
    (w,) = [w for w in record.warnings if w.code == "row-short"]
    assert "2026 target" in w.message and "2026 weight" in w.message and "formula" in w.message
