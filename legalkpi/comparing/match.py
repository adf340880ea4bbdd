"""One matcher for ``align``, ``diff`` and stable ids: pair two lists of rows by content.

Each row's features (number, unit kind, targets per year, formula kind, Latin names, numbers,
criteria weights, normalised name) are computed once; every pair of every section of an act is
then scored in one bulk pass (numpy over flat arrays of pairs), never with features recomputed
per pair. Names are scored by rapidfuzz (``token_set_ratio``); with a threshold, an upper bound
of each pair's score (word and letter counts) first sets aside the pairs that cannot reach it.
Pairing runs in three steps:

1. **sequence alignment** (Needleman–Wunsch: a plain loop for a section, one numpy pass per row
   for large ones) pairs rows where the order holds, with gaps for rows that exist on one side only;
2. an in-order pair is undone when each of its rows has a clearly better partner by content
   elsewhere (a mutual best) — the sign of rows that crossed or moved;
3. an **assignment** (Hungarian, ``scipy.optimize.linear_sum_assignment`` on the evidence score)
   pairs the rows left over, so crossed and moved rows pair by content (when the candidates share
   no row and no column, they are the assignment, without the solver).

Every fast path gives exactly what the plain computation gives (tests/test_match_fast.py holds
them against it: tests/match_reference.py).

Each pair keeps its score and its evidence; pairs that break the order (not on the longest
in-order chain) are flagged ``crossed`` so callers report one ``order`` finding with both places.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from legalkpi.comparing import glossary as gl
from legalkpi.model import Indicator

GAP = -0.6  # cost of leaving a row unpaired; a pair must score above 2×GAP to beat two gaps
MIN_PAIR_SCORE = 1.0  # number and position alone (0.8) do not make a pair: some content must agree
REORDER_MARGIN = 0.5  # a content partner elsewhere must beat the in-order one by this much
MIN_CONTENT = 0.9  # least content score (without number and position) for a mutual best to count

FeatureCache = dict[int, "RowFeatures"]


@dataclass(frozen=True)
class RowFeatures:
    """What the evidence score reads of one row, computed once."""

    number: int | None
    unit_kind: str
    targets: dict[int, float | None]
    formula_kind: str
    latin: frozenset[str]
    numbers: frozenset[str]
    text: str
    criteria: tuple[float | None, ...]


@dataclass
class Match:
    a: int  # index into the first list
    b: int  # index into the second list
    score: float
    evidence: list[str]
    crossed: bool = False  # breaks the order of the two lists (reported as field "order")


@dataclass
class Matching:
    pairs: list[Match] = field(default_factory=list)
    only_a: list[int] = field(default_factory=list)
    only_b: list[int] = field(default_factory=list)


def row_text(i: Indicator) -> str:
    return f"{i.name}\n{i.formula.text}"


def features(i: Indicator, cache: FeatureCache | None = None) -> RowFeatures:
    if cache is not None and id(i) in cache:
        return cache[id(i)]
    text = row_text(i)
    f = RowFeatures(
        number=i.number,
        unit_kind=i.unit_kind,
        targets={v.year: v.target for v in i.values},
        formula_kind=i.formula.kind,
        latin=gl.latin_set(text),
        numbers=gl.number_set(i.name),
        text=text,
        criteria=tuple(c.weight for c in i.criteria),
    )
    if cache is not None:
        cache[id(i)] = f
    return f


# ---- bulk scores ------------------------------------------------------------------------------


def _eq_at(a: Sequence[Any], b: Sequence[Any], ia: np.ndarray, ib: np.ndarray, skip: Any = object()) -> np.ndarray:
    """Equality of the values of the pairs (``a[ia[k]]``, ``b[ib[k]]``); ``skip`` values equal nothing."""
    table: dict[Any, int] = {}
    ca = [-1 - k if v == skip else table.setdefault(v, len(table)) for k, v in enumerate(a)]
    cb = [-1 - len(a) - k if v == skip else table.setdefault(v, len(table)) for k, v in enumerate(b)]
    return np.array(ca, dtype=np.int64)[ia] == np.array(cb, dtype=np.int64)[ib]


_NO_NUMBER = -1e308  # a year printed without a number: equal to another such year


def _targets(rows: Sequence[RowFeatures], years: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(year printed, its target) per row and year."""
    shape = (len(rows), len(years))
    printed = np.array([[y in f.targets for y in years] for f in rows], dtype=bool).reshape(shape)
    value = [[f.targets.get(y) for y in years] for f in rows]
    target = np.array([[_NO_NUMBER if t is None else t for t in row] for row in value], dtype=np.float64).reshape(shape)
    return printed, target


