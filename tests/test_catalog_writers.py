"""The fast catalogue writers give what the plain ones gave: the same SQLite rows and schema, the same
CSV and JSON bytes.

The plain ways are written out here (SQLAlchemy inserts of the sqlmodel rows into a database whose
indexes and full-text triggers already exist; one csv.writer over every row; json.dumps), and are
run on the corpus's catalogue and on generated catalogues with awkward values (commas, quotes, line
breaks, missing numbers and sources). Speed is measured in benchmarks/, not here.
"""

from __future__ import annotations

import csv
import io
import json
import math
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legalkpi.catalogue import catalog as cat
from legalkpi.catalogue import corpus as corpus_mod
from legalkpi.model import Act, Criterion, Formula, Indicator, Notice, PartRef, SectionRef, YearValue
from legalkpi.provenance import Source

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FTS_SEGMENTS = ("indicator_fts_data", "indicator_fts_idx")  # FTS5's own b-tree of the index, not data


@pytest.fixture(scope="module")
def corpus_catalog() -> cat.Catalog:
    return cat.build(corpus_mod.load(CORPUS), jobs=1)


# ---- generated catalogues ------------------------------------------------------------------------

_texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8) | st.sampled_from(
    ["a,b", 'say "hi"', "two\nlines", "cr\rhere", " ", "", "ұлттық көрсеткіш", "доля, %"]
)
_numbers = st.none() | st.floats(allow_nan=False, allow_infinity=False, width=32) | st.integers(-(10**6), 10**6).map(float)


@st.composite
def _indicator(draw: Any, row: int) -> Indicator:
    from legalkpi.reading.agencies import registry

    years = draw(st.lists(st.integers(2020, 2030), unique=True, max_size=3))
    source = draw(st.none() | st.builds(
        Source, file=_texts, first_line=st.none() | st.integers(1, 9999), last_line=st.none() | st.integers(1, 9999),
        page=st.none() | st.integers(1, 50), cell=st.none() | _texts,
    ))  # fmt: skip
    agency = draw(st.none() | st.sampled_from([a.id for a in registry()]))
    return Indicator(
        id=f"s0-p1-n{row}", section=SectionRef(draw(st.integers(0, 20)), draw(_texts), agency_id=agency),
        part=PartRef(draw(st.integers(1, 3)), draw(_texts)), number=draw(st.none() | st.integers(0, 500)),
        name=draw(_texts), unit=draw(_texts), unit_kind=draw(st.sampled_from(["percent", "count", "other", "missing"])),
        values=[
            YearValue(y, draw(_numbers), draw(_texts), draw(_numbers), draw(_texts), draw(st.sampled_from(["level", "growth", "none"])))
            for y in years
        ],
        formula=Formula(draw(st.sampled_from(["ratio", "missing", "expression"])), draw(_texts)),
        criteria=[Criterion(t, w) for t, w in draw(st.lists(st.tuples(_texts, _numbers), max_size=2))],
        source=source, number_text=draw(st.sampled_from(["", "1.1"])),
    )  # fmt: skip


@st.composite
def _catalog(draw: Any) -> cat.Catalog:
    versions = []
    for k in range(draw(st.integers(1, 3))):
        act = Act(kind="order", number=f"{k + 1}-р", date="2024-01-0" + str(k + 1), lang=draw(st.sampled_from(["ru", "kk"])),
                  title=draw(_texts))  # fmt: skip
        indicators = [draw(_indicator(row)) for row in range(draw(st.integers(0, 4)))]
        v = cat.Version(
            key=act.ref.key, act=act, origin="act", file=draw(_texts), sha256="0" * 64, indicators=indicators,
            agencies=draw(st.lists(st.sampled_from(["Министерство финансов", "Қаржы министрлігі", "a, b", ""]), max_size=3)),
            warnings=[Notice(draw(_texts), draw(_texts), draw(st.none() | st.just(Source("f", 3, 4)))) for _ in range(draw(st.integers(0, 2)))],
        )  # fmt: skip
        v.kpi_ids = {i.id: f"kpi-{k}-{i.id}" for i in indicators if draw(st.booleans())}
        v.kpi_evidence = {i: "minted" for i in v.kpi_ids}
        versions.append(v)
    return cat.Catalog(versions=versions)


_generated = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


# ---- SQLite --------------------------------------------------------------------------------------


def _plain_sqlite(catalog: cat.Catalog, path: Path) -> None:
    """The database as the writer made it before: the schema first (indexes, FTS triggers), then
    SQLAlchemy inserts of the rows of the sqlmodel objects (legalkpi.catalogue.tables)."""
    from sqlalchemy import event

    from legalkpi.catalogue import catalogdb

    rows = _slow_rows(catalog)
    engine = catalogdb.engine_for(f"sqlite:///{path}")
    event.listen(engine, "connect", lambda conn, _: conn.execute("PRAGMA foreign_keys = ON"))
    with engine.begin() as conn:
        catalogdb.create_tables(conn)
        for table in catalogdb.tables():
            if rows.get(table.name):
                conn.execute(table.insert(), rows[table.name])
    engine.dispose()


