"""legalkpi add: a new edition enters a copy of the corpus, and nothing earlier is overwritten."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS
from typer.testing import CliRunner

from legalkpi.catalogue import corpus as corpus_mod
from legalkpi.cli import app

NEW_KEY = "kz/resolution/1157@2025-06-01/ru"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    return root


def amended(tmp_path: Path, old: str = "99,74", new: str = "99,9", name: str = "amended.txt") -> Path:
    """Resolution 1157 (Russian) with general row 2's 2025 target changed (printed once in the text)."""
    text = (CORPUS / "1157-ru.txt").read_text(encoding="utf-8")
    assert text.count(f"\n{old}\n") == 1
    path = tmp_path / name
    path.write_text(text.replace(f"\n{old}\n", f"\n{new}\n"), encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(app, ["add", *args])


def test_add_copies_records_rebuilds_and_prints_the_diff(corpus, tmp_path):
    before = corpus_mod.load(corpus)
    src = amended(tmp_path)
    out = tmp_path / "catalog"
    res = run(
        str(src), "--corpus", str(corpus), "--out", str(out), "--edition", "2025-06-01", "--format", "json"
    )
    assert res.exit_code == 0, res.output
    # The file is in, under a descriptive name, byte for byte.
    added = corpus / "1157-ru-2025-06-01.txt"
    assert added.read_bytes() == src.read_bytes()
    # The manifest lists it with its hash and the act read from its header; earlier entries are as they were.
    after = corpus_mod.load(corpus)
    assert after.entries[: len(before.entries)] == before.entries
    entry = after.entries[-1]
    assert (entry.file, entry.kind, entry.number, entry.date, entry.lang, entry.edition) == (
        "1157-ru-2025-06-01.txt", "resolution", "1157", "2024-12-31", "ru", "2025-06-01",
    )  # fmt: skip
    assert entry.sha256 == corpus_mod.sha256_file(src) and entry.content == "kpi-act"
    # The catalogue holds the new version.
    keys = [v["key"] for v in json.loads((out / "catalog.json").read_text(encoding="utf-8"))["versions"]]
    assert NEW_KEY in keys and (out / "catalog.sqlite").is_file() and (out / "indicators.csv").is_file()
    # The diff is against the version before: the original Russian text, one target changed.
    diff = json.loads(res.stdout)
    assert (diff["old"], diff["new"]) == ("kz/resolution/1157/ru", NEW_KEY)
    assert [
        (c["kind"], c["old"], [(f["field"], f["year"], f["old"], f["new"]) for f in c["fields"]])
        for c in diff["changes"]
    ] == [("changed", "s0-p1-n2", [("target", 2025, "99,74", "99,9")])]


def test_add_refuses_the_same_text_twice(corpus, tmp_path):
    src = amended(tmp_path)
    assert (
        run(
            str(src), "--corpus", str(corpus), "--out", str(tmp_path / "c"), "--edition", "2025-06-01"
        ).exit_code
        == 0
    )
    manifest = (corpus / "manifest.json").read_text(encoding="utf-8")
    res = run(str(src), "--corpus", str(corpus), "--out", str(tmp_path / "c"), "--edition", "2025-07-01")
    assert res.exit_code == 2 and "already in the corpus as 1157-ru-2025-06-01.txt" in res.stderr
    assert (corpus / "manifest.json").read_text(encoding="utf-8") == manifest


def test_add_refuses_a_second_text_of_an_existing_version(corpus, tmp_path):
    manifest = (corpus / "manifest.json").read_bytes()
    files = sorted(p.name for p in corpus.iterdir())
    res = run(str(amended(tmp_path)), "--corpus", str(corpus), "--out", str(tmp_path / "c"))  # no --edition
    assert (
        res.exit_code == 2 and "kz/resolution/1157/ru is already in the corpus as 1157-ru.txt" in res.stderr
    )
    assert (corpus / "manifest.json").read_bytes() == manifest and sorted(
        p.name for p in corpus.iterdir()
    ) == files


def test_add_never_overwrites_a_file(corpus, tmp_path):
    stray = corpus / "1157-ru-2025-06-01.txt"
    stray.write_text("someone else's file", encoding="utf-8")
    res = run(
        str(amended(tmp_path)),
        "--corpus",
        str(corpus),
        "--out",
        str(tmp_path / "c"),
        "--edition",
        "2025-06-01",
    )
    assert res.exit_code == 2 and "nothing was overwritten" in res.stderr
    assert stray.read_text(encoding="utf-8") == "someone else's file"
    assert len(corpus_mod.load(corpus).entries) == 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--edition", "June 2025"], "--edition must be a date"),
        (["--edition", "2025-06-01", "--lang", "en"], "--lang must be ru or kk"),
    ],
)
def test_add_checks_its_options(corpus, tmp_path, args, message):
    res = run(str(amended(tmp_path)), "--corpus", str(corpus), "--out", str(tmp_path / "c"), *args)
    assert res.exit_code == 2 and message in res.stderr
    assert len(corpus_mod.load(corpus).entries) == 5


def test_add_refuses_an_unreadable_file_before_writing(corpus, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    res = run(str(empty), "--corpus", str(corpus), "--out", str(tmp_path / "c"), "--edition", "2025-06-01")
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert len(corpus_mod.load(corpus).entries) == 5 and not (tmp_path / "c").exists()
