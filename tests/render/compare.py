"""Compare what ``legalkpi`` extracted with the hand-written record, field by field as a person would."""

from __future__ import annotations

import re
from typing import Any

from render import ActSpec, Expected, expected, fold

_NUMBER = re.compile(r"^(\d+(?:,\d+)?)(?:\s*%)?$")
_GROWTH = re.compile(r"^(?:рост на\s+(\d+(?:,\d+)?)\s*%|(\d+(?:,\d+)?)\s*%-ға өсу)$")
DASHES = ("–", "—", "-")


def printed_number(ind: Any) -> str:
    """The row number as printed ("1", "1.1")."""
    text = getattr(ind, "number_text", None)
    return text if text else str(ind.number)


def got(record: Any) -> list[Expected]:
    """The extracted indicators in the shape of :class:`render.Expected`."""
    return [
        Expected(
            section_ordinal=ind.section.ordinal,
            section_title=fold(ind.section.title),
            agency_id=ind.section.agency_id,
            part=fold(ind.part.title),
            number=printed_number(ind),
            name=fold(ind.name),
            unit=fold(ind.unit),
            values=tuple((v.year, fold(v.target_text), fold(v.weight_text)) for v in ind.values),
            formula=fold(ind.formula.text),
        )
        for ind in record.indicators
    ]


def want(act: ActSpec) -> list[Expected]:
    """The hand-written records; an unnumbered section title is the general block, ordinal 0."""
    out = []
    for e in expected(act):
        out.append(Expected(**{**e.__dict__, "section_ordinal": e.section_ordinal if e.section_ordinal is not None else 0}))
    return out


def target_value(printed: str) -> float | None:
    """What a person reads as the number of a printed target: "99,74" -> 99.74, "рост на 15 %" -> 15."""
    t = fold(printed)
    if t in DASHES:
        return None
    m = _NUMBER.match(t) or _GROWTH.match(t)
    assert m is not None, f"the test's own acts print only numbers, growth or dashes: {t!r}"
    return float(next(g for g in m.groups() if g).replace(",", "."))


def assert_same(record: Any, act: ActSpec) -> None:
    """Every indicator of ``act`` and nothing else, with the same fields, in order; numbers as read."""
    g, w = got(record), want(act)
    assert g == w, describe_difference(g, w)
    assert_numbers_as_read(record)


def assert_numbers_as_read(record: Any) -> None:
    """Every target and weight's number is the one a person reads in its printed text."""
    for ind in record.indicators:
        for v in ind.values:
            assert v.target == target_value(v.target_text), (ind.id, v.year, v.target_text)
            weight = fold(v.weight_text)
            assert v.weight == (None if weight in DASHES or not weight else target_value(weight)), (ind.id, v.year, weight)


def describe_difference(got_: list[Expected], want_: list[Expected]) -> str:
    """The first differing indicator, field by field, for a readable failure."""
    lines = [f"{len(got_)} indicators extracted, {len(want_)} hand-written"]
    for k, (a, b) in enumerate(zip(got_, want_, strict=False)):
        if a != b:
            lines.append(f"first difference at indicator #{k} (hand-written number {b.number}):")
            for name in Expected.__dataclass_fields__:
                va, vb = getattr(a, name), getattr(b, name)
                if va != vb:
                    lines.append(f"  {name}: extracted {va!r}\n  {' ' * len(name)}  expected  {vb!r}")
            break
    else:
        extra = got_[len(want_) :] or want_[len(got_) :]
        lines.append(f"one list is a prefix of the other; first unmatched: {extra[:1]!r}")
    return "\n".join(lines)
