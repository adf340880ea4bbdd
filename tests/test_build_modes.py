"""One catalogue whichever way it is built: serial, process pool, Dask cluster, from the cache.

Expected values come from the serial build of the real corpus (whose content test_catalog.py checks
against the documents); here the point is that the other ways give the same bytes, read each
document once, and refuse a manifest whose entries make one version twice.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from legalkpi.catalogue import catalog as cat
from legalkpi.catalogue import corpus as corpus_mod
from legalkpi.catalogue import corpusread
from legalkpi.errors import ManifestError

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
FILES = ("catalog.sqlite", "catalog.json", "indicators.csv")


def _written(catalog: cat.Catalog, out: Path) -> dict[str, bytes]:
    cat.write_all(catalog, out)
    return {name: (out / name).read_bytes() for name in FILES}


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> dict[str, bytes]:
    catalog = cat.build(corpus_mod.load(CORPUS), jobs=1)
    return _written(catalog, tmp_path_factory.mktemp("serial"))


def test_process_pool_build_is_byte_identical_to_serial(serial, tmp_path):
    catalog = cat.build(corpus_mod.load(CORPUS), jobs=2)
    assert _written(catalog, tmp_path) == serial


def _count_reads(monkeypatch) -> list[str]:
    """The names of the documents parsers.read_bytes reads from now on."""
    import parsers

    seen: list[str] = []
    real = parsers.read_bytes

    def counting(data, name, **kw):
        seen.append(name)
        return real(data, name, **kw)

    monkeypatch.setattr(parsers, "read_bytes", counting)
    return seen


def test_each_document_is_read_once_per_build(monkeypatch):
    """Lineage takes its facts from the build's own reading: no document is read a second time."""

    seen = _count_reads(monkeypatch)
    monkeypatch.setattr("legalkpi.catalogue.lineage.read_document", lambda *a, **k: pytest.fail("lineage read a document again"))
    manifest = corpus_mod.load(CORPUS)
    cat.build(manifest, jobs=1)
    assert sorted(seen) == sorted(f"corpus/{e.file}" for e in manifest.entries)


def test_cached_build_reads_nothing_and_is_byte_identical(serial, tmp_path, monkeypatch):
    cache = tmp_path / "out" / corpusread.CACHE_DIR
    first = cat.build(corpus_mod.load(CORPUS), jobs=1, cache_dir=cache)
    assert len(list(cache.glob("*.pickle"))) == 5  # one per manifest document
    monkeypatch.setattr(corpusread, "_work", lambda *a: pytest.fail("a cached document was read again"))
    again = cat.build(corpus_mod.load(CORPUS), jobs=1, cache_dir=cache)
    assert _written(again, tmp_path / "a") == serial == _written(first, tmp_path / "b")


def test_broken_cache_file_is_read_around(serial, tmp_path):
    cache = tmp_path / corpusread.CACHE_DIR
    cat.build(corpus_mod.load(CORPUS), jobs=1, cache_dir=cache)
    for p in cache.glob("*.pickle"):
        p.write_bytes(b"not a pickle")
    catalog = cat.build(corpus_mod.load(CORPUS), jobs=1, cache_dir=cache)
    assert _written(catalog, tmp_path / "out") == serial


def test_cache_key_changes_with_bytes_entry_and_reader():
    cache = corpusread.Cache(None)
    entry = corpus_mod.load(CORPUS).entries[0]
    base = cache.key(entry, "corpus/x", "a" * 64, "r1")
    assert base == cache.key(entry, "corpus/x", "a" * 64, "r1")
    assert base != cache.key(entry, "corpus/x", "b" * 64, "r1")
    assert base != cache.key(entry, "corpus/x", "a" * 64, "r2")
    other = corpus_mod.Entry(**{**entry.__dict__, "edition": "2030-01-01"})
    assert base != cache.key(other, "corpus/x", "a" * 64, "r1")


def _copy_corpus(tmp_path: Path) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(CORPUS, dst)
    return dst


