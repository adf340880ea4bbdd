"""Bad input ends with one clear line naming the file and place, exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "legalkpi", *args], capture_output=True, text=True, cwd=cwd)


def one_error_line(proc: subprocess.CompletedProcess[str], path: Path) -> str:
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(path) in lines[0]
    return lines[0]


def test_empty_file(tmp_path):
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    assert "file is empty" in one_error_line(run_cli("extract", str(f)), f)


def test_binary_file(tmp_path):
    f = tmp_path / "blob.txt"
    f.write_bytes(bytes(range(256)) * 40)
    assert "binary" in one_error_line(run_cli("extract", str(f)), f)


def test_unknown_layout(tmp_path):
    f = tmp_path / "letter.txt"
    f.write_text("Dear colleagues,\nplease find the figures attached.\n", encoding="utf-8")
    assert "no KPI table" in one_error_line(run_cli("extract", str(f)), f)


def test_undecodable_text(tmp_path):
    f = tmp_path / "mixed.txt"
    # Latin-1 bytes that are neither UTF-8 nor Cyrillic cp1251 text.
    f.write_bytes("\tцифровой\n".encode() + b"\xe9t\xe9 \xe0 la plage \xfc\xfc\xfc " * 50)
    line = one_error_line(run_cli("extract", str(f)), f)
    assert "undecodable" in line and "line 2" in line


def test_table_cut_short(tmp_path, corpus_dir):
    text = (corpus_dir / "1157-ru.txt").read_text(encoding="utf-8")
    # Cut inside Agriculture row 1 of the sector table (after its unit cell).
    cut = text[: text.index("ед.", text.index("1. Министерство сельского хозяйства")) + 4]
    f = tmp_path / "cut.txt"
    f.write_text(cut, encoding="utf-8")
    line = one_error_line(run_cli("extract", str(f)), f)
    assert "table cut short" in line and "line 481" in line


def test_missing_file(tmp_path):
    f = tmp_path / "nope.txt"
    assert "cannot read" in one_error_line(run_cli("extract", str(f)), f)


def test_report_is_not_an_act(corpus_dir):
    f = corpus_dir / "report-2024q1-ru.txt"
    proc = run_cli("extract", str(f))
    assert "achievement report" in one_error_line(proc, f)


@pytest.mark.parametrize("encoding", ["cp1251", "utf-16"])
def test_legacy_encodings_are_read_and_recorded(tmp_path, corpus_dir, encoding):
    from legalkpi.api import extract_file

    text = (corpus_dir / "1157-ru.txt").read_text(encoding="utf-8")
    f = tmp_path / f"1157-{encoding}.txt"
    f.write_bytes(text.encode(encoding, errors="replace"))
    rec = extract_file(f)
    assert rec.encoding == encoding
    assert len(rec.indicators) == 109
    assert rec.indicators[1].values[0].target == 99.74


def test_hash_mismatch_is_refused(tmp_path, corpus_dir):
    import shutil

    shutil.copytree(corpus_dir, tmp_path / "corpus")
    f = tmp_path / "corpus" / "1157-ru.txt"
    f.write_bytes(f.read_bytes().replace(b"99,74", b"99,75"))
    proc = run_cli("build", "--corpus", str(tmp_path / "corpus"), "--out", str(tmp_path / "out"))
    line = one_error_line(proc, f)
    assert "SHA-256" in line
    assert not (tmp_path / "out" / "catalog.sqlite").exists()


def test_legacy_doc_or_encrypted_office_file(tmp_path):
    f = tmp_path / "act.doc"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Word.Document.8" * 10)
    assert "legacy .doc or encrypted Office file" in one_error_line(run_cli("extract", str(f)), f)
