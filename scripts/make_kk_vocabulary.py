"""Regenerate parsers/data/kk_vocabulary.json from the corpus's Kazakh texts.

The split-word repair of Kazakh PDF text (parsers/words.py) asks this vocabulary which spaces
are real. It is learnt once from the corpus (every Kazakh text file the manifest lists, hash-checked)
and shipped with the package, so a file reads the same from any directory. Deterministic: the same
corpus gives the same bytes.

    python scripts/make_kk_vocabulary.py            # corpus/ -> parsers/data/kk_vocabulary.json
    python scripts/make_kk_vocabulary.py --check    # exit 1 if the shipped file is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from legalkpi.catalogue import corpus as corpus_mod  # noqa: E402
from parsers.words import SHIPPED, Vocabulary, vocabulary_json  # noqa: E402


def vocabulary_text(corpus: Path) -> str:
    manifest = corpus_mod.load(corpus)
    entries = sorted(
        (e for e in manifest.entries if e.lang == "kk" and e.file.endswith(".txt")), key=lambda e: e.file
    )
    texts = [corpus_mod.verify(manifest, e).read_text(encoding="utf-8") for e in entries]
    return vocabulary_json(Vocabulary.from_texts(texts), [(e.file, e.sha256) for e in entries])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    ap.add_argument("--out", type=Path, default=SHIPPED)
    ap.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing")
    args = ap.parse_args()
    text = vocabulary_text(args.corpus)
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{args.out} is stale: regenerate it")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"{args.out}: {len(json.loads(text)['counts'])} words")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
