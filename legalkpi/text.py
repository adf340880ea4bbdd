"""Text as a reader compares it: the one home of whitespace and letter rules.

Part of the shared base (it imports nothing of legalkpi), so readers and core use the same rules:
which characters are spaces, Latin letters that look like Cyrillic ones, the "Ұ" a converter wrote
for Russian "ё", and the key under which two spellings of one text compare equal.
"""

from __future__ import annotations

import re

# Characters converters print as spaces: no-break, figure, narrow no-break, thin.
SPACE_CHARS = " \u00a0\u2007\u202f\u2009"
_INLINE = re.compile(f"[\t{SPACE_CHARS}]+")
# White space is ``\s`` and the converters' spaces, which are white space to Python too
# (str.isspace, the test ``\s`` and str.split() both use): fold_spaces and drop_spaces cut with
# str.split(), several times faster than the pattern [\s{SPACE_CHARS}]+ they once used.


def fold_spaces(text: str) -> str:
    """Every run of white space (line breaks included) becomes one space; ends trimmed."""
    return " ".join(text.split())


def fold_inline(text: str) -> str:
    """Runs of spaces and tabs inside a line become one space; line breaks stay; ends trimmed."""
    if not _is_folded_inline(text):
        text = _INLINE.sub(" ", text)
    return text.strip()


def _is_folded_inline(text: str) -> bool:
    """No tab, no converter space and no two spaces in a row: every run fold_inline folds is one
    plain space already (most cells), so the text need not go through the pattern."""
    return not (
        "  " in text or "\t" in text or "\u00a0" in text or "\u2007" in text or "\u202f" in text or "\u2009" in text
    )


def drop_spaces(text: str) -> str:
    """The text with every space character removed ("4 013 104" -> "4013104")."""
    return "".join(text.split())


# Letters a case-insensitive pattern takes for a Cyrillic letter although str.lower() makes no such
# letter of them: the "rounded ve", "narrow o", "tall te" … of Cyrillic Extended-C (U+1C80-U+1C88).
_CASE_ODD = re.compile("[\u1c80-\u1c88]")


def may_hold(text: str, words: tuple[str, ...]) -> bool:
    """False only when none of ``words`` (lower case Cyrillic) occurs in ``text`` case-insensitively:
    a quick test before a case-insensitive pattern that matches only where one of them occurs
    (such patterns scan Cyrillic text slowly, and most cells hold none of their words)."""
    if _CASE_ODD.search(text):
        return True
    low = text.lower()
    for w in words:
        if w in low:
            return True
    return False


# Latin letters that look like Cyrillic ones, as converters sometimes leave them ("бiрлiк", "eд").
LOOKALIKES = str.maketrans("aceiopxyABCEHIKMOPTXY", "асеіорхуАВСЕНІКМОРТХУ")
_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_WORD = re.compile(r"\w+")


_LOOKALIKE = re.compile("[" + re.escape("".join(map(chr, LOOKALIKES))) + "]")  # any letter unlatin replaces


def unlatin(text: str) -> str:
    """Cyrillic for Latin look-alikes inside a Cyrillic word; Latin words (eGov, KazLLM) stay."""
    if not _LOOKALIKE.search(text):  # no look-alike letter: nothing to replace (most texts)
        return text
    return _WORD.sub(lambda m: m.group(0).translate(LOOKALIKES) if _CYRILLIC.search(m.group(0)) else m.group(0), text)


# A converter wrote "Ұ" (Kazakh U with stroke) where Russian text had "ё": "счҰт" -> "счёт".
# Inside a Russian word it can only be "ё"; in Kazakh text it is a real letter and is left alone.
_YO = re.compile(r"(?<=[а-яё])Ұ(?=[а-яё]|\b)")


def fix_yo(text: str, lang: str) -> str:
    return _YO.sub("ё", text) if lang == "ru" else text


def compare_key(text: str) -> str:
    """The form under which two spellings compare equal: spaces folded, "ё" as "е", lower case."""
    return fold_spaces(text.replace("ё", "е").replace("Ё", "Е")).lower()
