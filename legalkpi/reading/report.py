"""A quarterly KPI achievement report read from the grid into a :class:`Report`.

The report (seed 003) holds a ranking table (rank, body, direction, printed R), the scoring
method as prose (``Z=a/b*100``, ``W=(ЕСЛИ Z>=N;U; Z/N*U)`` …), then per body a title row
"Министерство … РК (Direction)", one row per indicator (number, name, U, N, unit, a, b, Z, W)
and a "Результат … (R)" row. A body may hold several directions, each with its own rows and
"Результат по направлению «…»" row, before the body's own result.

Nothing here recomputes anything: this module only reads what is printed, keeping each
value's text beside its number and every cell's line span, so that :mod:`legalkpi.checking.score` can
say exactly which printed figure it disagrees with.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from legalkpi.errors import BadInput
from legalkpi.model import Formula, Indicator, Notice, PartRef, SectionRef, YearValue
from legalkpi.text import compare_key, fold_spaces
from legalkpi.values import Num, read_number, unit_kind
from parsers.grid import Document, Paragraph, Source

# --- the model ----------------------------------------------------------------------------


@dataclass
class ReportRow:
    """One indicator row. Field names follow the report's own letters (U, N, a, b, Z, W)."""

    number: int | None
    name: str
    u: Num  # weight foreseen (U, %)
    n: Num  # target foreseen for the year (N)
    unit: str  # as printed ("%", "ед", "eд")
    a: Num  # numerator
    b: Num  # denominator
    z: Num  # printed share Z
    w: Num  # printed assigned weight W
    source: Source
    cells: dict[str, Source] = field(default_factory=dict)  # field letter -> the cell's span
    name_orig: str = ""

    @property
    def unit_kind(self) -> str:
        return unit_kind(self.unit)


@dataclass
class Part:
    """One direction of a body with its rows and its printed result (if the report gives one)."""

    direction: str
    rows: list[ReportRow] = field(default_factory=list)
    result: Num | None = None
    result_source: Source | None = None
    source: Source | None = None  # the direction heading, when printed


@dataclass
class BodyReport:
    name: str  # "Министерство внутренних дел РК"
    direction: str  # as in the title; for several directions, joined by "; "
    parts: list[Part]
    source: Source
    short: str = ""  # "МВД", from "Результат МВД РК (R)"
    result: Num | None = None
    result_source: Source | None = None

    @property
    def rows(self) -> list[ReportRow]:
        return [r for p in self.parts for r in p.rows]

    @property
    def label(self) -> str:
        return f"{self.name} ({self.direction})" if self.direction else self.name


@dataclass
class RankEntry:
    rank: int | None
    body: str
    direction: str
    result: Num
    source: Source


@dataclass
class MethodRule:
    """A rule of the method found in the report's text, with what it says."""

    key: str  # "ratio" | "increasing" | "decreasing" | "units" | "zero-target" | "sum"
    text: str  # as printed
    source: Source
    compare: str = ""  # the comparison the rule states: ">=" or "<="
    otherwise: str = ""  # the expression for the "else" branch, as printed ("Z/N*U")


@dataclass
class Report:
    file: str
    title: str
    target_year: int | None
    ranking: list[RankEntry]
    method: list[MethodRule]
    bodies: list[BodyReport]
    warnings: list[Notice] = field(default_factory=list)

    def rule(self, key: str) -> MethodRule | None:
        return next((r for r in self.method if r.key == key), None)


# --- reading ------------------------------------------------------------------------------


@dataclass
class _Item:
    """A row of cells or a paragraph, flattened so that both readers' outputs look alike."""

    texts: list[str]
    sources: list[Source]
    source: Source
    origs: list[str]


def _items(doc: Document) -> Iterator[_Item]:
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            yield _Item([block.text], [block.source], block.source, [block.orig])
            continue
        for row in block.rows:
            cells = [c for c in row.cells if not c.is_empty] or row.cells
            yield _Item([c.text for c in cells], [c.source for c in cells], row.source, [c.orig for c in cells])


def _first_line(text: str) -> str:
    return text.strip().split("\n")[0].strip()


def _norm(text: str) -> str:
    return compare_key(text)


def _as_int(text: str) -> int | None:
    t = _first_line(text).rstrip(".")
    return int(t) if t.isdigit() else None


