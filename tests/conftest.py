"""Shared fixtures: the corpus documents, read once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The catalogue of corpus/ built once by `legalkpi build` in a fresh process (read-only for tests)."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("catalog")
    proc = subprocess.run(
        [sys.executable, "-m", "legalkpi", "build", "--corpus", str(CORPUS), "--out", str(out)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def ru1157():
    from legalkpi.api import extract_file

    return extract_file(CORPUS / "1157-ru.txt", corpus_root=CORPUS)


@pytest.fixture(scope="session")
def kk1157():
    from legalkpi.api import extract_file

    return extract_file(CORPUS / "1157-kk.txt", corpus_root=CORPUS)


@pytest.fixture(scope="session")
def kk124():
    from legalkpi.api import extract_file

    return extract_file(CORPUS / "124-kk-consolidated-151.txt", corpus_root=CORPUS)


def by_id(record, ident: str):
    return next(i for i in record.indicators if i.id == ident)
