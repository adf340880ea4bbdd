"""The header model of an indicator table: which grid column holds what.

A header is a *band* of rows over the grid's real columns: one row ("№ | Наименование
показателя | … | 2025 год | Удельный вес | …") or several ("2025 год" spanning "значение |
удельный вес"; "Целевые значения" spanning the years), optionally followed by a row numbering
the columns ("1 | 2 | … | N"). Merged cells are expanded first (:func:`expand`): a cell that
spans k columns stands in each of them; a text rendition that wrote a spanning cell once (no
span recorded) is aligned to the row below it (:func:`_align`).

Each column's meaning is learnt from what its header texts *say* (patterns of meaning in
Russian and Kazakh, not one act's wording: "Ед. изм." and "Өлшем бірлігі" are both a unit;
"План на 2025 год", "2025 жылға" and "2025 год" over "значение" are all the 2025 target) and,
where the header says nothing, from the cells under it (:func:`learn_from_data`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from legalkpi.errors import UnknownLayout
from legalkpi.text import may_hold
from parsers.grid import Cell, Row, Source

_NAME = re.compile(
    r"наименовани\w*(?:\s+\S+){0,3}?\s+(?:показател|индикатор|kpi|кпэ)|(?:көрсеткіш\w*|индикатор\w*|kpi)\s+атау"
    r"|^наименование$|^атауы$|^(?:ключев\w+\s+)?показател\w*(?:\s+деятельности)?$|^(?:түйінді\s+)?көрсеткіш\w*$",
    re.IGNORECASE,
)
# Every match of _NAME holds one of these words (the test before it: legalkpi.text.may_hold).
NAME_WORDS = ("наименовани", "атау", "показател", "көрсеткіш")
_AGENCY = re.compile(r"наименование\s+государственного\s+органа|мемлекеттік\s+органның\s+атауы", re.IGNORECASE)
_NUMBER = re.compile(r"№|п/п|р/с|^номер$|^n$", re.IGNORECASE)
_UNIT = re.compile(r"единиц\w*\s+изм|ед\.?\s*изм|^ед\.?$|өлшем(?!шарт)", re.IGNORECASE)
_WEIGHT = re.compile(r"\bвес\b|\bвесов|салмағ|салмақ", re.IGNORECASE)
_FORMULA = re.compile(r"формул|методик|расч[её]т|есептеу|әдістеме", re.IGNORECASE)
_TARGET = re.compile(r"значени|план|мән|жоспар|цел", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
# Columns of the achievement report, never of an act: numerator, denominator, achievement.
_REPORT = re.compile(r"^\s*(числитель|знаменатель|алымы|бөлімі|достигнут|фактическ|қол жеткіз)", re.IGNORECASE)
_ROW_NUMBER = re.compile(r"^\s*\d{1,3}(?:\.\d{1,3})*\s*[.)]?\s*$")
_CONCEPTS = (("name", _NAME), ("unit", _UNIT), ("weight", _WEIGHT), ("formula", _FORMULA), ("number", _NUMBER), ("target", _TARGET))


def fold(text: str) -> str:
    return " ".join(text.split())


def expand(row: Row) -> list[Cell]:
    """The row's cells per grid column: a cell spanning k columns stands in each of them."""
    out: list[Cell] = []
    for c in row.cells:
        out.extend([c] * max(1, c.col_span))
    return out


def concept(text: str) -> str | None:
    """What one header text names: name, unit, weight, formula, number, target; None if nothing."""
    t = fold(text)
    if not t:
        return None
    for name, pattern in _CONCEPTS:
        if pattern.search(t):
            return name
    return None


def one_year(text: str) -> int | None:
    years = set(_YEAR.findall(text))
    return int(years.pop()) if len(years) == 1 else None


def is_header_text(text: str) -> bool:
    t = fold(text)
    return bool(t) and (concept(t) is not None or (one_year(t) is not None and len(t) < 40))


def names_indicators(row: Row) -> bool:
    """The row holds a header cell naming the indicators (not the agencies)."""
    return texts_name_indicators([c.text for c in row.cells])


def texts_name_indicators(texts: list[str]) -> bool:
    """Cells of a header row naming the indicators: one names them, and at least two others
    say what else the table holds (a title row naming "Ключевые показатели" is no header)."""
    if not may_hold("\n".join(texts), NAME_WORDS):  # most rows: no cell can name them (the words hold no space)
        return False
    filled = {fold(t) for t in texts if t.strip()}
    return len(filled) >= 3 and any(may_hold(t, NAME_WORDS) and _NAME.search(t) and not _AGENCY.search(t) for t in filled)


