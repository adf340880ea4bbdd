"""How stable-id assignment grows with the number of catalogue versions.

The corpus catalogue is padded with k editions of Resolution 1157 in both languages (copies with
later edition dates), then ids are assigned. Each version is compared only with the versions it is
related to (its translation, the edition before it, lineage predecessors, the report set), so the
time per version should stay flat as k grows.

Run: python benchmarks/bench_ids.py [--editions 1,5,20]. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--editions", default="1,5,20")
    args = ap.parse_args()
    from legalkpi.catalogue import catalog as cat
    from legalkpi.catalogue import corpus
    from legalkpi.comparing import identity

    catalog = cat.build(corpus.load(ROOT / "corpus"))
    print(f"{'editions':>8} {'versions':>8} {'seconds':>8} {'s per version':>14} {'multi-act ids':>14}")
    for k in (int(x) for x in args.editions.split(",")):
        c = padded(catalog, k)
        t0 = time.perf_counter()
        identity.assign_kpi_ids(c)
        t = time.perf_counter() - t0
        s = identity.summary(c)
        print(f"{k:>8} {len(c.versions):>8} {t:>8.2f} {t / len(c.versions):>14.3f} {s['multi_act']:>14}")


if __name__ == "__main__":
    main()
