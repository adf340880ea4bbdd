"""The value rules, one table per rule (legalkpi.values, legalkpi.text).

Every row is a printed text as it stands in the corpus or in an act of the same kind, and what a
reader means by it. Acts, reports and checks all read values through these functions.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from legalkpi.text import compare_key, fix_yo, fold_inline, fold_spaces, unlatin
from legalkpi.values import (
    direction,
    is_no_value,
    is_share,
    parse_number,
    parse_target,
    parse_weight,
    read_number,
    unit_kind,
)

# --- numbers: read_number keeps the exact value, the printed decimals and what follows ---------


@pytest.mark.parametrize(
    ("text", "value", "decimals", "suffix"),
    [
        ("156 710", Decimal("156710"), 0, ""),
        ("81 488 ", Decimal("81488"), 0, ""),  # trailing space in МТСЗН row 3 of the report
        ("4 013 104", Decimal("4013104"), 0, ""),
        ("3 714 388,81", Decimal("3714388.81"), 2, ""),
        ("43,1", Decimal("43.1"), 1, ""),
        ("1537", Decimal("1537"), 0, ""),
        ("3,75", Decimal("3.75"), 2, ""),
        ("4,05 млрд", Decimal("4050000000"), 2, "млрд"),
        ("628,54 млрд тенге", Decimal("628540000000"), 2, "млрд тенге"),
        ("12 млн", Decimal("12000000"), 0, "млн"),
        ("5 %", Decimal("5"), 0, "%"),
        ("99.5", Decimal("99.5"), 1, ""),
        ("−3", Decimal("-3"), 0, ""),
        ("1\u00a0165\u00a0218", Decimal("1165218"), 0, ""),
    ],
)
def test_read_number(text: str, value: Decimal, decimals: int, suffix: str) -> None:
    n = read_number(text)
    assert (n.value, n.kind, n.decimals, n.suffix) == (value, "number", decimals, suffix)


@pytest.mark.parametrize(("text", "kind"), [
    ("-", "none"), ("--", "none"), ("–", "none"), ("—", "none"), ("", "none"), ("  ", "none"),
    ("х", "none"), ("н/д", "none"),
    ("12 5", "unreadable"),  # not a thousands group: two figures, not 125
    ("10-15", "unreadable"), ("около ста", "unreadable"),
])  # fmt: skip
def test_read_number_refuses(text: str, kind: str) -> None:
    n = read_number(text)
    assert (n.value, n.kind) == (None, kind)


@pytest.mark.parametrize(("text", "value"), [
    ("99,74", 99.74), ("4 013 104", 4013104.0), ("100 %", 100.0), ("0", 0.0), ("4,05 млрд", 4.05e9),
    ("2025 год", None),  # a header, not a figure
    ("19,2\nСогласно обработанным данным", None),  # a figure followed by prose is no single value
    ("–", None), ("н/д", None), ("1 2", None),
])  # fmt: skip
def test_parse_number_takes_a_cell_that_is_one_figure(text: str, value: float | None) -> None:
    assert parse_number(text) == value


# --- no value ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "none"), [
    ("-", True), ("–", True), ("—", True), ("−", True), ("--", True), ("", True), ("х", True),
    ("x", True), ("н/д", True), ("Н/Д", True), ("0", False), ("5 %", False), ("рост", False),
])  # fmt: skip
def test_is_no_value(text: str, none: bool) -> None:
    assert is_no_value(text) is none


# --- targets and weights -----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("99,8", (99.8, "level")), ("100", (100.0, "level")), ("–", (None, "none")), ("--", (None, "none")),
    ("рост на 15 %", (15.0, "growth")), ("15 %-ға өсу", (15.0, "growth")),
    ("по плану", (None, "text")),
])  # fmt: skip
def test_parse_target(text: str, expected: tuple[float | None, str]) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(("text", "weight"), [
    ("5 %", 5.0), ("10%", 10.0), ("0", 0.0), ("2,5 %", 2.5), ("", None), ("–", None), ("вес", None),
])  # fmt: skip
def test_parse_weight(text: str, weight: float | None) -> None:
    assert parse_weight(text) == weight


# --- units: one answer for acts and reports ---------------------------------------------------


@pytest.mark.parametrize(("unit", "kind"), [
    ("%", "percent"), ("процент", "percent"), ("пайыз", "percent"),
    ("ед.", "count"), ("ед", "count"), ("eд", "count"),  # Latin "e" as printed in МВД row 5 of the report
    ("бірлік", "count"), ("бiрлiк", "count"), ("бірл.", "count"), ("кол-во", "count"), ("Количество", "count"),
    ("шт.", "count"),
    ("", "missing"), ("–", "missing"), ("-", "missing"),
    ("тенге", "other"), ("млрд тенге", "other"), ("балл", "other"),
])  # fmt: skip
def test_unit_kind(unit: str, kind: str) -> None:
    assert unit_kind(unit) == kind


# --- directions: one answer for `check` and `score` --------------------------------------------


@pytest.mark.parametrize(("name", "lang", "way"), [
    ("Снижение количества обращений", "ru", "down"),
    ("Сокращение сроков оказания услуг", "ru", "down"),
    ("Доля государственных услуг, оказываемых в проактивном формате", "ru", "up"),
    ("Увеличение доли электронных закупок", "ru", "up"),
    ("Количество внедренных сервисов", "ru", "up"),
    # the report's МФ row 5: a share of declarations whose clearance took longer than a limit
    ("Доля таможенных деклараций, таможенное оформление которых заняло свыше 4 часов", "ru", "down"),
    ("Доля правонарушений, выявленных с помощью камер", "ru", "up"),
    ("Мемлекеттік қызметтердің үлесі", "kk", "up"),
    ("Өтініштер санын азайту", "kk", "down"),
    ("Цифровизация архивов", "ru", None),
])  # fmt: skip
def test_direction(name: str, lang: str, way: str | None) -> None:
    assert direction(name, lang) == way


def test_share_is_read_from_the_head_of_the_name() -> None:
    assert is_share("Доля услуг, оказанных онлайн", "ru")
    assert not is_share("Количество услуг", "ru")


# --- text: spaces and letters -------------------------------------------------------------------


@pytest.mark.parametrize(("text", "folded"), [
    ("a \u00a0 b", "a b"), ("a\tb", "a b"), ("  a\n b ", "a b"), ("a\u202fb\u2007c", "a b c"),
])  # fmt: skip
def test_fold_spaces(text: str, folded: str) -> None:
    assert fold_spaces(text) == folded


def test_fold_inline_keeps_line_breaks() -> None:
    assert fold_inline(" a \t b\n c\u00a0 d ") == "a b\n c d"


@pytest.mark.parametrize(("text", "clean"), [
    ("бiрлiк", "бірлік"), ("eд", "ед"), ("eGov", "eGov"), ("KazLLM", "KazLLM"),
])  # fmt: skip
def test_unlatin(text: str, clean: str) -> None:
    assert unlatin(text) == clean


def test_fix_yo_only_in_russian() -> None:
    assert fix_yo("счҰт", "ru") == "счёт"
    assert fix_yo("Ұлттық", "kk") == "Ұлттық"


def test_compare_key() -> None:
    assert compare_key("Учёт  Объектов") == compare_key("учет объектов")
