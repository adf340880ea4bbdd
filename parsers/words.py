"""Repair of words split by stray spaces in text converted from PDF ("ж ә н е", "платформасы нда").

The converter that made the Kazakh text of No. 1157 from PDF put spaces inside words where
the PDF positioned glyphs apart. Nothing in a single line says which spaces are real, so the
repair asks a :class:`Vocabulary` learnt from the corpus itself (the clean Kazakh texts and the
well-formed tokens of the damaged one), learnt once and shipped in ``data/kk_vocabulary.json``
(:func:`shipped`; ``scripts/make_kk_vocabulary.py`` regenerates it), so a file reads the same
from any directory:

* a run of two or more single Cyrillic letters is one word cut into letters ("Ж о б а");
* a token is glued to its left neighbour when the glued form is a known word more frequent
  than one of its parts ("мониторингте у" -> "мониторингтеу"), or when the right part is no
  word of its own but a frequent word ending ("өнеркәсіпті ң" -> "өнеркәсіптің"): Kazakh
  grammar is suffixes, so a lone ending is the tail of the word before it.

No list of fixes per word: every decision comes from counts. LaTeX (``$...$``) is left as is.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# A word token: letters, maybe joined by hyphens ("ЖИ-ді" counts as a word, "100-ге" does not).
_WORD = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")
_MATH = re.compile(r"(\$[^$]*\$)")
_TAG = re.compile(r"</?p>")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=\S) +(?=[,;.)](?:\s|$))")
_SPACE_AFTER_PAREN = re.compile(r"\( +(?=\S)")
# "АЖ -да": a case ending set off from an abbreviation or number by a stray space.
_SPACE_BEFORE_ENDING = re.compile(r"(?<=[\w%]) +(?=-[^\W\d_]+\b)")

# A right part counts as a word ending when this many distinct words end with it ...
MIN_ENDING_WORDS = 3
# ... and only endings up to this length are learnt (longer tails are words, not suffixes).
MAX_ENDING = 7
# ... and when it ends this many times more distinct words than it stands alone.
ENDING_RATIO = 8


@dataclass(frozen=True)
class Vocabulary:
    """Lower-cased word counts and, for each short tail, how many distinct words end with it."""

    counts: Mapping[str, int] = field(default_factory=dict)
    endings: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Vocabulary:
        """Learn from texts, tokenized as the Kazakh spaCy tokenizer does (:mod:`parsers.tokens_kk`).

        A token is well-formed, and counted, unless it is a single letter or it glues to its
        neighbour into a word met elsewhere in the texts: then it is a piece of a split word.
        """
        token_lines = [_tokens(line) for text in texts for line in _TAG.sub(" ", text).splitlines()]
        raw = Counter(t.lower() for line in token_lines for t, _ in line if _is_word(t))
        first = cls(counts=dict(raw), endings=_endings(raw))
        counts: Counter[str] = Counter()
        for line in token_lines:
            pieces = _pieces_of_split_words(line, first)
            counts.update(t.lower() for i, (t, _) in enumerate(line) if _is_word(t) and i not in pieces)
        return cls(counts=dict(counts), endings=_endings(counts))

    def count(self, word: str) -> int:
        return self.counts.get(word.lower(), 0)

    def is_ending(self, part: str) -> bool:
        """A frequent tail of words, far more often a tail than a word of its own.

        Short Kazakh particles ("да", "мен") are frequent endings too, but they also stand
        alone often; a piece of a split word ("ың", "нда") almost never does.
        """
        low = part.lower()
        tails = self.endings.get(low, 0)
        return tails >= MIN_ENDING_WORDS and self.count(low) * ENDING_RATIO < tails

    def __len__(self) -> int:
        return len(self.counts)


def _is_word(token: str) -> bool:
    return len(token) >= 2 and bool(_WORD.match(token))


def _tokens(line: str) -> list[tuple[str, bool]]:
    """(token, followed by whitespace) pairs of a line, LaTeX removed: the Kazakh spaCy tokenizer's
    tokens (:mod:`parsers.lang_kk`), cut by its rules in plain ``re`` (:mod:`parsers.tokens_kk`)."""
    from parsers.tokens_kk import tokenize

    return tokenize(_MATH.sub(" ", line))


def _endings(counts: Mapping[str, int]) -> dict[str, int]:
    endings: Counter[str] = Counter()
    for word in counts:
        for k in range(1, min(MAX_ENDING, len(word) - 2) + 1):
            endings[word[-k:]] += 1
    return dict(endings)


def _pieces_of_split_words(line: list[tuple[str, bool]], raw: Vocabulary) -> set[int]:
    """Indexes of tokens that are pieces of a split word, judged on the raw counts.

    Single letters; words touching a single lower-case letter ("ақпараттанды р у"); pairs that
    glue into a word met elsewhere ("цифрланды ру"); a word ending standing after a word
    ("бағдарламас ын").
    """
    out = {i for i, (t, _) in enumerate(line) if len(t) == 1 and t.isalpha()}
    for i in range(len(line) - 1):
        (a, space), (b, _) = line[i], line[i + 1]
        if not space:
            continue
        if len(a) == 1 and a.islower() or len(b) == 1 and b.islower():
            out.update((i, i + 1))
        elif _is_word(a) and b[:1].islower() and b.isalpha() and (raw.count(a + b) or raw.is_ending(b)):
            out.update((i, i + 1))
    return out


_CACHE: dict[tuple[str, ...], Vocabulary] = {}

# The vocabulary learnt from the corpus's Kazakh texts, shipped with the package so that reading a
# file never depends on the folder it is read from (regenerate: scripts/make_kk_vocabulary.py).
SHIPPED = Path(__file__).parent / "data" / "kk_vocabulary.json"
VOCABULARY_FORMAT = "legalkpi-kk-vocabulary/1"


def shipped() -> Vocabulary:
    """The vocabulary shipped in ``data/kk_vocabulary.json``, loaded once per process."""
    if "shipped" not in _SHIPPED:
        raw = json.loads(SHIPPED.read_text(encoding="utf-8"))
        counts = {str(k): int(v) for k, v in raw["counts"].items()}
        _SHIPPED["shipped"] = Vocabulary(counts=counts, endings=_endings(counts))
    return _SHIPPED["shipped"]


_SHIPPED: dict[str, Vocabulary] = {}


def vocabulary_json(vocab: Vocabulary, sources: Iterable[tuple[str, str]]) -> str:
    """The shipped file's text: sources (file, SHA-256) and word counts, in a fixed order."""
    data = {
        "format": VOCABULARY_FORMAT,
        "sources": [{"file": f, "sha256": h} for f, h in sorted(sources)],
        "counts": dict(sorted(vocab.counts.items())),
    }
    return json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n"


