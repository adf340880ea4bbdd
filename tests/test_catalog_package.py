"""The catalogue in the formats people already use: the README's SQLite queries, views, FTS,
foreign keys; the Frictionless data package; catalog.json against its JSON Schema.

Expected values were read in corpus/ by a person: the Ministry of Health has 9 rows in the Q1 2024
report (report-2024q1-ru.txt, lines 1074-1164), 6 in Resolution 1157 (1157-ru.txt, section 4 from
line 815) and 3 in Order 124's "4. Денсаулық сақтау" (124-kk-consolidated-151.txt, lines 612-668);
general row 2 (fault tolerance) has targets 99,61 / 99,62 / 99,63 for 2024-2026 in Order 124 (lines
246-252), 99,74 / 99,63 in 1157-kk.txt and 99,74 / 99,8 in 1157-ru.txt (lines 217-219).
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FAULT_TOLERANCE_RU = "Отказоустойчивость информационных систем государственного органа и подведомственных организаций"



def readme_queries() -> list[str]:
    """The ```sql blocks of the README's "Querying the catalogue" section, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Querying the catalogue", 1)[1].split("\n### ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


@pytest.fixture()
def db(built):
    con = sqlite3.connect(built / "catalog.sqlite")
    yield con
    con.close()


def test_readme_has_three_queries():
    assert len(readme_queries()) == 3


def test_readme_query_1_ministry_indicators_include_the_report(db):
    rows = db.execute(readme_queries()[0]).fetchall()
    per_version: dict[str, int] = {}
    for version, _id, agency, _name in rows:
        per_version[version] = per_version.get(version, 0) + 1
        assert agency == "Министерство здравоохранения Республики Казахстан"
    assert per_version == {
        "kz/report/2024q1/ru": 9,
        "kz/order/124@2024-10-24/kk": 3,
        "kz/resolution/1157/kk": 6,
        "kz/resolution/1157/ru": 6,
    }
    # report row 6 (line 1117): "Доля национальных электронных паспортов здоровья, имеющих ..."
    assert any(v == "kz/report/2024q1/ru" and n.startswith("Доля национальных электронных паспортов здоровья") for v, _, _, n in rows)


def test_readme_query_2_what_changed(db):
    rows = db.execute(readme_queries()[1]).fetchall()
    kk = [r for r in rows if r[0] == "kk"]
    # Order 124 -> Resolution 1157 (Kazakh): 2025 target 99,62 -> 99,74; 2026 stays 99,63.
    assert ("kk", "kz/order/124@2024-10-24/kk", "kz/resolution/1157/kk", "target", 2025, "99,62", "99,74") in kk
    assert not [r for r in kk if r[3] == "target" and r[4] == 2026]
    # Russian: the report's 2023 set has no such row, so in 1157 it is new.
    ru = [r for r in rows if r[0] == "ru"]
    assert [(r[1], r[2], r[3]) for r in ru] == [("kz/report/2024q1/ru", "kz/resolution/1157/ru", "added")]


def test_readme_query_3_full_text_search_in_kazakh_finds_the_russian_name(db):
    rows = db.execute(readme_queries()[2]).fetchall()
    assert [(v, i) for _, v, i, _ in rows] == [
        ("kz/order/124@2024-10-24/kk", "s0-p1-n2"),
        ("kz/resolution/1157/kk", "s0-p1-n2"),
        ("kz/resolution/1157/ru", "s0-p1-n2"),
    ]
    assert rows[-1][3] == FAULT_TOLERANCE_RU
    assert len({k for k, *_ in rows}) == 1


def test_fts_finds_russian_words_too(db):
    got = db.execute(
        "SELECT i.version, i.id FROM indicator_fts f JOIN indicator i ON i.rowid = f.rowid WHERE indicator_fts MATCH 'Отказоустойчивость'"
    ).fetchall()
    assert got == [("kz/resolution/1157/ru", "s0-p1-n2")]


def test_kpi_history_one_row_per_version_and_year(db):
    kpi = db.execute("SELECT kpi_id FROM indicator WHERE version = 'kz/resolution/1157/ru' AND id = 's0-p1-n2'").fetchone()[0]
    got = db.execute("SELECT version, year, target_text, weight FROM kpi_history WHERE kpi_id = ? ORDER BY seq, year", (kpi,)).fetchall()
    assert got == [
        ("kz/order/124@2024-10-24/kk", 2024, "99,61", 5.0),
        ("kz/order/124@2024-10-24/kk", 2025, "99,62", 5.0),
        ("kz/order/124@2024-10-24/kk", 2026, "99,63", 5.0),
        ("kz/resolution/1157/kk", 2025, "99,74", 5.0),
        ("kz/resolution/1157/kk", 2026, "99,63", 5.0),
        ("kz/resolution/1157/ru", 2025, "99,74", 5.0),
        ("kz/resolution/1157/ru", 2026, "99,8", 5.0),
    ]


def test_foreign_keys_are_declared_and_hold(db):
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = {(t, r[2], r[3]) for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'") for r in
           db.execute(f"PRAGMA foreign_key_list('{t}')")}  # fmt: skip
    for expected in [
        ("indicator", "catalog_version", "version"), ("indicator", "agency", "agency"),
        ("indicator_value", "indicator", "version"), ("indicator_value", "indicator", "indicator"),
        ("criterion", "indicator", "indicator"), ("warning", "catalog_version", "version"),
        ("version_agency", "agency", "agency"), ("lineage_relation", "lineage_act", "from_act"),
        ("lineage_relation", "lineage_act", "to_act"), ("lineage_text", "catalog_version", "version"),
        ("direction", "agency", "agency"),
    ]:  # fmt: skip
        assert expected in fks, expected


def test_agency_table_has_both_names(db):
    assert db.execute("SELECT ru, kk FROM agency WHERE id = 'health'").fetchone() == (
        "Министерство здравоохранения Республики Казахстан",
        "Қазақстан Республикасының Денсаулық сақтау министрлігі",
    )


def test_lineage_acts_are_rows(db):
    # 1157-ru.txt is Resolution No. 1157 of 31 December 2024, which repeals Order 124-р.
    assert db.execute("SELECT date, present FROM lineage_act WHERE key = 'kz/resolution/1157'").fetchone() == ("2024-12-31", 1)
    texts = db.execute("SELECT file, version FROM lineage_text WHERE act = 'kz/resolution/1157' ORDER BY file").fetchall()
    assert texts == [("corpus/1157-kk.txt", "kz/resolution/1157/kk"), ("corpus/1157-ru.txt", "kz/resolution/1157/ru")]


def test_views_and_fts_only_on_sqlite():
    """The tables are portable: the extras are skipped on another dialect."""
    from legalkpi.catalogue import tables

    executed: list[str] = []

    class Dialect:
        name = "postgresql"

    class Conn:
        dialect = Dialect()

        def execute(self, stmt):  # pragma: no cover - must not be called
            executed.append(str(stmt))

    tables.create_sqlite_extras(Conn())
    assert executed == []


# ---- data package and JSON Schema -----------------------------------------------------------


def _report(path: Path):
    from frictionless import Package

    return Package(str(path)).validate()


def test_frictionless_validates_the_built_package(built):
    report = _report(built / "datapackage.json")
    assert report.valid, report.flatten(["type", "message"])[:5]
    desc = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    indicators = next(r for r in desc["resources"] if r["name"] == "indicators")["schema"]
    assert indicators["primaryKey"] == ["version", "id", "year"]
    unit_kind = next(f for f in indicators["fields"] if f["name"] == "unit_kind")
    assert unit_kind["constraints"]["enum"] == ["percent", "count", "other", "missing"]


def _mutate(built: Path, tmp: Path, name: str, column: str, value: str) -> Path:
    for f in built.iterdir():
        if f.suffix in (".csv", ".json") and f.name != "catalog.json":
            shutil.copy(f, tmp / f.name)
    with (tmp / name).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    rows[0][column] = value
    with (tmp / name).open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return tmp / "datapackage.json"


@pytest.mark.parametrize(
    ("name", "column", "value", "error"),
    [
        ("indicators.csv", "agency", "no-such-ministry", "foreign-key"),
        ("indicators.csv", "unit_kind", "percentage", "constraint-error"),
        ("criteria.csv", "indicator", "s99-p1-n1", "foreign-key"),
        ("versions.csv", "lang", "en", "constraint-error"),
    ],
)
def test_frictionless_catches_broken_data(built, tmp_path, name, column, value, error):
    report = _report(_mutate(built, tmp_path, name, column, value))
    assert not report.valid
    assert error in {t for (t,) in report.flatten(["type"])}


def _catalog_validator():
    import jsonschema
    from referencing import Registry, Resource

    schemas = [json.loads((ROOT / "legalkpi" / "schema" / n).read_text(encoding="utf-8")) for n in ("extract.schema.json", "catalog.schema.json")]
    registry = Registry().with_resources([(s["$id"], Resource.from_contents(s)) for s in schemas])
    return jsonschema.Draft202012Validator(schemas[1], registry=registry)


def test_catalog_json_matches_its_schema(built):
    data = json.loads((built / "catalog.json").read_text(encoding="utf-8"))
    validator = _catalog_validator()
    errors = list(validator.iter_errors(data))
    assert not errors, [e.message for e in errors[:3]]
    data["versions"][0]["indicators"][0]["unexpected"] = 1
    assert not validator.is_valid(data)  # the indicator stays closed: only kpi_id and kpi_evidence are added
    del data["versions"][0]["indicators"][0]["unexpected"]
    data["versions"][1]["indicators"][0]["unit_kind"] = "percentage"
    assert not validator.is_valid(data)


def test_package_rebuild_is_byte_identical(built, tmp_path):
    subprocess.run(
        [sys.executable, "-m", "legalkpi", "build", "--corpus", str(ROOT / "corpus"), "--out", str(tmp_path), "--formats", "csv"],
        check=True, capture_output=True,
    )  # fmt: skip
    files = [f for f in sorted(tmp_path.iterdir()) if f.is_file()]  # .cache/ is the build's reading cache
    assert {f.name for f in files} >= {"datapackage.json", "indicators.csv"}
    for f in files:
        assert f.read_bytes() == (built / f.name).read_bytes(), f.name
