"""From the neutral grid to the model: agencies, sections, parts and indicators of a KPI act.

Works on any :class:`parsers.grid.Document`, whatever reader made it: it reads the header row
to learn which column holds what (years, per-year or single weight columns), then walks the
rows: title rows open sections ("1. Министерство …") and parts ("(промышленность)"),
numbered rows are indicators. Paragraphs count as title rows too, because the PDF layout
prints section titles outside the table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from legalkpi.errors import BadInput, NotAnIndicatorAct, UnknownLayout
from legalkpi.model import (
    Act,
    ActRecord,
    Agency,
    Criterion,
    Formula,
    Indicator,
    Notice,
    PartRef,
    Section,
    SectionRef,
    YearValue,
)
from legalkpi.reading import normalize as nz
from legalkpi.reading.agencies import match_agency, match_direction
from parsers.grid import Cell, Document, Paragraph, Row, Source, Table
from parsers.header import Columns, expand, is_column_numbers, learn_from_data, read_header

_AGENCY_HEADER = re.compile(r"наименование\s+государственного\s+органа|мемлекеттік\s+органның\s+атауы", re.IGNORECASE)
_ROW_NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3})*)\s*[.)]?\s*$")
_SECTION_TITLE = re.compile(r"^\s*(\d{1,2})\s*\.\s*(\S.*)$", re.DOTALL)
_PART_TITLE = re.compile(r"^\s*\(([^()]+)\)\s*$")
_TRAILING_PART = re.compile(r"^(.*\S)\s*\(([^()]+)\)\s*$", re.DOTALL)
# Flow text that closes the indicator tables: the abbreviation note and the next appendix.
_END_OF_TABLES = re.compile(r"^\s*(примечание|ескертпе|приложение\s+\d|\d-қосымша)", re.IGNORECASE)
_KK_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


def read_columns(rows: list[Row], start: int = 0) -> Columns | None:
    """The indicator table's columns from the header band starting at ``rows[start]``."""
    return read_header(rows, start)


def _is_column_numbers(row: Row) -> bool:
    return is_column_numbers(row)


def _single_text(row: Row) -> str | None:
    """Text of a row with exactly one non-empty cell (a spanning cell counts once), not a bare number."""
    cells = {id(c): c for c in row.non_empty()}
    if len(cells) == 1:
        cell = next(iter(cells.values()))
        if not _ROW_NUMBER.match(cell.text):
            return cell.text
    return None


@dataclass
class _State:
    lang: str
    columns: Columns | None = None
    section: SectionRef | None = None
    part: PartRef | None = None
    sections: list[Section] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)
    seen_ids: dict[str, int] = field(default_factory=dict)
    codes: dict[Source | None, set[str]] = field(default_factory=dict)  # warning codes by place, of warnings[:indexed]
    indexed: int = 0
    ended: bool = False
    pending: Paragraph | None = None  # the paragraph just before a table: its title when the table has none
    titled: bool = False  # the current table has had a title row (or a title paragraph was taken)


def extract(doc: Document, act: Act | None = None) -> ActRecord:
    """Read a KPI act's grid into an :class:`ActRecord`; raise NotAnIndicatorAct when it has none.

    The document is only read: merged cells are expanded into a working copy of its tables.
    """
    lang = act.lang if act else guess_lang(doc)
    blocks = prepared_blocks(doc)
    st = _State(lang=lang)
    st.agencies = read_agencies(doc, lang)
    for block in blocks:
        if isinstance(block, Paragraph):
            _on_paragraph(st, block)
        else:
            _on_table(st, block)
            st.pending = None
    _refuse_cut_tables(doc, blocks, st)
    if not st.indicators:
        raise NotAnIndicatorAct(
            "this text has no KPI table: no header naming the indicator column ('Наименование показателя' / "
            "'Көрсеткіштің атауы') was found, or no numbered row under it; `legalkpi extract` shows what the "
            "text holds, and a damaged conversion may read better from the act's DOCX, PDF or HTML",
            file=doc.file,
        )
    if not any(v.target_text or v.weight_text for i in st.indicators for v in i.values):
        raise BadInput(
            f"none of the {len(st.indicators)} indicator rows has a target or weight that could be read",
            file=doc.file,
            place=st.indicators[0].source.place() if st.indicators[0].source else None,
        )
    years = sorted({v.year for i in st.indicators for v in i.values})
    record = ActRecord(
        act=act or Act(kind="", number="", date="", lang=lang, title=_first_paragraph(doc)),
        agencies=st.agencies,
        sections=st.sections,
        indicators=st.indicators,
        warnings=st.warnings,
        years=years,
        file=doc.file,
        encoding=doc.encoding,
        sha256=doc.sha256,
    )
    record.abbreviations = read_abbreviations(doc)
    _link_agencies(record)
    return record


