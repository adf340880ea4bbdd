"""The matcher on hand-written rows: order kept where it holds, content decides where it does not."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from legalkpi.comparing import match as mt
from legalkpi.model import Formula, Indicator, PartRef, SectionRef, YearValue

SECTION = SectionRef(1, "Министерство")
PART = PartRef(1, "")


def row(number: int, target: float, unit: str = "percent", name: str = "Доля услуг") -> Indicator:
    return Indicator(
        id=f"s1-p1-n{number}", section=SECTION, part=PART, number=number, name=name, unit="%", unit_kind=unit,
        values=[YearValue(2025, target, f"{target:g}", 5.0), YearValue(2026, target + 1, f"{target + 1:g}", 5.0)],
        formula=Formula("ratio" if unit == "percent" else "quantitative", ""),
    )  # fmt: skip


def test_needleman_wunsch_keeps_order_and_leaves_gaps():
    score = np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 2.0]])
    assert mt.needleman_wunsch(score, -0.6) == [(0, 0), (1, 2)]


def test_in_order_marks_the_row_that_crossed():
    assert mt.in_order([(0, 0), (1, 3), (2, 1), (3, 2)]) == {(0, 0), (2, 1), (3, 2)}


def test_a_row_moved_to_the_top_pairs_by_content_and_is_flagged():
    a = [row(1, 10), row(2, 20), row(3, 30), row(4, 40, "count")]
    b = [a[3], a[0], a[1], a[2]]  # the count row moved to the top, numbers travel with the rows
    m = mt.match_rows(a, b)
    assert sorted((p.a, p.b) for p in m.pairs) == [(0, 1), (1, 2), (2, 3), (3, 0)]
    assert [(p.a, p.b) for p in m.pairs if p.crossed] == [(3, 0)]
    assert m.only_a == m.only_b == []


def test_rows_without_shared_content_stay_unpaired():
    a = [row(1, 10), row(2, 20)]
    b = [row(1, 10), row(2, 77, "count")]  # row 2 shares only its number and place: not a pair
    m = mt.match_rows(a, b)
    assert [(p.a, p.b) for p in m.pairs] == [(0, 0)] and m.only_a == [1] and m.only_b == [1]


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=12),
    data=st.data(),
)
def test_property_any_permutation_with_removals_pairs_every_row_with_itself(n, data):
    rows = [row(k + 1, 10.0 * (k + 1)) for k in range(n)]
    order = data.draw(st.permutations(range(n)))
    keep = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    other = [rows[k] for k, kept in zip(order, keep, strict=True) if kept]
    m = mt.match_rows(rows, other)
    assert {(rows[p.a].id, other[p.b].id) for p in m.pairs} == {(r.id, r.id) for r in other}
    assert sorted(rows[k].id for k in m.only_a) == sorted(r.id for r, kept in zip([rows[k] for k in order], keep, strict=True) if not kept)
    crossed = sum(p.crossed for p in m.pairs)
    assert crossed == len(m.pairs) - len(mt.in_order([(p.a, p.b) for p in m.pairs]))


def test_names_are_scored_in_bulk_and_assigned_once():
    old = ["Доля электронных услуг", "Количество камер видеонаблюдения"]
    new = ["Количество камер видеонаблюдения в городах", "Доля электронных государственных услуг", "Иное"]
    assert [(i, j) for i, j, _ in mt.match_names(old, new, 65)] == [(0, 1), (1, 0)]