def vocabulary_for(texts: Iterable[str]) -> Vocabulary:
    """The vocabulary of these texts, learnt once per process (keyed by the texts themselves)."""
    key = tuple(texts)
    if key not in _CACHE:
        _CACHE[key] = Vocabulary.from_texts(key)
    return _CACHE[key]


def repair_spacing(text: str, vocab: Vocabulary) -> str:
    """``text`` with split words rejoined; lines are kept, LaTeX is untouched."""
    return "\n".join(_repair_line(line, vocab) for line in text.split("\n"))


def _repair_line(line: str, vocab: Vocabulary) -> str:
    if "$" not in line:  # no LaTeX: the whole line is prose
        return _repair_prose(line, vocab)
    parts = _MATH.split(line)
    for k in range(0, len(parts), 2):  # even parts are prose, odd parts are $...$
        parts[k] = _repair_prose(parts[k], vocab)
    return "".join(parts)


# A chunk of prose is what stands between two spaces, as (lead, core, trail): the punctuation
# before its first word character, the text from there to its last word character, the
# punctuation after it (a chunk without word characters is all lead).
_Chunk = tuple[str, str, str]
# One chunk and the space that closes it; :func:`_chunks` adds a space after the last one.
_CHUNK = re.compile(r"([^\w ]*)((?:[^ ]*\w)?)([^\w ]*) ")
_SPACES = re.compile(" +")