_ABBR_NOTE = re.compile(r"^\s*(примечание|ескертпе)\s*:?.*(аббревиатур)", re.IGNORECASE)
_ABBR_ENTRY = re.compile(r"^\s*(\S.{0,40}?)\s+[–—-]\s+(\S.*)$")


def read_abbreviations(doc: Document) -> list[tuple[str, str]]:
    """The act's list of abbreviations ("ИИ – искусственный интеллект"), which closes each KPI annex."""
    out: list[tuple[str, str]] = []
    inside = False
    for block in doc.blocks:
        if not isinstance(block, Paragraph):
            if inside:
                break
            continue
        if _ABBR_NOTE.match(block.text):
            inside = True
            continue
        if inside:
            m = _ABBR_ENTRY.match(block.text)
            if not m:
                break
            out.append((m.group(1).strip(), m.group(2).strip()))
    return out


def prepared_blocks(doc: Document) -> list[Paragraph | Table]:
    """The document's blocks with each table row on the grid's real columns: a vertically merged
    cell's value given to every row it spans, a cell spanning k columns standing in each of them.

    DOCX (vMerge), HTML (rowspan) and PDF readers write a merged cell's text once, in its top
    cell, and leave the cells below empty with a Source that names the top cell: one weight
    printed for several rows applies to each of them. New rows and cells are made; ``doc`` is
    left as it was.
    """
    out: list[Paragraph | Table] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            out.append(block)
            continue
        top: dict[tuple[int | None, str], Cell] = {}  # a merge never leaves its table; PDF places repeat per page
        rows = []
        for row in block.rows:
            cells = list(row.cells)
            for k, cell in enumerate(cells):
                if cell.source.cell is None or row.source.cell is None:
                    continue  # text renditions have no cell paths, and no merged cells either
                key = (cell.source.page, cell.source.cell)
                if cell.source.cell.startswith(f"{row.source.cell}/"):
                    top.setdefault(key, cell)
                elif cell.is_empty and key in top:
                    cells[k] = Cell(text=top[key].text, source=top[key].source, orig="", col_span=cell.col_span)
            rows.append(Row(cells=expand(Row(cells=cells, source=row.source)), source=row.source, mended=row.mended))
        out.append(Table(rows=rows, source=block.source))
    return out


def _refuse_cut_tables(doc: Document, blocks: list[Paragraph | Table], st: _State) -> None:
    """A file that ends inside an indicator row, or right after a header, was cut short."""
    if st.columns is None or not blocks or not isinstance(blocks[-1], Table) or not blocks[-1].rows:
        return
    rows = blocks[-1].rows
    last = rows[-1]
    if _is_column_numbers(last) or _header_at(rows, len(rows) - 1) is not None:
        raise BadInput("table cut short: the file ends after the header row", file=doc.file, place=f"line {last.source.last_line}")
    if _is_numbered(last, st.columns) and len(last.cells) < st.columns.width and not _weight_holds_formula(last.cells[-1].text):
        raise BadInput(
            f"table cut short: the last row has {len(last.cells)} of {st.columns.width} cells",
            file=doc.file,
            place=f"line {last.source.last_line}",
        )


def _header_at(rows: list[Row], i: int) -> Columns | None:
    try:
        return read_header(rows, i)
    except UnknownLayout:
        return None


def _weight_holds_formula(text: str) -> bool:
    """A weight cell's text that also holds the formula text (see _split_weight_and_formula)."""
    head, _, rest = text.partition("\n")
    return bool(rest) and nz.parse_weight(head) is not None


def guess_lang(doc: Document) -> str:
    text = doc.text()[:20000]
    kk = sum(1 for ch in text if ch in _KK_LETTERS)
    return "kk" if kk > len(text) / 200 else "ru"


def _first_paragraph(doc: Document) -> str:
    return next((p.text for p in doc.paragraphs()), "")


def read_agencies(doc: Document, lang: str) -> list[Agency]:
    """The numbered list of agencies under the 'Наименование государственного органа' header."""
    out: list[Agency] = []
    rows = doc.rows()
    for i, row in enumerate(rows):
        if not any(_AGENCY_HEADER.search(c.text) for c in row.cells):
            continue
        for nxt in rows[i + 1 :]:
            cells = nxt.non_empty()
            if _is_column_numbers(nxt) or (len(cells) == 2 and cells[0].text.strip() == "1" and cells[1].text.strip() == "2"):
                continue
            if len(cells) != 2 or not _ROW_NUMBER.match(cells[0].text):
                break
            out.append(Agency(int(_ROW_NUMBER.match(cells[0].text).group(1)), _clean(cells[1].text, lang), nxt.source))  # type: ignore[union-attr]
        break
    return out


