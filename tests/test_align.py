"""Alignment of Resolution 1157: Russian (000) against Kazakh (002), facts read side by side."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def alignment(ru1157, kk1157):
    from legalkpi.comparing.align import align_records

    return align_records(ru1157, kk1157)


def finding(al, ru_id, field, year=None):
    return [f for f in al.findings if f.data["ru_id"] == ru_id and f.field == field and f.year == year]


def test_every_row_is_paired_with_no_false_pair(alignment, ru1157, kk1157):
    assert len(alignment.pairs) == len(ru1157.indicators) == len(kk1157.indicators) == 109
    assert alignment.unpaired == []
    # Pairs keep the sections: every Russian row meets the Kazakh row of the same agency and part.
    ru_by = {i.id: i for i in ru1157.indicators}
    kk_by = {i.id: i for i in kk1157.indicators}
    for p in alignment.pairs:
        a, b = ru_by[p.ru_id], kk_by[p.kk_id]
        assert (a.section.agency_id, a.part.ordinal) == (b.section.agency_id, b.part.ordinal)
    assert len({p.kk_id for p in alignment.pairs}) == 109


def test_kazakh_misnumbering_in_digital_section_is_paired_by_content(alignment):
    # 002 prints "2" twice in section 16 (lines 303 and 304), so its rows 3 and 4 are numbered 2 and 3.
    pairs = {p.ru_id: p.kk_id for p in alignment.pairs}
    assert pairs["s16-p1-n3"] == "s16-p1-n2-2"
    assert pairs["s16-p1-n4"] == "s16-p1-n3"
    f = finding(alignment, "s16-p1-n3", "numbering")[0]
    assert (f.data["ru"], f.data["kk"]) == (3, 2)
    assert f.data["ru_source"]["lines"] == [2352, 2367] and f.data["kk_source"]["lines"] == [304, 306]
    ev = next(p.evidence for p in alignment.pairs if p.ru_id == "s16-p1-n4")
    assert any("esim" in e for e in ev)


def test_general_row_2_target_2026_differs(alignment):
    f = finding(alignment, "s0-p1-n2", "target", 2026)[0]
    assert (f.data["ru"], f.data["kk"]) == ("99,8", "99,63")
    assert f.data["ru_source"]["lines"] == [210, 230] and f.data["kk_source"]["lines"] == [61, 63]
    assert finding(alignment, "s0-p1-n2", "target", 2025) == []  # 99,74 in both


def test_general_row_10_weight_differs_both_years(alignment):
    assert [(f.year, f.data["ru"], f.data["kk"]) for f in alignment.findings if f.data["ru_id"] == "s0-p1-n10" and f.field == "weight"] == [
        (2025, 5.0, 10.0),
        (2026, 5.0, 10.0),
    ]


def test_agriculture_row_3_weights_differ(alignment):
    assert [(f.year, f.data["ru"], f.data["kk"]) for f in alignment.findings if f.data["ru_id"] == "s1-p1-n3" and f.field == "weight"] == [
        (2025, 5.0, 10.0),
        (2026, 15.0, 10.0),
    ]


def test_industry_row_swaps_target_and_weight(alignment):
    # (промышленность) row 1: Russian 10 | 5 % | 15 | 5 %; Kazakh (line 215) 5 | 10 | 15 | 5 %.
    f = finding(alignment, "s10-p2-n1", "shift", 2025)[0]
    assert f.code == "cells-swapped" and f.data["kk_source"]["lines"] == [215, 215]
    assert finding(alignment, "s10-p2-n1", "target", 2025) == []


def test_digital_section_years_disagree(alignment):
    # Russian: 2025 target 1 (10 %), 2026 0; Kazakh: 2025 "–", 2026 target 1 (5 %).
    fs = {(f.field, f.year): (f.data["ru"], f.data["kk"]) for f in alignment.findings if f.data["ru_id"] == "s16-p1-n1"}
    assert fs[("target", 2025)] == ("1", "–")
    assert fs[("target", 2026)] == ("0", "1")
    assert fs[("weight", 2025)] == (10.0, 0.0)


def test_no_error_for_equal_meaning(alignment):
    # "0" with weight 0 (Russian) and "–" with weight 0 (Kazakh) both say "no target in 2026":
    # not an error, but the texts differ, so it is reported as a minor (notation) difference.
    assert [f.severity for f in finding(alignment, "s1-p1-n1", "target", 2026)] == ["minor"]
    # "ед." and "бiрлiк" (with Latin i in 002) are the same unit.
    assert [f for f in alignment.findings if f.field == "unit"] == []
    # Criteria sub-weights agree once the run-together Kazakh list is read: 30/25/25/20.
    assert finding(alignment, "s0-p1-n1", "criteria") == []


def test_energy_row_mend_is_a_note_not_a_finding(alignment):
    # Line 2199-2219 (Russian): an empty cell shifted the row; once mended both texts say the same.
    assert [f for f in alignment.findings if f.data["ru_id"] == "s15-p1-n4"] == []
    pair = next(p for p in alignment.pairs if p.ru_id == "s15-p1-n4")
    assert any("cells-shifted" in n for n in pair.notes)


def test_glossary_learned_from_the_abbreviation_lists(alignment):
    g = alignment.glossary.pairs
    assert g["ИИ"] == "ЖИ" and g["ИС"] == "АЖ" and g["ЦГО"] == "ОМО"
    assert g["PACS"] == "PACS"


def test_align_cli_json_and_exit_code(corpus_dir, tmp_path):
    import json
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "legalkpi", "align", str(corpus_dir / "1157-ru.txt"), str(corpus_dir / "1157-kk.txt"),
         "--format", "json", "--corpus", str(corpus_dir)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert {"pairs", "unpaired", "findings"} <= set(data)
    assert all({"code", "field", "year", "ru", "kk", "ru_id", "kk_id", "ru_source", "kk_source", "message"} <= set(f) for f in data["findings"])


def test_align_html_escapes_document_text(ru1157, kk1157):
    import copy

    from legalkpi.comparing.align import align_records
    from legalkpi.comparing.align_html import render

    ru = copy.deepcopy(ru1157)
    ru.indicators[0].name = '<script>alert("x")</script> & co'
    page = render(align_records(ru, kk1157))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in page
    assert "target and weight swap places" in page


def test_different_acts_across_languages_need_content_evidence(ru1157, kk124):
    """124 (Kazakh) against 1157 (Russian): rows are renumbered, so number and place alone pair nothing."""
    from legalkpi.comparing.align import align_records

    al = align_records(ru1157, kk124)
    pairs = {p.ru_id: (p.kk_id, p.evidence) for p in al.pairs}
    # The IIoT row: 124's "11. Өнеркәсіп" row 1 is part 2 ("промышленность") row 1 of section 10 in 1157.
    assert pairs["s10-p2-n1"][0] == "s11-p1-n1" and "latin iiot" in pairs["s10-p2-n1"][1]
    # The Torttulik row moved from 3 to 4 in Agriculture.
    assert pairs["s1-p1-n4"][0] == "s1-p1-n3"
    assert all(any(not e.startswith(("number", "same position")) for e in ev) for _, ev in pairs.values())
