"""Export the Kazakh spaCy tokenizer's rules (parsers/lang_kk.py) to parsers/data/kk_tokenizer.json.

parsers/tokens_kk.py runs spaCy's tokenizer algorithm on these rules with plain ``re``, so tokenising
needs no spaCy at start-up. Run this after changing lang_kk.py or upgrading spaCy; the tests check
that the file is current and that both give the same tokens.

    python scripts/make_kk_tokenizer.py            # write the file
    python scripts/make_kk_tokenizer.py --check    # exit 1 if the shipped file is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parsers.tokens_kk import DATA_FILE, FORMAT  # noqa: E402


def tokenizer_text() -> str:
    import spacy
    from spacy.symbols import ORTH

    import parsers.lang_kk  # noqa: F401  (registers "kk")

    tok = spacy.blank("kk").tokenizer
    specials = {orth: [piece[ORTH] for piece in pieces] for orth, pieces in sorted(tok.rules.items())}
    matched = [
        orth for orth in specials
        if not tok.faster_heuristics or tok.find_prefix(orth) or tok.find_infix(orth) or tok.find_suffix(orth) or " " in orth
    ]  # fmt: skip
    data = {
        "format": FORMAT,
        "spacy": spacy.__version__,
        "prefix": tok.prefix_search.__self__.pattern,
        "suffix": tok.suffix_search.__self__.pattern,
        "infix": tok.infix_finditer.__self__.pattern,
        "url": tok.url_match.__self__.pattern if tok.url_match else None,
        "token_match": tok.token_match.__self__.pattern if tok.token_match else None,
        "specials": specials,
        "matched_specials": matched,
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="compare with the shipped file instead of writing")
    args = ap.parse_args()
    text = tokenizer_text()
    if args.check:
        same = DATA_FILE.is_file() and DATA_FILE.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{DATA_FILE} is stale: regenerate it")
        return 0 if same else 1
    DATA_FILE.write_text(text, encoding="utf-8")
    print(f"{DATA_FILE}: {len(json.loads(text)['specials'])} special cases")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