def _on_paragraph(st: _State, p: Paragraph) -> None:
    if _END_OF_TABLES.match(p.text):
        st.ended = st.columns is not None
        st.pending = None
        return
    if not _ROW_NUMBER.match(p.text):
        st.pending = p
    if st.columns is None or st.ended:
        return
    # The PDF layout prints section titles as flow text, and acts with one table per section
    # print each section's title above its table.
    if _SECTION_TITLE.match(p.text):
        _open_section(st, p.text, p.source)
        st.pending = None
        st.titled = True
    elif _PART_TITLE.match(p.text) and st.section is not None:
        _open_part(st, p.text, p.source)
        st.pending = None


def _on_table(st: _State, table: Table) -> None:
    rows = table.rows
    segment: list[Row] = []
    i = 0
    while i < len(rows):
        cols = read_header(rows, i)
        if cols is None:
            segment.append(rows[i])
            i += 1
            continue
        _on_rows(st, segment)
        segment = []
        st.columns, st.ended, st.titled = cols, False, False
        i += cols.rows
    _on_rows(st, segment)


def _on_rows(st: _State, rows: list[Row]) -> None:
    if st.columns is None or not rows:
        return
    if st.columns.unknown:
        learn_from_data(st.columns, [r.cells for r in rows if _is_numbered(r, st.columns)])
    for row in _mend_rows(st, rows):
        _on_row(st, row)


def _on_row(st: _State, row: Row) -> None:
    cols = st.columns
    if cols is None or _is_column_numbers(row):
        return
    if st.ended:
        if _is_numbered(row, cols) and len(row.non_empty()) >= 3:
            st.warnings.append(
                Notice("row-unread", "a numbered row after the end of the indicator tables (a note) was not read", row.source)
            )
        return
    title = _single_text(row)
    if title is not None:
        if not st.titled and st.pending is not None and _PART_TITLE.match(title):
            _on_title(st, st.pending.text, st.pending.source)  # the section's title stands above the table
        st.pending = None
        _on_title(st, title, row.source)
        st.titled = True
        return
    if _is_numbered(row, cols):
        if not st.titled and st.pending is not None:
            _on_title(st, st.pending.text, st.pending.source)
        st.titled = True
        st.pending = None
        _add_indicator(st, row)
        return
    filled = {id(c): c for c in row.non_empty()}
    if filled:
        st.warnings.append(
            Notice(
                "row-unread",
                "a row with neither an indicator number nor a title was not read: "
                + " | ".join(f"{c.source.place()}: {nz.fold_spaces(c.text)[:60]!r}" for c in filled.values()),
                row.source,
            )
        )


def _is_numbered(row: Row, cols: Columns) -> bool:
    """A row numbered in the number column, with more than one cell (not one cell across the table)."""
    cells = row.cells
    if len(cells) <= cols.number or not _ROW_NUMBER.match(cells[cols.number].text):
        return False
    first = cells[0]
    return any(c is not first for c in cells)


# Repairs readers of converter text make to rows, reported as warnings.
_MENDS = {"row-rejoined": "a row cut in two by the converter was rejoined"}


def _mend_rows(st: _State, rows: list[Row]) -> list[Row]:
    """Report the repairs the reader made, and drop stray empty cells that shift a row: a row
    with more cells than the header and empty cells among them was shifted right by them."""
    cols = st.columns
    if cols is None:
        return rows
    out: list[Row] = []
    for row in rows:
        for code in row.mended:
            st.warnings.append(Notice(code, _MENDS.get(code, code), row.source))
        if _is_numbered(row, cols) and len(row.cells) > cols.width:
            row = _drop_stray_empty_cells(st, row, cols)
        out.append(row)
    return out


def _drop_stray_empty_cells(st: _State, row: Row, cols: Columns) -> Row:
    cells = list(row.cells)
    excess = len(cells) - cols.width  # drop that many empty cells after the number, in one pass (no del: linear)
    kept = cells[: cols.number + 1]
    for c in cells[cols.number + 1 :]:
        if excess > 0 and c.is_empty:
            excess -= 1
        else:
            kept.append(c)
    cells = kept
    if len(cells) != len(row.cells):
        st.warnings.append(Notice("cells-shifted", "empty cells shifted this row's values right; they were dropped", row.source))
    return Row(cells=cells, source=row.source)


