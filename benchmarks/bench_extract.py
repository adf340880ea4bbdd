"""Extraction speed and memory: per document, the whole-corpus build, CLI start-up.

Run: python benchmarks/bench_extract.py [--repeat N]. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import ROOT, timed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    from legalkpi import api
    from legalkpi.catalogue import catalog, corpus

    corpus_dir = ROOT / "corpus"
    manifest = corpus.load(corpus_dir)
    rows = []
    for e in manifest.entries:
        path = corpus_dir / e.file
        reader = api.extract_file if e.content == "kpi-act" else api.load
        secs, peak = timed(lambda p=path, r=reader: r(p, corpus_root=corpus_dir), args.repeat)
        rows.append((f"extract {e.file}", secs, peak))

    def build_all() -> None:
        cat = catalog.build(manifest)
        with tempfile.TemporaryDirectory() as d:
            catalog.write_sqlite(cat, Path(d) / "c.sqlite")
            catalog.write_json(cat, Path(d) / "c.json")

    secs, peak = timed(build_all, max(1, args.repeat // 2))
    rows.append(("build whole corpus (sqlite+json)", secs, peak))
    starts = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "legalkpi", "--help"], capture_output=True, check=True)
        starts.append(time.perf_counter() - t0)
    rows.append(("CLI start-up (legalkpi --help)", statistics.median(starts), float("nan")))
    import resource

    print(f"{'what':48} {'median s':>10} {'peak MiB':>10}")
    for name, s, m in rows:
        print(f"{name:48} {s:10.3f} {m:10.1f}")
    print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
