"""The matcher's fast paths give exactly what the plain computations give (tests/match_reference.py:
the code as it stood before them, and one rapidfuzz call per pair), on generated Cyrillic, Kazakh
and Latin names and rows: the same scores to the bit, the same pairs, the same evidence."""

from __future__ import annotations

import match_reference as ref
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, process

from legalkpi.comparing import glossary as gl
from legalkpi.comparing import match as mt
from legalkpi.model import Criterion, Formula, Indicator, PartRef, SectionRef, YearValue

# Words that recur (so that name sets overlap, nest and nearly reach the thresholds), and letters
# of all three scripts, digits, punctuation and the kinds of space a PDF or a converter leaves.
WORDS = ["доля", "количество", "услуг", "электронных", "государственных", "цифровых", "ақпараттық", "жүйесі",
         "қызметтер", "үлесі", "eGov", "KazLLM", "ИИ", "ЖИ", "2025", "15,5", "и", "в", "по", "мен", "Ұлттық"]  # fmt: skip
LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіАБВЁӘҒҚҢӨҰҮҺІabcxyzABCXYZ0123456789"
OTHER = " \t\n\u00a0\u2009\u3000-–—.,;:()«»\"'/_"

word = st.one_of(st.sampled_from(WORDS), st.text(alphabet=LETTERS, min_size=1, max_size=9))
name = st.lists(st.one_of(word, st.text(alphabet=OTHER, min_size=1, max_size=2)), max_size=14).map(" ".join)
names = st.lists(name, min_size=0, max_size=14)
cutoffs = st.one_of(st.sampled_from([0.0, 65.0, 90.0, 100.0]), st.floats(min_value=0.5, max_value=100.0))


@settings(max_examples=300, deadline=None)
@given(a=names, b=names, cutoff=cutoffs)
def test_name_matrix_equals_one_rapidfuzz_call_per_pair(a, b, cutoff):
    want_score, want_tie = ref.name_matrix(a, b, cutoff)
    for bound_from in (0, mt.BOUND_FROM):  # the bound path forced, and as the matcher chooses
        na, nb = [mt.normalise_name(x) for x in a], [mt.normalise_name(x) for x in b]
        got = mt.token_set_matrix(na, nb, cutoff, bound_from=bound_from)
        assert got.tobytes() == want_score.tobytes()
    score, tie = mt.name_matrix(a, b, cutoff)
    assert score.tobytes() == want_score.tobytes() and tie.tobytes() == want_tie.tobytes()
    if a and b:  # the bulk call the matcher made before gives the same too
        na, nb = [mt.normalise_name(x) for x in a], [mt.normalise_name(x) for x in b]
        bulk = process.cdist(na, nb, scorer=fuzz.token_set_ratio, dtype=np.float64, score_cutoff=cutoff or None)
        assert score.tobytes() == bulk.tobytes()


@settings(max_examples=300, deadline=None)
@given(a=names, b=names)
def test_token_set_bound_is_never_under_the_score(a, b):
    na, nb = [mt.normalise_name(x) for x in a], [mt.normalise_name(x) for x in b]
    bound = mt.token_set_bound(na, nb, 0.0)
    for i, x in enumerate(na):
        for j, y in enumerate(nb):
            assert bound[i, j] >= fuzz.token_set_ratio(x, y) - 1e-9, (x, y)


def test_token_set_bound_by_hand():
    # Disjoint words of lengths 3 and 3 sharing no letter: the score is 0 and the bound is 0.
    assert mt.token_set_bound(["abc"], ["xyz"], 0.0)[0, 0] == 0.0
    # One set inside the other: 100; an empty name: 0.
    assert mt.token_set_bound(["доля услуг"], ["услуг"], 0.0)[0, 0] == 100.0
    assert mt.token_set_bound([""], ["услуг"], 0.0)[0, 0] == 0.0
    # "abcd" and "abce": 3 letters of 4 in common at most, 2·3/8 = 75.
    assert mt.token_set_bound(["abcd"], ["abce"], 0.0)[0, 0] == 75.0 == fuzz.token_set_ratio("abcd", "abce")


