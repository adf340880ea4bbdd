"""How stable-id assignment grows with the number of catalogue versions, and what one comparison costs.

Default mode: the corpus catalogue is padded with k editions of Resolution 1157 in both languages
(copies with later edition dates), then ids are assigned. Each version is compared only with the
versions it is related to (its translation, the edition before it, lineage predecessors, the report
set), so the time per version should stay flat as k grows.

``--corpus DIR`` mode: the corpus in DIR (a synthetic one from make_corpus.py, read through
``--cache DIR`` when given) is read into a catalogue, then ids are assigned once while every
comparison (``identity._pairs``: by names in one language, by the bilingual matcher across) is timed
in CPU seconds (``time.process_time``), after the heavy imports. Prints the count and the CPU per comparison, by method.

Run: python benchmarks/bench_ids.py [--editions 1,5,20]
     python benchmarks/bench_ids.py --corpus /tmp/corpus-1000 [--cache /tmp/cache-1000]
Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def padded(catalog, k: int):
    out = copy.copy(catalog)
    base = [v for v in catalog.versions if v.act.ref.work == "kz/resolution/1157"]
    versions = list(catalog.versions)
    for e in range(k):
        for v in base:
            c = copy.copy(v)
            c.act = copy.copy(v.act)
            c.act.edition = f"{2025 + e // 12}-{e % 12 + 1:02d}-01"
            c.key = c.act.ref.key
            c.indicators = [copy.copy(i) for i in v.indicators]
            versions.append(c)
    out.versions = versions
    return out


def growth(editions: str) -> None:
    from legalkpi.catalogue import catalog as cat
    from legalkpi.catalogue import corpus
    from legalkpi.comparing import identity

    catalog = cat.build(corpus.load(ROOT / "corpus"))
    print(f"{'editions':>8} {'versions':>8} {'seconds':>8} {'s per version':>14} {'multi-act ids':>14}")
    for k in (int(x) for x in editions.split(",")):
        c = padded(catalog, k)
        t0 = time.perf_counter()
        identity.assign_kpi_ids(c)
        t = time.perf_counter() - t0
        s = identity.summary(c)
        print(f"{k:>8} {len(c.versions):>8} {t:>8.2f} {t / len(c.versions):>14.3f} {s['multi_act']:>14}")


def per_comparison(corpus_dir: Path, cache_dir: Path | None) -> None:
    """CPU of the id phase on a corpus, and of each comparison in it (by method)."""
    from legalkpi.catalogue import catalog as cat
    from legalkpi.catalogue import corpus
    from legalkpi.comparing import identity

    t0 = time.perf_counter()
    assign = cat._assign_kpi_ids
    cat._assign_kpi_ids = lambda catalog: None  # type: ignore[assignment]  # read only: ids are timed below
    try:
        catalog = cat.build(corpus.load(corpus_dir), cache_dir=cache_dir)
    finally:
        cat._assign_kpi_ids = assign  # type: ignore[assignment]
    print(f"read {len(catalog.versions)} versions in {time.perf_counter() - t0:.1f} s")
    t = time.process_time()
    import rapidfuzz.process  # noqa: F401  # imported before timing: a one-off cost, not a comparison's
    import scipy.optimize  # noqa: F401

    print(f"imports (rapidfuzz, scipy.optimize): {time.process_time() - t:.2f} s CPU")
    spent: dict[str, list[float]] = {}
    plain = identity._pairs

    def timed_pairs(how, old, new, aligner, cache):  # type: ignore[no-untyped-def]
        t = time.process_time()
        out = plain(how, old, new, aligner, cache)
        spent.setdefault(how, []).append(time.process_time() - t)
        return out

    identity._pairs = timed_pairs  # type: ignore[assignment]
    try:
        t = time.process_time()
        identity.assign_kpi_ids(catalog)
        total = time.process_time() - t
    finally:
        identity._pairs = plain  # type: ignore[assignment]
    n = sum(len(x) for x in spent.values())
    print(f"{'method':>18} {'comparisons':>11} {'CPU s':>8} {'ms each':>8}")
    for how, xs in sorted(spent.items()):
        print(f"{how:>18} {len(xs):>11} {sum(xs):>8.2f} {1000 * sum(xs) / len(xs):>8.2f}")
    inside = sum(sum(x) for x in spent.values())
    print(f"{'all':>18} {n:>11} {inside:>8.2f} {1000 * inside / max(1, n):>8.2f}")
    print(f"id phase CPU {total:.2f} s ({1000 * total / max(1, n):.2f} ms per comparison, linking included)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--editions", default="1,5,20")
    ap.add_argument("--corpus", type=Path, help="a corpus folder: time each comparison of its id phase")
    ap.add_argument("--cache", type=Path, help="read cache for --corpus")
    args = ap.parse_args()
    if args.corpus:
        per_comparison(args.corpus, args.cache)
    else:
        growth(args.editions)


if __name__ == "__main__":
    main()
