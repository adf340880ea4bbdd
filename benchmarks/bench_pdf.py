"""Our PDF tables against pdfplumber's plain ``page.extract_tables()`` on the fixture PDFs.

    python benchmarks/bench_pdf.py [--repeat N]

Truth is the hand-written record the fixture was rendered from (tests/render/slices.py, typed from
the corpus texts; tests/fixtures/make_fixtures.py made the PDFs from it). A cell is RIGHT when its text, whitespace folded, is one
of the truth's non-empty cells (counted as multisets, so each true cell is matched once).
recall = right / true cells; precision = right / cells given. Times are wall-clock, best of N.
No assertions: numbers to read, not to gate on.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers import read_document  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
ACTS = {
    "1157-ru": "corpus/1157-ru.txt",
    "124-kk-consolidated-151": "corpus/124-kk-consolidated-151.txt",
    "1157-kk": "corpus/1157-kk.txt",
}


def norm(s: str) -> str:
    return " ".join(s.split())


def truth_cells(stem: str) -> Counter[str]:
    sys.path.insert(0, str(ROOT / "tests"))
    import render
    import render.slices

    return Counter(norm(cell) for row in render.table_rows(render.slices.FIXTURES[stem][0].blocks) for cell in row)


def ours(path: Path) -> Counter[str]:
    doc = read_document(path)
    return Counter(norm(c.text) for r in doc.rows() for c in r.cells if norm(c.text))


def plain(path: Path) -> Counter[str]:
    import pdfplumber

    out: Counter[str] = Counter()
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for table in page.extract_tables():
                out.update(norm(cell) for row in table for cell in row if cell and norm(cell))
    return out


def pages_of(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def timed(fn, path: Path, repeat: int) -> tuple[Counter[str], float]:  # type: ignore[no-untyped-def]
    best = float("inf")
    result: Counter[str] = Counter()
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn(path)
        best = min(best, time.perf_counter() - start)
    return result, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    header = f"{'fixture':<26}{'method':<16}{'pages':>6}{'true':>6}{'given':>7}{'right':>7}{'recall':>8}{'prec.':>7}{'sec':>7}{'pages/s':>9}"
    print(header)
    print("-" * len(header))
    totals: dict[str, list[float]] = {"ours": [0.0] * 5, "pdfplumber": [0.0] * 5}
    for stem in ACTS:
        path = FIXTURES / f"{stem}.pdf"
        truth = truth_cells(stem)
        pages = pages_of(path)
        for method, fn in (("ours", ours), ("pdfplumber", plain)):
            got, secs = timed(fn, path, args.repeat)
            right = sum((got & truth).values())
            n_true, n_given = sum(truth.values()), sum(got.values())
            t = totals[method]
            t[0] += n_true
            t[1] += n_given
            t[2] += right
            t[3] += secs
            t[4] += pages
            print(
                f"{stem:<26}{method:<16}{pages:>6}{n_true:>6}{n_given:>7}{right:>7}"
                f"{right / n_true:>8.1%}{right / max(1, n_given):>7.1%}{secs:>7.2f}{pages / secs:>9.1f}"
            )
    print("-" * len(header))
    for method, (all_true, all_given, all_right, all_secs, all_pages) in totals.items():
        print(
            f"{'all':<26}{method:<16}{int(all_pages):>6}{int(all_true):>6}{int(all_given):>7}{int(all_right):>7}"
            f"{all_right / all_true:>8.1%}{all_right / max(1, all_given):>7.1%}{all_secs:>7.2f}{all_pages / all_secs:>9.1f}"
        )


if __name__ == "__main__":
    main()
