"""The matcher's plain computations as they stood before the fast paths (b1a30a8), kept as the
reference the fast paths must equal exactly: dense per-section scores, the numpy
Needleman–Wunsch, the solver for every assignment, and the regex-per-word Latin names.

Only tests import this module; nothing here is used by the tool.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np

from legalkpi.comparing import glossary as gl
from legalkpi.comparing import match as mt
from legalkpi.model import Indicator


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


def _has(short: str, text: str) -> bool:
    return gl.abbreviation_pattern(short).search(text) is not None


def score_matrix(
    fa: Sequence[mt.RowFeatures], fb: Sequence[mt.RowFeatures], glossary: gl.Glossary, same_act: bool = True
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


def needleman_wunsch(score: np.ndarray, gap: float = mt.GAP) -> list[tuple[int, int]]:
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
    cache: mt.FeatureCache | None = None,
) -> mt.Matching:
    """Pair two row lists (one section of each side) by the evidence they share."""
    glossary = glossary or gl.Glossary()
    fa = [mt.features(r, cache) for r in a_rows]
    fb = [mt.features(r, cache) for r in b_rows]
    total, content = score_matrix(fa, fb, glossary, same_act)
    pairs = {(i, j) for i, j in needleman_wunsch(total) if total[i, j] >= mt.MIN_PAIR_SCORE}
    pairs -= mt._contradicted(pairs, content)
    by_assignment: set[tuple[int, int]] = set()
    left_a = sorted(set(range(len(fa))) - {i for i, _ in pairs})
    left_b = sorted(set(range(len(fb))) - {j for _, j in pairs})
    if left_a and left_b:
        sub = total[np.ix_(left_a, left_b)]
        by_assignment = {(left_a[i], left_b[j]) for i, j in assign(sub, mt.MIN_PAIR_SCORE)}
        pairs |= by_assignment
    chain = mt.in_order(sorted(pairs))
    out = mt.Matching()
    for i, j in sorted(pairs):
        ev = mt.evidence(fa[i], fb[j], glossary, abs(i - j), same_act)
        if (i, j) in by_assignment:
            ev.append("assignment")
        out.pairs.append(mt.Match(i, j, float(total[i, j]), ev, crossed=(i, j) not in chain))
    out.only_a = sorted(set(range(len(fa))) - {p.a for p in out.pairs})
    out.only_b = sorted(set(range(len(fb))) - {p.b for p in out.pairs})
    return out


def name_matrix(a: Sequence[str], b: Sequence[str], cutoff: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """(token-set score, ratio) of every pair, one rapidfuzz call per pair: the plainest form."""
    from rapidfuzz import fuzz

    na = [mt.normalise_name(x) for x in a]
    nb = [mt.normalise_name(x) for x in b]
    score = np.array([[fuzz.token_set_ratio(x, y, score_cutoff=cutoff or None) for y in nb] for x in na], dtype=np.float64)
    score = score.reshape(len(na), len(nb))
    tie = np.zeros_like(score)
    for i, x in enumerate(na):
        for j, y in enumerate(nb):
            if score[i, j] >= max(cutoff, 1e-9):
                tie[i, j] = fuzz.ratio(x, y)
    return score, tie


_LATIN = gl._LATIN
_MIXED = gl._MIXED
_COMMON_LATIN = gl._COMMON_LATIN
_NUMBER = gl._NUMBER


def latin_names(text: str) -> set[str]:
    """Latin-script names (KazLLM, eGov, QazTECH, PACS), lower-cased; single letters left out."""
    out = set()
    for word in re.split(r"[\s\"'«»(),;:!?/]+", text):
        if _MIXED.fullmatch(word or "-"):
            # "Vetмobile": keep its Latin skeleton so it meets "Vetmobile" on the other side.
            word = re.sub(r"[^A-Za-z]", "", word.replace("м", "m").replace("о", "o").replace("е", "e"))
        for m in _LATIN.findall(word):
            w = m.lower().strip(".-")
            if len(w) > 1 and w not in _COMMON_LATIN:
                out.add(w)
    return out


def numbers(text: str) -> set[str]:
    return {n.replace(",", ".") for n in _NUMBER.findall(text)}




def match_names(a: Sequence[str], b: Sequence[str], threshold: float) -> list[tuple[int, int, float]]:
    """Pairs of names scoring at least ``threshold`` (token-set ratio), best total by assignment."""
    scores = name_matrix(a, b, threshold)  # one rapidfuzz call per pair
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
    pairs = assign(keyed, threshold * 1000)  # the solver every time
    return [(i, j, float(score[i, j])) for i, j in pairs if score[i, j] >= threshold]