def continues_header(texts: list[str]) -> bool:
    """Cells of a header's lower row: the first empty, every filled one header text."""
    filled = [t for t in texts if t.strip()]
    return bool(texts) and not texts[0].strip() and len(filled) >= 1 and all(is_header_text(t) for t in filled)


def is_report_header(row: Row) -> bool:
    """A header with numerator/denominator/achievement columns: the achievement report's."""
    return names_indicators(row) and sum(1 for c in row.cells if len(c.text) < 80 and _REPORT.match(c.text)) >= 2


def is_column_numbers(row: Row) -> bool:
    """The '1 | 2 | 3 | … | N' row under a header."""
    texts = [c.text.strip() for c in row.cells if not c.is_empty]
    return len(texts) >= 3 and texts == [str(i) for i in range(1, len(texts) + 1)]


@dataclass
class Columns:
    """What each grid column of an indicator table holds."""

    number: int
    name: int
    unit: int | None
    years: list[tuple[int, int]]  # (year, target column), in column order
    weights: dict[int, int]  # year -> weight column
    formula: int | None
    width: int
    unknown: list[int] = field(default_factory=list)  # columns whose meaning nothing tells
    rows: int = 1  # header rows in the band, the column-number row included
    source: Source | None = None

    @property
    def weight_columns(self) -> set[int]:
        return set(self.weights.values())

    def kind(self, col: int) -> str:
        """The field column ``col`` feeds: number, name, unit, target, weight, formula or unknown."""
        if col in self.weight_columns:
            return "weight"
        if any(c == col for _, c in self.years):
            return "target"
        named = {self.number: "number", self.name: "name", self.unit: "unit", self.formula: "formula"}
        return named.get(col, "unknown")

    def describe(self, col: int) -> str:
        """What column ``col`` holds, in words: "2026 target", "2025 weight", "formula"."""
        names = {self.number: "number", self.name: "name"}
        if self.unit is not None:
            names[self.unit] = "unit"
        if self.formula is not None:
            names[self.formula] = "formula"
        for y, c in self.years:
            names[c] = f"{y} target"
        shared = len(self.weight_columns) == 1 and len(self.years) > 1
        for y, c in self.weights.items():
            names[c] = "weight (all years)" if shared else f"{y} weight"
        return f"column {col + 1} ({names.get(col, 'unknown')})"

    @property
    def known(self) -> set[int]:
        cols = {self.number, self.name, *(c for _, c in self.years), *self.weight_columns}
        return cols | {c for c in (self.unit, self.formula) if c is not None}


