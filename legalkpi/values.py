"""Values as a reader means them: the one home of numbers, dashes, targets, weights, units and
directions, used alike by acts (:mod:`legalkpi.reading.extract`), reports (:mod:`legalkpi.reading.report`) and
checks (:mod:`legalkpi.checking.checks`, :mod:`legalkpi.checking.score`).

Each function takes the printed text and returns the value; callers keep the printed text beside
it. Printed figures: decimal comma, thousands separated by spaces ("4 013 104"), a sign, a "%"
or a scale word after the figure ("4,05 млрд"); dashes, "х" and "н/д" mean "no value".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from legalkpi.text import SPACE_CHARS, fold_spaces, unlatin

# --- no value ---------------------------------------------------------------------------------

DASHES = "-‐‑‒–—―−"
NO_VALUE_WORDS = frozenset({"х", "x", "н/д"})
_DASH_SET = frozenset(DASHES)


def is_no_value(text: str) -> bool:
    """Blank, a dash (or a run of dashes), "х" or "н/д": the cell says "no value"."""
    t = fold_spaces(text).strip(".").lower()
    return not t or _DASH_SET.issuperset(t) or t in NO_VALUE_WORDS


# --- numbers ----------------------------------------------------------------------------------

_GAP = f"[{SPACE_CHARS}]"
_GAPS = re.compile(_GAP)
_FIGURE = re.compile(
    rf"^(?P<sign>[+{re.escape(DASHES)}])?{_GAP}*(?P<num>\d{{1,3}}(?:{_GAP}\d{{3}})+|\d+)(?:[.,](?P<frac>\d+))?{_GAP}*(?P<rest>.*)$",
    re.DOTALL,
)
# Multipliers printed after a figure ("4,05 млрд", "12 млн тенге"): the value keeps its real scale.
SCALES: tuple[tuple[str, Decimal], ...] = (
    ("млрд", Decimal(10) ** 9),
    ("млн", Decimal(10) ** 6),
    ("тыс", Decimal(10) ** 3),
)
_SUFFIX = re.compile(r"%?|[^\W\d_][\w.\s%]*")


@dataclass(frozen=True)
class Num:
    """One printed figure: its value (exact decimal) and the text it was read from."""

    text: str
    value: Decimal | None
    kind: str  # "number" | "none" (a dash, blank) | "unreadable"
    decimals: int = 0  # digits printed after the decimal comma
    suffix: str = ""  # what follows the figure ("%", "млрд тенге")

    @property
    def is_number(self) -> bool:
        return self.value is not None

    def as_float(self) -> float | None:
        """The value as a float; None when there is none or it is too large for one (it stays text)."""
        return finite(float(self.value)) if self.value is not None else None

    def to_dict(self) -> dict[str, object]:
        return {"text": self.text, "value": self.as_float(), "kind": self.kind}


def _num(text: str, value: Decimal | None, kind: str, decimals: int = 0, suffix: str = "") -> Num:
    """``Num(text, value, kind, decimals, suffix)``, the fields set straight into the new object's
    ``__dict__``: the frozen dataclass's ``__init__`` (one ``object.__setattr__`` a field) was the
    larger part of reading a figure. The same object, field for field."""
    n = _new_object(Num)
    d = n.__dict__
    d["text"] = text
    d["value"] = value
    d["kind"] = kind
    d["decimals"] = decimals
    d["suffix"] = suffix
    return n


_new_object = object.__new__


def read_number(text: str) -> Num:
    """Read one printed figure from the first line of a cell.

    '99,74' -> 99.74; '4 013 104' -> 4013104; '100 %' -> 100; '4,05 млрд' -> 4050000000;
    '–', '', 'н/д' -> kind "none"; two figures, a range or words -> kind "unreadable".
    """
    s = (text or "").strip().split("\n")[0].strip()
    if is_no_value(s):
        return _num(s, None, "none")
    m = _FIGURE.match(s)
    if not m:
        return _num(s, None, "unreadable")
    rest = m.group("rest").strip()
    if not _SUFFIX.fullmatch(rest):
        # digits or signs after the figure: two figures in one cell, or a range — not one value
        return _num(s, None, "unreadable")
    digits = m.group("num")
    if not digits.isdigit():  # thousands separated by spaces
        digits = _GAPS.sub("", digits)
    frac = m.group("frac") or ""
    try:
        value = Decimal(f"{digits}.{frac}" if frac else digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return _num(s, None, "unreadable")
    sign = m.group("sign")
    if sign and sign != "+":
        value = -value
    if rest:  # "%" or a word: maybe a scale
        low = rest.lower()
        for word, scale in SCALES:
            if low.startswith(word):
                value *= scale
                break
    return _num(s, value, "number", len(frac), rest)


def finite(x: float) -> float | None:
    """A number too large for a float (a 400-digit target) is no number: its printed text stays."""
    return x if math.isfinite(x) else None


def out_of_range(text: str) -> bool:
    """A printed figure with too many digits for a number (it stays text, with a warning)."""
    return _too_large(read_number(fold_spaces(text)))


def _too_large(n: Num) -> bool:
    return n.value is not None and not math.isfinite(float(n.value))


def parse_number(text: str) -> float | None:
    """The cell as a float when it holds one figure and nothing else but "%" or a scale word.

    '99,74' -> 99.74; '4 013 104' -> 4013104; '100 %' -> 100; '2025 год', '19,2\n…' -> None.
    """
    if "\n" in text.strip():
        return None
    n = read_number(text)
    if n.suffix not in ("", "%") and not n.suffix.lower().startswith(tuple(w for w, _ in SCALES)):
        return None
    return n.as_float()


# --- targets and weights ------------------------------------------------------------------------

_GROWTH = re.compile(
    r"(?:рост|увеличение|прирост)\s+на\s+(?P<a>\d+(?:[.,]\d+)?)\s*%"
    r"|(?P<b>\d+(?:[.,]\d+)?)\s*%\s*-?\s*(?:ға|ге|қа|ке)\s+(?:өсу|артуы|арту)",
    re.IGNORECASE,
)


def parse_target(text: str) -> tuple[float | None, str]:
    """A printed target -> (value, kind) with kind 'level', 'growth', 'none' or 'text'.

    'рост на 15 %' and '15 %-ға өсу' are growth targets of 15; a dash means no target that year.
    Anything else unreadable comes back as (None, 'text') so checks can flag it.
    """
    t = fold_spaces(text)
    if is_no_value(t):
        return None, "none"
    g = _GROWTH.search(t) if "%" in t else None  # a growth target is a percentage
    if g:
        growth = finite(float((g.group("a") or g.group("b")).replace(",", ".")))
        return (growth, "growth") if growth is not None else (None, "text")
    value = parse_number(t)
    if value is not None:
        return value, "level"
    return None, "text"


def parse_weight(text: str) -> float | None:
    """'5 %' -> 5.0; '10%' -> 10.0; '0' -> 0.0; '' or '–' -> None; words -> None."""
    return _weight(read_number(fold_spaces(text)))


def _weight(n: Num) -> float | None:
    return n.as_float() if n.suffix in ("", "%") else None


def read_weight(text: str) -> tuple[float | None, bool]:
    """(:func:`parse_weight`, :func:`out_of_range`) of a weight cell, from one reading of its figure."""
    n = read_number(fold_spaces(text))
    return _weight(n), _too_large(n)


# --- units ------------------------------------------------------------------------------------

UNIT_KINDS: dict[str, tuple[str, ...]] = {
    "percent": ("%", "процент", "пайыз"),
    "count": ("ед", "единиц", "бірлік", "бірл", "саны", "шт", "кол-во", "количество"),
}


def unit_kind(unit: str) -> str:
    """'%' -> percent; 'ед.', 'eд' (Latin e), 'бірлік', 'кол-во' -> count; '' or a dash -> missing; else other."""
    u = unlatin(fold_spaces(unit)).lower().strip(".")
    if is_no_value(u):
        return "missing"
    for kind, marks in UNIT_KINDS.items():
        if any(u == m or u.startswith(m) for m in marks):
            return kind
    return "other"


# --- directions -------------------------------------------------------------------------------

# Which way an indicator should go, read from its name. The head of the name says it: the first
# two words in Russian, the last one in Kazakh ("Снижение …", "… азайту"). A share of cases that
# took longer than a time limit ("Доля … заняло свыше 4 часов") should fall however it is headed:
# more such cases is worse. A share of offences *detected* goes up, so "правонарушений" is no cue.
_CUES: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("down", "fall", re.compile(r"^(сниж|сокращ|уменьш|азайт|қысқарт|төмендет)", re.IGNORECASE)),
    ("up", "share", re.compile(r"^(доля|долю|үлесі|үлесін)$", re.IGNORECASE)),
    ("up", "rise", re.compile(r"^(увелич|рост|прирост|повыш|ұлғайт|арттыру$|өсу$|өсуі$|көбейт)", re.IGNORECASE)),
    ("up", "count", re.compile(r"^(количеств|число|саны$|санын$)", re.IGNORECASE)),
)
_OVER_LIMIT = re.compile(
    r"\b(свыше|более|больше)\s+\d+\s*(час|мин|сут|дн|дней|недел|месяц)"
    r"|\d+\s*(сағат|минут|тәулік|күн|апта|ай)\w*\s+(астам|артық)",
    re.IGNORECASE,
)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_TAG = re.compile(r"</?p>")
_PARENS = re.compile(r"\([^()]*\)")
_SENTENCE_END = re.compile(r"[.:;](?=\s|$)")
_LETTERS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def head_clause(name: str) -> str:
    """The first sentence of the first paragraph of a name, without parentheses and tags."""
    first = PARAGRAPH_BREAK.split(_TAG.sub(" ", name).strip(), maxsplit=1)[0]
    return _SENTENCE_END.split(_PARENS.sub(" ", first), maxsplit=1)[0]


def head_words(name: str, lang: str) -> list[str]:
    """The words of a name that say which way it goes: first two (Russian) or last one (Kazakh)."""
    words = _LETTERS.findall(head_clause(name))
    return words[-1:] if lang == "kk" else words[:2]


def direction_cue(name: str, lang: str) -> tuple[str, str] | None:
    """("up"|"down", cue) read from the name, or None when it names no direction."""
    words = head_words(name, lang)
    for word in words:
        if _CUES[0][2].search(word):
            return "down", "fall"
    if _OVER_LIMIT.search(head_clause(name)):
        return "down", "over-limit"
    for word in words:
        for way, cue, pattern in _CUES[1:]:
            if pattern.search(word):
                return way, cue
    return None


def is_share(name: str, lang: str) -> bool:
    """Whether the head of the name says it is a share ("Доля …", "… үлесі")."""
    return any(_CUES[1][2].search(w) for w in head_words(name, lang))


def direction(name: str, lang: str) -> str | None:
    """'up', 'down' or None."""
    cue = direction_cue(name, lang)
    return cue[0] if cue else None
