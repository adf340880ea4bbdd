"""Recomputing the quarterly report: the convention found, rows explained and flagged, R, ranking."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from typer.testing import CliRunner

from legalkpi.checking.score import (
    CANDIDATES,
    Convention,
    ScoreResult,
    convention_named,
    explained_rows,
    score,
    should_decrease,
    to_places,
)
from legalkpi.cli import app
from legalkpi.reading.report import Report, read_report
from parsers import read_document

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
REPORT = CORPUS / "report-2024q1-ru.txt"


@pytest.fixture(scope="module")
def report() -> Report:
    return read_report(read_document(REPORT))


@pytest.fixture(scope="module")
def result(report: Report) -> ScoreResult:
    return score(report)


def body(result: ScoreResult, short: str):
    return next(bs for bs in result.bodies if bs.body.short == short)


def row(result: ScoreResult, short: str, number: int, direction: str | None = None):
    bs = body(result, short)
    return next(rs for ps in bs.parts if direction in (None, ps.part.direction) for rs in ps.rows
                if rs.row.number == number)


# --- rounding -------------------------------------------------------------------------------


def test_rounding_is_exact_at_the_half() -> None:
    assert to_places(Fraction("90.15"), "round", 1) == Fraction("90.2")
    assert to_places(Fraction("90.15"), "truncate", 1) == Fraction("90.1")
    assert to_places(Fraction(7, 15) * 100, "truncate", 1) == Fraction("46.6")
    assert to_places(Fraction(7, 15) * 100, "round", 1) == Fraction("46.7")


# --- the convention -------------------------------------------------------------------------


def test_convention_found_is_truncation_with_w_from_the_printed_z(result: ScoreResult) -> None:
    conv = result.convention
    assert (conv.z_rounding, conv.w_from, conv.w_rounding, conv.r_rounding) == (
        "truncate", "rounded-z", "truncate", "truncate")
    assert result.chosen_by == "auto"
    tally = dict(result.tally)
    assert tally[conv] == 111 and result.total_rows == 115
    assert all(n < 111 for c, n in result.tally if c != conv)  # the choice is not a tie
    assert tally[Convention("round", "rounded-z", "round")] == 76


def test_rows_that_separate_the_candidates(report: Report) -> None:
    mp7 = next(r for b in report.bodies if b.short == "МП" for r in b.rows if r.number == 7)
    # 7/15*100 = 46.67 printed 46,6: only truncation explains it
    from legalkpi.checking.score import score_row

    assert score_row(mp7, Convention("truncate", "rounded-z", "truncate")).z_ok
    assert not score_row(mp7, Convention("round", "rounded-z", "round")).z_ok
    # МТ row 1: 2/4 = 50, 50/75*10 = 6.67 printed 6,6: W truncated too
    mt1 = next(r for b in report.bodies if b.short == "МТ" for r in b.rows if r.number == 1)
    assert score_row(mt1, Convention("truncate", "rounded-z", "truncate")).w_ok
    assert not score_row(mt1, Convention("truncate", "rounded-z", "round")).w_ok


def test_every_candidate_is_tried(report: Report, result: ScoreResult) -> None:
    assert [c for c, _ in result.tally] == list(CANDIDATES)
    assert explained_rows(report, result.convention) == 111


# --- rows the method explains ---------------------------------------------------------------


def test_mvd_row_1(result: ScoreResult) -> None:
    rs = row(result, "МВД", 1)
    # a=156 710, b=363 249: Z = 43.14 printed 43,1; W = 43.1/75*20 = 11.49 printed 11,4
    assert rs.z == Fraction("43.1") and rs.w == Fraction("11.4")
    assert rs.w_exact == Fraction("43.1") / 75 * 20
    assert rs.rule == "increasing" and rs.explained


def test_mvd_row_5_units(result: ScoreResult) -> None:
    rs = row(result, "МВД", 5)
    assert rs.rule == "units" and rs.w_exact == Fraction("3.75") and rs.explained  # 225/300*5
    assert rs.z is None


def test_decreasing_indicator_read_from_its_name(result: ScoreResult) -> None:
    rs = row(result, "МФ", 5)  # customs declarations that took "свыше 4 часов": fewer is better
    assert should_decrease(rs.row.name)
    assert rs.rule == "decreasing" and rs.w == 15 and rs.explained  # Z 8,6 <= N 45
    assert not should_decrease(row(result, "МВД", 1).row.name)  # offences *detected* by cameras go up


def test_missing_target_gives_zero(result: ScoreResult) -> None:
    rs = row(result, "МЭ", 6)  # N printed "-"
    assert rs.rule == "zero-target" and rs.w == 0 and rs.explained


def test_count_row_of_industry(result: ScoreResult) -> None:
    rs = row(result, "МПС", 3, "Промышленность")  # ед, a=11, N=15, U=15 -> 11
    assert rs.rule == "units" and rs.w == 11 and rs.explained


def test_zero_and_dash_both_mean_nothing(result: ScoreResult) -> None:
    assert row(result, "МП", 2).explained  # 0/0 printed 0
    assert row(result, "МО", 3).explained  # 0/0 printed "-"
    assert row(result, "МТ", 4).explained  # 0/31 printed "-"


# --- what the method cannot explain ---------------------------------------------------------


def test_findings_are_exactly_the_wrong_figures(result: ScoreResult) -> None:
    got = sorted((f.data["body"], f.data["direction"], f.data["number"] or 0, f.field, f.data["printed"]) for f in result.findings)
    assert got == sorted([
        ("Министерство экологии и природных ресурсов РК", "Экология", 2, "Z", "56,7"),  # 11300/18906 = 59.77
        ("Министерство энергетики РК", "Топливно-энергетический комплекс", 12, "W", "5,4"),  # above U=5
        ("Министерство энергетики РК", "Топливно-энергетический комплекс", 0, "R", "40,9"),
        ("Министерство обороны РК", "Оборона", 9, "Z", "73,4"),  # 26/34 = 76.47
        ("Министерство промышленности и строительства РК", "Строительство", 8, "Z", "83,5"),  # 84.33
        ("Министерство промышленности и строительства РК", "Строительство", 8, "W", "9,8"),
        ("Министерство промышленности и строительства РК", "Строительство", 0, "R", "66,3"),
    ])


def test_w_above_u_is_impossible_and_explained_as_uncapped(result: ScoreResult) -> None:
    f = next(f for f in result.findings if f.field == "W" and f.data["number"] == 12)
    assert f.data["recomputed"] == 5.0 and f.data["lines"] == [748, 748]
    assert (f.code, f.severity, f.source.lines() if f.source else None) == ("w-differs", "error", [748, 748])
    assert "impossible" in f.message and "not capped" in f.message


def test_wrong_w_follows_the_wrong_printed_z(result: ScoreResult) -> None:
    f = next(f for f in result.findings if f.field == "W" and f.data["direction"] == "Строительство")
    assert f.data["recomputed"] == pytest.approx(9.9) and "follows the printed Z 83,5" in f.message


# --- R and the ranking ----------------------------------------------------------------------


def test_mvd_r(result: ScoreResult) -> None:
    mvd = body(result, "МВД")
    assert mvd.body.result.text == "90,1"
    assert mvd.r == Fraction("90.15")  # 11.4+10+20+15+3.75+15+15, printed truncated
    assert mvd.to_dict(result.convention, result.aggregate)["R_recomputed"] == 90.1


def test_energy_r_follows_its_wrong_w(result: ScoreResult) -> None:
    me = body(result, "МЭ")
    assert me.r == Fraction("40.5")
    f = next(f for f in result.findings if f.field == "R" and f.data["body"] == me.body.name)
    assert f.data["recomputed"] == 40.5 and "ΣW of the printed W = 40.9" in f.message


def test_body_of_three_directions_is_the_mean(result: ScoreResult) -> None:
    assert result.aggregate == "mean"
    assert result.aggregate_tally == {"mean": 1, "sum": 0}
    mps = body(result, "МПС")
    # directions recomputed 66.4 (row 8 corrected), 96, 88.3; mean 83.57 printed 83,5
    assert [to_places(p.r, "truncate", 1) for p in mps.parts] == [Fraction("66.4"), 96, Fraction("88.3")]
    assert to_places(mps.r, "truncate", 1) == Fraction("83.5")


def test_ranking_recomputed_matches_the_printed_one(result: ScoreResult) -> None:
    ranked = [(bs.rank, bs.body.short) for bs in result.ranking()]
    assert ranked[0] == (1, "МЮ") and ranked[-1] == (14, "МТ")
    assert all(bs.rank == bs.rank_printed for bs in result.bodies)
    assert not [f for f in result.findings if f.field == "rank"]


def test_to_dict_shape(result: ScoreResult) -> None:
    d = result.to_dict()
    assert d["convention"]["rows_explained"] == 111
    assert {c["name"] for c in d["convention"]["candidates"]} == {c.name for c in CANDIDATES}
    mvd = d["bodies"][0]
    assert (mvd["body"], mvd["direction"], mvd["R_printed"], mvd["R_recomputed"]) == (
        "Министерство внутренних дел РК", "Безопасность", 90.1, 90.1)
    assert mvd["rows"][0]["Z_printed"] == "43,1" and mvd["rows"][0]["W_recomputed"] == 11.4
    assert set(d["findings"][0]) >= {"body", "direction", "number", "field", "printed", "recomputed", "message"}


def test_forced_rounding_flags_more(report: Report) -> None:
    forced = score(report, convention_named("round"))
    assert forced.chosen_by == "given"
    assert any(f.field == "Z" and f.data["number"] == 7 and f.data["printed"] == "46,6" for f in forced.findings)
    assert len(forced.findings) > 7


# --- a small report of our own: agreement exits 0, a wrong ranking is found ------------------


def _report_text(ranking: list[tuple[str, str, str, str]]) -> str:
    rows: list[list[str]] = [["№ п/п", "Наименование ГО", "Направление", "Присвоенный удельный вес (%)"]]
    rows += [list(r) for r in ranking]
    rows += [
        ["№ п/п", "Наименование KPI", "Предусмотр. удельный вес (U, %)", "Предусмотр. значение на 2023 год (N)",
         "Ед. изм", "Числитель (a)", "Знаменатель (b)", "Расчет доли удельного веса (Z)",
         "Присвоенный удельный вес (W,%)"],
        ["Министерство альфа РК (Альфа)"],
        ["1", "Доля услуг в электронном виде", "50", "80", "%", "40", "100", "40", "25"],
        ["2", "Доля интеграций", "50", "10", "%", "3", "7", "42,8", "50"],
        ["Результат МА РК (R)", "75"],
        ["Министерство беты РК (Бета)"],
        ["1", "Доля отчетов", "40", "50", "%", "1", "2", "50", "40"],
        ["2", "Сокращение доли просроченных заявок", "40", "10", "%", "1", "5", "20", "20"],
        ["3", "Доля паспортов", "20", "-", "%", "-", "-", "-", "0"],
        ["Результат МБ РК (R)", "60"],
    ]
    head = "Отчет по достижению KPI (проба)\n\nМетод:\n\nZ=a/b*100\nW=(ЕСЛИ Z>=N;U; Z/N*U)\nR=∑W\n\n\n"
    return head + "\n".join("\n".join("\t" + c for c in r) + "\n" for r in rows)


def test_small_report_that_agrees_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "ok.txt"
    path.write_text(_report_text([("1", "Министерство альфа РК", "Альфа", "75"),
                                  ("2", "Министерство беты РК", "Бета", "60")]), encoding="utf-8")
    res = score(read_report(read_document(path)))
    beta = body(res, "МБ")
    assert [rs.rule for ps in beta.parts for rs in ps.rows] == ["increasing", "decreasing", "zero-target"]
    assert beta.parts[0].rows[1].w == 20  # Z 20 > N 10: N/Z*U = 10/20*40
    assert res.findings == []
    out = CliRunner().invoke(app, ["score", str(path), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["findings"] == []


def test_small_report_with_swapped_ranks(tmp_path: Path) -> None:
    path = tmp_path / "swapped.txt"
    path.write_text(_report_text([("1", "Министерство беты РК", "Бета", "60"),
                                  ("2", "Министерство альфа РК", "Альфа", "75")]), encoding="utf-8")
    res = score(read_report(read_document(path)))
    ranks = sorted((f.data["body"], f.data["printed"], f.data["recomputed"]) for f in res.findings if f.field == "rank")
    assert ranks == [("Министерство альфа РК", "2", 1), ("Министерство беты РК", "1", 2)]


# --- the command ----------------------------------------------------------------------------


def test_cli_json_exits_1_on_findings() -> None:
    out = CliRunner().invoke(app, ["score", str(REPORT), "--format", "json"])
    assert out.exit_code == 1
    data = json.loads(out.output)
    assert data["convention"]["z_rounding"] == "truncate" and len(data["findings"]) == 7


def test_cli_table_names_the_convention_and_findings() -> None:
    out = CliRunner().invoke(app, ["score", str(REPORT)])
    assert out.exit_code == 1
    assert "explains 111 of 115 rows" in out.output
    assert "МО №9 Z: printed 73,4" in out.output


def test_cli_refuses_an_act(tmp_path: Path) -> None:
    out = CliRunner().invoke(app, ["score", str(CORPUS / "1157-ru.txt")])
    assert out.exit_code == 2
    assert "not a KPI achievement report" in out.output


def test_cli_chart(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "r.png"
    out = CliRunner().invoke(app, ["score", str(REPORT), "--chart", str(target), "--format", "json"])
    assert out.exit_code == 1
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.png"]  # no temporary file left behind
