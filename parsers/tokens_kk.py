"""Kazakh tokens without spaCy: the tokenizer of :mod:`parsers.lang_kk`, run by plain ``re``.

spaCy's tokenizer is a small algorithm over regular expressions (prefixes, suffixes, infixes, a URL
pattern) and a table of special cases. The Kazakh language in ``lang_kk.py`` fixes all of them; they
are exported once to ``data/kk_tokenizer.json`` (``scripts/make_kk_tokenizer.py``) and this module
runs the same algorithm on them, so split-word repair needs no spaCy at start-up (1.5 s, ~90 MiB).
A test compares the tokens with spaCy's on the corpus texts and on generated strings.

Unlike spaCy it works on positions, never on ever shorter copies of a string, and looks up special
cases only for strings short enough to be one; so a line of a million "[" costs linear time and
there is no length limit (spaCy: quadratic time, and E088 above ``nlp.max_length``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "kk_tokenizer.json"
FORMAT = "legalkpi-kk-tokenizer/1"
_WINDOW = 64  # affixes are looked for in windows this long, widened while a match touches the edge
_NON_SPACE = re.compile(r"\S+")  # re's \s is str.isspace(), as spaCy splits
_MARGIN = 8  # room for the look-behind and look-ahead of affix patterns


@dataclass(frozen=True)
class Rules:
    prefix: re.Pattern[str]
    suffix: re.Pattern[str]
    infix: re.Pattern[str]
    url: re.Pattern[str] | None
    specials: dict[str, list[str]]  # string -> its tokens
    max_special: int
    phrases: dict[tuple[str, ...], str]  # affix-split tokens of a special case -> the special case

    @classmethod
    def from_dict(cls, d: dict) -> Rules:  # type: ignore[type-arg]
        specials = {k: list(v) for k, v in d["specials"].items()}
        rules = cls(
            prefix=re.compile(d["prefix"]),
            suffix=re.compile(d["suffix"]),
            infix=re.compile(d["infix"]),
            url=re.compile(d["url"]) if d.get("url") else None,
            specials=specials,
            max_special=max((len(k) for k in specials), default=0),
            phrases={},
        )
        for orth in d["matched_specials"]:
            rules.phrases[tuple(_chunk_tokens(orth, rules, False))] = orth
        return rules


@cache
def rules() -> Rules:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return Rules.from_dict(raw)


def tokenize(text: str) -> list[tuple[str, bool]]:
    """(token, followed by a space) for every token that is not whitespace, as spaCy's ``kk`` gives them."""
    r = rules()
    out: list[tuple[str, bool]] = []
    n = len(text)
    for m in _NON_SPACE.finditer(text):
        tokens = _apply_phrases(_chunk_tokens(m.group(), r, True), r)
        out.extend((t, False) for t in tokens[:-1])
        out.append((tokens[-1], m.end() < n and text[m.end()] == " "))  # spaCy: only " " is a token's space
    return out


def _chunk_tokens(chunk: str, r: Rules, specials: bool) -> list[str]:
    """The tokens of a run of non-space characters (spaCy's ``_split_affixes`` + ``_attach_tokens``)."""
    if specials and chunk in r.specials:
        return list(r.specials[chunk])
    prefixes: list[str] = []
    suffixes: list[str] = []
    start, end = 0, len(chunk)
    last = -1

    def special(a: int, b: int) -> bool:
        return specials and 0 < b - a <= r.max_special and chunk[a:b] in r.specials

    while start < end and end - start != last:
        if special(start, end):
            break
        last = end - start
        pre = _prefix_len(chunk, start, end, r)
        if pre and special(start + pre, end):
            prefixes.append(chunk[start : start + pre])
            start += pre
            break
        suf = _suffix_len(chunk, start + pre, end, r)
        if suf and special(start, end - suf):
            suffixes.append(chunk[end - suf : end])
            end -= suf
            break
        if pre and suf and pre + suf <= end - start:
            prefixes.append(chunk[start : start + pre])
            suffixes.append(chunk[end - suf : end])
            start, end = start + pre, end - suf
        elif pre:
            prefixes.append(chunk[start : start + pre])
            start += pre
        elif suf:
            suffixes.append(chunk[end - suf : end])
            end -= suf
    tokens = prefixes
    rest = chunk[start:end]
    if rest:
        if specials and rest in r.specials:
            tokens.extend(r.specials[rest])
        elif r.url is not None and r.url.match(rest):
            tokens.append(rest)
        else:
            tokens.extend(_infix_split(rest, r))
    tokens.extend(reversed(suffixes))
    return tokens


def _prefix_len(s: str, start: int, end: int, r: Rules) -> int:
    """Length of the prefix of ``s[start:end]``, looked for in a window widened only while a match
    reaches near its edge (a run of dots): linear time however long the run of characters."""
    width = _WINDOW
    while True:
        stop = min(end, start + width)
        m = r.prefix.search(s[start:stop])
        if m is None:
            return 0
        if stop == end or m.end() <= stop - start - _MARGIN:
            return m.end() - m.start()
        width *= 2


def _suffix_len(s: str, start: int, end: int, r: Rules) -> int:
    """Length of the suffix of ``s[start:end]``, from a window at its end (see :func:`_prefix_len`)."""
    width = _WINDOW
    while True:
        lo = max(start, end - width)
        m = r.suffix.search(s[lo:end])
        if m is None:
            return 0
        if lo == start or m.start() >= _MARGIN:
            return m.end() - m.start()
        width *= 2


def _infix_split(s: str, r: Rules) -> list[str]:
    out: list[str] = []
    start = 0
    for m in r.infix.finditer(s):
        a, b = m.start(), m.end()
        if a == 0:
            continue
        if a != start:
            out.append(s[start:a])
        if a != b:
            out.append(s[a:b])
        start = b
    if start < len(s):
        out.append(s[start:])
    return out or [s]


def _apply_phrases(tokens: list[str], r: Rules) -> list[str]:
    """Special cases that the affix rules cut up are put back together (spaCy's special-case matcher)."""
    if len(tokens) < 2 or not r.phrases:
        return tokens
    spans: list[tuple[int, int]] = []
    longest = max(len(p) for p in r.phrases)
    for a in range(len(tokens)):
        for b in range(a + 2, min(len(tokens), a + longest) + 1):
            if tuple(tokens[a:b]) in r.phrases:
                spans.append((a, b))
    if not spans:
        return tokens
    spans.sort(key=lambda s: (s[1] - s[0], s[0]))
    seen: set[int] = set()
    kept = []
    for a, b in reversed(spans):
        if a not in seen and b - 1 not in seen:
            kept.append((a, b))
        seen.update(range(a, b))
    out: list[str] = []
    k = 0
    for a, b in sorted(kept):
        out.extend(tokens[k:a])
        out.extend(r.specials[r.phrases[tuple(tokens[a:b])]])
        k = b
    out.extend(tokens[k:])
    return out
