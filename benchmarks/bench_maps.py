"""Reading and checking a digital transformation map: per form (DOCX, PDF, converter text).

Run: python benchmarks/bench_maps.py [--repeat N]. Prints a table; asserts nothing. The map is the
hand-written clean map of the tests (tests/maprecords.py: 2 spheres, 4 cases, 9 processes).
"""

from __future__ import annotations

import argparse
import sys

from harness import ROOT, timed

sys.path.insert(0, str(ROOT / "tests"))

import maprecords  # noqa: E402
import maprender  # noqa: E402

from legalkpi.maps import check_document  # noqa: E402
from parsers import read_bytes  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    n = ap.parse_args().repeat
    record = maprecords.clean()
    forms = {
        "docx": maprender.to_docx(record)[0],
        "pdf": (ROOT / "tests" / "fixtures" / "maps" / "clean.pdf").read_bytes(),
        "text": maprender.to_text(record)[0].encode("utf-8"),
    }
    print(f"{'form':6} {'bytes':>8} {'median s':>9} {'peak MiB':>9}")
    for name, data in forms.items():
        sec, peak = timed(lambda d=data, k=name: check_document(read_bytes(d, f"map.{k}")), n)
        print(f"{name:6} {len(data):8d} {sec:9.3f} {peak:9.1f}")


if __name__ == "__main__":
    main()
