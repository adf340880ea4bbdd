"""The regex tokenizer gives spaCy's Kazakh tokens, without spaCy, in linear time.

The reference is spaCy's tokenizer with the language of parsers/lang_kk.py (a different
implementation: Cython over the same rules), on every line of the corpus texts, on strings a person
chose because they exercise each rule, and on generated strings.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.tokens_kk import tokenize

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def nlp():
    import spacy

    import parsers.lang_kk  # noqa: F401

    return spacy.blank("kk")


def spacy_tokens(nlp, text: str) -> list[tuple[str, bool]]:
    return [(t.text, bool(t.whitespace_)) for t in nlp.make_doc(text) if not t.is_space]


def test_same_tokens_on_every_corpus_line(nlp):
    lines = [ln for p in sorted((ROOT / "corpus").glob("*.txt")) for ln in p.read_text(encoding="utf-8").splitlines()]
    assert len(lines) > 5000
    differ = [ln for ln in lines if tokenize(ln) != spacy_tokens(nlp, ln)]
    assert differ == []


TRICKY = [
    "ЖИ-ді 100-ге бизнес-процесс",  # hyphens kept inside words and after numbers
    "ж.б. т.б. Т.б. ж. 2025 ж. (ж.б.)",  # abbreviations, also inside brackets
    "«Қазақстан» (өнеркәсіп) [1] {2}",  # quotes and brackets
    "20 %-ға 99,74 1 000,5 5%",  # numbers, percent with an ending
    "сөз...сөз … сөз.. . ,",  # ellipses, stray dots and commas
    "https://egov.kz/cms/kk?x=1 www.adilet.zan.kz info@gov.kz",  # URLs and e-mail
    "a/b ЭҮ/АЖ қала:ауыл x=y 'тырнақша' \"екі\"",  # infixes
    ":) :-( <3 (:) °C. 10km 5$ $5",  # emoticons, units, currencies
    "  екі  бос орын\tтаб\u00a0nbsp ",  # several spaces, tab, no-break space
    "Э Ү ақпараттанды р у объектілеріні ң",  # a split-word line of 1157-kk
    "",
    " ",
    "((((())))))",
    "....",
]


@pytest.mark.parametrize("text", TRICKY)
def test_same_tokens_on_tricky_strings(nlp, text):
    assert tokenize(text) == spacy_tokens(nlp, text)


ALPHABET = st.sampled_from(
    list("аәбвгғдеёжзийкқлмнңоөпрсстуұүфхһцчшщъыіьэюяАӘБҚҢӨҰҮІabcxyzXYZ0123456789")
    + list(" \t.,;:!?-–—()[]{}«»\"'/%$№+=*&@#<>…°^_~|\\")
)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_same_tokens_on_generated_strings(nlp, text):
    assert tokenize(text) == spacy_tokens(nlp, text)


def test_long_runs_of_brackets_take_linear_time():
    """spaCy took quadratic time on "[[[[…" (minutes for a long line) and refuses texts over
    nlp.max_length (E088); the regex tokenizer cuts both in one pass, token by token."""
    text = "[" * 200_000 + "сөз" + "]" * 200_000
    tokens = tokenize(text)
    assert len(tokens) == 400_001
    assert tokens[200_000] == ("сөз", False)
    dots = tokenize("а" + "." * 300_000)
    assert [t for t, _ in dots] == ["а", "." * 300_000]
    long_line = "сөз " * 400_000  # 1.6 million characters: above spaCy's max_length
    assert len(tokenize(long_line)) == 400_000


def test_word_repair_does_not_import_spacy():
    code = (
        "import sys\n"
        "from parsers.words import repair_spacing, Vocabulary\n"
        "v = Vocabulary.from_texts(['платформасында платформасында іске асыру'])\n"
        "print(repair_spacing('платформасы нда іске', v))\n"
        "assert 'spacy' not in sys.modules, 'spacy imported'\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "платформасында іске"


def test_shipped_rules_are_current():
    """data/kk_tokenizer.json is what scripts/make_kk_tokenizer.py exports from lang_kk.py today."""
    proc = subprocess.run([sys.executable, "scripts/make_kk_tokenizer.py", "--check"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