text = st.lists(st.one_of(word, st.text(alphabet=LETTERS + OTHER + "мое", max_size=12)), max_size=20).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(t=text)
def test_latin_names_and_numbers_cached_equal_the_plain_regexes(t):
    assert gl.latin_set(t) == ref.latin_names(t) == gl.latin_names(t)
    assert gl.latin_set(t) == gl.latin_set(t)  # a second time, from the cache
    assert gl.number_set(t) == ref.numbers(t) == gl.numbers(t)


def test_latin_names_by_hand():
    assert gl.latin_set("ИС «eGov» и KazLLM (QazTECH); x-ray, PACS.") == {"egov", "kazllm", "qaztech", "x-ray", "pacs"}
    assert gl.latin_set("платформа Smartбаза") == {"smart"}  # a mixed word keeps its Latin skeleton
    assert gl.latin_set("Доля электронных услуг") == frozenset()


ties = st.sampled_from([0.0, 0.3, 0.5, 0.8, 1.0, 1.3, 2.1, -0.6, 1.2000000001])


@settings(max_examples=300, deadline=None)
@given(n=st.integers(0, 9), m=st.integers(0, 9), data=st.data())
def test_needleman_wunsch_loop_equals_the_numpy_pass(n, m, data):
    score = np.array(data.draw(st.lists(ties, min_size=n * m, max_size=n * m)), dtype=np.float64).reshape(n, m)
    want = ref.needleman_wunsch(score)
    assert mt._nw_loop(score, mt.GAP) == mt._nw_numpy(score, mt.GAP) == want == mt.needleman_wunsch(score)


@settings(max_examples=300, deadline=None)
@given(n=st.integers(1, 8), m=st.integers(1, 8), threshold=st.sampled_from([1.0, 65000.0, 0.0]), data=st.data())
def test_assign_without_the_solver_equals_the_solver(n, m, threshold, data):
    # Sparse scores: often no pair or pairs in distinct rows and columns (no solver), sometimes not.
    cells = st.one_of(st.just(0.0), st.just(0.5), st.sampled_from([threshold, threshold + 1.0, threshold + 0.25]))
    score = np.array(data.draw(st.lists(cells, min_size=n * m, max_size=n * m)), dtype=np.float64).reshape(n, m)
    assert mt.assign(score, threshold) == ref.assign(score, threshold)


SECTION = SectionRef(1, "Министерство")
PART = PartRef(1, "")
UNITS = ["percent", "count", "missing", "tenge"]
FORMULAS = ["ratio", "quantitative", "missing"]
ROW_WORDS = ["Доля", "услуг", "ИС", "АЖ", "eGov", "PACS", "Vetмobile", "15", "2,5", "2025", "камер", "ИИ", "ЖИ"]


@st.composite
def rows(draw, max_size: int = 7) -> list[Indicator]:
    out = []
    for k in range(draw(st.integers(0, max_size))):
        years = draw(st.lists(st.sampled_from([2024, 2025, 2026]), unique=True, max_size=3))
        values = [YearValue(y, draw(st.sampled_from([None, 0.0, 5.0, 10.0, 99.5])), "x", None) for y in years]
        crit = draw(st.sampled_from([[], [Criterion("a", 0.5), Criterion("b", 0.5)], [Criterion("a", 1.0)]]))
        words = draw(st.lists(st.sampled_from(ROW_WORDS), max_size=5))
        out.append(Indicator(
            id=f"s1-p1-n{k}", section=SECTION, part=PART, number=draw(st.sampled_from([None, 1, 2, 3, k + 1])),
            name=" ".join(words), unit="", unit_kind=draw(st.sampled_from(UNITS)), values=values,
            formula=Formula(draw(st.sampled_from(FORMULAS)), draw(st.sampled_from(["", "A/B", "ИИ eGov"]))), criteria=crit,
        ))  # fmt: skip
    return out


