"""One matcher for ``align``, ``diff`` and stable ids: pair two lists of rows by content.

Each row's features (number, unit kind, targets per year, formula kind, Latin names, numbers,
criteria weights, normalised name) are computed once; every pair of a section is then scored in
bulk (numpy over the feature arrays, rapidfuzz ``process.cdist`` for names), never with features
recomputed per pair. Pairing runs in three steps:

1. **sequence alignment** (Needleman–Wunsch, one numpy pass per row) pairs rows where the order
   holds, with gaps for rows that exist on one side only;
2. an in-order pair is undone when each of its rows has a clearly better partner by content
   elsewhere (a mutual best) — the sign of rows that crossed or moved;
3. an **assignment** (Hungarian, ``scipy.optimize.linear_sum_assignment`` on the evidence score)
   pairs the rows left over, so crossed and moved rows pair by content.

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
        latin=frozenset(gl.latin_names(text)),
        numbers=frozenset(gl.numbers(i.name)),
        text=text,
        criteria=tuple(c.weight for c in i.criteria),
    )
    if cache is not None:
        cache[id(i)] = f
    return f


# ---- bulk scores ------------------------------------------------------------------------------


def _codes(values: Sequence[Any], table: dict[Any, int], skip: Any = object()) -> np.ndarray:
    """Integer codes of hashable values; ``skip`` values get a code that equals nothing."""
    out = np.empty(len(values), dtype=np.int64)
    for k, v in enumerate(values):
        out[k] = -1 - k if v == skip else table.setdefault(v, len(table))
    return out


def _eq(a: Sequence[Any], b: Sequence[Any], skip: Any = object()) -> np.ndarray:
    table: dict[Any, int] = {}
    ca, cb = _codes(a, table, skip), _codes(b, table, skip)
    cb = np.where(cb < 0, cb - len(a), cb)  # skipped values of the two sides never meet
    return np.equal.outer(ca, cb)


def _set_cosine(a: Sequence[frozenset[str]], b: Sequence[frozenset[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Cosine of token sets for every pair (sparse in effect: built on the shared vocabulary)."""
    vocab = {t: k for k, t in enumerate(sorted(set().union(*a, *b)))} if (a or b) else {}
    ia = np.zeros((len(a), len(vocab)))
    ib = np.zeros((len(b), len(vocab)))
    for k, s in enumerate(a):
        ia[k, [vocab[t] for t in s]] = 1.0
    for k, s in enumerate(b):
        ib[k, [vocab[t] for t in s]] = 1.0
    inter = ia @ ib.T
    size = np.sqrt(np.outer(ia.sum(1), ib.sum(1)))
    cos = np.divide(inter, size, out=np.zeros_like(inter), where=size > 0)
    return cos, inter


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
    n, m = len(fa), len(fb)
    if n == 0 or m == 0:
        return np.zeros((n, m)), np.zeros((n, m))
    structure = 1.0 if same_act else 0.2
    struct = 0.5 * structure * _eq([f.number for f in fa], [f.number for f in fb], skip=None)
    struct = struct + 0.3 * structure * np.equal.outer(np.arange(n), np.arange(m))
    content = 0.3 * _eq([f.unit_kind for f in fa], [f.unit_kind for f in fb], skip="missing")
    years = sorted({y for f in (*fa, *fb) for y in f.targets})
    shared = np.zeros((n, m))
    same = np.zeros((n, m))
    none = -1e308  # a year printed without a number: equal to another such year, as before
    for y in years:
        pa = np.array([y in f.targets for f in fa])
        pb = np.array([y in f.targets for f in fb])
        ta = np.array([none if f.targets.get(y) is None else f.targets[y] for f in fa], dtype=float)
        tb = np.array([none if f.targets.get(y) is None else f.targets[y] for f in fb], dtype=float)
        both = np.logical_and.outer(pa, pb)
        shared += both
        same += both & np.equal.outer(ta, tb)
    content += 0.4 * np.divide(same, shared, out=np.zeros((n, m)), where=(shared > 0) & (same > 0))
    content += 0.2 * _eq([f.formula_kind for f in fa], [f.formula_kind for f in fb])
    cos, inter = _set_cosine([f.latin for f in fa], [f.latin for f in fb])
    both_latin = np.logical_and.outer(np.array([bool(f.latin) for f in fa]), np.array([bool(f.latin) for f in fb]))
    content += np.where(inter > 0, 1.0 * cos, np.where(both_latin, -0.3, 0.0))
    cos, _ = _set_cosine([f.numbers for f in fa], [f.numbers for f in fb])
    content += 0.3 * cos
    abbr = [(x, y) for x, y in sorted(glossary.pairs.items()) if x != y]
    if abbr:
        ga = np.array([[_has(x, f.text) for x, _ in abbr] for f in fa], dtype=float)
        gb = np.array([[_has(y, f.text) for _, y in abbr] for f in fb], dtype=float)
        hits = ga @ gb.T
        content += np.where(hits > 0, 0.4 * np.minimum(1.0, hits / np.maximum(1.0, ga.sum(1))[:, None]), 0.0)
    crit = _eq([f.criteria for f in fa], [f.criteria for f in fb], skip=())
    content += 0.3 * crit
    # Rounded: sums of the same weights in another order must compare equal with the thresholds.
    return np.round(content + struct, 9), np.round(content, 9)


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


def needleman_wunsch(score: np.ndarray, gap: float = GAP) -> list[tuple[int, int]]:
    """In-order pairs maximising the total score (gaps cost ``gap``); one numpy pass per row."""
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
    out = []
    i, j = n, m
    while i > 0 and j > 0:
        mv = move[i, j]
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


def assign(score: np.ndarray, threshold: float) -> list[tuple[int, int]]:
    """Hungarian assignment maximising the total score; pairs below ``threshold`` are dropped."""
    if score.size == 0:
        return []
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(np.where(score >= threshold, score, 0.0), maximize=True)
    return sorted((int(r), int(c)) for r, c in zip(rows, cols, strict=True) if score[r, c] >= threshold)


def match_rows(
    a_rows: Sequence[Indicator],
    b_rows: Sequence[Indicator],
    glossary: gl.Glossary | None = None,
    same_act: bool = True,
    cache: FeatureCache | None = None,
) -> Matching:
    """Pair two row lists (one section of each side) by the evidence they share."""
    glossary = glossary or gl.Glossary()
    fa = [features(r, cache) for r in a_rows]
    fb = [features(r, cache) for r in b_rows]
    total, content = score_matrix(fa, fb, glossary, same_act)
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
    is computed only where the token-set score reached the cutoff.
    """
    from rapidfuzz import fuzz, process

    na = [normalise_name(x) for x in a]
    nb = [normalise_name(x) for x in b]
    if not na or not nb:
        return np.zeros((len(na), len(nb))), np.zeros((len(na), len(nb)))
    score = process.cdist(na, nb, scorer=fuzz.token_set_ratio, dtype=np.float64, score_cutoff=cutoff or None)
    tie = np.zeros_like(score)
    rows, cols = np.nonzero(score >= max(cutoff, 1e-9))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        tie[i, j] = fuzz.ratio(na[i], nb[j])
    return score, tie


def match_names(a: Sequence[str], b: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs of names scoring at least ``threshold`` (token-set ratio), best total by assignment."""
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
