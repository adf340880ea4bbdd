"""Shared fixtures: the corpus documents, read once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


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
