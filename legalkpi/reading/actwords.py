"""The vocabulary of act headers, citations and change notes, loaded from ``data/act_words.json``.

The words live in one data file (months, act kinds, part names, change verbs, in Russian and
Kazakh) so that the recognisers in :mod:`legalkpi.reading.citations` and :mod:`legalkpi.reading.notes` hold
no language lists of their own. Everything is compiled once and cached.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "act_words.json"
LANGS = ("ru", "kk")


@dataclass(frozen=True)
class KindWord:
    kind: str  # "resolution" | "order" | "ministerial-order"
    lang: str
    stem: str
    header: str  # the nominative form that opens (ru) or closes (kk) an act's own header line


@dataclass(frozen=True)
class Words:
    months: dict[str, list[re.Pattern[str]]]  # lang -> 12 patterns, January first
    year_words: dict[str, str]
    kinds: list[KindWord]
    head_first: dict[str, bool]
    parts: list[tuple[str, str, re.Pattern[str]]]  # (part kind, lang, pattern), most specific first
    actions: list[tuple[str, str, re.Pattern[str]]]  # (relation type, lang, pattern)
    note_prefixes: dict[str, list[str]]
    repeal_lists: list[re.Pattern[str]]
    stamps: list[tuple[str, re.Pattern[str], int | None]]  # ("approved" | "appendix", pattern, tail_width(pattern))
    headings: dict[str, dict[str, re.Pattern[str]]]  # heading kind -> lang -> pattern
    kk_letters: str
    instrumental: dict[str, list[str]]  # lang -> endings of the "by act X" form used in change notes

    def stamp_kind(self, text: str) -> str:
        """ "approved" or "appendix" when ``text`` is the stamp over an attached document."""
        for kind, pat, tail in self.stamps:
            # a word that must close the text can only start this far from its end ($ also
            # matches before a final line break): no need to try every position before
            if pat.search(text, max(0, len(text) - tail - 1) if tail is not None else 0):
                return kind
        return ""

    def kind_of_stem(self, word: str) -> KindWord | None:
        low = word.lower()
        return next((k for k in self.kinds if low.startswith(k.stem)), None)


def _flags() -> int:
    return re.IGNORECASE | re.UNICODE


@lru_cache(maxsize=1)
def words() -> Words:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    kinds = [
        KindWord(kind=kind, lang=lang, stem=spec["stem"], header=spec["header"])
        for kind, by_lang in raw["kinds"].items()
        for lang, spec in by_lang.items()
    ]
    return Words(
        months={lang: [re.compile(m, _flags()) for m in ms] for lang, ms in raw["months"].items()},
        year_words=raw["year_words"],
        kinds=kinds,
        head_first=raw["head_first"],
        parts=[
            (part, lang, re.compile(p, _flags()))
            for part, by_lang in raw["parts"].items()
            for lang, pats in by_lang.items()
            for p in pats
        ],
        actions=[
            (rel, lang, re.compile(p, _flags()))
            for rel, by_lang in raw["actions"].items()
            for lang, pats in by_lang.items()
            for p in pats
        ],
        note_prefixes=raw["note_prefixes"],
        repeal_lists=[re.compile(p, _flags()) for pats in raw["repeal_lists"].values() for p in pats],
        stamps=[
            (kind, re.compile(p, _flags()), tail_width(p))
            for kind, by_lang in raw["stamps"].items()
            for pats in by_lang.values()
            for p in pats
        ],
        headings={
            h: {lang: re.compile(p) for lang, p in by_lang.items()} for h, by_lang in raw["headings"].items()
        },
        kk_letters=raw["kk_letters"],
        instrumental=raw["instrumental"],
    )


_TAIL_WORD = re.compile(r"[^\W\d_]+\$")


def tail_width(pattern: str) -> int | None:
    """The length of the word a pattern such as "бекітілген$" matches at the end of a text (letters
    only, so it matches that many characters, whatever their case); None for any other pattern."""
    return len(pattern) - 1 if _TAIL_WORD.fullmatch(pattern) else None


def language_of(text: str) -> str:
    """'kk' when Kazakh-only letters are frequent enough, else 'ru'.

    Kazakh Cyrillic has nine letters Russian lacks; a Russian text quoting a Kazakh name
    has a few, a Kazakh text has them in most sentences, hence a share, not a presence test.
    """
    letters = [c for c in text.lower() if c.isalpha()]
    if not letters:
        return "ru"
    kk = sum(1 for c in letters if c in words().kk_letters)
    return "kk" if kk / len(letters) > 0.01 else "ru"
