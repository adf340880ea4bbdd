"""Formulas and criteria as a reader means them; the interpreter's view of printed values.

The rules for numbers, dashes, targets, weights and units live in :mod:`legalkpi.values`, the
rules for spaces and letters in :mod:`legalkpi.text`; they are imported here under the names the
interpreter uses, so each rule still has one home.
"""

from __future__ import annotations

import re

from legalkpi.text import LOOKALIKES, fix_yo, fold_spaces, may_hold, unlatin
from legalkpi.values import (
    is_no_value,
    out_of_range,
    parse_number,
    parse_target,
    parse_weight,
    read_weight,
    unit_kind,
)

__all__ = [
    "LOOKALIKES", "fix_yo", "fold_spaces", "formula_kind", "is_no_value", "out_of_range", "parse_criteria",
    "parse_number", "parse_target", "parse_weight", "read_weight", "unit_kind", "unlatin",
]

_RATIO = re.compile(r"числитель|знаменатель|алымы|бөлімі", re.IGNORECASE)
_QUANT = re.compile(r"количественн\w* показател|сандық көрсеткіш", re.IGNORECASE)
_CRITERIA = re.compile(r"вес критериев|критери\w+ составляет|өлшемшарттардың жалпы салмағы|өлшемшарт", re.IGNORECASE)
_EXPRESSION = re.compile(r"=|\\frac|где:|мұндағы|\$", re.IGNORECASE)
# Every match of the pattern holds one of its words (the test before it: legalkpi.text.may_hold).
RATIO_WORDS = ("числитель", "знаменатель", "алымы", "бөлімі")
QUANT_WORDS = ("количественн", "сандық көрсеткіш")
CRITERIA_WORDS = ("критери", "өлшемшарт")


def formula_kind(text: str, images: int = 0) -> str:
    """ratio | quantitative | criteria | expression | text | missing."""
    t = text.strip()
    if not t and not images:
        return "missing"
    if may_hold(t, QUANT_WORDS) and _QUANT.search(t):
        return "quantitative"
    if may_hold(t, CRITERIA_WORDS) and _CRITERIA.search(t):
        return "criteria"
    if may_hold(t, RATIO_WORDS) and _RATIO.search(t):
        return "ratio"
    if _EXPRESSION.search(t) or images:
        return "expression"
    return "text"


# "30 % – проведение реинжиниринга…" one per line (DOCX) or run together with ";" (PDF text).
_CRITERION = re.compile(r"(?:^|[\n;:]\s*)[-•o]?\s*(\d+(?:[.,]\d+)?)\s*%\s*[–—]\s*(.+?)\s*(?=[;\n]|$)")


def parse_criteria(text: str) -> list[tuple[str, float]]:
    """'30 % – проведение реинжиниринга…' items -> [('проведение реинжиниринга…', 30.0), …]."""
    return [(m.group(2).strip().rstrip("."), float(m.group(1).replace(",", "."))) for m in _CRITERION.finditer(text)]
