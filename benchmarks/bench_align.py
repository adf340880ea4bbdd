"""How align's cost grows with the act: Resolution 1157 with every section k times longer.

Each section's rows are repeated k times in both languages (numbers continue, targets shifted per
copy so that copies differ), then the two records are aligned. Row features are computed once and
every pair of a section is scored in bulk, so the time should grow about linearly in k for these
sizes (the numpy work is quadratic per section but tiny), not quadratically as with per-pair scoring.

Run: python benchmarks/bench_align.py [--factors 1,10,20] [--repeat 3]. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def longer(record, k: int):
    """The record with each section's rows repeated k times (copy c: numbers + c·n, targets + c)."""
    out = copy.copy(record)
    rows = []
    by_section: dict[tuple[int, int], list] = {}
    for i in record.indicators:
        by_section.setdefault((i.section.ordinal, i.part.ordinal), []).append(i)
    for (_, _), section in by_section.items():
        n = len(section)
        for c in range(k):
            for i in section:
                j = copy.copy(i)
                j.number = (i.number or 0) + c * n
                j.id = f"{i.id}-c{c}"
                j.values = [copy.copy(v) for v in i.values]
                for v in j.values:
                    if v.target is not None:
                        v.target += c
                rows.append(j)
    for r, j in enumerate(rows):
        j.row = r
    out.indicators = rows
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--factors", default="1,10,20")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from legalkpi.api import extract_file
    from legalkpi.comparing.align import align_records

    corpus = ROOT / "corpus"
    ru = extract_file(corpus / "1157-ru.txt", corpus_root=corpus)
    kk = extract_file(corpus / "1157-kk.txt", corpus_root=corpus)
    print(f"{'factor':>6} {'rows':>6} {'pairs':>6} {'seconds':>8} {'s per 100 rows':>15}")
    base = None
    for k in (int(x) for x in args.factors.split(",")):
        r, q = longer(ru, k), longer(kk, k)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            al = align_records(r, q)
            times.append(time.perf_counter() - t0)
        t = statistics.median(times)
        base = base or t
        print(f"{k:>6} {len(r.indicators):>6} {len(al.pairs):>6} {t:>8.2f} {100 * t / len(r.indicators):>15.3f}")


if __name__ == "__main__":
    main()