def _slow_rows(catalog: cat.Catalog) -> dict[str, list[dict[str, Any]]]:
    from legalkpi.catalogue import catalogdb

    real = catalogdb._fast_path_fits
    catalogdb._fast_path_fits = lambda: False  # type: ignore[assignment]
    try:
        return catalogdb.catalog_rows(catalog)
    finally:
        catalogdb._fast_path_fits = real  # type: ignore[assignment]


def _contents(path: Path) -> dict[str, Any]:
    """Schema (in creation order) and every table's rows, FTS5's segment b-tree aside; the index's terms."""
    db = sqlite3.connect(path)
    try:
        schema = db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid").fetchall()
        out: dict[str, Any] = {"schema": schema}
        for _, name, _, sql in schema:
            if not name or sql is None or name in FTS_SEGMENTS or sql.startswith("CREATE VIRTUAL") or not sql.startswith("CREATE TABLE"):
                continue
            try:
                out[name] = db.execute(f'SELECT rowid, * FROM "{name}" ORDER BY rowid').fetchall()
            except sqlite3.OperationalError:  # WITHOUT ROWID
                out[name] = db.execute(f'SELECT * FROM "{name}" ORDER BY 1').fetchall()
        db.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, indicator_fts, instance)")
        out["fts terms"] = db.execute("SELECT term, doc, col, offset FROM temp.terms ORDER BY 1, 2, 3, 4").fetchall()
        db.execute("INSERT INTO indicator_fts (indicator_fts) VALUES ('integrity-check')")
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        db.close()
    return out


def _same_database(catalog: cat.Catalog, tmp: Path) -> None:
    cat.write_sqlite(catalog, tmp / "fast.sqlite")
    _plain_sqlite(catalog, tmp / "plain.sqlite")
    fast, plain = _contents(tmp / "fast.sqlite"), _contents(tmp / "plain.sqlite")
    assert fast.keys() == plain.keys()
    for name in plain:
        assert fast[name] == plain[name], name


def test_sqlite_rows_before_indexes_give_the_schema_and_rows_of_inserting_after(corpus_catalog, tmp_path):
    """write_sqlite fills the tables before it makes their indexes and the FTS index (and inserts
    plain tuples through the driver): same schema in the same order, same rows, same indexed terms."""
    _same_database(corpus_catalog, tmp_path)
    assert len(_contents(tmp_path / "fast.sqlite")["indicator"]) == 115 + 55 + 109 + 109


@_generated
@given(catalog=_catalog())
def test_sqlite_fast_writer_on_generated_catalogues(catalog, tmp_path_factory):
    _same_database(catalog, tmp_path_factory.mktemp("db"))


def test_fts_triggers_still_keep_the_index_in_step(corpus_catalog, tmp_path):
    """The FTS index is built in one pass, then its triggers are made: later writes still reach it."""
    cat.write_sqlite(corpus_catalog, tmp_path / "c.sqlite")
    db = sqlite3.connect(tmp_path / "c.sqlite")
    db.execute("PRAGMA foreign_keys = ON")
    row = db.execute("SELECT rowid, version FROM indicator ORDER BY rowid LIMIT 1").fetchone()
    db.execute("UPDATE indicator SET name = 'зюйдвестка' WHERE rowid = ?", (row[0],))
    assert db.execute("SELECT rowid FROM indicator_fts WHERE indicator_fts MATCH 'зюйдвестка'").fetchall() == [(row[0],)]
    db.execute("INSERT INTO indicator_fts (indicator_fts) VALUES ('integrity-check')")
    db.close()


def test_version_tuples_named_by_the_fast_columns_are_the_table_rows(corpus_catalog):
    """One version's tuples with the _FAST_COLUMNS names (what an update inserts, without SQLAlchemy)
    are the rows the sqlmodel tables describe."""
    from collections import defaultdict

    from legalkpi.catalogue import catalogdb

    slow = _slow_rows(cat.Catalog(versions=corpus_catalog.versions))
    tuples: catalogdb.Rows = defaultdict(list)
    for seq, v in enumerate(corpus_catalog.versions):
        catalogdb._version_tuples(seq, v, tuples)
    dicts = {name: [dict(zip(catalogdb._FAST_COLUMNS[name].split(), r, strict=True)) for r in rows] for name, rows in tuples.items()}
    for name, rows in dicts.items():
        assert rows == slow[name], name


# ---- CSV -----------------------------------------------------------------------------------------


def _plain_indicator_rows(catalog: cat.Catalog) -> list[list[Any]]:
    """The rows of indicators.csv as the writer made them before, field by field for each value."""

    def num(x: float | None) -> Any:
        return "" if x is None else x

    rows = []
    for v in catalog.versions:
        for i in v.indicators:
            lines = i.source.lines() if i.source else []
            for val in i.values or []:
                rows.append([
                    v.key, v.kpi_ids.get(i.id, ""), i.id, i.section.ordinal, i.section.title, i.section.agency_id or "",
                    i.part.ordinal, i.part.title, i.number, i.name, i.unit, i.unit_kind, val.year,
                    num(val.target), val.target_text, num(val.weight), i.formula.kind, i.source.file if i.source else "",
                    lines[0] if lines else "", lines[1] if lines else "", val.target_kind,
                ])  # fmt: skip
    return rows