def _on_title(st: _State, title: str, source: Source) -> None:
    if _END_OF_TABLES.match(title):
        st.ended = True
    elif _PART_TITLE.match(title) and st.section is not None:
        _open_part(st, title, source)
    elif _SECTION_TITLE.match(title):
        _open_section(st, title, source)
    else:
        # An unnumbered title names a block of its own (the general block, before or after the sector sections).
        _open_section(st, title, source, ordinal=0)


def _open_section(st: _State, title: str, source: Source, ordinal: int | None = None) -> None:
    text = _clean(title, st.lang)
    part_title = ""
    if ordinal is None:
        m = _SECTION_TITLE.match(text)
        assert m is not None
        ordinal, text = int(m.group(1)), m.group(2).strip()
        trailing = _TRAILING_PART.match(text)
        # "10. Министерство промышленности и строительства (строительство)": the section's first part.
        if trailing and match_agency(trailing.group(1)):
            text, part_title = trailing.group(1).strip(), trailing.group(2).strip()
    agency = match_agency(text)
    direction = match_direction(text) if agency is None else None
    ref = SectionRef(
        ordinal=ordinal,
        title=text,
        agency_id=agency.id if agency else (direction[0].id if direction else None),
        direction_id=direction[1].id if direction else None,
    )
    if ordinal > 0 and ref.agency_id is None:
        st.warnings.append(
            Notice(
                "agency-unknown",
                f"section {ordinal} '{text[:80]}' names no agency of the registry (legalkpi/data/agencies.json): kept, agency null",
                source,
            )
        )
    st.section = ref
    st.part = PartRef(1, part_title)
    st.sections.append(Section(ref=ref, parts=[st.part], source=source))


def _open_part(st: _State, title: str, source: Source) -> None:
    assert st.section is not None
    section = st.sections[-1]
    if len(section.parts) == 1 and not any(i.section is st.section for i in st.indicators) and not section.parts[0].title:
        section.parts[0].title = _PART_TITLE.match(title).group(1).strip()  # type: ignore[union-attr]
        return
    st.part = PartRef(len(section.parts) + 1, _PART_TITLE.match(title).group(1).strip())  # type: ignore[union-attr]
    section.parts.append(st.part)


def _clean(text: str, lang: str) -> str:
    return nz.fix_yo(nz.fold_spaces(text), lang)


_ABSENT = Cell(text="", source=Source(""))  # stands for a column the row does not print


def _cell(row: Row, col: int | None) -> Cell | None:
    if col is None or col >= len(row.cells) or row.cells[col] is _ABSENT:
        return None
    return row.cells[col]


def _absent_columns(row: Row, cols: Columns) -> list[int]:
    """Columns a row does not print: beyond its last cell, or covered by a cell stretched over
    columns of another field (a short row whose last cell the layout widened to the table's edge)."""
    out = list(range(len(row.cells), cols.width))
    start, crossed = 0, False
    for c in range(1, min(len(row.cells), cols.width)):
        if row.cells[c] is not row.cells[c - 1]:
            start, crossed = c, False
        elif crossed or cols.kind(c) != cols.kind(start):
            crossed = True
            out.append(c)
    return sorted(out)


def _split_weight_and_formula(st: _State, row: Row, cols: Columns) -> tuple[dict[int, str], str, int]:
    """Weight texts per column and the formula text, mending rows whose cells ran together.

    When a formula was an image, the converter lost the tab before the formula cell and its text
    ("5 %" then ", где: …") landed in the weight cell: the first line is the weight, the rest the formula.
    """
    weights = {c: (_cell(row, c).text if _cell(row, c) else "") for c in cols.weight_columns}  # type: ignore[union-attr]
    formula_cell = _cell(row, cols.formula)
    formula = formula_cell.text if formula_cell else ""
    images = formula_cell.images if formula_cell else 0
    extra = row.cells[cols.width :] if len(row.cells) > cols.width else []
    if extra:
        formula = "\n".join([formula, *(c.text for c in extra)]).strip()
        st.warnings.append(Notice("extra-cells", f"row has {len(row.cells)} cells, header has {cols.width}; extra text joined to the formula", row.source))
    last_weight = max(cols.weight_columns) if cols.weight_columns else None
    if last_weight is not None:
        text = weights[last_weight]
        head, _, rest = text.partition("\n")
        if _weight_holds_formula(text):
            weights[last_weight] = head
            cell = _cell(row, last_weight)
            images += cell.images if cell else 0
            formula = "\n".join([rest, formula]).strip() if formula_cell is not None else rest
            st.warnings.append(
                Notice("cells-run-together", "weight and formula text were in one cell; split after the weight", row.source)
            )
    return weights, formula, images


