"""Normalisation of printed values as a user reads them.

Decimal commas, thousands spaces, dashes meaning "no target", growth targets ("рост на 15 %",
"15 %-ға өсу"), units ("%", "ед.", "бірлік", "бірл."), and the "Ұ" a converter wrote for
Russian "ё". Each function takes the printed text and returns the value; the printed text is
kept by the caller beside it.
"""

from __future__ import annotations

import math
import re

NO_VALUE = {"", "-", "–", "—", "−", "х", "x"}
_SPACE_CHARS = "\u00a0\u2007\u202f\u2009 "
_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
_GROWTH = re.compile(
    r"(?:рост|увеличение|прирост)\s+на\s+(?P<a>\d+(?:[.,]\d+)?)\s*%|(?P<b>\d+(?:[.,]\d+)?)\s*%\s*-?\s*(?:ға|ге|қа|ке)\s+(?:өсу|артуы|арту)",
    re.IGNORECASE,
)
_FIRST_NUMBER = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*%?\s*$")


def fold_spaces(text: str) -> str:
    return re.sub(r"[\s\u00a0\u2007\u202f]+", " ", text).strip()


def parse_number(text: str) -> float | None:
    """'99,74' -> 99.74; '4 013 104' -> 4013104; '100 %' -> 100; '–' -> None. None when not a number."""
    t = text.strip()
    for ch in _SPACE_CHARS:
        t = t.replace(ch, "")
    t = t.rstrip("%").strip()
    if t in NO_VALUE:
        return None
    t = t.replace(",", ".")
    if not _NUMBER.match(t):
        return None
    return _finite(float(t))


def _finite(x: float) -> float | None:
    """A number too large for a float (a 400-digit target) is no number: its printed text stays."""
    return x if math.isfinite(x) else None


def out_of_range(text: str) -> bool:
    """Printed digits too many for a number (they stay text, with a warning)."""
    t = fold_spaces(text).replace(" ", "").rstrip("%").replace(",", ".")
    return bool(_NUMBER.match(t)) and not math.isfinite(float(t))


def is_no_value(text: str) -> bool:
    return fold_spaces(text).strip(".") in NO_VALUE


def parse_target(text: str) -> tuple[float | None, str]:
    """A printed target -> (value, kind) with kind 'level', 'growth' or 'none'.

    'рост на 15 %' and '15 %-ға өсу' are growth targets of 15; a dash means no target that year.
    Anything else unreadable comes back as (None, 'text') so checks can flag it.
    """
    t = fold_spaces(text)
    if is_no_value(t):
        return None, "none"
    g = _GROWTH.search(t)
    if g:
        growth = _finite(float((g.group("a") or g.group("b")).replace(",", ".")))
        return (growth, "growth") if growth is not None else (None, "text")
    value = parse_number(t)
    if value is not None:
        return value, "level"
    return None, "text"


def parse_weight(text: str) -> float | None:
    """'5 %' -> 5.0; '10%' -> 10.0; '0' -> 0.0; '' or '–' -> None."""
    t = fold_spaces(text)
    if is_no_value(t):
        return None
    m = _FIRST_NUMBER.match(t)
    return _finite(float(m.group(1).replace(",", "."))) if m else None


_UNIT_KINDS = {
    "percent": ("%", "процент", "пайыз"),
    "count": ("ед", "единиц", "бірлік", "бірл", "саны", "шт", "eд"),
}


def unit_kind(unit: str) -> str:
    """'%' -> percent; 'ед.'/'бірлік'/'бірл.' -> count; '' -> missing; else other."""
    u = unlatin(fold_spaces(unit)).lower().strip(".")
    if not u:
        return "missing"
    for kind, marks in _UNIT_KINDS.items():
        if any(u == m or u.startswith(m) for m in marks):
            return kind
    return "other"


# A converter wrote "Ұ" (Kazakh U with stroke) where Russian text had "ё": "счҰт" -> "счёт".
# Inside a Russian word it can only be "ё"; in Kazakh text it is a real letter and is left alone.
_YO = re.compile(r"(?<=[а-яё])Ұ(?=[а-яё]|\b)")


def fix_yo(text: str, lang: str) -> str:
    return _YO.sub("ё", text) if lang == "ru" else text


_RATIO = re.compile(r"числитель|знаменатель|алымы|бөлімі", re.IGNORECASE)
_QUANT = re.compile(r"количественн\w* показател|сандық көрсеткіш", re.IGNORECASE)
_CRITERIA = re.compile(r"вес критериев|критери\w+ составляет|өлшемшарттардың жалпы салмағы|өлшемшарт", re.IGNORECASE)
_EXPRESSION = re.compile(r"=|\\frac|где:|мұндағы|\$", re.IGNORECASE)


def formula_kind(text: str, images: int = 0) -> str:
    """ratio | quantitative | criteria | expression | text | missing."""
    t = text.strip()
    if not t and not images:
        return "missing"
    if _QUANT.search(t):
        return "quantitative"
    if _CRITERIA.search(t):
        return "criteria"
    if _RATIO.search(t):
        return "ratio"
    if _EXPRESSION.search(t) or images:
        return "expression"
    return "text"


# "30 % – проведение реинжиниринга…" one per line (DOCX) or run together with ";" (PDF text).
_CRITERION = re.compile(r"(?:^|[\n;:]\s*)[-•o]?\s*(\d+(?:[.,]\d+)?)\s*%\s*[–—]\s*(.+?)\s*(?=[;\n]|$)")


def parse_criteria(text: str) -> list[tuple[str, float]]:
    """'30 % – проведение реинжиниринга…' items -> [('проведение реинжиниринга…', 30.0), …]."""
    return [(m.group(2).strip().rstrip("."), float(m.group(1).replace(",", "."))) for m in _CRITERION.finditer(text)]


# Latin letters that look like Cyrillic ones, as converters sometimes leave them ("бiрлiк").
LOOKALIKES = str.maketrans("aceiopxyACEHIKMOPTXY", "асеіорхуАСЕНІКМОРТХУ")


def unlatin(text: str) -> str:
    """Cyrillic for Latin look-alikes inside a Cyrillic word; Latin words (eGov, KazLLM) stay."""
    return re.sub(r"\w+", lambda m: m.group(0).translate(LOOKALIKES) if re.search(r"[а-яәғқңөұүһі]", m.group(0), re.I) else m.group(0), text)
