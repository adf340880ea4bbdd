"""A small Kazakh language for spaCy (spaCy ships none), modelled on ``spacy.lang.ky`` / ``tt``.

Only what a blank pipeline needs to cut Kazakh legal text into words: tokenizer exceptions
for the usual abbreviations and infix rules that keep hyphenated words ("бизнес-процесс",
"ЖИ-ді", "100-ге") and abbreviations with dots together. No statistical model: none can be
downloaded, and word repair only needs the tokens. Importing this module registers the
language as ``"kk"``, so ``spacy.blank("kk")`` works afterwards. Import it lazily: it imports
spaCy, which is slow to load. legalkpi itself no longer does: these rules are exported to
``data/kk_tokenizer.json`` (``scripts/make_kk_tokenizer.py``) and run by :mod:`parsers.tokens_kk`;
spaCy (a test dependency) stays the reference the tests compare with.
"""

from __future__ import annotations

from spacy.lang.char_classes import (
    ALPHA,
    ALPHA_LOWER,
    ALPHA_UPPER,
    CONCAT_QUOTES,
    HYPHENS,
    LIST_ELLIPSES,
    LIST_ICONS,
)
from spacy.lang.tokenizer_exceptions import BASE_EXCEPTIONS
from spacy.language import BaseDefaults, Language
from spacy.symbols import NORM, ORTH
from spacy.util import registry, update_exc

# Abbreviations met in Kazakh acts: a dot inside them must not end a sentence or split a token.
_ABBREVIATIONS = {
    "ж.б.": "және басқа",
    "т.б.": "тағы басқа",
    "т.с.с.": "тағы сол сияқты",
    "ағылш.": "ағылшынша",
    "млн.": "миллион",
    "млрд.": "миллиард",
    "мың.": "мың",
    "ж.": "жыл",
    "жж.": "жылдар",
    "б.": "бап",
    "тт.": "тармақтар",
}


def _exceptions() -> dict[str, list[dict[int, str]]]:
    exc: dict[str, list[dict[int, str]]] = {}
    for orth, norm in _ABBREVIATIONS.items():
        for form in (orth, orth.capitalize()):
            exc[form] = [{ORTH: form, NORM: norm}]
    return update_exc(BASE_EXCEPTIONS, exc)


_HYPHENS_NO_DASH = HYPHENS.replace("-", "").strip("|").replace("||", "")

# As in Kyrgyz and Tatar: split off punctuation between letters, but not the plain hyphen that
# joins Kazakh compounds and case endings to numbers and abbreviations ("ЖИ-ді", "100-ге").
TOKENIZER_INFIXES = (
    LIST_ELLIPSES
    + LIST_ICONS
    + [
        rf"(?<=[{ALPHA_LOWER}])\.(?=[{ALPHA_UPPER}])",
        rf"(?<=[{ALPHA}])[,!?/()]+(?=[{ALPHA}])",
        rf"(?<=[{ALPHA}{CONCAT_QUOTES}])[:<>=](?=[{ALPHA}])",
        rf"(?<=[{ALPHA}])--(?=[{ALPHA}])",
        rf"(?<=[{ALPHA}])([{CONCAT_QUOTES}\)\]\(\[])(?=[\-{ALPHA}])",
        rf"(?<=[{ALPHA}])(?:{_HYPHENS_NO_DASH})(?=[{ALPHA}])",
    ]
)

TOKENIZER_EXCEPTIONS = _exceptions()


class KazakhDefaults(BaseDefaults):
    tokenizer_exceptions = TOKENIZER_EXCEPTIONS
    infixes = TOKENIZER_INFIXES


@registry.languages("kk")
class Kazakh(Language):
    lang = "kk"
    Defaults = KazakhDefaults


__all__ = ["Kazakh"]
