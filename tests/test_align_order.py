"""Rows reordered and removed in one language pair by content; honest labels; every difference graded.

The variant is the Russian text of Resolution 1157 edited by hand (rows moved with their numbers,
one row dropped); the expected pairs are the rows a reader sees moved. The "0"/"–" and dash
differences were read in the two files (Russian: one cell per line; Kazakh: tab-separated rows).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CORPUS, by_id
from typer.testing import CliRunner

from legalkpi.api import extract_file
from legalkpi.cli import app
from legalkpi.comparing.align import align_records

RU = CORPUS / "1157-ru.txt"
KK = CORPUS / "1157-kk.txt"


def _block(lines: list[str], first: int, last: int) -> list[str]:
    assert lines[last] == "", "rows are separated by one empty line"
    return lines[first - 1 : last]


def reordered_variant(ru, tmp_path: Path) -> Path:
    """Justice rows 2 and 3 swapped; Finance row 3 moved to the top of its section; Labour row 4 dropped."""
    lines = RU.read_text(encoding="utf-8").split("\n")
    j2, j3 = by_id(ru, "s2-p1-n2").source.lines(), by_id(ru, "s2-p1-n3").source.lines()
    f1, f3 = by_id(ru, "s7-p1-n1").source.lines(), by_id(ru, "s7-p1-n3").source.lines()
    l4 = by_id(ru, "s5-p1-n4").source.lines()
    assert (j2, j3, f1, f3, l4) == ([615, 634], [636, 651], [1158, 1173], [1192, 1211], [993, 1008])
    # Bottom-up, so earlier line numbers stay valid.
    moved = _block(lines, *f3)
    lines[f3[0] - 1 : f3[1] + 1] = []
    lines[f1[0] - 1 : f1[0] - 1] = [*moved, ""]
    _block(lines, *l4)
    del lines[l4[0] - 1 : l4[1] + 1]
    b2, b3 = _block(lines, *j2), _block(lines, *j3)
    lines[j2[0] - 1 : j3[1]] = [*b3, "", *b2]
    out = tmp_path / "1157-ru-reordered.txt"
    out.write_text("\n".join(lines), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def reordered(ru1157, kk1157, tmp_path_factory):
    variant = extract_file(reordered_variant(ru1157, tmp_path_factory.mktemp("reorder")))
    return variant, align_records(variant, kk1157)


def test_reordered_and_removed_rows_pair_by_content(reordered, kk1157):
    variant, al = reordered
    assert len(variant.indicators) == 108
    pairs = {p.ru_id: p.kk_id for p in al.pairs}
    # Every Russian row meets the Kazakh row with its content, wherever it stands.
    assert pairs["s2-p1-n2"] == "s2-p1-n2" and pairs["s2-p1-n3"] == "s2-p1-n3"
    assert pairs["s7-p1-n3"] == "s7-p1-n3" and pairs["s7-p1-n1"] == "s7-p1-n1"
    assert len(al.pairs) == 108
    # The one real gap: Labour row 4 is in the Kazakh text only. No false "missing".
    assert [(u["lang"], u["id"]) for u in al.unpaired] == [("kk", "s5-p1-n4")]
    assert [f.data["kk_id"] for f in al.findings if f.field == "missing"] == ["s5-p1-n4"]


def test_a_reordering_is_one_order_finding_with_both_positions(reordered):
    _, al = reordered
    order = [f for f in al.findings if f.field == "order"]
    assert sorted(f.data["section"] for f in order) == [2, 7]  # one per reordered section
    finance = next(f for f in order if f.data["section"] == 7)
    # Finance row 3 stands first in the Russian section and third in the Kazakh one.
    assert (finance.data["ru_id"], finance.data["ru"], finance.data["kk"]) == ("s7-p1-n3", 1, 3)
    justice = next(f for f in order if f.data["section"] == 2)
    assert {justice.data["ru"], justice.data["kk"]} == {2, 3}
    assert all(f.severity == "warning" for f in order)


def test_reordering_adds_no_other_finding(reordered, ru1157, kk1157):
    _, al = reordered
    base = align_records(ru1157, kk1157)

    def facts(a):
        return {(f.code, f.data["ru_id"], f.data["kk_id"], f.year) for f in a.findings if f.field not in ("order", "missing")}

    assert facts(al) == facts(base)


# ---- every difference, graded --------------------------------------------------------------


@pytest.fixture(scope="module")
def alignment(ru1157, kk1157):
    return align_records(ru1157, kk1157)


def test_every_notation_difference_of_1157_is_minor(alignment):
    # Read in the files: Russian line 487 prints 0 for 2026 (weight 0), Kazakh line 92 prints "–";
    # Russian line 947 prints the 2026 weight "0 %", Kazakh line 143 "0"; the "no target" dash is
    # "-" (Russian line 890) against "—" (Kazakh line 135), and "–" against "—" on Kazakh lines 228,
    # 251, 276. (Kazakh lines 303 and 304 print "—" where Russian has 10 and 1: those are errors.)
    minor = sorted((f.data["ru_id"], f.field, f.year, f.data["ru_printed"], f.data["kk_printed"])
                   for f in alignment.findings if f.severity == "minor")  # fmt: skip
    assert minor == [
        ("s1-p1-n1", "target", 2026, "0", "–"),
        ("s10-p3-n3", "target", 2026, "–", "—"),
        ("s12-p1-n5", "target", 2026, "–", "—"),
        ("s14-p1-n6", "target", 2026, "–", "—"),
        ("s4-p1-n4", "target", 2026, "-", "—"),
        ("s5-p1-n1", "weight", 2026, "0 %", "0"),
    ]
    kk_lines = {f.data["ru_id"]: f.data["kk_source"]["lines"][0] for f in alignment.findings if f.severity == "minor"}
    assert kk_lines["s1-p1-n1"] == 92 and kk_lines["s5-p1-n1"] == 143 and kk_lines["s4-p1-n4"] == 135


def test_dash_against_a_number_is_an_error(alignment):
    # Kazakh line 303: 2025 target "—" with no weight; Russian prints 10 with 5 %.
    f = next(f for f in alignment.findings if f.data["ru_id"] == "s16-p1-n2" and f.field == "target" and f.year == 2025)
    assert (f.severity, f.data["ru_printed"], f.data["kk_printed"]) == ("error", "10", "—")


def test_mends_are_notes_not_findings(alignment, ru1157, kk1157):
    mended = [i.id for i in ru1157.indicators if i.warnings_codes] + [i.id for i in kk1157.indicators if i.warnings_codes]
    assert mended  # the corpus has converter damage the reader mends
    assert not [f for f in alignment.findings if f.code == "cells-shifted"]
    noted = {p.ru_id for p in alignment.pairs if p.notes} | {p.kk_id for p in alignment.pairs if p.notes}
    assert set(mended) <= noted


def test_min_severity_filters(alignment):
    errors = alignment.shown("error")
    assert errors and all(f.severity == "error" for f in errors)
    assert len(alignment.shown("minor")) == len(errors) + 2 + 6  # + the two numbering warnings and six notations


# ---- honest labels -----------------------------------------------------------------------------


def test_swapped_arguments_are_caught_and_swapped_with_a_note(tmp_path):
    res = CliRunner().invoke(app, ["align", str(KK), str(RU), "--format", "json", "--corpus", str(CORPUS)])
    assert res.exit_code == 1, res.output
    data = json.loads(res.stdout)
    assert data["ru"]["file"].endswith("1157-ru.txt") and data["kk"]["file"].endswith("1157-kk.txt")
    assert (data["ru"]["detected"], data["kk"]["detected"]) == ("ru", "kk")
    assert "swapped" in data["notes"][0] and "swapped" in res.stderr
    row2 = next(f for f in data["findings"] if f["ru_id"] == "s0-p1-n2" and f["field"] == "target")
    assert (row2["ru_printed"], row2["kk_printed"]) == ("99,8", "99,63")


def test_two_texts_of_one_language_are_refused(tmp_path):
    copy = tmp_path / "other.txt"
    copy.write_text(RU.read_text(encoding="utf-8"), encoding="utf-8")
    res = CliRunner().invoke(app, ["align", str(RU), str(copy), "--corpus", str(CORPUS)])
    assert res.exit_code == 2 and "both texts are Russian" in res.stderr and "Traceback" not in res.output


def test_different_acts_get_a_warning_with_the_paired_count(ru1157, kk124):
    al = align_records(ru1157, kk124)
    note = next(n for n in al.notes if "not the same act" in n)
    assert "No. 1157" in note and "No. 124" in note
    assert f"{len(al.pairs)} of 109 Russian and 55 Kazakh rows could be paired" in note


def test_language_is_read_from_the_text():
    from legalkpi.reading import language

    assert language.detect([RU.read_text(encoding="utf-8")]) == "ru"
    assert language.detect([KK.read_text(encoding="utf-8")]) == "kk"
    assert language.detect([(CORPUS / "124-kk-consolidated-151.txt").read_text(encoding="utf-8")]) == "kk"
    assert language.detect(["short"]) is None


def test_table_shows_values_as_printed_with_a_message(tmp_path):
    res = CliRunner().invoke(app, ["align", str(RU), str(KK), "--min-severity", "minor", "--corpus", str(CORPUS)],
                             env={"COLUMNS": "250"})  # fmt: skip
    assert res.exit_code == 1
    row = next(line for line in res.stdout.splitlines() if "s0-p1-n10" in line and "2025" in line)
    assert "5 %" in row and "10 %" in row and "5.0" not in row and "weight 5 % in Russian, 10 % in Kazakh" in row
    assert "message" in res.stdout
    bad = CliRunner().invoke(app, ["align", str(RU), str(KK), "--min-severity", "severe"])
    assert bad.exit_code == 2 and "--min-severity" in bad.stderr