# Column headers name their letter in parentheses: "(U, %)", "(N)", "(a)", "(W,%)".
_HEADER_MARKS = (
    ("u", re.compile(r"\(\s*U\b")),
    ("n", re.compile(r"\(\s*N\s*\)")),
    ("a", re.compile(r"\(\s*a\s*\)")),
    ("b", re.compile(r"\(\s*b\s*\)")),
    ("z", re.compile(r"\(\s*Z\s*\)")),
    ("w", re.compile(r"\(\s*W\b")),
    ("unit", re.compile(r"^\s*Ед\.?\s*изм", re.IGNORECASE)),
    ("number", re.compile(r"^\s*№")),
    ("name", re.compile(r"^\s*Наименование", re.IGNORECASE)),
)
_DEFAULT_COLUMNS = ("number", "name", "u", "n", "unit", "a", "b", "z", "w")
_BODY_WORD = re.compile(r"^(Министерство|Агентство|Комитет|Служба|Канцелярия|Управление)\b", re.IGNORECASE)
_TITLE = re.compile(r"^(?P<body>.+?)\s*\((?P<dir>[^()]+)\)\s*$", re.DOTALL)
_BODY_RESULT = re.compile(r"^Результат\s+(?P<short>.+?)\s*\(\s*R\s*\)\s*$", re.DOTALL)
_PART_RESULT = re.compile(r"^Результат\s+по\s+направлению\s*[«\"“]?(?P<dir>[^»\"”]+)", re.IGNORECASE)


def _header_columns(item: _Item) -> dict[str, int] | None:
    """Map field letters to column positions from the detail table's header, if this is it."""
    found: dict[str, int] = {}
    for i, text in enumerate(item.texts):
        for key, pat in _HEADER_MARKS:
            if key not in found and pat.search(text):
                found[key] = i
                break
    needed = {"u", "n", "a", "b", "z", "w"}
    return found if needed <= found.keys() else None


