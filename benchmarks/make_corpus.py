"""Make a synthetic corpus of N acts from the real one: renumbered copies of its documents.

    python benchmarks/make_corpus.py 1000 /tmp/corpus-1000      # the corpus mix, text forms

Document k is a copy of the real document k mod 5 (the five text forms: Russian and Kazakh
Resolution 1157, Kazakh Order 124, the report, the rules act) with a manifest entry of its own: a
new number (10000 + k, keeping the language's suffix such as "-ө") and a date k days later, so every
copy is a catalogue version of its own. The bytes are the real ones (the hash is recorded), so the
copies read exactly as the originals do. Deterministic: same N, same corpus.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_corpus(n: int, out: Path, source: Path = ROOT / "corpus") -> Path:
    manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))
    docs = manifest["documents"]
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    entries = []
    for k in range(n):
        d = dict(docs[k % len(docs)])
        number = str(10000 + k)
        suffix = d["number"][len(d["number"].split("/")[0].split()[0].split("-")[0]) :]
        d["number"] = number + suffix
        day = dt.date.fromisoformat(d["date"]) + dt.timedelta(days=k)
        d["date"] = day.isoformat()
        if d.get("edition"):
            d["edition"] = (dt.date.fromisoformat(d["edition"]) + dt.timedelta(days=k)).isoformat()
        name = f"{k:05d}-{d['file']}"
        shutil.copyfile(source / d["file"], out / name)
        d["file"] = name
        d.pop("seed", None)
        entries.append(d)
    text = json.dumps({"version": manifest.get("version", 1), "documents": entries}, ensure_ascii=False, indent=2)
    (out / "manifest.json").write_text(text + "\n", encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    make_corpus(args.n, args.out)
    print(f"{args.n} documents -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
