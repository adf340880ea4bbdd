"""The quarterly report (seed 003) read into a Report: facts checked against the printed text."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from legalkpi.errors import BadInput
from legalkpi.reading.report import Report, read_report, report_indicators
from parsers import read_document

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


@pytest.fixture(scope="module")
def report() -> Report:
    return read_report(read_document(CORPUS / "report-2024q1-ru.txt"))


def body(report: Report, short: str):
    return next(b for b in report.bodies if b.short == short)


def row(report: Report, short: str, number: int, direction: str | None = None):
    b = body(report, short)
    parts = [p for p in b.parts if direction is None or p.direction == direction]
    return next(r for p in parts for r in p.rows if r.number == number)


# --- the ranking table ---


def test_ranking_has_14_bodies_in_printed_order(report: Report) -> None:
    assert [r.rank for r in report.ranking] == list(range(1, 15))
    first, last = report.ranking[0], report.ranking[-1]
    assert (first.body, first.direction, first.result.text) == ("Министерство юстиции РК", "Юстиция", "96,4")
    assert (last.body, last.result.value) == ("Министерство транспорта РК", Decimal("19.2"))


def test_ranking_row_of_a_body_with_three_directions(report: Report) -> None:
    mps = report.ranking[3]
    assert mps.body == "Министерство промышленности и строительства РК"
    assert mps.direction == "Строительство; Промышленность; Геология и недропользование"
    assert mps.result.value == Decimal("83.5")


# --- the method text ---


def test_method_rules_stated_in_the_text(report: Report) -> None:
    keys = {r.key for r in report.method}
    assert keys == {"ratio", "increasing", "decreasing", "units", "zero-target", "sum"}
    rules = {r.key: r for r in report.method}
    assert rules["ratio"].text == "Z=a/b*100"
    assert rules["increasing"].compare == ">="
    dec = rules["decreasing"]
    assert dec.compare == "<=" and dec.otherwise == "Z/N*U"  # printed as for growth: a flaw of the text
    assert rules["units"].otherwise == "a/N*U"
    assert report.rule("sum") is rules["sum"]


def test_target_year_from_the_header(report: Report) -> None:
    assert report.target_year == 2023


# --- the bodies and their rows ---


def test_fourteen_bodies_in_report_order(report: Report) -> None:
    assert [b.short for b in report.bodies] == [
        "МВД", "МТСЗН", "МП", "МЮ", "МТИ", "МЭПР", "МСХ", "МЭ", "МО", "МФ", "МТ", "МНВО", "МЗ", "МПС",
    ]
    assert sum(len(b.rows) for b in report.bodies) == 115


def test_mvd_row_1_as_printed(report: Report) -> None:
    r = row(report, "МВД", 1)
    assert r.name.startswith("Доля уголовных и административных правонарушений")
    assert (r.u.value, r.n.value, r.unit) == (20, 75, "%")
    assert (r.a.value, r.b.value) == (156710, 363249)
    assert (r.z.text, r.w.text) == ("43,1", "11,4")
    assert r.source.lines() == [133, 141]
    assert r.cells["w"].lines() == [141, 141]


def test_mvd_row_5_counts_units(report: Report) -> None:
    r = row(report, "МВД", 5)
    assert r.unit == "eд" and r.unit_kind == "count"
    assert (r.u.value, r.n.value, r.a.value) == (5, 300, 225)
    assert r.b.value is None and r.z.value is None
    assert r.w.value == Decimal("3.75")


def test_mvd_result(report: Report) -> None:
    mvd = body(report, "МВД")
    assert (mvd.name, mvd.direction) == ("Министерство внутренних дел РК", "Безопасность")
    assert mvd.result.text == "90,1"
    assert mvd.result_source.lines() == [203, 204]


def test_row_cut_by_an_empty_line_is_joined(report: Report) -> None:
    # МСХ row 3: number and name on lines 594-595, an empty line, then the figures on 597-603
    r = row(report, "МСХ", 3)
    assert r.name.startswith("Доля документов, загружаемых")
    assert (r.u.value, r.n.value, r.a.value, r.b.value, r.z.text, r.w.text) == (15, 40, 8, 18, "44,4", "15")
    assert r.source.lines() == [594, 603]
    assert len(body(report, "МСХ").rows) == 5


def test_billions_in_trade_row_3(report: Report) -> None:
    r = row(report, "МТИ", 3)
    assert r.a.value == Decimal("628540000000") and r.b.value == Decimal("4044000000000")


def test_target_missing_is_none(report: Report) -> None:
    r = row(report, "МЭ", 6)
    assert r.n.text == "-" and r.n.value is None


def test_body_of_three_directions(report: Report) -> None:
    mps = body(report, "МПС")
    assert mps.name == "Министерство промышленности и строительства РК" and mps.direction == ""
    assert [(p.direction, len(p.rows), p.result.text) for p in mps.parts] == [
        ("Строительство", 10, "66,3"),
        ("Промышленность", 4, "96"),
        ("Геология и недропользование", 4, "88,3"),
    ]
    assert mps.result.value == Decimal("83.5")
    industry_3 = row(report, "МПС", 3, "Промышленность")
    assert (industry_3.unit_kind, industry_3.a.value, industry_3.w.value) == ("count", 11, 11)


def test_no_warnings_on_the_real_report(report: Report) -> None:
    assert report.warnings == []


# --- the indicator set the report records ---


def test_report_indicators(report: Report) -> None:
    inds = report_indicators(report)
    assert len(inds) == 115
    first = inds[0]
    assert first.id == "s1-p1-n1"
    assert first.section.title == "Министерство внутренних дел РК (Безопасность)"
    v = first.values[0]
    assert (v.year, v.target, v.target_text, v.weight) == (2023, 75.0, "75", 20.0)
    assert first.source is not None and first.source.lines() == [133, 141]
    by_id = {i.id: i for i in inds}
    count = by_id["s1-p1-n5"]
    assert (count.unit, count.unit_kind, count.formula.kind) == ("eд", "count", "quantitative")
    industry = by_id["s14-p2-n3"]
    assert industry.section.title == (
        "Министерство промышленности и строительства РК (Строительство; Промышленность; Геология и недропользование)"
    )
    assert industry.part.title == "Промышленность"
    assert (industry.values[0].target, industry.values[0].weight) == (15.0, 15.0)
    no_target = by_id["s8-p1-n6"]  # МЭ row 6 prints "-" for N
    assert no_target.values[0].target is None and no_target.values[0].target_kind == "none"
    assert len(by_id) == len(inds)  # ids are unique


# --- not a report ---


def test_an_act_is_not_a_report() -> None:
    with pytest.raises(BadInput, match="not a KPI achievement report"):
        read_report(read_document(CORPUS / "1157-ru.txt"))