def _set_cosine_at(
    a: Sequence[frozenset[str]], b: Sequence[frozenset[str]], ia: np.ndarray, ib: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cosine of token sets for the pairs (``a[ia[k]]``, ``b[ib[k]]``): (cosine, tokens in common)."""
    inter = _common_counts(a, b)[ia, ib]
    size = np.sqrt(np.array([len(s) for s in a], dtype=np.float64)[ia] * np.array([len(s) for s in b], dtype=np.float64)[ib])
    cos = np.divide(inter, size, out=np.zeros_like(inter), where=size > 0)
    return cos, inter


def _common_counts(a: Sequence[frozenset[str]], b: Sequence[frozenset[str]]) -> np.ndarray:
    """Tokens in common of every pair of sets (float64), through an index of ``b``'s tokens:
    the work is the number of tokens and of tokens in common, not rows × columns."""
    out = np.zeros((len(a), len(b)))
    where: dict[str, list[int]] = {}
    for j, s in enumerate(b):
        for t in s:
            where.setdefault(t, []).append(j)
    if not where:
        return out
    rows: list[int] = []
    cols: list[int] = []
    for i, s in enumerate(a):
        for t in s:
            js = where.get(t)
            if js:
                rows += [i] * len(js)
                cols += js
    np.add.at(out, (np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)), 1.0)
    return out


@lru_cache(maxsize=1 << 16)
def _has(short: str, text: str) -> bool:
    return gl.abbreviation_pattern(short).search(text) is not None


def score_matrix(
    fa: Sequence[RowFeatures], fb: Sequence[RowFeatures], glossary: gl.Glossary, same_act: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """(total, content) evidence scores of every pair: rows of ``fa`` against rows of ``fb``.

    Between the two texts of one act, row numbers and positions are strong evidence; between
    different acts (a diff across languages) rows are renumbered, so content must decide.
    """
    return score_groups([(fa, fb)], glossary, same_act)[0]


def score_groups(
    groups: Sequence[tuple[Sequence[RowFeatures], Sequence[RowFeatures]]], glossary: gl.Glossary, same_act: bool = True
) -> list[tuple[np.ndarray, np.ndarray]]:
    """:func:`score_matrix` of several (fa, fb) groups (the sections of one act) in one pass.

    Every pair of every group is one element of flat arrays: each score is made of the same
    float operations, in the same order, as for its group alone; only the number of numpy calls
    changes (one pass, not one per section). Positions are counted within each group.
    """
    rows_a = [f for fa, _ in groups for f in fa]
    rows_b = [f for _, fb in groups for f in fb]
    n_g = np.array([len(fa) for fa, _ in groups], dtype=np.int64)
    m_g = np.array([len(fb) for _, fb in groups], dtype=np.int64)
    cells = n_g * m_g
    total_cells = int(cells.sum())
    # Each cell (group g, local row li, local column lj), row-major within its group.
    g = np.repeat(np.arange(len(groups)), cells)
    local = np.arange(total_cells) - np.repeat(np.cumsum(cells) - cells, cells)
    width = np.maximum(m_g[g], 1)
    li, lj = local // width, local % width
    ia = np.repeat(np.cumsum(n_g) - n_g, cells) + li  # the cell's row in rows_a
    ib = np.repeat(np.cumsum(m_g) - m_g, cells) + lj
    structure = 1.0 if same_act else 0.2
    struct = 0.5 * structure * _eq_at([f.number for f in rows_a], [f.number for f in rows_b], ia, ib, skip=None)
    struct = struct + 0.3 * structure * (li == lj)
    content = 0.3 * _eq_at([f.unit_kind for f in rows_a], [f.unit_kind for f in rows_b], ia, ib, skip="missing")
    # Terms that are 0 for every pair are not added (adding +0.0 changes no sum: none is −0.0).
    years = sorted({y for f in (*rows_a, *rows_b) for y in f.targets})
    if years:
        pa, ta = _targets(rows_a, years)
        pb, tb = _targets(rows_b, years)
        both = pa[ia] & pb[ib]  # the year printed in both rows
        shared = both.sum(1, dtype=np.float64)
        same = (both & (ta[ia] == tb[ib])).sum(1, dtype=np.float64)
        content += 0.4 * np.divide(same, shared, out=np.zeros(total_cells), where=(shared > 0) & (same > 0))
    content += 0.2 * _eq_at([f.formula_kind for f in rows_a], [f.formula_kind for f in rows_b], ia, ib)
    if any(f.latin for f in rows_a) and any(f.latin for f in rows_b):
        cos, inter = _set_cosine_at([f.latin for f in rows_a], [f.latin for f in rows_b], ia, ib)
        both_latin = np.array([bool(f.latin) for f in rows_a])[ia] & np.array([bool(f.latin) for f in rows_b])[ib]
        content += np.where(inter > 0, 1.0 * cos, np.where(both_latin, -0.3, 0.0))
    if any(f.numbers for f in rows_a) and any(f.numbers for f in rows_b):
        cos, _ = _set_cosine_at([f.numbers for f in rows_a], [f.numbers for f in rows_b], ia, ib)
        content += 0.3 * cos
    abbr = [(x, y) for x, y in sorted(glossary.pairs.items()) if x != y]
    if abbr:
        ga = np.array([[_has(x, f.text) for x, _ in abbr] for f in rows_a], dtype=float).reshape(len(rows_a), len(abbr))
        gb = np.array([[_has(y, f.text) for _, y in abbr] for f in rows_b], dtype=float).reshape(len(rows_b), len(abbr))
        hits = (ga[ia] * gb[ib]).sum(1)  # whole numbers: exact in any order
        content += np.where(hits > 0, 0.4 * np.minimum(1.0, hits / np.maximum(1.0, ga.sum(1))[ia]), 0.0)
    if any(f.criteria for f in rows_a) and any(f.criteria for f in rows_b):
        content += 0.3 * _eq_at([f.criteria for f in rows_a], [f.criteria for f in rows_b], ia, ib, skip=())
    # Rounded: sums of the same weights in another order must compare equal with the thresholds.
    total, content = np.round(content + struct, 9), np.round(content, 9)
    ends = np.cumsum(cells).tolist()
    return [
        (total[end - c : end].reshape(n, m), content[end - c : end].reshape(n, m))
        for end, c, n, m in zip(ends, cells.tolist(), n_g.tolist(), m_g.tolist(), strict=True)
    ]


def evidence(a: RowFeatures, b: RowFeatures, glossary: gl.Glossary, position_gap: int, same_act: bool = True) -> list[str]:
    """Why two rows were paired, in words (computed for the chosen pairs only)."""
    ev = []
    if a.number == b.number and a.number is not None:
        ev.append(f"number {a.number}")
    if position_gap == 0:
        ev.append("same position")
    if a.unit_kind == b.unit_kind and a.unit_kind != "missing":
        ev.append(f"unit {a.unit_kind}")
    same = [y for y in sorted(set(a.targets) & set(b.targets)) if a.targets[y] == b.targets[y]]
    if same:
        ev.append("targets " + ",".join(str(y) for y in same))
    if a.formula_kind == b.formula_kind:
        ev.append(f"formula {a.formula_kind}")
    if a.latin & b.latin:
        ev.append("latin " + ",".join(sorted(a.latin & b.latin)))
    if a.numbers & b.numbers:
        ev.append("numbers " + ",".join(sorted(a.numbers & b.numbers)))
    shared = [f"{x}~{y}" for x, y in sorted(glossary.pairs.items()) if x != y and _has(x, a.text) and _has(y, b.text)]
    if shared:
        ev.append("abbr " + ",".join(shared))
    if a.criteria and a.criteria == b.criteria:
        ev.append("criteria weights")
    return ev


# ---- pairing ----------------------------------------------------------------------------------


NUMPY_NW_FROM = 2500  # cells from which the numpy pass beats the plain loop (timed in benchmarks/bench_ids.py)


def needleman_wunsch(score: np.ndarray, gap: float = GAP) -> list[tuple[int, int]]:
    """In-order pairs maximising the total score (gaps cost ``gap``).

    Small matrices (the usual section) go through a plain loop, larger ones one numpy pass per
    row; both make the same float operations in the same order, so they give the same pairs.
    """
    n, m = score.shape
    if n * m >= NUMPY_NW_FROM:
        return _nw_numpy(score, gap)
    return _nw_loop(score, gap)


def _nw_loop(score: np.ndarray, gap: float) -> list[tuple[int, int]]:
    n, m = score.shape
    steps = [gap * k for k in range(m + 1)]
    prev = list(steps)
    moves: list[list[int]] = []  # per row: 0 diagonal, 1 up, 2 left (index 0 unused)
    for i, row in enumerate(score.tolist(), start=1):
        best = gap * i
        here = [best]
        move = [1]
        run = best - steps[0]  # the best of a run of "left" moves, less its gaps
        for j in range(m):
            diag = prev[j] + row[j]
            up = prev[j + 1] + gap
            cand, came = (diag, 0) if diag >= up else (up, 1)  # ties: diagonal first (stable)
            run = max(run, cand - steps[j + 1])
            best = run + steps[j + 1]
            here.append(best)
            move.append(2 if best > cand + 1e-9 else came)
        moves.append(move)
        prev = here
    return _trace(lambda i, j: moves[i - 1][j], n, m)


def _nw_numpy(score: np.ndarray, gap: float) -> list[tuple[int, int]]:
    n, m = score.shape
    best = np.zeros((n + 1, m + 1))
    move = np.zeros((n + 1, m + 1), dtype=np.int8)  # 0 diagonal, 1 up, 2 left
    steps = np.arange(m + 1)
    best[0] = gap * steps
    move[0, 1:] = 2
    best[1:, 0] = gap * np.arange(1, n + 1)
    move[1:, 0] = 1
    for i in range(1, n + 1):
        diag = best[i - 1, :-1] + score[i - 1]
        up = best[i - 1, 1:] + gap
        cand = np.maximum(diag, up)
        came = np.where(diag >= up, 0, 1)  # ties: diagonal first (stable)
        # A run of "left" moves: best[i][j] = max over k <= j of cand[k] + gap·(j − k).
        run = np.maximum.accumulate(np.concatenate(([best[i, 0]], cand)) - gap * steps) + gap * steps
        best[i, 1:] = run[1:]
        move[i, 1:] = np.where(run[1:] > cand + 1e-9, 2, came)
    return _trace(lambda i, j: int(move[i, j]), n, m)


def _trace(move: Any, n: int, m: int) -> list[tuple[int, int]]:
    out = []
    i, j = n, m
    while i > 0 and j > 0:
        mv = move(i, j)
        if mv == 0:
            out.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif mv == 1:
            i -= 1
        else:
            j -= 1
    out.reverse()
    return out


def in_order(pairs: Sequence[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pairs on the longest chain increasing in both positions; the others crossed."""
    ordered = sorted(pairs)
    tails: list[int] = []  # index into ordered of the chain's last element, per length
    back = [-1] * len(ordered)
    keys: list[int] = []
    for k, (_, j) in enumerate(ordered):
        pos = bisect.bisect_left(keys, j)
        if pos > 0:
            back[k] = tails[pos - 1]
        if pos == len(keys):
            keys.append(j)
            tails.append(k)
        else:
            keys[pos] = j
            tails[pos] = k
    chain: set[tuple[int, int]] = set()
    k = tails[-1] if tails else -1
    while k >= 0:
        chain.add(ordered[k])
        k = back[k]
    return chain


@lru_cache(maxsize=1)
def linear_sum_assignment() -> Any:
    """scipy's ``linear_sum_assignment``, the one solver of assignments.

    ``scipy.optimize`` imports all of scipy's optimisers (about 50 MB and 0.8 s per process, in every
    worker that compares versions); the solver is one C extension module of it, loaded here on its
    own — the very function ``scipy.optimize`` exports, which a test checks. If that module is not
    where scipy keeps it, the public import is used.
    """
    import importlib.machinery
    import importlib.util
    import os

    try:
        scipy_spec = importlib.util.find_spec("scipy")
        folder = os.path.join(os.path.dirname(str(scipy_spec.origin)), "optimize") if scipy_spec else ""
        suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
        name = next(f for f in sorted(os.listdir(folder)) if f.startswith("_lsap.") and f.endswith(suffixes))
        loader = importlib.machinery.ExtensionFileLoader("scipy.optimize._lsap", os.path.join(folder, name))
        spec = importlib.util.spec_from_loader("scipy.optimize._lsap", loader)
        assert spec is not None
        module = importlib.util.module_from_spec(spec)
        loader.exec_module(module)
        return module.linear_sum_assignment
    except Exception:  # another scipy layout: the whole package
        from scipy.optimize import linear_sum_assignment as solver

        return solver


def assign(score: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Hungarian assignment maximising the total score; pairs below ``threshold`` are dropped.

    With a positive threshold, when the pairs that reach it share no row and no column, every
    optimal assignment holds all of them (each adds a positive score, the rest add 0): they are
    the answer, without the solver. Otherwise the solver runs on the whole matrix as before.
    """
    if score.size == 0:
        return []
    high = score >= threshold
    if threshold > 0:
        rows, cols = np.nonzero(high)
        if len(set(rows.tolist())) == len(rows) and len(set(cols.tolist())) == len(cols):
            return sorted(zip(rows.tolist(), cols.tolist(), strict=True))
    rows, cols = linear_sum_assignment()(np.where(high, score, 0.0), maximize=True)
    return sorted((int(r), int(c)) for r, c in zip(rows, cols, strict=True) if score[r, c] >= threshold)


def match_rows(
    a_rows: Sequence[Indicator],
    b_rows: Sequence[Indicator],
    glossary: gl.Glossary | None = None,
    same_act: bool = True,
    cache: FeatureCache | None = None,
) -> Matching:
    """Pair two row lists (one section of each side) by the evidence they share."""
    return match_groups([(a_rows, b_rows)], glossary, same_act, cache)[0]


def match_groups(
    groups: Sequence[tuple[Sequence[Indicator], Sequence[Indicator]]],
    glossary: gl.Glossary | None = None,
    same_act: bool = True,
    cache: FeatureCache | None = None,
) -> list[Matching]:
    """:func:`match_rows` of each (a rows, b rows) group, scored in one pass (:func:`score_groups`)."""
    glossary = glossary or gl.Glossary()
    feats = [([features(r, cache) for r in a], [features(r, cache) for r in b]) for a, b in groups]
    scores = score_groups(feats, glossary, same_act)
    return [_pair_rows(fa, fb, total, content, glossary, same_act) for (fa, fb), (total, content) in zip(feats, scores, strict=True)]


def _pair_rows(
    fa: Sequence[RowFeatures], fb: Sequence[RowFeatures], total: np.ndarray, content: np.ndarray, glossary: gl.Glossary, same_act: bool
) -> Matching:
    if not fa or not fb:  # one side empty: nothing to pair
        return Matching(only_a=list(range(len(fa))), only_b=list(range(len(fb))))
    pairs = {(i, j) for i, j in needleman_wunsch(total) if total[i, j] >= MIN_PAIR_SCORE}
    pairs -= _contradicted(pairs, content)
    by_assignment: set[tuple[int, int]] = set()
    left_a = sorted(set(range(len(fa))) - {i for i, _ in pairs})
    left_b = sorted(set(range(len(fb))) - {j for _, j in pairs})
    if left_a and left_b:
        sub = total[np.ix_(left_a, left_b)]
        by_assignment = {(left_a[i], left_b[j]) for i, j in assign(sub, MIN_PAIR_SCORE)}
        pairs |= by_assignment
    chain = in_order(sorted(pairs))
    out = Matching()
    for i, j in sorted(pairs):
        ev = evidence(fa[i], fb[j], glossary, abs(i - j), same_act)
        if (i, j) in by_assignment:
            ev.append("assignment")
        out.pairs.append(Match(i, j, float(total[i, j]), ev, crossed=(i, j) not in chain))
    out.only_a = sorted(set(range(len(fa))) - {p.a for p in out.pairs})
    out.only_b = sorted(set(range(len(fb))) - {p.b for p in out.pairs})
    return out


def _contradicted(pairs: set[tuple[int, int]], content: np.ndarray) -> set[tuple[int, int]]:
    """In-order pairs to undo: a row has a mutual best partner by content elsewhere, clearly better."""
    if content.size == 0:
        return set()
    by_a = dict(pairs)
    by_b = {j: i for i, j in pairs}
    best_b = content.argmax(1)
    best_a = content.argmax(0)
    undo: set[tuple[int, int]] = set()
    for i, j in enumerate(best_b):
        j = int(j)
        c = content[i, j]
        if int(best_a[j]) != i or by_a.get(i) == j or c < MIN_CONTENT:
            continue
        here = content[i, by_a[i]] if i in by_a else -np.inf
        there = content[by_b[j], j] if j in by_b else -np.inf
        if c >= here + REORDER_MARGIN and c >= there + REORDER_MARGIN:
            undo |= {(i, by_a[i])} if i in by_a else set()
            undo |= {(by_b[j], j)} if j in by_b else set()
    return undo


# ---- names in one language (diff, ids) -------------------------------------------------------

_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=65536)
def normalise_name(text: str) -> str:
    """Lower case, ё as е, punctuation as spaces: what name matching compares."""
    return " ".join(_NON_WORD.sub(" ", text.lower().replace("ё", "е")).split())


def name_matrix(a: Sequence[str], b: Sequence[str], cutoff: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """(token-set score, plain ratio) of every pair of names, 0–100, in bulk.

    Scores under ``cutoff`` come out as 0 (rapidfuzz skips the work); the ratio, a tie-breaker,
    is computed only where the token-set score reached the cutoff. With a cutoff, a bound on
    each pair's score (:func:`token_set_bound`) first sets aside the pairs that cannot reach it;
    rapidfuzz scores the others, so every score is the one rapidfuzz gives.
    """
    from rapidfuzz import fuzz

    na = [normalise_name(x) for x in a]
    nb = [normalise_name(x) for x in b]
    if not na or not nb:
        return np.zeros((len(na), len(nb))), np.zeros((len(na), len(nb)))
    score = token_set_matrix(na, nb, cutoff)
    tie = np.zeros_like(score)
    rows, cols = np.nonzero(score >= max(cutoff, 1e-9))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        tie[i, j] = fuzz.ratio(na[i], nb[j])
    return score, tie


BOUND_FROM = 256  # pairs in a matrix from which bounding first pays (below, rapidfuzz scores them all)
_BINS = 64  # letters counted modulo this: a coarser count still bounds the common letters from above
_SLACK = 1e-6  # a bound this close under the cutoff still counts as reaching it (float rounding)


def token_set_matrix(na: Sequence[str], nb: Sequence[str], cutoff: float = 0.0, bound_from: int = BOUND_FROM) -> np.ndarray:
    """``rapidfuzz.process.cdist(na, nb, scorer=fuzz.token_set_ratio, score_cutoff=cutoff)`` of
    normalised names, float64; pairs whose bound is under ``cutoff`` are 0 without being scored."""
    from rapidfuzz import fuzz, process

    n, m = len(na), len(nb)
    if not 0 < cutoff <= 100 or n * m < bound_from:
        return process.cdist(na, nb, scorer=fuzz.token_set_ratio, dtype=np.float64, score_cutoff=cutoff or None)
    rows, cols = np.nonzero(token_set_bound(na, nb, cutoff) >= cutoff - _SLACK)
    if len(rows) * 2 > n * m:  # most pairs may reach the cutoff: score them all
        return process.cdist(na, nb, scorer=fuzz.token_set_ratio, dtype=np.float64, score_cutoff=cutoff)
    score = np.zeros((n, m))
    if len(rows):
        qa, qb = [na[i] for i in rows.tolist()], [nb[j] for j in cols.tolist()]
        if hasattr(process, "cpdist"):  # rapidfuzz 3.6 and later: the pairs in one call
            score[rows, cols] = process.cpdist(qa, qb, scorer=fuzz.token_set_ratio, dtype=np.float64, score_cutoff=cutoff)
        else:
            score[rows, cols] = [fuzz.token_set_ratio(x, y, score_cutoff=cutoff) for x, y in zip(qa, qb, strict=True)]
    return score


# Words as numbers, shared by all names seen (cleared with the shapes that hold them when it grows large).
_WORD_IDS: dict[str, int] = {}
_MAX_WORDS = 1 << 20


@dataclass(frozen=True)
class _NameShape:
    words: np.ndarray  # ids of the distinct words
    widths: np.ndarray  # their letters
    letters: int  # letters of the distinct words
    bins: np.ndarray  # the same letters, counted per bin (code point modulo _BINS)


@lru_cache(maxsize=1 << 14)  # about 1 kB each: names are reused within a comparison and the next
def _shape(name: str) -> _NameShape:
    tokens = list(dict.fromkeys(name.split()))
    words = np.array([_WORD_IDS.setdefault(t, len(_WORD_IDS)) for t in tokens], dtype=np.int64)
    widths = np.array([len(t) for t in tokens], dtype=np.int64)
    codes = np.array([ord(c) % _BINS for t in tokens for c in t], dtype=np.int64)
    return _NameShape(words, widths, len(codes), np.bincount(codes, minlength=_BINS).astype(np.int32))


def _shared_words(a: Sequence[_NameShape], b: Sequence[_NameShape]) -> tuple[np.ndarray, np.ndarray]:
    """(words in common, their letters) of every pair of names: a sparse product, no BLAS.

    Each word of ``a`` meets the occurrences of the same word in ``b`` (sorted by word): the
    work is the number of word matches, not rows × columns × vocabulary. Whole numbers, int64.
    """
    n, m = len(a), len(b)
    words_a = np.concatenate([x.words for x in a])
    widths_a = np.concatenate([x.widths for x in a])
    words_b = np.concatenate([x.words for x in b])
    row_a = np.repeat(np.arange(n), [len(x.words) for x in a])
    row_b = np.repeat(np.arange(m), [len(x.words) for x in b])
    order = np.argsort(words_b, kind="stable")
    words_b, row_b = words_b[order], row_b[order]
    start = np.searchsorted(words_b, words_a, side="left")
    count = np.searchsorted(words_b, words_a, side="right") - start
    first = np.repeat(start - (np.cumsum(count) - count), count)  # index in b of each match, less its rank
    cell = np.repeat(row_a, count) * m + row_b[first + np.arange(int(count.sum()))]
    common = np.bincount(cell, minlength=n * m).reshape(n, m)
    letters = np.bincount(cell, weights=np.repeat(widths_a, count), minlength=n * m).astype(np.int64).reshape(n, m)
    return common, letters


def token_set_bound(na: Sequence[str], nb: Sequence[str], cutoff: float = 0.0) -> np.ndarray:
    """An upper bound of ``fuzz.token_set_ratio`` for every pair of normalised names (words split on spaces).

    rapidfuzz's score of token sets A and B, with I = A ∩ B, DA = A − B, DB = B − A and the
    sorted words of each joined by one space (lengths s, la, lb): 0 when A or B is empty; 100
    when I is not empty and DA or DB is; otherwise the best of
    ``100 − 100·indel(DA, DB)/(2s + 2[s>0] + la + lb)`` and, when s > 0,
    ``100 − 100·(1 + la)/(2s + 1 + la)`` (and the same with lb). The indel distance is
    ``la + lb − 2·LCS``, and the longest common subsequence is at most min(la, lb) and at most the
    letters DA and DB have in common (counted per bin: the letters of A and B in common less
    those of I) plus min(|DA|, |DB|) − 1 spaces. The letter count is made only for pairs the
    lengths alone do not rule out (under ``cutoff``); a pair ruled out keeps a bound under it.
    """
    if len(_WORD_IDS) > _MAX_WORDS:
        _WORD_IDS.clear()
        _shape.cache_clear()
    shapes_a = [_shape(x) for x in na]
    shapes_b = [_shape(x) for x in nb]
    n, m = len(na), len(nb)
    if n == 0 or m == 0:
        return np.zeros((n, m))
    common, common_letters = _shared_words(shapes_a, shapes_b)
    size_a = np.array([len(x.words) for x in shapes_a])[:, None]
    size_b = np.array([len(x.words) for x in shapes_b])[None, :]
    letters_a = np.array([x.letters for x in shapes_a])[:, None]
    letters_b = np.array([x.letters for x in shapes_b])[None, :]
    # Whole numbers (int64) up to here: exact.
    da, db = size_a - common, size_b - common
    la = letters_a - common_letters + da - 1  # joined length of DA (−1 when DA is empty)
    lb = letters_b - common_letters + db - 1
    shared = common > 0
    s = np.where(shared, common_letters + common - 1, 0)
    lensum = 2 * s + 2 * shared + la + lb
    sure = shared & ((da == 0) | (db == 0))  # one set holds the other: 100
    open_ = ~sure & (size_a > 0) & (size_b > 0)  # both sets have words of their own
    lcs = np.minimum(la, lb)
    with np.errstate(divide="ignore", invalid="ignore"):  # cells not open are not read
        first = _bound(lcs, la, lb, s, lensum, shared)
    bound = np.where(open_, first, np.where(sure, 100.0, 0.0))
    cell = np.flatnonzero(open_ & (first >= cutoff - _SLACK))  # to count letters for
    if len(cell):
        rows, cols = np.divmod(cell, m)
        hist_a = np.stack([x.bins for x in shapes_a])[rows]
        hist_b = np.stack([x.bins for x in shapes_b])[cols]
        both = np.minimum(hist_a, hist_b).sum(1, dtype=np.int64) - common_letters.ravel()[cell]
        spaces = np.minimum(da.ravel()[cell], db.ravel()[cell]) - 1
        at = [x.ravel()[cell] for x in (la, lb, s, lensum, shared)]
        lcs = np.minimum(lcs.ravel()[cell], both + spaces)
        np.put(bound, cell, _bound(lcs, *at))
    return bound


def _bound(lcs: np.ndarray, la: np.ndarray, lb: np.ndarray, s: np.ndarray, lensum: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """The bound of pairs whose sets both have words of their own (la, lb ≥ 1; lensum > 0)."""
    by_rest = 100 - 100 * (la + lb - 2 * lcs) / lensum
    by_ab = np.where(shared, 100 - 100 * (1 + la) / (2 * s + 1 + la), 0.0)
    by_ba = np.where(shared, 100 - 100 * (1 + lb) / (2 * s + 1 + lb), 0.0)
    return np.maximum(by_rest, np.maximum(by_ab, by_ba))


def match_names(a: Sequence[str], b: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs of names scoring at least ``threshold`` (token-set ratio), best total by assignment.

    Two lists of the same distinct names, in the same order (a section no edition touched), pair
    in place with score 100 without scoring: each such pair has the highest key there is (score
    100, ratio 100, no distance) and every other pair a lower one (a ratio under 100), so the
    assignment cannot choose otherwise.
    """
    na = [normalise_name(x) for x in a]
    if threshold <= 100 and na == [normalise_name(x) for x in b] and all(na) and len(set(na)) == len(na):
        return [(i, i, 100.0) for i in range(len(na))]
    scores = name_matrix(a, b, threshold)
    return assign_names(scores, list(range(len(a))), list(range(len(b))), threshold)


def assign_names(
    scores: tuple[np.ndarray, np.ndarray], rows: list[int], cols: list[int], threshold: float
) -> list[tuple[int, int, float]]:
    """Assignment on part of a bulk name-score matrix: (index into rows, index into cols, score).

    The plain ratio breaks ties of the token-set score (which is 100 for any subset), and the
    position breaks what is left, so the result does not depend on the solver's tie order.
    """
    if not rows or not cols:
        return []
    score = scores[0][np.ix_(rows, cols)]
    tie = scores[1][np.ix_(rows, cols)]
    n, m = score.shape
    near = -1e-6 * np.abs(np.subtract.outer(np.arange(n), np.arange(m))) / max(n, m)
    keyed = np.where(score >= threshold, score * 1000 + tie + near, 0.0)
    pairs = assign(keyed, threshold * 1000)
    return [(i, j, float(score[i, j])) for i, j in pairs if score[i, j] >= threshold]
