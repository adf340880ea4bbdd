"""Evidence two texts in different languages share: numbers, Latin names, abbreviations.

The Russian–Kazakh abbreviation glossary is learned from the acts themselves: each KPI annex
ends with a list of abbreviations, and the entries of the two lists pair up. Which Russian entry
is which Kazakh one is learned from where they occur: across rows already paired by strong
evidence (numbers, values, Latin names), an abbreviation that stands in the Russian row together
with one in the Kazakh row, again and again, is its counterpart (ИИ ↔ ЖИ, ИС ↔ АЖ, ЦГО ↔ ОМО).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9.\-]*[A-Za-z0-9]|[A-Za-z]")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# Latin letters that converters put inside Cyrillic words ("Vetмobile") are not separate names.
_MIXED = re.compile(r"[A-Za-z]+[а-яәғқңөұүһіА-ЯӘҒҚҢӨҰҮҺІ]+|[а-яәғқңөұүһіА-ЯӘҒҚҢӨҰҮҺІ]+[A-Za-z]+")
_COMMON_LATIN = {"e", "i", "x", "a", "b", "c", "t", "s", "n"}


_SEPARATORS = re.compile(r"[\s\"'«»(),;:!?/]+")
_ANY_LATIN = re.compile(r"[A-Za-z]")


def latin_names(text: str) -> set[str]:
    """Latin-script names (KazLLM, eGov, QazTECH, PACS), lower-cased; single letters left out."""
    return set(latin_set(text))


@lru_cache(maxsize=1 << 16)
def latin_set(text: str) -> frozenset[str]:
    """:func:`latin_names` of a text, computed once per text (rows repeat across editions)."""
    out = set()
    if _ANY_LATIN.search(text) is None:
        return frozenset()  # no Latin letter: neither a name nor a mixed word
    for word in _SEPARATORS.split(text):
        if _ANY_LATIN.search(word) is None:
            continue  # a word without a Latin letter holds no name
        if _MIXED.fullmatch(word):
            # "Vetмobile": keep its Latin skeleton so it meets "Vetmobile" on the other side.
            word = re.sub(r"[^A-Za-z]", "", word.replace("м", "m").replace("о", "o").replace("е", "e"))
        for m in _LATIN.findall(word):
            w = m.lower().strip(".-")
            if len(w) > 1 and w not in _COMMON_LATIN:
                out.add(w)
    return frozenset(out)


def numbers(text: str) -> set[str]:
    return set(number_set(text))


@lru_cache(maxsize=1 << 16)
def number_set(text: str) -> frozenset[str]:
    """:func:`numbers` of a text, computed once per text."""
    return frozenset(n.replace(",", ".") for n in _NUMBER.findall(text))


def _abbr_tokens(short: str) -> str:
    """The bare abbreviation of a list entry: 'ИС "АПП"' -> 'ИС "АПП"'; quotes kept, spaces folded."""
    return " ".join(short.split())


def abbreviation_pattern(short: str) -> re.Pattern[str]:
    core = re.escape(_abbr_tokens(short)).replace(r"\ ", r"\s+")
    return re.compile(rf"(?<![\w]){core}(?![\w])")


@dataclass
class Glossary:
    """Pairs of Russian and Kazakh abbreviations, each with the evidence count that made it."""

    pairs: dict[str, str] = field(default_factory=dict)
    support: dict[str, int] = field(default_factory=dict)


def abbreviations_in(text: str, shorts: Iterable[str]) -> set[str]:
    return {s for s in shorts if abbreviation_pattern(s).search(text)}


def learn(
    anchors: Iterable[tuple[str, str]], ru_list: list[tuple[str, str]], kk_list: list[tuple[str, str]]
) -> Glossary:
    """Pair the two abbreviation lists from co-occurrence in anchored row pairs (ru text, kk text).

    Identical Latin abbreviations (PACS, SDU) pair by themselves. Others pair when each is the
    other's best co-occurring partner (Dice coefficient), seen together at least once.
    """
    ru_shorts = [s for s, _ in ru_list]
    kk_shorts = [s for s, _ in kk_list]
    g = Glossary()
    for s in ru_shorts:
        if s in kk_shorts and latin_names(s):
            g.pairs[s], g.support[s] = s, 0
    together: Counter[tuple[str, str]] = Counter()
    seen_ru: Counter[str] = Counter()
    seen_kk: Counter[str] = Counter()
    for ru_text, kk_text in anchors:
        a = abbreviations_in(ru_text, ru_shorts) - set(g.pairs)
        b = abbreviations_in(kk_text, kk_shorts) - set(g.pairs.values())
        seen_ru.update(a)
        seen_kk.update(b)
        together.update((x, y) for x in a for y in b)

    def dice(x: str, y: str) -> float:
        return 2 * together[(x, y)] / (seen_ru[x] + seen_kk[y]) if together[(x, y)] else 0.0

    best_kk = {x: max(sorted(seen_kk), key=lambda y: (dice(x, y), -len(y))) for x in seen_ru if seen_kk}
    best_ru = {y: max(sorted(seen_ru), key=lambda x: (dice(x, y), -len(x))) for y in seen_kk if seen_ru}
    for x, y in sorted(best_kk.items()):
        if best_ru.get(y) == x and dice(x, y) >= 0.5:
            g.pairs[x], g.support[x] = y, together[(x, y)]
    return g


def similarity_of_sets(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0
