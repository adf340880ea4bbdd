"""Build time, CPU and peak memory of synthetic corpora of 10/100/1,000 acts; the growth exponent.

    python benchmarks/bench_build.py                     # sizes 10 100 1000, default jobs, with ids
    python benchmarks/bench_build.py --sizes 10 100 --no-ids --jobs 2

Each build runs `legalkpi build` in a fresh process on a corpus made by make_corpus.py (renumbered
copies of the five real documents, text forms), with an empty cache. Wall time, CPU (user + system of
the build and its worker processes) and peak memory (the largest sum of the resident sizes of the
build's process tree, sampled every 50 ms) are printed per size, then the exponent b of wall ~ N^b
between successive sizes. After the largest size, one more act is added with `legalkpi add`
(incremental: the cache spares the others) and timed. ``--no-ids`` replaces stable KPI id assignment
(legalkpi/comparing/identity.py) by the plain per-version ids, to show how much of the time is theirs.
No assertions: numbers to read, not to gate on.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_corpus import make_corpus  # noqa: E402

RUNNER = """
import sys
if {no_ids}:
    import legalkpi.catalogue.catalog as c
    def _plain(catalog):
        for v in catalog.versions:
            v.kpi_ids = {{i.id: f"{{v.act.ref.work}}#{{i.id}}" for i in v.indicators}}
    c._assign_kpi_ids = _plain
from legalkpi.cli import main
sys.argv = ["legalkpi", *sys.argv[1:]]
main()
"""


def _tree(pid: int) -> tuple[int, dict[int, float]]:
    """Resident bytes of a process and all its descendants, and each one's CPU seconds so far (Linux /proc)."""
    total = 0
    cpu: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu[p] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError, IndexError):
            continue
    return total, cpu


def run(args: list[str], no_ids: bool) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the process tree, peak tree RSS bytes) of one legalkpi command.

    CPU is sampled from /proc every 50 ms for every process of the tree (pool workers are not always
    children the build waits for), so a worker's last 50 ms may be missed."""
    code = RUNNER.format(no_ids=no_ids)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    cpu: dict[int, float] = {}
    while proc.poll() is None:
        rss, seen = _tree(proc.pid)
        peak = max(peak, rss)
        for p, c in seen.items():
            cpu[p] = max(cpu.get(p, 0.0), c)
        time.sleep(0.05)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"legalkpi {' '.join(args)} failed:\n{err[-3000:]}")
    return wall, sum(cpu.values()), peak


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    ap.add_argument("--jobs", type=int, default=None, help="processes for `build` (default: its own default)")
    ap.add_argument("--no-ids", action="store_true", help="skip stable KPI id assignment")
    ap.add_argument("--keep", type=Path, default=None, help="keep the corpora and catalogues in this folder")
    args = ap.parse_args()
    work = Path(args.keep or tempfile.mkdtemp(prefix="legalkpi-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    print(f"{'acts':>6}{'wall s':>9}{'CPU s':>9}{'peak MiB':>10}{'exponent':>10}   ids={'no' if args.no_ids else 'yes'}")
    prev: tuple[int, float] | None = None
    try:
        for n in args.sizes:
            corpus = make_corpus(n, work / f"corpus-{n}")
            out = work / f"catalog-{n}"
            shutil.rmtree(out, ignore_errors=True)
            wall, cpu, peak = run(["build", "--corpus", str(corpus), "--out", str(out), *jobs], args.no_ids)
            exp = f"{math.log(wall / prev[1]) / math.log(n / prev[0]):.2f}" if prev else ""
            print(f"{n:>6}{wall:>9.1f}{cpu:>9.1f}{peak / 2**20:>10.0f}{exp:>10}", flush=True)
            prev = (n, wall)
        n = args.sizes[-1]
        corpus, out = work / f"corpus-{n}", work / f"catalog-{n}"
        new = work / "new-act.txt"
        new.write_bytes((ROOT / "corpus" / "1157-ru.txt").read_bytes() + b"\n")  # new bytes, same act
        wall, cpu, peak = run(
            ["add", str(new), "--corpus", str(corpus), "--out", str(out), "--number", "99999", "--date", "2030-01-01"],
            args.no_ids,
        )
        print(f"add one act to {n}: wall {wall:.1f} s, CPU {cpu:.1f} s, peak {peak / 2**20:.0f} MiB")
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
