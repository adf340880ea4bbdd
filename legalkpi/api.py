"""The library's front door: read a file into the model, with the act it is.

The CLI and other tools call these; they never pick readers or interpreters themselves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from legalkpi.catalogue import corpus as corpus_mod
from legalkpi.errors import DEFAULT_LIMITS, Limits, NotAnIndicatorAct
from legalkpi.model import Act, ActRecord
from parsers import read_document
from parsers.grid import Document

if TYPE_CHECKING:
    from legalkpi.checking.checks import CheckResult
    from legalkpi.checking.score import ScoreResult

_REPORT_TITLE = re.compile(r"отч[её]т\s+по\s+достижению", re.IGNORECASE)


@dataclass
class Loaded:
    """A file read into the grid, with what it is and which act it holds."""

    doc: Document
    content: str  # "kpi-act" | "kpi-report" | "rules"
    act: Act | None
    entry: corpus_mod.Entry | None = None


def classify(doc: Document) -> str:
    """What a document holds, from the structure of its tables: an indicator act has a header
    naming the indicators over columns of yearly targets; an achievement report a header with
    numerator/denominator columns; anything else is rules. Words inside formulas or other
    cells never decide."""
    from parsers.header import is_report_header, names_indicators

    headers = [r for r in doc.rows()[:2000] if names_indicators(r)]
    if any(is_report_header(r) for r in headers):
        return "kpi-report"
    if headers:
        return "kpi-act"
    head = " ".join(p.text for p in doc.paragraphs()[:3])
    if _REPORT_TITLE.search(head):
        return "kpi-report"
    return "rules"


def act_of(doc: Document, entry: corpus_mod.Entry | None) -> Act | None:
    """The act a document holds: from the manifest when it is a corpus file, else from its text."""
    if entry is not None:
        act = entry.act()
        act.source = None
        return act
    try:
        from legalkpi.reading.structure import act_from_text
    except ImportError:  # pragma: no cover - structure reading is optional for extraction
        return None
    return act_from_text(doc)


def load(path: str | Path, *, corpus_root: str | Path | None = None, limits: Limits = DEFAULT_LIMITS) -> Loaded:
    """Read a file; a corpus file takes its act from the manifest. Kazakh PDF text is mended with the
    vocabulary shipped with the package, so the result does not depend on the current folder."""
    p = Path(path)
    entry = None
    if corpus_root is not None and Path(corpus_root, corpus_mod.MANIFEST_NAME).is_file():
        entry = corpus_mod.load(corpus_root).find(p)
    doc = read_document(p, limits=limits)
    return Loaded(doc=doc, content=classify(doc), act=act_of(doc, entry), entry=entry)


def extract_loaded(loaded: Loaded) -> ActRecord:
    from legalkpi.reading.extract import extract

    if loaded.content == "kpi-report":
        raise NotAnIndicatorAct(
            "this is an achievement report, not an act with indicator tables: read it with `legalkpi score`",
            file=loaded.doc.file,
        )
    return extract(loaded.doc, loaded.act)


def extract_file(path: str | Path, *, corpus_root: str | Path | None = None, limits: Limits = DEFAULT_LIMITS) -> ActRecord:
    return extract_loaded(load(path, corpus_root=corpus_root, limits=limits))


def check_file(
    path: str | Path,
    *,
    other: str | Path | None = None,
    config: str | Path | None = None,
    corpus_root: str | Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> CheckResult:
    """The rules inside one act (and, with ``other``, against its other-language text).

    ``config`` is a TOML file with a ``[check]`` table (ignored codes, ``fail_on``); without it
    ``./legalkpi-check.toml`` is used when present.
    """
    from legalkpi.checking.checkconfig import default_config, load_config
    from legalkpi.checking.checks import check

    cfg = load_config(config) if config is not None else default_config()
    record = extract_file(path, corpus_root=corpus_root, limits=limits)
    other_record = extract_file(other, corpus_root=corpus_root, limits=limits) if other is not None else None
    result = check(record, other_record, cfg.silencer)
    result.fail_on = cfg.fail_on
    return result


def score_file(path: str | Path, *, rounding: str = "auto", limits: Limits = DEFAULT_LIMITS) -> ScoreResult:
    """Read a quarterly achievement report and recompute Z, W, R and the ranking.

    ``rounding``: "auto" finds the authors' convention from the rows; "round" or "truncate" force one.
    """
    from legalkpi.checking.score import convention_named, score
    from legalkpi.reading.report import read_report

    return score(read_report(read_document(path, limits=limits)), convention_named(rounding))
