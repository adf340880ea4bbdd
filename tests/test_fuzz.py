"""Fuzz suite: mutated texts, HTML, DOCX members and PDF pages through every reader and through
extract/check/score, and mutated records through align, diff and check. The property: records, or
a clean ``LegalKpiError`` — never another exception, never a hang.

Profiles (hypothesis): ``dev`` (default, quick), ``ci`` (chosen when CI=true: over 2,000 inputs in
all), ``fuzz`` (``make fuzz``: a long run). Every input that ever broke the property is kept in
``tests/fixtures/fuzz/`` and replayed by :func:`test_every_kept_input_still_survives`.
"""

from __future__ import annotations

import copy
import functools
import os
from pathlib import Path

import pytest
from fuzz_inputs import (
    CORPUS,
    DOCX_NASTY,
    FUZZ_FIXTURES,
    HTML_NASTY,
    NASTY,
    PDF_CONTENT,
    PDF_NASTY,
    PDF_PAGE,
    TEXTS,
    docx_bytes,
    kpi_document_xml,
    kpi_html,
    pdf_bytes,
    splice,
    splice_bytes,
    survives,
)
from hypothesis import HealthCheck, settings
from hypothesis import given as given_
from hypothesis import strategies as st

# One example is one input; the counts per test add up to the profile's total (ci: 2,050).
COUNTS = {
    "dev": {"text": 120, "html": 40, "docx": 40, "pdf": 20, "check": 40, "align": 5, "diff": 5},
    "ci": {"text": 900, "html": 350, "docx": 350, "pdf": 150, "check": 200, "align": 25, "diff": 25},
    "fuzz": {"text": 20000, "html": 5000, "docx": 5000, "pdf": 2000, "check": 3000, "align": 500, "diff": 500},
}
PROFILE = os.environ.get("LEGALKPI_FUZZ") or ("ci" if os.environ.get("CI") == "true" else "dev")
# deadline: a hang guard only (a run that used to hang took minutes), generous for a loaded machine.
for _name in COUNTS:
    settings.register_profile(
        f"legalkpi-{_name}",
        deadline=60_000,
        derandomize=_name != "fuzz",  # CI runs the same inputs every time; the long run explores
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        print_blob=True,
    )


RAN: dict[str, int] = {}  # inputs run per kind in this session


def given(kind: str, *args, **kwargs):  # type: ignore[no-untyped-def]
    """hypothesis.given with this suite's profile and the number of inputs for ``kind`` (counted)."""

    def wrap(fn):  # type: ignore[no-untyped-def]
        @functools.wraps(fn)
        def counted(*a, **k):  # type: ignore[no-untyped-def]
            RAN[kind] = RAN.get(kind, 0) + 1
            return fn(*a, **k)

        return settings(settings.get_profile(f"legalkpi-{PROFILE}"), max_examples=COUNTS[PROFILE][kind])(
            given_(*args, **kwargs)(counted)
        )

    return wrap


@pytest.fixture(scope="module", autouse=True)
def _one_vocabulary():
    """The PDF-text reader learns its split-word vocabulary from each text with spaCy (a quarter of a
    second); the fuzz inputs share the one learnt from the corpus, so the budget goes to inputs."""
    import parsers.pdftext as pdftext
    from parsers.words import vocabulary_for

    vocab = vocabulary_for([(CORPUS / "1157-kk.txt").read_text(encoding="utf-8")])
    real = pdftext.vocabulary_for
    pdftext.vocabulary_for = lambda texts: vocab  # type: ignore[assignment]
    yield
    pdftext.vocabulary_for = real  # type: ignore[assignment]


_LINES = {name: (CORPUS / name).read_text(encoding="utf-8").split("\n") for name in TEXTS}
_where = st.floats(min_value=0, max_value=1, allow_nan=False)
_cut = st.floats(min_value=0, max_value=3, allow_nan=False)
_junk = st.text(max_size=12)


def _edits(pool: list[str]):  # type: ignore[no-untyped-def]
    return st.lists(st.tuples(_where, _cut, st.one_of(st.sampled_from(pool), _junk)), max_size=6)


@st.composite
def corpus_windows(draw):  # type: ignore[no-untyped-def]
    """A window of a corpus text (with some of its head, where titles and headers are), mutated."""
    name = draw(st.sampled_from(TEXTS))
    lines = _LINES[name]
    head = draw(st.integers(0, 60))
    start = draw(st.integers(0, len(lines) - 1))
    size = draw(st.integers(1, 150))
    text = "\n".join(lines[:head] + lines[start : start + size])
    text = splice(text, draw(_edits(NASTY)))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "cp1251"]))
    return text.encode(encoding, errors="replace"), name


@given("text", corpus_windows())
def test_fuzz_text_readers(case):
    data, name = case
    survives(data, name)


@given("html", _edits(HTML_NASTY + NASTY), st.sampled_from(["utf-8", "cp1251", "hex", "undefined", "koi8-r"]))
def test_fuzz_html(edits, charset):
    html = splice(kpi_html(charset=charset), edits)
    survives(html.encode("utf-8", errors="replace"), "act.html")