def _align(top: list[Cell], below: list[Cell]) -> list[Cell]:
    """A header row written with its spanning cells once (no span recorded), spread over the
    columns of the row below: each empty cell below continues one top cell; each run of filled
    cells below shares the remaining top cells equally."""
    width = len(below)
    empties = [c.is_empty for c in below]
    runs: list[tuple[int, int]] = []  # (start, length) of filled runs
    k = 0
    while k < width:
        if empties[k]:
            k += 1
            continue
        start = k
        while k < width and not empties[k]:
            k += 1
        runs.append((start, k - start))
    spare = len(top) - sum(empties)
    if spare < len(runs) or spare <= 0:
        return top
    shares = [1] * len(runs)
    extra = spare - len(runs)
    if extra and len(runs) == 1 and runs[0][1] % spare == 0:
        shares = [spare]
    elif extra:
        return top
    out: list[Cell] = []
    it = iter(top)
    k = 0
    run_at = {s: (n, sh) for (s, n), sh in zip(runs, shares, strict=True)}
    while k < width:
        if empties[k]:
            out.append(next(it))
            k += 1
            continue
        n, share = run_at[k]
        for _ in range(share):
            cell = next(it)
            out.extend([cell] * (n // share))
        k += n
    return out


def band(rows: list[Row], start: int) -> tuple[list[list[Cell]], int]:
    """The header band from ``rows[start]`` (rows already expanded by :func:`expand`): its rows, and how many rows it takes (the
    column-number row included). A following row belongs to the band when its first column is
    empty and every filled cell reads as header text."""
    grid = [list(rows[start].cells)]
    k = start + 1
    while k < len(rows):
        row = rows[k]
        cells = list(row.cells)
        above = grid[-1]
        # Cells continuing a merged cell of the row above are no new text.
        filled = [c for k, c in enumerate(cells) if not c.is_empty and not (k < len(above) and c.source == above[k].source)]
        if is_column_numbers(row):
            k += 1
            break
        if not filled or not cells[0].is_empty and cells[0].source != above[0].source:
            break
        if len({id(c) for c in filled}) < 2 and len(cells) > 1 and len(filled) == len(cells):
            break  # one cell across the table: a title
        if not all(is_header_text(c.text) for c in filled):
            break
        grid.append(cells)
        k += 1
    width = max(len(g) for g in grid)
    for i in range(len(grid) - 2, -1, -1):
        if len(grid[i]) < len(grid[i + 1]):
            grid[i] = _align(grid[i], grid[i + 1])
    grid = [g + [Cell("", g[-1].source)] * (width - len(g)) if len(g) < width else g for g in grid]
    return grid, k - start


def read_header(rows: list[Row], start: int) -> Columns | None:
    """The columns of the indicator table whose header starts at ``rows[start]`` (rows expanded
    by :func:`expand`); None when the row names no indicators. Raises UnknownLayout when it does but cannot be mapped."""
    row = rows[start]
    if not names_indicators(row) or is_report_header(row):
        return None
    grid, used = band(rows, start)
    width = len(grid[0])
    where = f"header row {row.source.place()}".strip()
    number: int | None = None
    name: int | None = None
    unit = formula = None
    targets: list[tuple[int, int]] = []  # (column, year)
    weights: dict[int, int] = {}
    loose_weights: list[int] = []
    loose_targets: list[int] = []
    unknown: list[int] = []
    for col in range(width):
        texts: list[str] = []
        for g in grid:
            t = fold(g[col].text) if col < len(g) else ""
            if t and t not in texts:
                texts.append(t)
        year = next((y for y in (one_year(t) for t in reversed(texts)) if y is not None), None)
        kind = next((k for k in (concept(t) for t in reversed(texts)) if k is not None), None)
        if kind == "weight":
            if year is not None:
                weights[year] = col
            else:
                loose_weights.append(col)
        elif kind in ("target", None) and year is not None:
            targets.append((col, year))
        elif kind == "target":
            loose_targets.append(col)
        elif kind == "name" and name is None:
            name = col
        elif kind == "unit" and unit is None:
            unit = col
        elif kind == "formula" and formula is None:
            formula = col
        elif kind == "number" and number is None:
            number = col
        elif texts or col < width:
            unknown.append(col)
    if name is None:
        raise UnknownLayout("indicator table header cannot be mapped: no name column", file=row.source.file, place=where)
    if not targets:
        raise UnknownLayout(
            "indicator table header cannot be mapped: no column of yearly targets "
            f"(header: {' | '.join(fold(c.text) for c in row.cells)[:200]})",
            file=row.source.file,
            place=where,
        )
    # A year cell spanning two columns with nothing under it ("2025 год" over a target and its
    # weight): the first column is the target, the next one the weight of that year.
    years: list[tuple[int, int]] = []
    for c, y in targets:
        if any(y == seen for seen, _ in years):
            if y not in weights and not loose_weights:
                weights[y] = c
            else:
                unknown.append(c)
        else:
            years.append((y, c))
    if len(loose_weights) == 1 and not weights:
        weights = {y: loose_weights[0] for y, _ in years}  # one weight column for all years
    else:
        for w in loose_weights:
            before = [(y, c) for y, c in years if c < w and y not in weights]
            if before:
                weights[before[-1][0]] = w
            else:
                unknown.append(w)
    unknown += loose_targets
    if number is None:
        number = 0 if 0 in unknown else min(unknown, default=0)
    unknown = sorted(set(unknown) - {number})
    return Columns(number, name, unit, years, weights, formula, width, unknown, used, row.source)


def learn_from_data(cols: Columns, rows: list[list[Cell]]) -> None:
    """Columns the header left unnamed, read from the cells under them: row numbers make the
    number column; short units ("%", "ед.") the unit column."""
    from legalkpi.values import unit_kind

    for col in list(cols.unknown):
        texts = [fold(r[col].text) for r in rows if col < len(r) and not r[col].is_empty]
        if not texts:
            continue
        if cols.unit is None and all(len(t) <= 12 and unit_kind(t) in ("percent", "count") for t in texts):
            cols.unit = col
            cols.unknown.remove(col)


def is_row_number(text: str) -> bool:
    return bool(_ROW_NUMBER.match(text))
