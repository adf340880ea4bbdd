"""The catalogue of the corpus: versions, values in SQLite, byte-identical rebuilds."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent



def test_versions_one_per_act_expression_and_the_report(built):
    db = sqlite3.connect(built / "catalog.sqlite")
    rows = db.execute(
        "select key, origin, (select count(*) from indicator i where i.version = v.key) from catalog_version v order by seq"
    ).fetchall()
    assert rows == [
        ("kz/report/2024q1/ru", "report", 115),
        ("kz/order/124@2024-10-24/kk", "act", 55),
        ("kz/resolution/1157/kk", "act", 109),
        ("kz/resolution/1157/ru", "act", 109),
    ]


def test_values_are_queryable(built):
    db = sqlite3.connect(built / "catalog.sqlite")
    got = db.execute(
        "select year, target, target_text, weight from indicator_value "
        "where version = 'kz/resolution/1157/kk' and indicator = 's0-p1-n2' order by year"
    ).fetchall()
    assert got == [(2025, 99.74, "99,74", 5.0), (2026, 99.63, "99,63", 5.0)]
    crit = db.execute(
        "select weight from criterion where version = 'kz/resolution/1157/ru' and indicator = 's0-p1-n1' order by position"
    ).fetchall()
    assert [w for (w,) in crit] == [30.0, 25.0, 25.0, 20.0]
    lines = db.execute(
        "select first_line, last_line from indicator where version = 'kz/resolution/1157/ru' and id = 's15-p1-n4'"
    ).fetchone()
    assert lines == (2199, 2219)


def test_lineage_is_stored(built):
    db = sqlite3.connect(built / "catalog.sqlite")
    rels = db.execute("select from_act, to_act, type, date from lineage_relation where type = 'repeals'").fetchall()
    assert ("kz/resolution/1157", "kz/order/124", "repeals", "2024-12-31") in rels


def test_rebuild_is_byte_identical(built, tmp_path):
    subprocess.run(
        [sys.executable, "-m", "legalkpi", "build", "--corpus", str(ROOT / "corpus"), "--out", str(tmp_path)], check=True,
        capture_output=True,
    )  # fmt: skip
    for name in ("catalog.sqlite", "catalog.json", "indicators.csv"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_csv_has_one_row_per_indicator_and_year(built):
    import csv

    with (built / "indicators.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    ru = [r for r in rows if r["version"] == "kz/resolution/1157/ru"]
    assert len(ru) == 109 * 2
    row = next(r for r in ru if r["id"] == "s0-p1-n5" and r["year"] == "2025")
    assert (row["target"], row["target_text"]) == ("15.0", "рост на 15 %")