glossaries = st.sampled_from([gl.Glossary(), gl.Glossary(pairs={"ИИ": "ЖИ", "ИС": "АЖ", "PACS": "PACS"})])


@settings(max_examples=120, deadline=None)
@given(groups=st.lists(st.tuples(rows(), rows()), min_size=1, max_size=4), glossary=glossaries, same_act=st.booleans())
def test_sections_scored_in_one_pass_equal_each_scored_alone(groups, glossary, same_act):
    feats = [([mt.features(r) for r in a], [mt.features(r) for r in b]) for a, b in groups]
    got = mt.score_groups(feats, glossary, same_act)
    for (fa, fb), (total, content) in zip(feats, got, strict=True):
        want_total, want_content = ref.score_matrix(fa, fb, glossary, same_act)
        assert total.shape == want_total.shape and total.tobytes() == want_total.tobytes()
        assert content.tobytes() == want_content.tobytes()
        one_total, _ = mt.score_matrix(fa, fb, glossary, same_act)
        assert one_total.tobytes() == want_total.tobytes()


@settings(max_examples=120, deadline=None)
@given(groups=st.lists(st.tuples(rows(), rows()), min_size=1, max_size=4), glossary=glossaries, same_act=st.booleans())
def test_match_groups_equals_the_plain_matcher_section_by_section(groups, glossary, same_act):
    got = mt.match_groups(groups, glossary, same_act, {})
    for (a, b), m in zip(groups, got, strict=True):
        want = ref.match_rows(a, b, glossary, same_act)
        assert m == want
        assert [p.score.hex() for p in m.pairs] == [p.score.hex() for p in want.pairs]


@settings(max_examples=200, deadline=None)
@given(a=names, data=st.data(), threshold=st.sampled_from([0.0, 65.0, 90.0, 100.0]))
def test_match_names_equals_the_plain_assignment(a, data, threshold):
    # The same names (a section no edition touched: the shortcut), shuffled, cut or reworded.
    b = data.draw(st.one_of(st.just(list(a)), st.permutations(a), names, st.just(a[1:] + ["Доля услуг"])))
    assert mt.match_names(a, b, threshold) == ref.match_names(a, b, threshold)
    assert mt.match_names(a, list(a), threshold) == ref.match_names(a, list(a), threshold)


def test_match_names_same_names_pair_in_place():
    old = ["Доля электронных услуг", "Количество камер видеонаблюдения", "Үлесі"]
    assert mt.match_names(old, list(old), 65) == [(0, 0, 100.0), (1, 1, 100.0), (2, 2, 100.0)]
    twice = ["Доля услуг", "Доля услуг"]  # a name twice: no shortcut, the assignment decides
    assert mt.match_names(twice, list(twice), 65) == [(0, 0, 100.0), (1, 1, 100.0)]


def test_the_assignment_solver_is_scipys_own_without_its_optimisers():
    """match.linear_sum_assignment loads scipy's solver module alone: the very function
    scipy.optimize exports, and the same answers on matrices with ties (checked in a fresh process)."""
    import subprocess
    import sys

    code = (
        "import sys, numpy as np\n"
        "from legalkpi.comparing.match import linear_sum_assignment\n"
        "f = linear_sum_assignment()\n"
        "assert 'scipy.optimize' not in sys.modules\n"
        "import scipy.optimize\n"
        "assert f is scipy.optimize.linear_sum_assignment\n"
        "rng = np.random.default_rng(7)\n"
        "for _ in range(300):\n"
        "    n, m = rng.integers(1, 9, 2)\n"
        "    a = np.round(rng.random((n, m)) * 2, 0)\n"
        "    got, want = f(a, maximize=True), scipy.optimize.linear_sum_assignment(a, maximize=True)\n"
        "    assert all((x == y).all() for x, y in zip(got, want))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