@given("docx", _edits(DOCX_NASTY + NASTY), st.lists(st.tuples(_where, st.binary(max_size=4)), max_size=2),
       st.sampled_from(["word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels", "docProps/core.xml"]))  # fmt: skip
def test_fuzz_docx_members(edits, flips, member):
    xml = splice(kpi_document_xml(), edits)
    members = {} if member == "word/document.xml" else {member: splice(kpi_document_xml(), edits).encode()}
    data = docx_bytes(xml if member == "word/document.xml" else kpi_document_xml(), members)
    for where, junk in flips:  # damaged bytes anywhere in the package (deflate data, headers)
        i = int(where * (len(data) - 1))
        data = data[:i] + junk + data[i + len(junk) :]
    survives(data, "act.docx")


@given("pdf", st.lists(st.tuples(_where, _cut, st.sampled_from(PDF_NASTY)), max_size=4),
       st.lists(st.tuples(_where, _cut, st.sampled_from(PDF_NASTY)), max_size=4))  # fmt: skip
def test_fuzz_pdf_pages(page_edits, content_edits):
    survives(pdf_bytes(splice_bytes(PDF_PAGE, page_edits), splice_bytes(PDF_CONTENT, content_edits)), "act.pdf")


# ---- records through align, diff and check ---------------------------------------------------------------


@pytest.fixture(scope="module")
def records():
    from legalkpi.api import extract_file

    return extract_file(CORPUS / "1157-ru.txt", corpus_root=CORPUS), extract_file(CORPUS / "1157-kk.txt", corpus_root=CORPUS)


_value_text = st.one_of(st.sampled_from(NASTY), _junk)


@st.composite
def record_edits(draw):  # type: ignore[no-untyped-def]
    """Which rows to keep and what to write into names, units and values."""
    keep = draw(st.lists(st.integers(0, 200), min_size=0, max_size=8))
    fields = draw(st.lists(st.tuples(st.integers(0, 200), st.sampled_from(["name", "unit", "target", "weight", "number"]),
                                     _value_text, st.floats(allow_nan=True, allow_infinity=True)), max_size=6))  # fmt: skip
    return keep, fields


def _mutated(record, edits):  # type: ignore[no-untyped-def]
    keep, fields = edits
    r = copy.copy(record)  # the record's own fields are shared; the rows changed below are copies
    chosen = [r.indicators[k % len(r.indicators)] for k in sorted(set(keep))] if keep else []
    r.indicators = [copy.deepcopy(i) for i in chosen]
    for k, field, text, number in fields:
        if not r.indicators:
            break
        ind = r.indicators[k % len(r.indicators)]
        if field in ("name", "unit"):
            setattr(ind, field, text)
        elif field == "number":
            ind.number = int(number) if number == number and abs(number) < 1e12 else ind.number
        elif ind.values:
            v = ind.values[k % len(ind.values)]
            if field == "target":
                v.target, v.target_text = number, text
            else:
                v.weight, v.weight_text = number, text
    return r


def _clean(fn):  # type: ignore[no-untyped-def]
    from legalkpi.errors import LegalKpiError

    try:
        return fn()
    except LegalKpiError:
        return None


@given("check", record_edits())
def test_fuzz_check_records(records, edits):
    from legalkpi.checking.checks import check
    from legalkpi.jsonio import dumps

    ru, kk = records
    result = _clean(lambda: check(_mutated(ru, edits), _mutated(kk, edits)))
    if result is not None:
        dumps(result.to_dict())  # valid JSON whatever the numbers (no Infinity, no NaN)


@given("align", record_edits(), record_edits())
def test_fuzz_align_records(records, ru_edits, kk_edits):
    from legalkpi.comparing.align import align_records
    from legalkpi.jsonio import dumps

    ru, kk = records
    al = _clean(lambda: align_records(_mutated(ru, ru_edits), _mutated(kk, kk_edits)))
    if al is not None:
        dumps(al.to_dict())


@given("diff", record_edits(), record_edits())
def test_fuzz_diff_records(records, old_edits, new_edits):
    from legalkpi.comparing.diff import diff_records, to_markdown
    from legalkpi.jsonio import dumps

    ru, _ = records
    result = _clean(lambda: diff_records(_mutated(ru, old_edits), _mutated(ru, new_edits)))
    if result is not None:
        dumps(result.to_dict())
        to_markdown(result)


# ---- every input that ever failed ----------------------------------------------------------------------


def _kept() -> list[Path]:
    return sorted(p for p in FUZZ_FIXTURES.iterdir() if p.is_file() and p.suffix != ".py") if FUZZ_FIXTURES.is_dir() else []


def test_kept_inputs_are_there():
    assert len(_kept()) >= 10  # the inputs the first fuzz run and the newcomer found


@pytest.mark.parametrize("path", _kept(), ids=lambda p: p.name)
def test_every_kept_input_still_survives(path: Path):
    survives(path.read_bytes(), path.name)


def test_zz_the_profile_ran_its_inputs():
    """Run last (file order): when every fuzz test ran, the inputs add up to the profile's count."""
    if set(RAN) != set(COUNTS[PROFILE]):
        pytest.skip("only some fuzz tests were selected")
    assert sum(RAN.values()) >= sum(COUNTS[PROFILE].values()), RAN
