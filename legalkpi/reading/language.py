"""Which language a text is written in — Russian or Kazakh — read from the text itself.

Kazakh Cyrillic has nine letters Russian lacks (ә ғ қ ң ө ұ ү һ і); a Kazakh text uses them in
about one letter in ten, a Russian one (names aside) almost never. Converters of Kazakh PDFs put a
Latin "i" for "і", so that letter between Cyrillic letters counts too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_KAZAKH = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁәғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_LATIN_I_IN_WORD = re.compile(r"(?<=[а-яәғқңөұүһі])i|i(?=[а-яәғқңөұүһі])", re.IGNORECASE)
KAZAKH_SHARE = 0.02  # Kazakh texts of the corpus: 5–9 % of Cyrillic letters; Russian: under 0.2 %
MIN_LETTERS = 200  # fewer Cyrillic letters than this: too little text to tell


def detect(texts: Iterable[str]) -> str | None:
    """``"kk"``, ``"ru"``, or None when the text has too few Cyrillic letters to tell."""
    text = "\n".join(texts)
    letters = len(_CYRILLIC.findall(text))
    if letters < MIN_LETTERS:
        return None
    kazakh = sum(1 for ch in text if ch in _KAZAKH) + len(_LATIN_I_IN_WORD.findall(text))
    return "kk" if kazakh / letters >= KAZAKH_SHARE else "ru"


def of_record(record: object) -> str | None:
    """The language of an extracted act, from its indicator names, formulas and section titles."""
    indicators = getattr(record, "indicators", [])
    return detect(
        [getattr(getattr(record, "act", None), "title", "") or ""]
        + [f"{i.name}\n{i.formula.text}\n{i.section.title}" for i in indicators]
    )


NAMES = {"ru": "Russian", "kk": "Kazakh"}
