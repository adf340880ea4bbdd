"""Digital transformation maps (Rules 601/НҚ, appendix): read back hand-written maps, find planted mistakes.

Expected values are the hand-written records of tests/maprecords.py, rendered into DOCX and the
converter's text by tests/maprender.py (and into PDF by LibreOffice: tests/fixtures/maps/).
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import maprecords
import maprender
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legalkpi.maps import check_document, check_map_file, is_map
from legalkpi.maps.form import parse_automation
from legalkpi.maps.reader import read_map, split_items
from legalkpi.provenance import Source
from parsers import read_bytes, read_document
from parsers.grid import Document, Paragraph

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "maps"
CLI = [sys.executable, "-m", "legalkpi"]


def record_of(name: str) -> dict[str, Any]:
    return maprecords.clean() if name == "clean" else maprecords.planted(next(p for p in ALL if p.name == name))


@functools.cache
def docx_of(name: str) -> tuple[Any, dict[str, str]]:
    return docx_result(record_of(name))


def docx_result(record: dict[str, Any]) -> tuple[Any, dict[str, str]]:
    data, addresses = maprender.to_docx(record)
    return check_document(read_bytes(data, "map.docx")), addresses


def text_result(record: dict[str, Any]) -> tuple[Any, dict[str, int]]:
    text, addresses = maprender.to_text(record)
    return check_document(read_bytes(text.encode("utf-8"), "map.txt")), addresses


@functools.cache
def pdf_result(name: str) -> Any:
    """Each committed PDF is read once per session (the reader is not under a timing test, but CI is shared)."""
    return check_map_file(FIXTURES / f"{name}.pdf")


def codes(result: Any) -> list[str]:
    return [f.code for f in result.findings]


# ---- the clean map ----------------------------------------------------------------------------


def test_clean_map_docx_gives_no_finding_and_reads_back_the_record() -> None:
    result, _ = docx_result(maprecords.clean())
    assert codes(result) == []
    assert result.record.to_dict() == maprecords.clean()


def test_clean_map_text_form_gives_no_finding_and_reads_back_the_record() -> None:
    result, _ = text_result(maprecords.clean())
    doc = read_bytes(maprender.to_text(maprecords.clean())[0].encode(), "map.txt")
    assert doc.reader == "cells"
    assert codes(result) == []
    assert result.record.to_dict() == maprecords.clean()


def test_clean_map_pdf_gives_no_finding_and_reads_back_the_record() -> None:
    result = pdf_result("clean")
    assert codes(result) == []
    assert result.record.to_dict() == maprecords.clean()


def test_pdf_fixtures_are_made_from_the_current_records() -> None:
    sys.path.insert(0, str(FIXTURES))
    try:
        import make_maps
    finally:
        sys.path.remove(str(FIXTURES))
    index = json.loads((FIXTURES / "maps.json").read_text(encoding="utf-8"))
    for name, record in make_maps.records().items():
        assert index[name]["record_sha256"] == make_maps.record_digest(record), f"{name}.pdf is stale: run make_maps.py"
        assert index[name]["pdf_sha256"] == hashlib.sha256((FIXTURES / f"{name}.pdf").read_bytes()).hexdigest()


def test_values_a_person_reads_in_the_clean_map() -> None:
    """A few values read off the rendered form by eye, in the shape the issue asks for."""
    m = check_map_file(FIXTURES / "clean.pdf").to_dict()["map"]
    assert m["passport"]["period"] == "2025–2029 годы"
    assert m["period"] == {"from": 2025, "to": 2029}
    s2 = m["spheres"][1]
    assert s2["name"] == "Лекарственное обеспечение"
    assert s2["cases"][1]["automation"] == {"status": "да", "systems": ["ГБД «Е-лицензирование»"], "text": "Да (ГБД «Е-лицензирование»)"}
    row = s2["schedule"][3]
    assert (row["case"], row["process"]) == ("Лицензирование фармацевтической деятельности", "Переоформление лицензии")
    assert row["quarters"]["2025-Q3"] == "R" and row["quarters"]["2026-Q1"] == "R" and row["quarters"]["2029-Q2"] == "D"
    assert "2029-Q3" not in row["quarters"]
    assert s2["gantt"]["2026"] == "R, F и D"
    assert s2["fast_track"][0]["case"] == "Лицензирование фармацевтической деятельности"


# ---- planted mistakes ---------------------------------------------------------------------------

NAMES = [p.name for p in maprecords.PLANTED]
ALL = maprecords.PLANTED + maprecords.MORE
ALL_NAMES = [p.name for p in ALL]


@pytest.mark.parametrize("planted", ALL, ids=ALL_NAMES)
def test_planted_mistake_gives_one_finding_at_its_cell_in_docx(planted: maprecords.Planted) -> None:
    result, addresses = docx_of(planted.name)
    assert codes(result) == [planted.code]
    f = result.findings[0]
    assert f.source is not None and f.source.cell == addresses[planted.place]
    assert f.data["rule"]


@pytest.mark.parametrize("planted", ALL, ids=ALL_NAMES)
def test_planted_mistake_gives_one_finding_at_its_line_in_text(planted: maprecords.Planted) -> None:
    result, addresses = text_result(maprecords.planted(planted))
    assert codes(result) == [planted.code]
    f = result.findings[0]
    assert f.source is not None and f.source.first_line == addresses[planted.place]


def test_every_code_is_planted_once_at_least() -> None:
    """Each code of the table has a map that shows it (or is listed here with why not)."""
    from legalkpi.maps.checks import CODES

    untested = {
        "field-repeated": "tested below on a passport with a row given twice",
        "schedule-period": "a schedule outside the period also breaks the Gantt: tested below on the read record",
        "gantt-period": "tested below on the read record",
    }
    assert set(CODES) - {p.code for p in ALL} == set(untested)


@pytest.mark.parametrize("planted", maprecords.PLANTED, ids=NAMES)
def test_planted_mistake_gives_the_same_finding_in_pdf(planted: maprecords.Planted) -> None:
    in_docx, addresses = docx_of(planted.name)
    in_pdf = pdf_result(planted.name)
    assert codes(in_pdf) == [planted.code]
    a, b = in_docx.findings[0], in_pdf.findings[0]
    assert (b.subject, b.field, b.year) == (a.subject, a.field, a.year)
    assert b.source is not None and b.source.page is not None
    assert b.source.cell is not None and b.source.cell.split("/")[-1] == addresses[planted.place].split("/")[-1]  # same column


@pytest.mark.parametrize("name", ["clean", *NAMES])
def test_docx_pdf_and_text_forms_agree(name: str) -> None:
    record = record_of(name)
    from_docx = docx_of(name)[0].record.to_dict()
    assert pdf_result(name).record.to_dict() == from_docx
    assert text_result(record)[0].record.to_dict() == from_docx


def test_finding_json_names_rule_and_table_row_cell() -> None:
    planted = next(p for p in maprecords.PLANTED if p.name == "gantt-forgets-d")
    result, addresses = docx_result(maprecords.planted(planted))
    f = result.to_dict()["findings"][0]
    assert f["code"] == "gantt-mismatch" and f["severity"] == "error"
    assert "сводный график" in f["rule"]
    assert (f["source"]["table"], f["source"]["row"], f["source"]["cell"]) == (9, 1, 4)  # t9/r1/c4: the Gantt's 2027 cell
    assert addresses["gantt/s0/2027"] == "t9/r1/c4"
    assert (f["gantt"], f["schedule"]) == ("F", "F и D")


def clean_read() -> Any:
    text, _ = maprender.to_text(maprecords.clean())
    return read_map(read_bytes(text.encode(), "map.txt"))


def test_schedule_and_gantt_years_against_the_period() -> None:
    from legalkpi.maps.checks import check_map

    read = clean_read()
    read.record.spheres[0].schedule_years = [2024, 2025, 2026, 2027, 2028]
    read.record.gantt_years = [2025, 2026, 2027, 2028]
    assert sorted(f.code for f in check_map(read)) == ["gantt-period", "schedule-period"]


def test_passport_row_given_twice() -> None:
    record = maprecords.clean()
    text, addresses = maprender.to_text(record)
    lines = text.split("\n")
    at = addresses["passport/goal"] - 1  # the goal row: label line, value line
    lines[at + 1 : at + 1] = ["", "\tЦель", "\tПовышение качества медицинской помощи"]
    result = check_document(read_bytes("\n".join(lines).encode(), "map.txt"))
    assert codes(result) == ["field-repeated"]
    assert result.record.passport.text("goal") == "Повышение качества медицинской помощи"


# ---- properties ---------------------------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(st.lists(st.sampled_from("RFD."), min_size=20, max_size=20))
def test_order_finding_exactly_when_a_code_goes_back(cells: list[str]) -> None:
    """R, then F, then D: a process whose codes ever go back gets one order finding, else none."""
    plan = "".join(cells)
    record = maprecords.clean()
    record["spheres"][0]["schedule"][0]["quarters"] = maprecords.quarters(" ".join(plan[i : i + 4] for i in range(0, 20, 4)))
    result, _ = text_result(record)
    rank = {"R": 0, "F": 1, "D": 2}
    seq = [rank[c] for c in plan if c != "."]
    goes_back = any(b < a for a, b in zip(seq, seq[1:], strict=False))
    assert codes(result).count("schedule-code-order") == (1 if goes_back else 0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="абвгд ИС«»", min_size=1, max_size=12).map(str.strip).filter(bool), min_size=1, max_size=5))
def test_bulleted_and_numbered_lists_split_back_into_their_items(items: list[str]) -> None:
    assert split_items("\n".join(f"- {x}" for x in items)) == items
    assert split_items("\n".join(f"{k}. {x}" for k, x in enumerate(items, 1))) == items


def test_automation_status_and_systems() -> None:
    assert parse_automation("Да (ИС «А, Б», ГБД «В»)") == ("да", ["ИС «А, Б»", "ГБД «В»"])
    assert parse_automation("нет") == ("нет", [])
    assert parse_automation("Да") == ("да", [])
    assert parse_automation("частично") == ("", [])


# ---- bugs met on the way ------------------------------------------------------------------------


def test_pdf_heading_run_into_previous_paragraph() -> None:
    """The PDF reader once joined the last technology with the next heading ("… Наименования Кейсы …")."""
    record = maprecords.clean()
    text, _ = maprender.to_text(record)
    doc = read_bytes(text.encode(), "map.txt")
    blocks: list[Any] = []
    for b in doc.blocks:
        if isinstance(b, Paragraph) and b.text.startswith("Наименования Кейсы") and isinstance(blocks[-1], Paragraph):
            prev = blocks.pop()
            blocks.append(Paragraph(text=f"{prev.text} {b.text}", source=prev.source))
        else:
            blocks.append(b)
    joined = Document(file="map.pdf", reader="pdf", encoding="utf-8", sha256="", blocks=blocks)
    read = read_map(joined)
    assert [s.technologies for s in read.record.spheres] == [s["technologies"] for s in record["spheres"]]
    assert read.unread == []


def test_rules_holding_the_blank_form_are_not_a_map() -> None:
    doc = read_document(ROOT / "corpus" / "601-nk-ru.txt")
    assert not is_map(doc)


# ---- the command --------------------------------------------------------------------------------


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_cli_exit_codes_and_json_shape(tmp_path: Path) -> None:
    clean = tmp_path / "clean.docx"
    clean.write_bytes(maprender.to_docx(maprecords.clean())[0])
    ok = run("map", str(clean), "--format", "json")
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert data["findings"] == []
    assert data["map"]["passport"]["developer"] == "Министерство здравоохранения Республики Казахстан"
    assert set(data["map"]["spheres"][0]) >= {"name", "cases", "schedule", "fast_track", "gantt"}
    bad = run("map", str(FIXTURES / "fast-track-unknown-case.pdf"), "-f", "json")
    assert bad.returncode == 1
    finding = json.loads(bad.stdout)["findings"][0]
    assert finding["code"] == "fast-track-case-unknown" and finding["source"]["page"] >= 1
    rules = run("map", "corpus/601-nk-ru.txt")
    assert rules.returncode == 2 and "not a digital transformation map" in rules.stderr and "Traceback" not in rules.stderr


def test_markdown_and_html_escape_document_text(tmp_path: Path) -> None:
    record = maprecords.clean()
    record["spheres"][0]["cases"][0]["reengineering"] = "<b>готово</b> | *да*"
    path = tmp_path / "m.docx"
    path.write_bytes(maprender.to_docx(record)[0])
    page = run("map", str(path), "-f", "html")
    assert page.returncode == 1
    assert "<b>готово</b>" not in page.stdout and "&lt;b&gt;готово&lt;/b&gt;" in page.stdout
    md = run("map", str(path), "-f", "markdown")
    assert "\\<b\\>готово\\</b\\> \\| \\*да\\*" in md.stdout


def test_maps_are_added_and_versioned_in_the_catalogue(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "manifest.json").write_text('{"version": 1, "documents": []}\n', encoding="utf-8")
    first, second = tmp_path / "map.docx", tmp_path / "map-2026.docx"
    first.write_bytes(maprender.to_docx(maprecords.clean())[0])
    amended = maprecords.clean()
    amended["spheres"][1]["cases"][0]["reengineering"] = "в работе"
    second.write_bytes(maprender.to_docx(amended)[0])
    out = tmp_path / "catalog"
    no_date = run("add", str(first), "--corpus", str(corpus), "--out", str(out))
    assert no_date.returncode == 2 and "--date" in no_date.stderr
    assert json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["documents"] == []
    assert run("add", str(first), "--corpus", str(corpus), "--out", str(out), "--date", "2025-09-01").returncode == 0
    r = run("add", str(second), "--corpus", str(corpus), "--out", str(out), "--date", "2025-09-01", "--edition", "2026-03-01")
    assert r.returncode == 0, r.stderr
    assert "kz/dt-map/health@2026-03-01/ru: 0 findings" in r.stderr
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert [(d["file"], d["content"], d["kind"], d["number"]) for d in manifest] == [
        ("dt-map-health-ru.docx", "dt-map", "dt-map", "health"),
        ("dt-map-health-ru-2026-03-01.docx", "dt-map", "dt-map", "health"),
    ]
    db = sqlite3.connect(out / "catalog.sqlite")
    assert db.execute("select key from dt_map order by seq").fetchall() == [("kz/dt-map/health/ru",), ("kz/dt-map/health@2026-03-01/ru",)]
    # counted by hand from the record: 46 filled quarters in sphere 1, 48 in sphere 2
    assert db.execute("select sphere, count(*) from dt_map_schedule where version = 'kz/dt-map/health/ru' group by sphere").fetchall() == [(1, 46), (2, 48)]
    assert db.execute("select reengineering from dt_map_case where sphere = 2 and position = 1 order by version").fetchall() == [("внедрено",), ("в работе",)]
    assert db.execute("select codes from dt_map_gantt where version = 'kz/dt-map/health/ru' and sphere = 2 and year = '2026'").fetchone() == ("R, F и D",)
    catalog = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    assert [m["key"] for m in catalog["maps"]] == ["kz/dt-map/health/ru", "kz/dt-map/health@2026-03-01/ru"]
    assert catalog["maps"][0]["findings"] == []


def test_map_package_imports_no_heavy_library() -> None:
    code = "import sys, legalkpi.maps, legalkpi.maps.checks, legalkpi.maps.render; print(sorted(m for m in ('docx','pdfplumber','sqlmodel','spacy','rich') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_sources_are_shared_type() -> None:
    result, _ = docx_result(maprecords.planted(maprecords.PLANTED[0]))
    assert isinstance(result.findings[0].source, Source)


def test_readme_lists_every_map_code_with_its_point() -> None:
    from legalkpi.maps.checks import CODES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### `legalkpi map PATH`") : readme.index("## Formats read")]
    listed = {line.split("`")[1] for line in section.splitlines() if line.startswith("| `")}
    assert listed == set(CODES)
    for code, c in CODES.items():
        row = next(line for line in section.splitlines() if line.startswith(f"| `{code}`"))
        assert f"| {c.severity} |" in row


def test_header_cell_outside_the_form_is_kept_as_unread_text() -> None:
    text, addresses = maprender.to_text(maprecords.clean())
    lines = text.split("\n")
    first = addresses["table/gantt"]  # the Gantt header: name, unit and five year cells, one per line
    assert lines[first - 1] == "\tНазвание сферы" and lines[first + 5] == "\t2029"
    lines.insert(first + 6, "\tПримечание")
    result = check_document(read_bytes("\n".join(lines).encode(), "map.txt"))
    assert codes(result) == ["unread-text"]
    assert result.findings[0].source is not None and result.findings[0].source.first_line == first + 7
