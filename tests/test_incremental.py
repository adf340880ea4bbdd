"""An update in place of a build: `add` reads the new act only, and the catalogue is the one a build gives."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import CORPUS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legalkpi.catalogue import corpus as corpus_mod
from legalkpi.catalogue import incremental
from legalkpi.catalogue.intake import add_and_rebuild, rebuild

NEW_KEY = "kz/resolution/1157@2025-06-01/ru"
KK124 = "124-kk-consolidated-151.txt"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    return root


def amended(tmp_path: Path) -> Path:
    """Resolution 1157 (Russian) with general row 2's 2025 target 99,74 changed to 99,9 (printed once)."""
    text = (CORPUS / "1157-ru.txt").read_text(encoding="utf-8")
    assert text.count("\n99,74\n") == 1
    path = tmp_path / "amended.txt"
    path.write_text(text.replace("\n99,74\n", "\n99,9\n"), encoding="utf-8")
    return path


def tables(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table (not the full-text index's own tables), sorted: what a database holds."""
    with sqlite3.connect(path) as db:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'indicator_fts%'")]
        got = {n: sorted(db.execute(f"SELECT * FROM {n}"), key=repr) for n in names}  # noqa: S608
        got["search"] = sorted(db.execute(
            "SELECT i.version, i.id FROM indicator_fts JOIN indicator i ON i.rowid = indicator_fts.rowid "
            "WHERE indicator_fts MATCH 'информационных'"
        ))  # fmt: skip
    return got


def assert_same_catalogue(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in b.iterdir() if not p.name.startswith("."))
    for name in names:
        if name == "catalog.sqlite":
            assert tables(a / name) == tables(b / name)
        else:
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


def assert_as_built(corpus: Path, out: Path, full: Path) -> None:
    """The catalogue in ``out`` is the one a full build of ``corpus`` (no cache) writes into ``full``."""
    rebuild(corpus, full, cache=False)
    assert_same_catalogue(out, full)


def test_add_updates_in_place_and_gives_what_a_build_gives(corpus, tmp_path):
    out = tmp_path / "catalog"
    assert not rebuild(corpus, out).incremental
    done = add_and_rebuild(amended(tmp_path), corpus, out, {"edition": "2025-06-01"})
    assert done.built.incremental
    assert done.built.updated.changed[0] == NEW_KEY
    version = done.built.version(NEW_KEY)
    row2 = next(i for i in version.indicators if i.id == "s0-p1-n2")
    assert row2.value(2025).target == 99.9  # the amended value, as typed into the file above
    # Fault tolerance keeps the id Order 124 minted, carried by name from the Russian 1157.
    assert version.kpi_ids["s0-p1-n2"] == "kpi:general:124-s0-n2"
    assert version.kpi_evidence["s0-p1-n2"] == "name kz/resolution/1157/ru"
    assert done.built.version_before(version).key == "kz/resolution/1157/ru"
    assert_as_built(corpus, out, tmp_path / "full")
    assert done.catalog.version(NEW_KEY) is not None and len(done.catalog.versions) == done.built.count


def test_an_earlier_act_added_last_takes_its_place_and_moves_the_ids_of_later_ones(corpus, tmp_path):
    """Order 124 (2022) added after 1157 (2024): 1157's rows now carry the ids 124 mints."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    entry = next(d for d in manifest["documents"] if d["file"] == KK124)
    manifest["documents"].remove(entry)
    (corpus / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    source = tmp_path / KK124
    (corpus / KK124).rename(source)
    out = tmp_path / "catalog"
    rebuild(corpus, out)
    before = json.loads((out / "catalog.json").read_text(encoding="utf-8"))
    ids = {i["id"]: i["kpi_id"] for v in before["versions"] if v["key"] == "kz/resolution/1157/kk" for i in v["indicators"]}
    assert ids["s0-p1-n2"] == "kpi:general:1157-s0-n2"  # minted by 1157 while 124 is not there
    meta = {k: entry.get(k) for k in ("kind", "number", "date", "lang", "edition", "title")}
    done = add_and_rebuild(source, corpus, out, meta)
    assert done.built.incremental
    assert {"kz/resolution/1157/kk", "kz/resolution/1157/ru"} <= set(done.built.updated.changed)
    assert done.built.version("kz/resolution/1157/kk").kpi_ids["s0-p1-n2"] == "kpi:general:124-s0-n2"
    assert_as_built(corpus, out, tmp_path / "full")


def test_a_build_of_an_unchanged_corpus_writes_nothing(corpus, tmp_path):
    out = tmp_path / "catalog"
    rebuild(corpus, out)
    stamps = {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}
    again = rebuild(corpus, out)
    assert again.incremental and again.written == [] and again.updated.changed == []
    assert stamps == {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.is_file()}


def _edited(out: Path, corpus: Path) -> None:
    path = out / "catalog.json"
    path.write_bytes(path.read_bytes().replace(b'"schema"', b'"schema" ', 1))


def _other_reader(out: Path, corpus: Path) -> None:
    state = incremental.state_path(out)
    got = incremental.pickle.loads(state.read_bytes())
    got.fingerprint = "another legalkpi"
    state.write_bytes(incremental.pickle.dumps(got))


def _cache_gone(out: Path, corpus: Path) -> None:
    for p in (out / ".cache").glob("*.pickle"):
        p.unlink()


def _state_truncated(out: Path, corpus: Path) -> None:
    state = incremental.state_path(out)
    state.write_bytes(state.read_bytes()[:100])


@pytest.mark.parametrize("spoil", [_edited, _other_reader, _cache_gone, _state_truncated])
def test_update_falls_back_to_a_build_when_the_catalogue_cannot_be_trusted(corpus, tmp_path, spoil):
    out = tmp_path / "catalog"
    rebuild(corpus, out)
    spoil(out, corpus)
    done = add_and_rebuild(amended(tmp_path), corpus, out, {"edition": "2025-06-01"})
    assert not done.built.incremental
    assert_as_built(corpus, out, tmp_path / "full")


def test_a_removed_act_is_a_build(corpus, tmp_path):
    from legalkpi.catalogue.intake import remove_and_rebuild

    out = tmp_path / "catalog"
    rebuild(corpus, out)
    done = remove_and_rebuild("kz/resolution/1157/ru", corpus, out)
    assert not done.built.incremental and done.catalog.version("kz/resolution/1157/ru") is None
    assert len(corpus_mod.load(corpus).entries) == 4


def test_the_cli_says_it_updated(corpus, tmp_path):
    from typer.testing import CliRunner

    from legalkpi.cli import app

    out = tmp_path / "catalog"
    runner = CliRunner()
    assert runner.invoke(app, ["build", "--corpus", str(corpus), "--out", str(out), "-j", "1"]).exit_code == 0
    res = runner.invoke(app, ["add", str(amended(tmp_path)), "--corpus", str(corpus), "--out", str(out),
                              "--edition", "2025-06-01", "--format", "json"])  # fmt: skip
    assert res.exit_code == 0, res.output
    # Four versions before (the rules act makes none), the new edition after; 1157/ru keeps all its rows linked.
    assert "catalogue updated (1 written again): 5 versions" in res.output
    res = runner.invoke(app, ["build", "--corpus", str(corpus), "--out", str(out)])
    assert res.exit_code == 0 and "5 versions, 497 indicators (updated: 0 written again)" in res.output


def test_a_corpus_with_an_amending_act_is_built_in_full(corpus, tmp_path):
    """An amending act remakes the version it amends (a consolidated one): no update, every time."""
    out = tmp_path / "catalog"
    rebuild(corpus, out)
    amending = Path(__file__).parent / "fixtures" / "amending" / "321-ru.txt"
    first = add_and_rebuild(amending, corpus, out, {})
    assert first.entry.content == "amending" and not first.built.incremental
    assert not incremental.state_path(out).exists()
    second = add_and_rebuild(amended(tmp_path), corpus, out, {"edition": "2025-06-01"})
    assert not second.built.incremental
    assert_as_built(corpus, out, tmp_path / "full")


@settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(5)))
def test_any_order_of_growth_ends_in_the_catalogue_a_build_gives(tmp_path_factory, order):
    """The corpus's five documents entered one by one, in any order, each followed by a build."""
    tmp = tmp_path_factory.mktemp("grow")
    corpus, out = tmp / "corpus", tmp / "catalog"
    shutil.copytree(CORPUS, corpus)
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    documents = [manifest["documents"][k] for k in order]
    for n in range(1, len(documents) + 1):
        manifest["documents"] = documents[:n]
        (corpus / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        built = rebuild(corpus, out)
        assert built.incremental == (n > 1)
    assert_as_built(corpus, out, tmp / "full")


def test_an_update_that_cannot_write_is_one_error_naming_the_file(corpus, tmp_path, monkeypatch):
    import sqlite3

    from typer.testing import CliRunner

    from legalkpi.cli import app

    out = tmp_path / "catalog"
    rebuild(corpus, out)
    before = (out / "catalog.json").read_bytes()

    def full_disk(*_a):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(incremental, "_update_sqlite", full_disk)
    res = CliRunner().invoke(app, ["add", str(amended(tmp_path)), "--corpus", str(corpus), "--out", str(out),
                                   "--edition", "2025-06-01"])  # fmt: skip
    assert res.exit_code == 2
    assert "catalog.sqlite" in res.output and "database or disk is full" in res.output and "Traceback" not in res.output
    assert (out / "catalog.json").read_bytes() == before  # SQLite is written first: nothing else was touched
