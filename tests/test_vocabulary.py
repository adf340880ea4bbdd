"""The Kazakh split-word vocabulary is shipped with the package: the same file reads the same anywhere.

Before, the vocabulary was learnt at every read from the Kazakh texts of whatever corpus/ folder the
current directory held, so `legalkpi extract` of one file gave different words in different folders.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from parsers.words import shipped

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def _extract(cwd: Path, file: Path) -> bytes:
    proc = subprocess.run(
        [sys.executable, "-m", "legalkpi", "extract", str(file), "--format", "json"], cwd=cwd, capture_output=True
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def test_kazakh_pdf_text_extracts_the_same_from_any_directory(tmp_path):
    """One folder has a corpus/ with another Kazakh text (what the old reader learnt words from), the
    other has nothing: the JSON is byte-identical, and its words are mended ("реинжинирингін")."""
    file = tmp_path / "act.txt"
    shutil.copy(CORPUS / "1157-kk.txt", file)
    with_corpus = tmp_path / "a"
    (with_corpus / "corpus").mkdir(parents=True)
    src = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    only_124 = [d for d in src["documents"] if d["file"] == "124-kk-consolidated-151.txt"]
    shutil.copy(CORPUS / "124-kk-consolidated-151.txt", with_corpus / "corpus")
    (with_corpus / "corpus" / "manifest.json").write_text(
        json.dumps({"version": 1, "documents": only_124}, ensure_ascii=False), encoding="utf-8"
    )
    empty = tmp_path / "b"
    empty.mkdir()
    a, b = _extract(with_corpus, file), _extract(empty, file)
    assert a == b
    assert "бизнес-процестердің реинжинирингін жүргізу" in a.decode()


def test_shipped_vocabulary_is_current_and_from_the_corpus():
    proc = subprocess.run([sys.executable, "scripts/make_kk_vocabulary.py", "--check"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads((ROOT / "parsers" / "data" / "kk_vocabulary.json").read_text(encoding="utf-8"))
    assert [s["file"] for s in data["sources"]] == ["1157-kk.txt", "124-kk-consolidated-151.txt"]
    vocab = shipped()
    assert vocab.count("және") > 50
    assert vocab.count("мониторингте") == 0  # only ever seen split ("мониторингте у"): a piece, not a word


def test_typo_of_the_corpus_does_not_glue_a_whole_word():
    # 1157-kk prints "органдеректерінің" once (a typo; Order 124 prints "орган деректерінің"): met once,
    # that joined form must not glue two real words of another text together.
    from parsers.words import repair_spacing, shipped

    text = "мемлекеттік орган деректерінің жалпы саны"
    assert repair_spacing(text, shipped()) == text
