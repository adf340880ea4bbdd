"""`add` stores only what is right, `remove` takes an act out, and neither two runs at once nor a
killed run leaves the corpus wrong or blocked.

The amended acts are 1157-ru.txt with one target changed (a person read the line, see test_add).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT
from typer.testing import CliRunner

from legalkpi.catalogue import corpus as corpus_mod
from legalkpi.catalogue.intake import corpus_lock
from legalkpi.cli import app
from legalkpi.errors import CorpusBusy, ManifestError

KEY = "kz/resolution/1157@2025-06-01/ru"


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS, root)
    return root


def amended(tmp_path: Path, new: str = "99,9", name: str = "amended.txt") -> Path:
    text = (CORPUS / "1157-ru.txt").read_text(encoding="utf-8")
    assert text.count("\n99,74\n") == 1
    path = tmp_path / name
    path.write_text(text.replace("\n99,74\n", f"\n{new}\n"), encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def add(src: Path, corpus: Path, tmp_path: Path, *more: str):
    return run("add", str(src), "--corpus", str(corpus), "--out", str(tmp_path / "c"), *more)


def refused(res, corpus: Path, manifest: bytes, files: list[str], text: str) -> None:
    assert res.exit_code == 2, res.output
    assert text in res.stderr, res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.output
    assert (corpus / "manifest.json").read_bytes() == manifest
    assert sorted(p.name for p in corpus.iterdir()) == files


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--edition", "2025-13-45"], "--edition 2025-13-45 is not a real date"),
        (["--edition", "2025-02-30"], "--edition 2025-02-30 is not a real date"),
        (["--edition", "٢٠٢٥-٠٦-٠١"], "--edition must be a date YYYY-MM-DD in digits 0-9"),
        (["--edition", "2025-06-01", "--date", "2024-12-3١"], "--date must be a date YYYY-MM-DD in digits 0-9"),
        (["--edition", "2024-01-01"], "--edition 2024-01-01 is before the act's adoption on 2024-12-31"),
        (["--edition", "2025-06-01", "--lang", "kk"], "--lang kk, but the text is in Russian: give --lang ru"),
        (["--edition", "2025-06-01", "--number", "/"], "--number '/' is not an act number"),
        (["--edition", "2025-06-01", "--number", "9" * 300], "is not an act number"),
        (["--edition", "2025-06-01", "--kind", "../x"], "--kind '../x' must be a word"),
    ],
    ids=["month-13", "feb-30", "arabic-indic-digits", "arabic-indic-in-date", "edition-before-adoption",
         "lang-kk-on-russian", "number-slash", "number-300-digits", "kind-path"],
)  # fmt: skip
def test_add_refuses_wrong_values(corpus, tmp_path, args, message):
    manifest, files = (corpus / "manifest.json").read_bytes(), sorted(p.name for p in corpus.iterdir())
    refused(add(amended(tmp_path), corpus, tmp_path, *args), corpus, manifest, files, message)
    assert not (tmp_path / "c").exists()


def test_add_refuses_english_text(corpus, tmp_path):
    manifest, files = (corpus / "manifest.json").read_bytes(), sorted(p.name for p in corpus.iterdir())
    en = tmp_path / "en.txt"
    en.write_text("RESOLUTION No. 1\n1. First point.\n2. Second point.\n3. Third point.\n", encoding="utf-8")
    res = add(en, corpus, tmp_path, "--kind", "order", "--number", "1", "--date", "2025-01-01", "--title", "x")
    refused(res, corpus, manifest, files, "neither Russian nor Kazakh")


def test_add_copy_gets_normal_permissions(corpus, tmp_path):
    old = os.umask(0o022)
    try:
        src = amended(tmp_path)
        src.chmod(0o600)
        assert add(src, corpus, tmp_path, "--edition", "2025-06-01").exit_code == 0
    finally:
        os.umask(old)
    assert (corpus / "1157-ru-2025-06-01.txt").stat().st_mode & 0o777 == 0o644
    assert (corpus / "manifest.json").stat().st_mode & 0o777 == 0o644


def test_remove_takes_an_act_out(corpus, tmp_path):
    before = corpus_mod.load(corpus).entries
    files = sorted(p.name for p in corpus.iterdir())
    assert add(amended(tmp_path), corpus, tmp_path, "--edition", "2025-06-01").exit_code == 0
    res = run("remove", "1157-ru-2025-06-01.txt", "--corpus", str(corpus), "--out", str(tmp_path / "c"))
    assert res.exit_code == 0, res.output
    assert corpus_mod.load(corpus).entries == before
    assert sorted(p.name for p in corpus.iterdir()) == files
    keys = [v["key"] for v in json.loads((tmp_path / "c" / "catalog.json").read_text(encoding="utf-8"))["versions"]]
    assert KEY not in keys and "kz/resolution/1157/ru" in keys


def test_remove_by_version_key_and_unknown_names(corpus, tmp_path):
    assert add(amended(tmp_path), corpus, tmp_path, "--edition", "2025-06-01").exit_code == 0
    res = run("remove", KEY, "--corpus", str(corpus), "--out", str(tmp_path / "c"))
    assert res.exit_code == 0 and not (corpus / "1157-ru-2025-06-01.txt").exists()
    res = run("remove", "nothing.txt", "--corpus", str(corpus), "--out", str(tmp_path / "c"))
    assert res.exit_code == 2 and "not in the corpus" in res.stderr


def test_manifest_entry_outside_the_corpus_is_refused(corpus, tmp_path):
    (tmp_path / "x").write_text("secret", encoding="utf-8")
    data = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    data["documents"][0]["file"] = "../x"
    (corpus / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ManifestError) as e:
        corpus_mod.load(corpus)
    assert e.value.place == "documents[0]" and "plain file name" in e.value.message
    res = run("build", "--corpus", str(corpus), "--out", str(tmp_path / "c"))
    assert res.exit_code == 2 and "plain file name" in res.stderr


def test_add_finishes_a_run_killed_between_copy_and_manifest(corpus, tmp_path):
    src = amended(tmp_path)
    shutil.copyfile(src, corpus / "1157-ru-2025-06-01.txt")  # what the killed run had done
    res = add(src, corpus, tmp_path, "--edition", "2025-06-01")
    assert res.exit_code == 0, res.output
    assert "interrupted run" in res.stderr
    assert corpus_mod.load(corpus).entries[-1].file == "1157-ru-2025-06-01.txt"


def test_add_refuses_a_different_unlisted_file_saying_what_to_do(corpus, tmp_path):
    (corpus / "1157-ru-2025-06-01.txt").write_text("half a copy", encoding="utf-8")
    res = add(amended(tmp_path), corpus, tmp_path, "--edition", "2025-06-01")
    assert res.exit_code == 2 and "not in the manifest" in res.stderr and "delete it and run again" in res.stderr


def test_add_retry_after_a_killed_rebuild_says_run_build(corpus, tmp_path, monkeypatch):
    src = amended(tmp_path)

    def killed(*a, **k):
        raise KeyboardInterrupt  # the run dies after the manifest was written, during the rebuild

    monkeypatch.setattr("legalkpi.catalogue.catalog.build", killed)
    assert add(src, corpus, tmp_path, "--edition", "2025-06-01").exit_code == 130
    monkeypatch.undo()
    res = add(src, corpus, tmp_path, "--edition", "2025-06-01")
    assert res.exit_code == 2 and "run `legalkpi build`" in res.stderr
    assert run("build", "--corpus", str(corpus), "--out", str(tmp_path / "c")).exit_code == 0
    keys = [v["key"] for v in json.loads((tmp_path / "c" / "catalog.json").read_text(encoding="utf-8"))["versions"]]
    assert KEY in keys


def test_temp_files_of_killed_runs_are_removed(corpus, tmp_path):
    out = tmp_path / "c"
    out.mkdir()
    stale = [corpus / ".manifest.json.k2j4_x9a", corpus / ".1157-ru-2025-06-01.txt.abcdefgh",
             out / ".catalog.sqlite.q1w2e3r4", out / ".catalog.sqlite.q1w2e3r4-journal"]  # fmt: skip
    for p in stale:
        p.write_text("left by kill -9", encoding="utf-8")
    keep = corpus / ".notes.txt"
    keep.write_text("mine", encoding="utf-8")
    assert run("build", "--corpus", str(corpus), "--out", str(out)).exit_code == 0
    assert not any(p.exists() for p in stale) and keep.exists()


def test_lock_held_by_another_run_waits_then_says_busy(corpus):
    with corpus_lock(corpus):
        with pytest.raises(CorpusBusy) as e:
            with corpus_lock(corpus, wait=0.2):
                pass
    assert "wait for it to finish" in e.value.message
    with corpus_lock(corpus, wait=0.2):  # released: the next run goes on
        pass


def _spawn_add(src: Path, corpus: Path, out: Path, edition: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "legalkpi", "add", str(src), "--corpus", str(corpus), "--out", str(out),
         "--edition", edition, "--format", "json"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_two_adds_at_once_one_killed_midway(corpus, tmp_path):
    out = tmp_path / "c"
    a = amended(tmp_path, "99,8", "a.txt")
    b = amended(tmp_path, "99,9", "b.txt")
    pa = _spawn_add(a, corpus, out, "2025-06-01")
    pb = _spawn_add(b, corpus, out, "2025-07-01")
    time.sleep(2.0)  # both started; one holds the lock and works, the other waits for it
    pb.send_signal(signal.SIGKILL)
    pb.wait()
    _, err = pa.communicate(timeout=600)
    assert pa.returncode == 0, err
    # The survivor is in; the manifest is whole JSON; nothing the manifest does not list blocks a retry.
    files = [e.file for e in corpus_mod.load(corpus).entries]
    assert "1157-ru-2025-06-01.txt" in files and len(files) == len(set(files))
    retry = _spawn_add(b, corpus, out, "2025-07-01")
    _, err = retry.communicate(timeout=600)
    if retry.returncode != 0:  # the kill fell after the manifest write: the retry says what to run
        assert retry.returncode == 2 and "run `legalkpi build`" in err, err
        assert subprocess.run([sys.executable, "-m", "legalkpi", "build", "--corpus", str(corpus), "--out", str(out)],
                              cwd=ROOT, capture_output=True).returncode == 0  # fmt: skip
    entries = corpus_mod.load(corpus).entries
    assert [e.file for e in entries].count("1157-ru-2025-07-01.txt") == 1
    for e in entries:
        corpus_mod.verify(corpus_mod.load(corpus), e)  # every listed file is there, byte for byte
    assert not [p.name for p in corpus.iterdir() if p.name.startswith(".")]
    keys = {v["key"] for v in json.loads((out / "catalog.json").read_text(encoding="utf-8"))["versions"]}
    assert {KEY, "kz/resolution/1157@2025-07-01/ru"} <= keys


def test_remove_from_python(corpus, tmp_path):
    import legalkpi

    src = amended(tmp_path)
    done = legalkpi.add_and_rebuild(src, corpus, tmp_path / "c", {"edition": "2025-06-01"})
    assert done.entry.file == "1157-ru-2025-06-01.txt" and done.catalog.version(KEY) is not None
    done = legalkpi.remove_and_rebuild(KEY, corpus, tmp_path / "c")
    assert done.entry.file == "1157-ru-2025-06-01.txt" and done.catalog.version(KEY) is None
