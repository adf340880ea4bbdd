"""Extraction of the corpus acts: facts read from the documents themselves."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import by_id

# Indicators per (section, part) of Resolution 1157, counted by reading 000 (Russian).
RU_1157_COUNTS = {
    (0, 1): 10, (1, 1): 6, (2, 1): 6, (3, 1): 6, (4, 1): 6, (5, 1): 6, (6, 1): 6, (7, 1): 8, (8, 1): 5,
    (9, 1): 5, (10, 1): 4, (10, 2): 3, (10, 3): 3, (11, 1): 6, (12, 1): 5, (13, 1): 5, (14, 1): 6,
    (15, 1): 9, (16, 1): 4,
}  # fmt: skip


def counts(record):
    return dict(Counter((i.section.ordinal, i.part.ordinal) for i in record.indicators))


def test_1157_ru_sections_and_counts(ru1157):
    assert counts(ru1157) == RU_1157_COUNTS
    assert len(ru1157.agencies) == 16
    assert ru1157.agencies[0].name == "Министерство сельского хозяйства Республики Казахстан"
    assert ru1157.years == [2025, 2026]
    industry = [s for s in ru1157.sections if s.ref.ordinal == 10][0]
    assert [p.title for p in industry.parts] == ["строительство", "промышленность", "геология и недропользование"]
    assert industry.ref.title == "Министерство промышленности и строительства Республики Казахстан"
    assert all(s.ref.agency == s.ref.ordinal for s in ru1157.sections if s.ref.ordinal)


def test_1157_ru_general_row_2_targets_and_weight(ru1157):
    row = by_id(ru1157, "s0-p1-n2")
    assert row.name.startswith("Отказоустойчивость информационных систем")
    assert [(v.year, v.target, v.weight) for v in row.values] == [(2025, 99.74, 5.0), (2026, 99.8, 5.0)]
    assert row.unit == "%" and row.unit_kind == "percent"
    # The formula was an image: only its legend survives, and the weight cell swallowed it.
    assert row.formula.text.startswith(", где:") and "t общее = 365 дней = 8760 часов" in row.formula.text
    assert row.source.lines() == [210, 230]


def test_1157_ru_criteria_and_single_weight_column(ru1157):
    row = by_id(ru1157, "s0-p1-n1")
    assert [(c.weight) for c in row.criteria] == [30.0, 25.0, 25.0, 20.0]
    assert row.criteria[3].text == "применение KazLLM"
    assert row.formula.kind == "criteria"
    assert {v.weight for v in row.values} == {20.0}
    # "за счҰт" in the converter's text is "за счёт".
    assert "за счёт внедрения" in row.name and "Ұ" not in row.name


def test_1157_ru_growth_target(ru1157):
    row = by_id(ru1157, "s0-p1-n5")
    assert [(v.target, v.target_kind, v.target_text) for v in row.values] == [
        (15.0, "growth", "рост на 15 %"),
        (15.0, "growth", "рост на 15 %"),
    ]


def test_1157_ru_per_year_weights_and_dash(ru1157):
    vet = by_id(ru1157, "s1-p1-n2")
    assert "Vetмobile" in vet.name
    assert [(v.target, v.weight) for v in vet.values] == [(70.0, 5.0), (90.0, 10.0)]
    assert vet.formula.kind == "ratio"
    trace = by_id(ru1157, "s1-p1-n5")
    assert trace.unit_kind == "count"
    assert [(v.target, v.target_kind, v.weight) for v in trace.values] == [(1.0, "level", 5.0), (None, "none", 10.0)]
    assert trace.formula.kind == "quantitative"


def test_1157_ru_energy_row_4_cut_in_two_is_rejoined(ru1157):
    row = by_id(ru1157, "s15-p1-n4")
    assert row.name == "Автоматизация поставки нефти с использованием ИИ"
    assert row.unit == "ед."
    assert [(v.target, v.weight) for v in row.values] == [(1.0, 5.0), (None, 0.0)]
    assert row.source.lines() == [2199, 2219]
    assert {w.code for w in ru1157.warnings if w.source and w.source.first_line == 2199} == {"row-rejoined", "cells-shifted"}


def test_1157_ru_parts_restart_numbering(ru1157):
    geology = [i for i in ru1157.indicators if i.section.ordinal == 10 and i.part.ordinal == 3]
    assert [i.number for i in geology] == [1, 2, 3]
    assert all(i.part.title == "геология и недропользование" for i in geology)


def test_124_kk_consolidated(kk124):
    assert kk124.years == [2024, 2025, 2026]
    assert len(kk124.agencies) == 15
    assert len([s for s in kk124.sections if s.ref.ordinal > 0]) == 17
    assert Counter(i.section.ordinal for i in kk124.indicators)[0] == 7
    assert len(kk124.indicators) == 55
    row2 = by_id(kk124, "s0-p1-n2")
    assert [(v.year, v.target, v.weight) for v in row2.values] == [(2024, 99.61, 5.0), (2025, 99.62, 5.0), (2026, 99.63, 5.0)]
    row1 = by_id(kk124, "s0-p1-n1")
    assert row1.values[0].target is None and row1.values[0].target_text == "-"
    assert [c.weight for c in row1.criteria] == [35.0, 30.0, 15.0, 20.0]
    growth = by_id(kk124, "s0-p1-n5")
    assert growth.values[0].target_kind == "growth" and growth.values[0].target == 15.0


def test_124_kk_sector_sections_map_to_agencies(kk124):
    titles = {s.ref.ordinal: (s.ref.title, s.ref.agency_id) for s in kk124.sections}
    assert titles[1] == ("Ауыл шаруашылығы", "agriculture")
    assert titles[10][1] == titles[11][1] == titles[12][1] == "industry"
    assert titles[15] == ("Қауіпсіздік", "interior")


def test_act_records_come_from_the_manifest(ru1157, kk124):
    assert (ru1157.act.kind, ru1157.act.number, ru1157.act.date, ru1157.act.lang) == ("resolution", "1157", "2024-12-31", "ru")
    assert kk124.act.ref.key == "kz/order/124@2024-10-24/kk"


@pytest.mark.parametrize("name", ["1157-ru.txt", "124-kk-consolidated-151.txt"])
def test_extract_json_matches_published_schema(corpus_dir, name):
    import json

    import jsonschema

    from legalkpi import jsonio
    from legalkpi.api import extract_file

    schema = json.loads((corpus_dir.parent / "legalkpi" / "schema" / "extract.schema.json").read_text(encoding="utf-8"))
    data = jsonio.record_dict(extract_file(corpus_dir / name, corpus_root=corpus_dir))
    jsonschema.validate(data, schema)


def test_extract_rules_act_gives_act_and_structure(corpus_dir):
    import json
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "legalkpi", "extract", str(corpus_dir / "601-nk-ru.txt"), "-f", "json", "--corpus", str(corpus_dir)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["act"]["number"], data["act"]["date"]) == ("601/НҚ", "2024-09-27")

    def walk(nodes):
        for n in nodes:
            yield n
            yield from walk(n.get("children", []))

    nodes = list(walk(data["structure"]["nodes"]))
    assert [n["text"] for n in nodes if n["kind"] == "chapter"][:2] == [
        "Общие положения",
        "Порядок цифровой трансформации государственного управления",
    ]
    point = next(n for n in nodes if n["kind"] == "point" and n.get("number") == "17-1")
    assert point["source"]["lines"][0] == 193


def test_kazakh_word_esep_does_not_make_a_report():
    """"есепті кезең" (reporting period) opens many Kazakh acts; only report tables make a report."""
    from legalkpi.api import classify
    from parsers.grid import Document, Paragraph, Source

    doc = Document(file="x.txt", reader="prose", encoding="utf-8", sha256="0" * 64)
    doc.blocks = [Paragraph(text="1. Мемлекеттік органдар есепті кезеңнен кейінгі айдың 10-ы күніне дейін ұсынады.", source=Source("x.txt", 1, 1))]
    assert classify(doc) == "rules"
