"""`legalkpi check`: rule breaks read from the acts themselves, and the absence of false ones.

Every finding asserted here was confirmed by reading the printed text at the lines given.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import by_id

from legalkpi.checking.checks import Silencer, check, direction, direction_cue, head_text
from legalkpi.model import ActRef

ROOT = Path(__file__).resolve().parent.parent


def found(result, code):
    return [f for f in result.findings if f.code == code]


def at(result, code):
    """(indicator, year, lines) of each finding of a code."""
    return [(f.indicator, f.year, f.source.lines() if f.source else None) for f in found(result, code)]


def totals(result):
    return {(t.agency_id, t.year): (t.general, t.sector, t.total) for t in result.totals}


@pytest.fixture(scope="module")
def ru(ru1157):
    return check(ru1157)


@pytest.fixture(scope="module")
def kk124_result(kk124):
    return check(kk124)


# --- Resolution 1157, Russian ----------------------------------------------------------------


def test_1157_ru_dash_targets_with_weight(ru):
    # Agriculture rows 5 and 6: "–" for 2026 but a weight of 10 % each (Kazakh text: 0).
    assert at(ru, "weight-without-target") == [("s1-p1-n5", 2026, [556, 571]), ("s1-p1-n6", 2026, [573, 588])]
    assert {f.severity for f in found(ru, "weight-without-target")} == {"error"}


def test_1157_ru_not_this_year_is_no_finding(ru, ru1157):
    # Justice row 4: "–" with weight 0; agriculture row 1 and digital rows: target 0 with weight 0.
    assert [(v.target_text, v.weight) for v in by_id(ru1157, "s2-p1-n4").values] == [("1", 5.0), ("–", 0.0)]
    assert (by_id(ru1157, "s1-p1-n1").values[1].target, by_id(ru1157, "s1-p1-n1").values[1].weight) == (
        0.0,
        0.0,
    )
    assert found(ru, "target-without-weight") == []


def test_1157_ru_weight_totals(ru):
    t = totals(ru)
    assert len(t) == 16 * 2
    # General block: 20+5+5+5+5+5+5+20+5+5 = 80 % in both years (one weight column).
    assert {g for g, _, _ in t.values()} == {80.0}
    assert t["agriculture", 2025] == (80.0, 30.0, 110.0)
    assert t["agriculture", 2026] == (80.0, 55.0, 135.0)  # 0+10+15+10+10+10
    assert t["industry", 2025] == (80.0, 50.0, 130.0)  # three parts: 10 + 20 + 20
    assert t["transport", 2025][1] == t["finance", 2025][1] == 35.0
    assert t["trade", 2026][1] == t["digital", 2026][1] == 0.0
    flagged = {(f.year, f.source.first_line) for f in found(ru, "weight-total")}
    assert flagged == {
        (2026, 472), (2026, 704), (2026, 930), (2025, 1044), (2025, 1154), (2026, 1298), (2025, 1500), (2026, 1706),
        (2026, 2306),
    }  # fmt: skip
    assert "13 of 16 agencies have 110 %" in next(
        f.message for f in found(ru, "weight-total") if f.year == 2025
    )
    assert [(f.year, f.severity) for f in found(ru, "weight-total-not-100")] == [
        (2025, "info"),
        (2026, "info"),
    ]


def test_1157_ru_criteria_of_rows_1_and_8_add_up(ru, ru1157):
    assert [c.weight for c in by_id(ru1157, "s0-p1-n1").criteria] == [30.0, 25.0, 25.0, 20.0]
    assert [c.weight for c in by_id(ru1157, "s0-p1-n8").criteria] == [20.0, 20.0, 30.0, 30.0]
    assert found(ru, "criteria-sum") == []


def test_1157_ru_no_false_findings(ru):
    # Energy is numbered 1..9 as printed (row 4, cut in two by the converter, is one row);
    # "рост на 15 %" is growth, not a level; no share target falls; units fit the formulas.
    codes = {f.code for f in ru.findings}
    assert codes == {"weight-without-target", "weight-total", "weight-total-not-100"}


def test_criteria_sum_off(ru1157):
    rec = copy.deepcopy(ru1157)
    by_id(rec, "s0-p1-n1").criteria[3].weight = 25.0
    assert [f.message for f in found(check(rec), "criteria-sum")] == [
        "row 1: criteria weights 30 + 25 + 25 + 25 = 105 %, not 100 %"
    ]


def test_growth_target_is_not_a_percent_level(ru1157):
    rec = copy.deepcopy(ru1157)
    growth = by_id(rec, "s0-p1-n5")
    growth.values[0].target, growth.values[0].target_text = 150.0, "рост на 150 %"
    count = by_id(rec, "s13-p1-n1")  # 500 cameras: a count, not a percent
    assert count.unit_kind == "count" and count.values[0].target == 500.0
    assert found(check(rec), "percent-over-100") == []


def test_number_gap_and_repeat(ru1157):
    rec = copy.deepcopy(ru1157)
    rec.indicators.remove(by_id(rec, "s15-p1-n4"))
    assert [(f.indicator, f.message) for f in found(check(rec), "number-gap")] == [
        ("s15-p1-n5", "row 5 follows row 3 in section 15: expected 4")
    ]


def test_parts_restart_numbering_without_findings(ru1157):
    # Industry's three parts each start again at 1.
    assert [i.number for i in ru1157.indicators if i.section.ordinal == 10] == [1, 2, 3, 4, 1, 2, 3, 1, 2, 3]
    assert not found(check(ru1157), "number-repeated")


def test_unit_formula_mismatch(ru1157):
    rec = copy.deepcopy(ru1157)
    share = by_id(rec, "s1-p1-n2")  # "Доля использования … Vetмobile", numerator/denominator
    share.unit, share.unit_kind = "ед.", "count"
    assert at(check(rec), "unit-formula-mismatch") == [("s1-p1-n2", None, [493, 512])]


def test_agency_and_section_links(ru1157):
    rec = copy.deepcopy(ru1157)
    rec.sections = [s for s in rec.sections if s.ref.ordinal != 16]
    rec.indicators = [i for i in rec.indicators if i.section.ordinal != 16]
    rec.sections[3].ref.agency = rec.sections[3].ref.agency_id = None
    result = check(rec)
    missing = found(result, "agency-without-section")
    assert [(f.message.split(" (")[0], f.source.lines()) for f in missing] == [
        ("agency 3", [60, 63]),
        ("agency 16", [125, 128]),
    ]
    assert [f.source.first_line for f in found(result, "section-without-agency")] == [704]


# --- Order 124, Kazakh, as amended by 151 --------------------------------------------------------


def test_124_share_over_100(kk124_result):
    # "Цифрлық мансап орталықтары арқылы жұмысқа орналасқандардың үлесі": 35, 40, 8450 %.
    assert at(kk124_result, "percent-over-100") == [("s5-p1-n3", 2026, [715, 732])]
    assert found(kk124_result, "percent-over-100")[0].severity == "error"


def test_124_share_falls(kk124_result):
    # "Электрондық нысанда берілетін салықтық есептіліктің үлесі": 96 in 2024, 82 in 2025, 84 in 2026.
    assert at(kk124_result, "target-against-direction") == [("s7-p1-n1", 2025, [795, 812])]


def test_124_general_row_1_dash_in_2024_keeps_its_40_percent(kk124_result):
    # One weight column for all years: the act cannot print 0 for 2024, so this is a warning.
    assert at(kk124_result, "weight-without-target") == [("s0-p1-n1", 2024, [203, 239])]
    f = found(kk124_result, "weight-without-target")[0]
    assert f.severity == "warning" and "40 %" in f.message and "one weight for all years" in f.message


def test_124_weights_add_up_to_100_everywhere(kk124_result):
    t = totals(kk124_result)
    assert len(t) == 15 * 3
    assert set(t.values()) == {(70.0, 30.0, 100.0)}  # 40 + 6 × 5 general; sector sections 3 × 10
    assert t["industry", 2024] == (70.0, 30.0, 100.0)  # Құрылыс, Өнеркәсіп, Геология: 2 × 5 each
    assert {f.code for f in kk124_result.findings} == {
        "weight-without-target",
        "percent-over-100",
        "target-against-direction",
    }


# --- Resolution 1157, Kazakh, and against the Russian text ----------------------------------------


def test_1157_kk_row_2_printed_twice(kk1157):
    result = check(kk1157)
    assert [(f.indicator, f.source.first_line) for f in found(result, "number-repeated")] == [
        ("s16-p1-n2-2", 304)
    ]


def test_1157_kk_fault_tolerance_target_falls(kk1157):
    # 99,74 for 2025 and 99,63 for 2026 (the Russian text has 99,8); the name gives no direction.
    f = [f for f in found(check(kk1157), "target-falls") if f.indicator == "s0-p1-n2"]
    assert [(x.year, x.severity) for x in f] == [(2026, "info")]


def test_1157_weight_totals_differ_between_languages(kk1157, ru1157):
    result = check(kk1157, ru1157)
    t = {(x.agency_id, x.year): x for x in result.totals}
    # General row 10 weighs 10 % in Kazakh, 5 % in Russian.
    assert (t["justice", 2025].general, t["justice", 2025].other.general) == (85.0, 80.0)
    # Digital development: Kazakh gives its rows to 2026, Russian to 2025.
    assert (t["digital", 2025].sector, t["digital", 2025].other.sector) == (0.0, 30.0)
    # Agriculture 2026: Kazakh rows 5 and 6 weigh 0 with their dashes, Russian 10 % each.
    assert (t["agriculture", 2026].sector, t["agriculture", 2026].other.sector) == (30.0, 55.0)
    other = found(result, "weight-total-other")
    assert [f.field for f in other if f.field == "general"] == ["general", "general"]
    assert ("sector", 2025) in {(f.field, f.year) for f in other if "Цифрлық" in f.message}


def test_other_must_be_the_same_act(kk124, ru1157):
    from legalkpi.errors import BadInput

    with pytest.raises(BadInput, match="kz/order/124"):
        check(ru1157, kk124)


# --- direction words ---------------------------------------------------------------------------


def test_direction_from_the_head_of_the_name(ru1157, kk124):
    # Row 1 lists "сокращение времени обработки" among its criteria: that is no fall of the indicator.
    assert direction(by_id(ru1157, "s0-p1-n1"), "ru") is None
    assert head_text(by_id(ru1157, "s0-p1-n1")).startswith("Успешная реализация")
    assert direction(by_id(ru1157, "s2-p1-n3"), "ru") == "up"  # "Увеличение количества каналов …"
    assert direction(by_id(kk124, "s2-p1-n3"), "kk") == "up"  # "… санын ұлғайту"
    assert direction(by_id(kk124, "s7-p1-n1"), "kk") == "up"  # "… есептіліктің үлесі"
    assert direction_cue("Снижение доли отказов", "ru") == ("down", "fall")
    assert direction_cue("Қағаз құжат айналымын азайту", "kk") == ("down", "fall")
    # Kazakh modifiers precede the head: "raising honesty" qualifies "applying AI".
    assert direction_cue("ҰБТ тапсыру кезінде академиялық адалдықты арттыруда ЖИ қолдану", "kk") is None
    assert direction_cue("Применение ИИ в повышении академической честности", "ru") is None


def test_falling_indicator_that_rises(ru1157):
    rec = copy.deepcopy(ru1157)
    row = by_id(rec, "s13-p1-n2")
    row.name_orig = row.name = "Снижение доли ДТП без оформления"
    msgs = [f.message for f in found(check(rec), "target-against-direction")]
    assert msgs == ["row 2: the name says it falls, but the target rises from 9 in 2025 to 11 in 2026"]


# --- silencing and the command ----------------------------------------------------------------


def test_silencer_by_code_and_indicator(kk124):
    s = Silencer(frozenset({"percent-over-100"}), {"kz/order/124#s0-p1-n1": frozenset({"*"})})
    result = check(kk124, silencer=s)
    assert {f.code for f in result.findings} == {"target-against-direction"} and result.ignored == 2
    other_act = ActRef("resolution", "1157", "kk")
    assert not s.silences(found(check(kk124), "weight-without-target")[0], other_act)


def test_example_config_is_valid():
    from legalkpi.checking.checkconfig import load_config

    cfg = load_config(ROOT / "legalkpi-check.toml.example")
    assert cfg.fail_on == "error" and "weight-total-not-100" in cfg.silencer.codes


def test_config_refuses_unknown_code(tmp_path):
    from legalkpi.checking.checkconfig import load_config
    from legalkpi.errors import BadInput

    f = tmp_path / "c.toml"
    f.write_text('[check]\nignore = ["weight-totals"]\n', encoding="utf-8")
    with pytest.raises(BadInput) as e:
        load_config(f)
    assert e.value.place == "check.ignore" and "weight-totals" in e.value.message


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "legalkpi", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_json_and_exit_codes(tmp_path):
    proc = run_cli(
        "check", "corpus/124-kk-consolidated-151.txt", "--format", "json", "--corpus", str(ROOT / "corpus")
    )
    assert proc.returncode == 1  # the 8450 % share is an error
    data = json.loads(proc.stdout)
    assert set(data["findings"][0]) == {"code", "severity", "subject", "field", "year", "message", "source"}
    assert data["findings"][1]["source"] == {
        "file": "corpus/124-kk-consolidated-151.txt",
        "lines": [715, 732],
    }
    assert len(data["totals"]) == 45
    cfg = tmp_path / "c.toml"
    cfg.write_text('[check]\nignore = ["percent-over-100"]\n', encoding="utf-8")
    quiet = run_cli("check", "corpus/124-kk-consolidated-151.txt", "-f", "json", "--config", str(cfg))
    assert quiet.returncode == 0 and json.loads(quiet.stdout)["ignored"] == 1
    strict = run_cli(
        "check",
        "corpus/124-kk-consolidated-151.txt",
        "-f",
        "json",
        "--config",
        str(cfg),
        "--fail-on",
        "warning",
    )
    assert strict.returncode == 1


def test_cli_default_config_in_working_folder(tmp_path):
    (tmp_path / "legalkpi-check.toml").write_text(
        '[check]\nignore = ["percent-over-100"]\n', encoding="utf-8"
    )
    proc = run_cli(
        "check",
        str(ROOT / "corpus/124-kk-consolidated-151.txt"),
        "-f",
        "json",
        "--corpus",
        str(ROOT / "corpus"),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr


def test_cli_bad_input_is_one_line(tmp_path):
    bad = tmp_path / "c.toml"
    bad.write_text("[check\n", encoding="utf-8")
    for args, where in (
        (("--config", str(bad)), str(bad)),
        (("--fail-on", "fatal"), "--fail-on"),
        (("--other", "corpus/124-kk-consolidated-151.txt"), "corpus/124-kk-consolidated-151.txt"),
    ):
        proc = run_cli("check", "corpus/1157-ru.txt", *args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and where in proc.stderr


def test_cli_table_escapes_and_runs():
    proc = run_cli("check", "corpus/1157-ru.txt")
    assert proc.returncode == 1
    assert "weight-without-target" in proc.stdout and "80 + 55 = 135" in proc.stdout