def test_duplicate_version_keys_are_refused_naming_both_entries(tmp_path):
    """Report numbers "2024q1" and "2024q1-1" both make kz/report/2024q1/ru: refused before any reading."""
    corpus = _copy_corpus(tmp_path)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    report = next(d for d in manifest["documents"] if d["content"] == "kpi-report")
    assert report["number"] == "2024q1"
    shutil.copy(corpus / report["file"], corpus / "report-copy.txt")
    manifest["documents"].append({**report, "file": "report-copy.txt", "number": "2024q1-1"})
    (corpus / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ManifestError) as err:
        cat.build(corpus_mod.load(corpus), jobs=1)
    msg = err.value.message
    assert "report-2024q1-ru.txt" in msg and "report-copy.txt" in msg
    assert "'2024q1'" in msg and "'2024q1-1'" in msg and "kz/report/2024q1/ru" in msg
    proc = subprocess.run(
        [sys.executable, "-m", "legalkpi", "build", "--corpus", str(corpus), "--out", str(tmp_path / "out")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "IntegrityError" not in proc.stderr
    assert "report-copy.txt" in proc.stderr and not (tmp_path / "out" / "catalog.sqlite").exists()


def test_error_in_a_worker_process_names_the_file(tmp_path):
    corpus = _copy_corpus(tmp_path)
    target = corpus / "1157-ru.txt"
    target.write_bytes(b"\x00\x01\x02" * 100)  # binary: the reader refuses it
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    for d in manifest["documents"]:
        if d["file"] == "1157-ru.txt":
            d["sha256"] = corpus_mod.sha256_file(target)
    (corpus / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    from legalkpi.errors import LegalKpiError

    with pytest.raises(LegalKpiError) as err:
        cat.build(corpus_mod.load(corpus), jobs=2)
    assert err.value.file == "corpus/1157-ru.txt"


def test_engine_begins_explicitly(tmp_path):
    """Python's sqlite3 decides itself when to open a transaction (and under tr_TR it opened none for
    upper-case INSERT): the engine turns that off and SQLAlchemy sends BEGIN, whatever the locale."""
    from sqlalchemy import text

    from legalkpi.catalogue.catalogdb import engine_for

    engine = engine_for(f"sqlite:///{tmp_path / 'x.sqlite'}")
    statements: list[str] = []
    from sqlalchemy import event

    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with engine.connect() as conn:
        assert conn.connection.dbapi_connection.isolation_level is None  # the driver opens nothing itself
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x int)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    assert statements[0] == "BEGIN"
    engine.dispose()


def test_dask_cluster_build_is_byte_identical_to_serial(serial, tmp_path):
    """A local Dask cluster (2 worker processes on loopback) reads the documents; same catalogue."""
    if os.environ.get("CI") != "true":
        pytest.importorskip("distributed")
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
        local_directory=str(tmp_path / "dask"),
    ) as cluster:  # fmt: skip
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        catalog = cat.build(corpus_mod.load(CORPUS), scheduler=cluster.scheduler_address)
    assert _written(catalog, tmp_path / "out") == serial


def test_unreachable_scheduler_is_one_clear_line(tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.run(
        [sys.executable, "-m", "legalkpi", "build", "--corpus", str(CORPUS), "--out", str(tmp_path),
         "--scheduler", f"tcp://127.0.0.1:{port}", "--no-cache"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "Dask scheduler" in proc.stderr


def test_fast_rows_are_the_rows_tables_describe(monkeypatch):
    """The database writer makes version rows as dicts (sqlmodel objects are too slow at 1,000 acts):
    they must be exactly the rows legalkpi.catalogue.tables.version_rows gives."""
    from legalkpi.catalogue import catalogdb

    catalog = cat.build(corpus_mod.load(CORPUS), jobs=1)
    assert catalogdb._fast_path_fits()
    fast = catalogdb.catalog_rows(catalog)
    monkeypatch.setattr(catalogdb, "_fast_path_fits", lambda: False)
    slow = catalogdb.catalog_rows(catalog)
    assert set(fast) == set(slow)
    for table in slow:
        assert fast[table] == slow[table], table
    assert len(slow["indicator"]) == 115 + 55 + 109 + 109


def test_json_written_version_by_version_is_dumps_of_the_whole(serial, tmp_path):
    """write_json streams versions to the file; the bytes are those of dumps(to_dict(catalog))."""
    from legalkpi.jsonio import dumps

    catalog = cat.build(corpus_mod.load(CORPUS), jobs=1)
    assert serial["catalog.json"] == dumps(cat.to_dict(catalog)).encode("utf-8")
    for versions in ([], catalog.versions[:1]):
        small = cat.Catalog(versions=versions, lineage=catalog.lineage)
        cat.write_json(small, tmp_path / "small.json")
        assert (tmp_path / "small.json").read_text(encoding="utf-8") == dumps(cat.to_dict(small))


def test_indented_dump_is_json_dumps_byte_for_byte(serial):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    catalog = cat.build(corpus_mod.load(CORPUS), jobs=1)
    for v in catalog.versions:
        d = cat.version_dict(v)
        assert cat.dumps_indented(d) == json.dumps(d, ensure_ascii=False, indent=2)
    leaves = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
    values = st.recursive(
        leaves, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4), max_leaves=20
    )

    @settings(max_examples=300, deadline=None)
    @given(values)
    def same(x):
        assert cat.dumps_indented(x) == json.dumps(x, ensure_ascii=False, indent=2)

    same()


def test_adding_one_act_reads_one_document(tmp_path, monkeypatch):
    """With the cache beside the catalogue, the build after `add` reads only the new act."""
    from legalkpi.catalogue.intake import add_to_corpus

    corpus = _copy_corpus(tmp_path)
    cache = tmp_path / "catalog" / corpusread.CACHE_DIR
    cat.build(corpus_mod.load(corpus), jobs=1, cache_dir=cache)
    new = tmp_path / "new.txt"
    new.write_bytes((CORPUS / "1157-ru.txt").read_bytes() + b"\n")  # new bytes, the same act
    entry = add_to_corpus(new, corpus, {"number": "99999", "date": "2030-01-01"})
    seen = _count_reads(monkeypatch)
    catalog = cat.build(corpus_mod.load(corpus), jobs=1, cache_dir=cache)
    assert seen == [f"corpus/{entry.file}"]
    assert catalog.version("kz/resolution/99999/ru") is not None
    assert len(catalog.versions) == 5