def _add_indicator(st: _State, row: Row) -> None:
    cols = st.columns
    assert cols is not None
    if st.section is None:
        _open_section(st, "", row.source, ordinal=0)
    assert st.section is not None and st.part is not None
    number_text = _ROW_NUMBER.match(row.cells[cols.number].text).group(1)  # type: ignore[union-attr]
    number = int(number_text) if number_text.isdigit() else None
    absent = _absent_columns(row, cols)
    _warn_short_and_unread(st, row, cols, number_text, absent)
    if any(c < len(row.cells) for c in absent):
        row = Row(cells=[_ABSENT if k in absent else c for k, c in enumerate(row.cells)], source=row.source)
    name_cell = _cell(row, cols.name)
    unit_cell = _cell(row, cols.unit)
    weights, formula, images = _split_weight_and_formula(st, row, cols)
    values = []
    for year, col in cols.years:
        tcell = _cell(row, col)
        target_text = nz.fold_spaces(tcell.text) if tcell else ""
        target, kind = nz.parse_target(target_text) if tcell else (None, "missing")
        if kind == "text" and nz.out_of_range(target_text):
            st.warnings.append(Notice("number-out-of-range", f"the {year} target has too many digits to be a number; "
                                       "it is kept as printed text", tcell.source if tcell else row.source))  # fmt: skip
        wcol = cols.weights.get(year)
        weight_text = nz.fold_spaces(weights.get(wcol, "")) if wcol is not None else ""
        weight, too_large = nz.read_weight(weight_text)
        if too_large:
            st.warnings.append(Notice("number-out-of-range", f"the {year} weight has too many digits to be a number; "
                                       "it is kept as printed text", row.source))  # fmt: skip
        values.append(YearValue(year, target, target_text, weight, weight_text, kind))
    name = _clean(name_cell.text if name_cell else "", st.lang)
    unit = nz.fold_spaces(unit_cell.text) if unit_cell else ""
    formula_text = nz.fix_yo(formula, st.lang)
    if images or formula_text.startswith((",", "где")):
        st.warnings.append(Notice("formula-image", "the formula was an image and is missing from this text", row.source))
    sec, part = st.section, st.part
    base = f"s{sec.ordinal}-p{part.ordinal}-n{number_text}"
    st.seen_ids[base] = st.seen_ids.get(base, 0) + 1
    ident = base if st.seen_ids[base] == 1 else f"{base}-{st.seen_ids[base]}"
    st.indicators.append(
        Indicator(
            id=ident,
            section=sec,
            part=part,
            number=number,
            name=name,
            unit=unit,
            unit_kind=nz.unit_kind(unit),
            values=values,
            formula=Formula(nz.formula_kind(formula_text, images), formula_text),
            criteria=[Criterion(t, w) for t, w in nz.parse_criteria(formula_text)],
            source=row.source,
            name_orig=name_cell.orig if name_cell else "",
            row=len(st.indicators),
            warnings_codes=_codes_at(st, row.source),
            number_text=number_text,
        )
    )


def _codes_at(st: _State, source: Source) -> tuple[str, ...]:
    """The codes of the warnings given so far at ``source``, sorted (warnings are only appended)."""
    for w in st.warnings[st.indexed :]:
        st.codes.setdefault(w.source, set()).add(w.code)
    st.indexed = len(st.warnings)
    return tuple(sorted(st.codes.get(source, ())))


def _warn_short_and_unread(st: _State, row: Row, cols: Columns, number: str, absent: list[int]) -> None:
    """A row with fewer cells than the header, and text in columns no field reads, are said so."""
    if absent and not _weight_holds_formula(row.cells[-1].text):
        missing = ", ".join(cols.describe(c) for c in absent)
        printed = cols.width - len(absent)
        st.warnings.append(
            Notice(
                "row-short",
                f"row {number} prints {printed} of {cols.width} cells; missing, so not read: {missing}",
                row.source,
            )
        )
    for col in cols.unknown:
        cell = _cell(row, col)
        if cell is not None and not cell.is_empty:
            st.warnings.append(
                Notice(
                    "cell-unread",
                    f"row {number}, {cols.describe(col)}: no field reads this column; its text was not read: {nz.fold_spaces(cell.text)[:80]!r}",
                    cell.source,
                )
            )


def _link_agencies(record: ActRecord) -> None:
    """Give each section the number of its agency in the act's own agency list."""
    by_id = {}
    for a in record.agencies:
        entry = match_agency(a.name)
        if entry:
            by_id[entry.id] = a.number
    for s in record.sections:
        if s.ref.agency_id in by_id:
            s.ref.agency = by_id[s.ref.agency_id]