def _one_writer(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _same_tables(catalog: cat.Catalog, out: Path) -> None:
    from legalkpi.catalogue import package

    written = package.write_package(catalog, out)
    rows = package._rows(catalog)
    schemas = package.table_schemas()
    assert [p.name for p in written] == [f"{n}.csv" for n in schemas] + ["datapackage.json"]
    for name, schema in schemas.items():
        header = [f["name"] for f in schema["fields"]]
        whole = _plain_indicator_rows(catalog) if name == "indicators" else list(rows[name])
        assert (out / f"{name}.csv").read_bytes() == _one_writer(header, whole), name


def test_csv_tables_written_version_by_version_are_one_writer_over_every_row(corpus_catalog, tmp_path):
    """The CSV tables are streamed to their files a version at a time (the whole text of indicators.csv
    is never in memory); the bytes are those of one csv.writer over all the rows, as before."""
    _same_tables(corpus_catalog, tmp_path)


@_generated
@given(catalog=_catalog())
def test_csv_streamed_tables_on_generated_catalogues(catalog, tmp_path_factory):
    _same_tables(catalog, tmp_path_factory.mktemp("csv"))


# ---- JSON ----------------------------------------------------------------------------------------


class _Map:
    """A stand-in map edition: what the catalogue JSON takes of one (its dict)."""

    def to_dict(self) -> dict[str, Any]:
        return {"key": "kz/dt-map/1/ru", "rows": [1, 2.5, None, "x, \"y\""]}


def test_catalog_json_written_version_by_version_kept_the_maps(corpus_catalog, tmp_path):
    """Bug: write_json made the frame around the versions without the catalogue's maps, so a catalogue
    with map editions lost its "maps" from catalog.json (dumps(to_dict(...)) had them)."""
    from legalkpi.jsonio import dumps

    catalog = cat.Catalog(versions=corpus_catalog.versions[:2], lineage=corpus_catalog.lineage, maps=[_Map(), _Map()])
    cat.write_json(catalog, tmp_path / "c.json")
    assert (tmp_path / "c.json").read_text(encoding="utf-8") == dumps(cat.to_dict(catalog))
    assert len(json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))["maps"]) == 2


@_generated
@given(catalog=_catalog())
def test_json_streamed_on_generated_catalogues(catalog, tmp_path_factory):
    from legalkpi.jsonio import dumps

    path = tmp_path_factory.mktemp("json") / "c.json"
    cat.write_json(catalog, path)
    assert path.read_bytes() == dumps(cat.to_dict(catalog)).encode("utf-8")


class _Kind(str):
    pass


class _Count(int):
    pass


class _Share(float):
    pass


_leaves = (
    st.none() | st.booleans() | st.integers() | st.floats() | st.text()
    | st.text(max_size=3).map(_Kind) | st.integers().map(_Count) | st.floats().map(_Share)
)  # fmt: skip
_keys = st.text(max_size=5) | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False)
_json_values = st.recursive(
    _leaves,
    lambda kids: st.lists(kids, max_size=4) | st.lists(kids, max_size=3).map(tuple) | st.dictionaries(_keys, kids, max_size=4),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(_json_values, st.sampled_from(["", "    ", "\t"]))
def test_indented_dump_with_a_margin_is_json_dumps_byte_for_byte(x, margin):
    """dumps_indented (str/int/float subclasses, tuples, non-str keys too), each line after ``margin``."""
    from legalkpi.jsonio import dumps_indented

    text = json.dumps(x, ensure_ascii=False, indent=2)
    assert dumps_indented(x) == text
    assert dumps_indented(x, margin) == "\n".join(margin + line for line in text.split("\n"))


@settings(max_examples=300, deadline=None)
@given(_json_values)
def test_dumps_is_the_standard_librarys_with_infinities_as_null(x):
    from legalkpi.jsonio import dumps

    def nulls(y: Any) -> Any:  # non-finite numbers as null; keys as they are
        if isinstance(y, float):
            return y if math.isfinite(y) else None
        if isinstance(y, dict):
            return {k: nulls(v) for k, v in y.items()}
        return [nulls(v) for v in y] if isinstance(y, list | tuple) else y

    try:
        want = json.dumps(nulls(x), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    except ValueError:  # an infinite key: refused, not written
        with pytest.raises(ValueError, match="Out of range float"):
            dumps(x)
        return
    assert dumps(x) == want


def test_dumps_refuses_what_json_cannot_hold():
    from legalkpi.jsonio import dumps

    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps({"a": {1, 2}})
    with pytest.raises(TypeError, match="keys must be"):
        dumps({(1, 2): 1})