class _Reader:
    """A small state machine over the document's rows, in reading order."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.ranking: list[RankEntry] = []
        self.bodies: list[BodyReport] = []
        self.warnings: list[Notice] = []
        self.columns: dict[str, int] | None = None
        self.target_year: int | None = None
        self.body: BodyReport | None = None
        self.pending_heading: tuple[str, Source] | None = None
        self.fragment: _Item | None = None

    def read(self) -> None:
        for item in _items(self.doc):
            self.feed(item)
        self.flush_fragment()

    def feed(self, item: _Item) -> None:
        if self.columns is None:
            cols = _header_columns(item)
            if cols is not None:
                self.columns = cols
                self.target_year = _year_in(item.texts[cols["n"]])
                return
            self.read_rank(item)
            return
        if self.fragment is not None:
            if len(self.fragment.texts) + len(item.texts) == len(self.columns_order()):
                # a row cut in two by a stray empty line: number and name, then the figures
                item = _Item(
                    self.fragment.texts + item.texts,
                    self.fragment.sources + item.sources,
                    self.fragment.source.merge(item.source),
                    self.fragment.origs + item.origs,
                )
                self.fragment = None
            else:
                self.flush_fragment()
        self.read_detail(item)

    def columns_order(self) -> list[str]:
        cols = self.columns or {k: i for i, k in enumerate(_DEFAULT_COLUMNS)}
        return [k for k, _ in sorted(cols.items(), key=lambda kv: kv[1])]

    def warn(self, code: str, message: str, source: Source) -> None:
        self.warnings.append(Notice(code, message, source))

    def flush_fragment(self) -> None:
        if self.fragment is not None:
            self.warn("row-cells", f"indicator row has {len(self.fragment.texts)} cells", self.fragment.source)
            self.fragment = None

    # ranking: "№ | body | direction | R" rows before the detail table's header
    def read_rank(self, item: _Item) -> None:
        if len(item.texts) != 4:
            return
        rank = _as_int(item.texts[0])
        result = read_number(item.texts[3])
        if rank is None or not result.is_number:
            return
        self.ranking.append(
            RankEntry(rank, _first_line(item.texts[1]), _first_line(item.texts[2]), result, item.source)
        )

    def read_detail(self, item: _Item) -> None:
        first = _first_line(item.texts[0])
        order = self.columns_order()
        if len(item.texts) == 1:
            self.read_single(item)
        elif first.startswith("Результат"):
            self.read_result(item)
        elif _as_int(item.texts[0]) is not None and len(item.texts) == len(order):
            if all(_as_int(t) == i + 1 for i, t in enumerate(item.texts)):
                return  # the "1 2 3 … 9" column-number row under the header
            self.read_row(item, order)
        elif _as_int(item.texts[0]) is not None and len(item.texts) < len(order):
            self.fragment = item
        else:
            self.warn("row-cells", f"row of {len(item.texts)} cells not understood", item.source)

    def read_single(self, item: _Item) -> None:
        text = item.texts[0].strip()
        if self.is_body_title(text):
            self.start_body(text, item.source)
        elif self.body is not None and self.body.result is None and not re.search(r"\d", text):
            # a direction heading inside a body of several directions ("Строительство")
            self.pending_heading = (_first_line(text), item.source)

    def is_body_title(self, text: str) -> bool:
        m = _TITLE.match(text)
        name = _norm(m.group("body") if m else text)
        if any(_norm(r.body) == name for r in self.ranking):
            return True
        return bool(_BODY_WORD.match(text)) and len(text) < 300

    def start_body(self, text: str, source: Source) -> None:
        m = _TITLE.match(text)
        name, direction = (m.group("body").strip(), m.group("dir").strip()) if m else (text.strip(), "")
        self.body = BodyReport(name=name, direction=direction, parts=[], source=source)
        self.bodies.append(self.body)
        self.pending_heading = None

    def current_part(self) -> Part | None:
        body = self.body
        if body is None or body.result is not None:
            return None
        if self.pending_heading is not None:
            title, src = self.pending_heading
            body.parts.append(Part(direction=title, source=src))
            self.pending_heading = None
        elif not body.parts:
            body.parts.append(Part(direction=body.direction))
        return body.parts[-1]

    def read_row(self, item: _Item, order: list[str]) -> None:
        part = self.current_part()
        if part is None:
            self.warn("row-outside-body", "indicator row outside any body's table", item.source)
            return
        cell = dict(zip(order, item.texts, strict=True))
        src = dict(zip(order, item.sources, strict=True))
        orig = dict(zip(order, item.origs, strict=True))
        row = ReportRow(
            number=_as_int(cell["number"]) if "number" in cell else None,
            name=fold_spaces(cell.get("name", "")),
            u=read_number(cell["u"]),
            n=read_number(cell["n"]),
            unit=_first_line(cell.get("unit", "")),
            a=read_number(cell["a"]),
            b=read_number(cell["b"]),
            z=read_number(cell["z"]),
            w=read_number(cell["w"]),
            source=item.source,
            cells=src,
            name_orig=orig.get("name", ""),
        )
        for key in ("u", "n", "a", "b", "z", "w"):
            if getattr(row, key).kind == "unreadable":
                self.warn("unreadable-number", f"{key.upper() if key in 'uzwn' else key}={cell[key]!r}", src[key])
        part.rows.append(row)

    def read_result(self, item: _Item) -> None:
        label = _first_line(item.texts[0])
        value = read_number(item.texts[-1]) if len(item.texts) > 1 else Num("", None, "none")
        if self.body is None:
            self.warn("result-outside-body", f"{label!r} outside any body", item.source)
            return
        pm = _PART_RESULT.match(label)
        if pm:
            part = self.body.parts[-1] if self.body.parts else None
            if part is None or _norm(part.direction) != _norm(pm.group("dir")):
                self.warn("part-result", f"{label!r} does not follow its direction's rows", item.source)
            if part is not None:
                part.result, part.result_source = value, item.source
            return
        bm = _BODY_RESULT.match(label)
        self.body.short = re.sub(r"\s+РК$", "", bm.group("short")).strip() if bm else ""
        self.body.result, self.body.result_source = value, item.source


def _year_in(text: str) -> int | None:
    m = re.search(r"\b(20\d\d)\b", text)
    return int(m.group(1)) if m else None


# --- the method, from the prose -----------------------------------------------------------

_F = r"\s*"
_RULES = (
    ("ratio", re.compile(rf"Z{_F}={_F}a{_F}/{_F}b{_F}\*{_F}100")),
    ("decreasing", re.compile(
        rf"уменьшени\w*[^\n]*?W{_F}={_F}\({_F}ЕСЛИ{_F}Z{_F}(?P<op><=|≤){_F}N{_F};{_F}U{_F};{_F}(?P<else>[^)\n]+)\)",
        re.IGNORECASE)),
    ("increasing", re.compile(
        rf"W{_F}={_F}\({_F}ЕСЛИ{_F}Z{_F}(?P<op>>=|≥){_F}N{_F};{_F}U{_F};{_F}(?P<else>[^)\n]+)\)", re.IGNORECASE)),
    ("units", re.compile(
        rf"\(ед\.?\){_F}W{_F}={_F}\({_F}ЕСЛИ{_F}a{_F}(?P<op>>=|≥){_F}N{_F};{_F}U{_F};{_F}(?P<else>[^)\n]+)\)",
        re.IGNORECASE)),
    ("zero-target", re.compile(rf"если{_F}N{_F}={_F}0{_F};?{_F}W{_F}={_F}0", re.IGNORECASE)),
    ("sum", re.compile(rf"R{_F}={_F}[∑Σ]{_F}W")),
)


def _text_lines(doc: Document) -> Iterator[tuple[str, Source]]:
    """Every line of prose or cell text with the span that holds it."""
    for item in _items(doc):
        for text, src in zip(item.texts, item.sources, strict=True):
            for line in text.split("\n"):
                yield line, src


def read_method(doc: Document) -> list[MethodRule]:
    """The rules of the method the report states, each with its text and place."""
    rules: list[MethodRule] = []
    for line, src in _text_lines(doc):
        if "=" not in line:  # every rule is a formula
            continue
        for key, pat in _RULES:
            m = pat.search(line)
            if not m or any(r.key == key for r in rules):
                continue
            if key == "increasing" and _RULES[1][1].search(line):
                continue  # the decreasing rule's line holds the same formula shape
            groups = m.groupdict()
            rules.append(MethodRule(key, line.strip(), src, groups.get("op") or "",
                                    re.sub(r"\s+", "", groups.get("else") or "")))
    return rules


def read_report(doc: Document) -> Report:
    """Read a KPI achievement report; raise :class:`BadInput` if the document is not one."""
    reader = _Reader(doc)
    reader.read()
    bodies = [b for b in reader.bodies if b.rows]
    if reader.columns is None or not bodies:
        raise BadInput(
            "not a KPI achievement report: no table with U, N, a, b, Z, W columns and body sections",
            file=doc.file,
        )
    title = next((p.text for p in doc.blocks if isinstance(p, Paragraph)), "")
    method = read_method(doc)
    year = reader.target_year or _method_year(doc)
    return Report(doc.file, title, year, reader.ranking, method, bodies, reader.warnings)


def _method_year(doc: Document) -> int | None:
    for line, _ in _text_lines(doc):
        if re.match(r"^N\s*[–-]", line.strip()):
            return _year_in(line)
    return None


# --- the indicator set the report records -------------------------------------------------


def report_indicators(report: Report) -> list[Indicator]:
    """Per body and row, the indicator (name, unit, U, N) for the report's target year."""
    from legalkpi.reading.agencies import match_agency

    out: list[Indicator] = []
    year = report.target_year or 0
    position = 0
    for k, body in enumerate(report.bodies, 1):
        directions = "; ".join(p.direction for p in body.parts if p.direction) or body.direction
        entry = match_agency(body.name)  # the registry identity, so "all indicators of ministry X" finds these too
        section = SectionRef(
            ordinal=k, title=f"{body.name} ({directions})" if directions else body.name, agency_id=entry.id if entry else None
        )
        for j, part in enumerate(body.parts, 1):
            pref = PartRef(ordinal=j, title=part.direction)
            for row in part.rows:
                kind = row.unit_kind
                out.append(Indicator(
                    id=f"s{k}-p{j}-n{row.number if row.number is not None else 'x'}",
                    section=section,
                    part=pref,
                    number=row.number,
                    name=row.name,
                    unit=row.unit,
                    unit_kind=kind,
                    values=[YearValue(
                        year=year,
                        target=row.n.as_float(),
                        target_text=row.n.text,
                        weight=row.u.as_float(),
                        weight_text=row.u.text,
                        target_kind="level" if row.n.is_number else "none",
                    )],
                    formula=Formula("quantitative", "a") if kind == "count" else Formula("ratio", "a/b*100"),
                    source=row.source,
                    name_orig=row.name_orig,
                    row=position,
                ))
                position += 1
    return out
