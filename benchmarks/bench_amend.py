"""Applying an amending act: time and memory per form of the amending act, and the share that is
reading the base act.

Run: python benchmarks/bench_amend.py [--repeat N]. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse

from harness import ROOT, timed


def main() -> None:
    from legalkpi import api
    from legalkpi.amending.apply import amend_file, consolidate, read_amending_file

    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    corpus = ROOT / "corpus"
    fix = ROOT / "tests" / "fixtures" / "amending"
    print(f"{'what':44} {'median s':>9} {'peak MiB':>9}")
    for lang in ("ru", "kk"):
        base = corpus / f"1157-{lang}.txt"
        loaded = api.load(base, corpus_root=corpus)
        record = api.extract_loaded(loaded)
        s, m = timed(lambda base=base: api.extract_file(base, corpus_root=corpus), args.repeat)
        print(f"{'extract base 1157-' + lang:44} {s:9.3f} {m:9.1f}")
        for form in ("txt", "docx", "html", "pdf"):
            path = fix / f"321-{lang}.{form}"
            s, m = timed(lambda path=path: read_amending_file(path), args.repeat)
            print(f"{'read 321-' + lang + '.' + form:44} {s:9.3f} {m:9.1f}")
            act, _ = read_amending_file(path)
            s, m = timed(lambda act=act, record=record, loaded=loaded: consolidate(record, loaded.doc, act), args.repeat)
            print(f"{'apply 321-' + lang + '.' + form + ' (base already read)':44} {s:9.3f} {m:9.1f}")
        s, m = timed(lambda base=base, lang=lang: amend_file(base, fix / f"321-{lang}.docx", corpus_root=corpus), args.repeat)
        print(f"{'amend 1157-' + lang + ' with 321-' + lang + '.docx (whole)':44} {s:9.3f} {m:9.1f}")


if __name__ == "__main__":
    main()