def _chunks(prose: str) -> list[_Chunk]:
    """The chunks of ``prose``, one per space-separated piece (single spaces, none at the ends)."""
    return _CHUNK.findall(prose + " ")


def _repair_prose(prose: str, vocab: Vocabulary) -> str:
    body = prose.strip(" ")
    if " " not in body:  # one chunk: nothing to join, no space to drop
        return prose
    lead = prose[: len(prose) - len(prose.lstrip(" "))]
    tail = prose[len(prose.rstrip(" ")) :]
    chunks = _join_glued(_join_letter_runs(_chunks(_SPACES.sub(" ", body))), vocab)
    text = " ".join([a + b + c for a, b, c in chunks])
    # each pattern needs a space before its mark: most texts have none of them
    if " ," in text or " ;" in text or " ." in text or " )" in text:
        text = _SPACE_BEFORE_PUNCT.sub("", text)
    if "( " in text:
        text = _SPACE_AFTER_PAREN.sub("(", text)
    if " -" in text:
        text = _SPACE_BEFORE_ENDING.sub("", text)
    return lead + text + tail


def _is_letter(core: str) -> bool:
    """A single Cyrillic letter."""
    return len(core) == 1 and "\u0400" <= core <= "\u04ff"


def _join_letter_runs(chunks: list[_Chunk]) -> list[_Chunk]:
    """Merge runs of single Cyrillic letters ("ж ә н е"): no Kazakh word is one letter long."""
    letter = [len(core) == 1 and "\u0400" <= core <= "\u04ff" for _, core, _ in chunks]  # _is_letter
    if sum(letter) < 2:
        return chunks
    out: list[_Chunk] = []
    i = 0
    while i < len(chunks):
        j = i
        while j + 1 < len(chunks) and letter[j] and letter[j + 1] and not chunks[j][2] and not chunks[j + 1][0]:
            j += 1
        if j > i:
            out.append((chunks[i][0], "".join(c[1] for c in chunks[i : j + 1]), chunks[j][2]))
        else:
            out.append(chunks[i])
        i = j + 1
    return out


def _join_glued(chunks: list[_Chunk], vocab: Vocabulary) -> list[_Chunk]:
    out: list[_Chunk] = [chunks[0]]
    for c in chunks[1:]:
        last = out[-1]
        if not last[2] and not c[0] and c[1][:1].islower() and _should_join(last[1], c[1], vocab):
            out[-1] = (last[0], last[1] + c[1], c[2])
        else:
            out.append(c)
    return out


def _should_join(left: str, right: str, vocab: Vocabulary) -> bool:
    # The tail of a word starts lower-case; an upper-case token begins a word of its own.
    if not (
        left and right and right[0].islower() and left[-1].isalpha() and right.replace("-", "").isalpha()
    ):
        return False
    if _is_letter(left) and left.isupper():
        return False
    counts, endings = vocab.counts, vocab.endings
    low = right.lower()
    joined = counts.get((left + right).lower(), 0)
    # A joined form met once may be a typo of the corpus itself (1157-kk prints "органдеректерінің"
    # where 124 prints "орган деректерінің"): met once, it decides only where the right piece is
    # short or ends other words too ("Еуропроток олдар"), not for a whole word of its own.
    if joined:
        once_is_enough = len(right) < 5 or endings.get(low, 0) > 0
        if joined > min(counts.get(left.lower(), 0), counts.get(low, 0)) and (joined >= 2 or once_is_enough):
            return True
    tails = endings.get(low, 0)
    if len(left) < 2 or not (tails >= MIN_ENDING_WORDS and counts.get(low.lower(), 0) * ENDING_RATIO < tails):  # is_ending
        return False
    # A one- or two-letter ending is glued only where the seam is attested too: the left word's
    # last letter followed by it must itself end known words ("өнеркәсіпті ң": "ің" does;
    # "дайындықта ы": "аы" ends none, the converter lost a letter there).
    return len(right) > 2 or endings.get((left[-1] + right).lower(), 0) >= MIN_ENDING_WORDS
