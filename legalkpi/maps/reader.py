"""Read a filled digital transformation map (DOCX, PDF or a converter's text) into a MapRecord.

The reader walks the neutral grid of :mod:`parsers` in order. Headings of the form ("Паспорт",
"1. Сфера 1 - …", "1.1. Описание", "Проблемы сферы", "1.2. План график", "Приоритетные проекты",
"Сводный график трансформации сфер") set what the following text or table is; tables are also
recognised by their own labels (passport, cases, schedule with quarter columns, fast track, Gantt),
so a table cut by a page break or a missing heading is still read. Nothing is dropped: text that
fits no part of the form is kept in ``MapRecord.unread`` and becomes a finding; text of the form's
instructions is kept in ``MapRecord.instructions``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from legalkpi.maps import form
from legalkpi.maps.form import (
    CASE_FIELDS,
    CASE_TITLE,
    FAST_TRACK_FIELDS,
    LIST_CASE_FIELDS,
    LIST_PASSPORT_FIELDS,
    PASSPORT_FIELDS,
    Case,
    FastTrack,
    GanttRow,
    MapRecord,
    ScheduleRow,
    Sphere,
    Subject,
    Value,
    fold,
)
from legalkpi.provenance import Source
from legalkpi.text import fold_spaces
from parsers.grid import Cell, Document, Paragraph, Row, Table


@dataclass
class ReadMap:
    """The record and what the reader met that the form does not hold."""

    record: MapRecord
    unread: list[tuple[str, Source]] = field(default_factory=list)  # text fitting no part of the form
    instructions: list[tuple[str, Source]] = field(default_factory=list)  # form instruction text left in place
    repeated: list[tuple[str, str, Source]] = field(default_factory=list)  # (where, label, place) given twice
    fields_seen: dict[str, Source] = field(default_factory=dict)  # passport labels present
    grids: dict[int, Any] = field(default_factory=dict)  # sphere number -> its schedule's columns (for a cut table)


# ---- lists inside a cell --------------------------------------------------------------------

_BULLET = re.compile(r"^\s*[-–—•·]\s*")
_NUMBERED = re.compile(r"^\s*(\d+)\s*[.)]\s+")


def split_items(text: str) -> list[str]:
    """List items of a cell or of paragraphs: '- a\\n- b' or '1. a\\n2. b'; otherwise one item per line."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not lines:
        return []
    marked = any(_BULLET.match(ln) or _NUMBERED.match(ln) for ln in lines)
    if not marked:
        return lines
    items: list[str] = []
    for ln in lines:
        if _BULLET.match(ln):
            parts = re.split(r"\s+[-–—•·]\s+", _BULLET.sub("", ln, count=1))
            items.extend(parts)
        elif m := _NUMBERED.match(ln):
            items.extend(_split_numbered(ln, int(m.group(1))))
        elif items:
            items[-1] = f"{items[-1]} {ln}"
        else:
            items.append(ln)
    return [i.strip() for i in items if i.strip()]


def _split_numbered(line: str, first: int) -> list[str]:
    """'1. a 2. b' -> ['a', 'b']: splits only at the next expected number."""
    out = []
    rest = _NUMBERED.sub("", line, count=1)
    k = first + 1
    while m := re.search(rf"\s{k}\s*[.)]\s+", rest):
        out.append(rest[: m.start()])
        rest = rest[m.end() :]
        k += 1
    out.append(rest)
    return out


# ---- paragraph kinds ------------------------------------------------------------------------

_SPHERE = re.compile(r"^(\d+)\.\s*сфера\s*\d*\s*[-–—:.]\s*(.+)$", re.IGNORECASE | re.DOTALL)
_NUMBERED_HEAD = re.compile(r"^(\d+)\.\s+(\S.*)$", re.DOTALL)
_DESCRIPTION = re.compile(r"^(\d+)\.1\.?\s*описание\b")
_SCHEDULE = re.compile(r"^(\d+)\.\d+\.?\s*план[\s-]*график")
_FAST = re.compile(r"^(\d+)\.\d+\.?\s*приоритетные проекты")
_YEAR = re.compile(r"^(20\d\d)(?:\s*(?:год|г\.?))?$")
_QUARTER = re.compile(r"^(IV|III|II|I|1|2|3|4)\s*(?:-?\s*(?:й|ый)?\s*)?(?:кв\.?|квартал)$", re.IGNORECASE)
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _kind(p: Paragraph) -> str:
    t = fold(p.text)
    if t.startswith("карта цифровой трансформации"):
        return "title"
    if t == "паспорт":
        return "passport"
    if _SPHERE.match(t):
        return "sphere"
    if _DESCRIPTION.match(t):
        return "description"
    if t.startswith("субъекты / объекты регулирования") or t.startswith("субъекты/объекты регулирования"):
        return "subjects"
    if t.startswith("проблемы сферы"):
        return "problems"
    if t.startswith("перспективные технологии"):
        return "technologies"
    if t.startswith("наименования кейсы") or t.startswith("кейсы (группы бизнес-процессов)"):
        return "cases"
    if _SCHEDULE.match(t):
        return "schedule"
    if _FAST.match(t):
        return "fast_track"
    if t.startswith("сводный график трансформации"):
        return "gantt"
    if re.match(r"^r\s*[-–—:]\s*реинжиниринг", t):
        return "legend"
    return "text"


def _table_kind(t: Table) -> str:
    firsts = [fold(r.cells[0].text) for r in t.rows if r.cells]
    texts = {fold(c.text) for r in t.rows for c in r.cells}
    if sum(1 for c in texts if _QUARTER.match(c)) >= 4:
        return "schedule"
    if any(f.startswith("название сферы") for f in firsts):
        return "gantt"
    if any(f.startswith("предмет регулирования") for f in firsts):
        return "subjects"
    if any(f.startswith(("сложности и важность", "потенциальные эффекты")) for f in firsts):
        return "fast_track"
    if sum(1 for f in firsts if _label(f, PASSPORT_FIELDS)) >= 4:
        return "passport"
    if any(f.startswith(CASE_TITLE) for f in firsts) or sum(1 for f in firsts if _label(f, CASE_FIELDS)) >= 3:
        return "cases"
    return "unknown"


def _label(folded: str, fields: tuple[tuple[str, str], ...]) -> str | None:
    for key, start in fields:
        if folded.startswith(start):
            return key
    return None


# ---- the walk ---------------------------------------------------------------------------------


# Headings of the form that a PDF reader may run into the paragraph before them.
_EMBEDDED = re.compile(
    r"\s(?=(?:Наименования Кейсы|Проблемы сферы|Перспективные технологии|Субъекты\s*/\s*объекты регулирования"
    r"|\d+\.1\.?\s*Описание\b|\d+\.\d+\.?\s*План[\s-]*график|\d+\.\d+\.?\s*Приоритетные проекты"
    r"|Сводный график трансформации|\d+\.\s*Сфера\s*\d+\s*[-–—]))"
)


def _split_headings(blocks: list[Paragraph | Table]) -> list[Paragraph | Table]:
    """Each heading of the form its own paragraph, as a PDF reader may join it with its neighbours."""
    out: list[Paragraph | Table] = []
    for b in blocks:
        if not isinstance(b, Paragraph):
            out.append(b)
            continue
        parts: list[str] = []
        for line in b.text.split("\n"):
            for piece in _EMBEDDED.split(line):
                if not piece.strip():
                    continue
                heading = _kind(Paragraph(text=piece, source=b.source)) not in ("text", "title")
                if heading or not parts or parts[-1].startswith("\0"):
                    parts.append(("\0" if heading else "") + piece.strip())
                else:
                    parts[-1] = f"{parts[-1]}\n{piece.strip()}"
        if len(parts) <= 1:
            out.append(b)
            continue
        out += [Paragraph(text=p.lstrip("\0"), source=b.source, orig=b.orig) for p in parts]
    return out


def read_map(doc: Document) -> ReadMap:
    """The map a document holds, following the appendix form."""
    rec = MapRecord(file=doc.file)
    out = ReadMap(record=rec)
    blocks = _split_headings(list(doc.blocks))
    heads = _sphere_heads(blocks)
    mode = ""
    sphere: Sphere | None = None
    last_table = ""
    for i, b in enumerate(blocks):
        if isinstance(b, Paragraph):
            if not b.text.strip():
                continue
            kind = "sphere" if i in heads else _kind(b)
            if kind == "sphere":
                number, name = heads.get(i) or _sphere_name(b.text)
                sphere = Sphere(number=number, name=name, source=b.source)
                rec.spheres.append(sphere)
                mode, last_table = "sphere", ""
                continue
            if kind == "title":
                rec.title = b.text.strip()
                mode = "title"
                continue
            if kind == "legend":
                continue
            if kind == "gantt":
                sphere = None
            if kind != "text":
                mode, last_table = kind, ""
                if sphere is not None:
                    sphere.seen.add(kind)
                    if kind == "schedule":
                        sphere.schedule_source = b.source
                continue
            if form.is_instruction(b.text):
                out.instructions.append((b.text, b.source))
                continue
            if sphere is not None and mode in ("description", "problems", "technologies"):
                _add_text(sphere, mode, b)
            elif mode == "title" and not rec.spheres:
                rec.title = f"{rec.title} {b.text.strip()}".strip()
            elif not mode and not rec.title and rec.passport.source is None:
                rec.preamble.append(b.text.strip())  # the approval stamp above the title
            else:
                out.unread.append((b.text, b.source))
            continue
        kind = _table_kind(b)
        if kind == "unknown" and last_table in ("schedule", "cases", "gantt", "subjects"):
            kind = last_table  # the rest of a table cut by a page break
        if kind == "passport":
            _read_passport(b, out)
        elif kind == "gantt":
            _read_gantt(b, out)
        elif sphere is None:
            _unread_table(b, out)
        elif kind == "subjects":
            sphere.seen.add("subjects")
            _read_subjects(b, sphere, out)
        elif kind == "cases":
            sphere.seen.add("cases")
            _read_cases(b, sphere, out, continued=last_table == "cases")
        elif kind == "schedule":
            sphere.seen.add("schedule")
            _read_schedule(b, sphere, out, continued=last_table == "schedule")
        elif kind == "fast_track":
            sphere.seen.add("fast_track")
            _read_fast_track(b, sphere, out)
        else:
            _unread_table(b, out)
        last_table = kind
    rec.period = form.parse_period(rec.passport.text("period"))
    return out


def _sphere_heads(blocks: list[Paragraph | Table]) -> dict[int, tuple[int, str]]:
    """Sphere headings: '1. Сфера 1 - Name', or any 'N. Name' right before 'N.1. Описание'."""
    heads: dict[int, tuple[int, str]] = {}
    paras = [(i, b) for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text.strip()]
    for k, (i, p) in enumerate(paras):
        if _SPHERE.match(fold(p.text)):
            heads[i] = _sphere_name(p.text)
            continue
        m = _NUMBERED_HEAD.match(p.text.strip())
        nxt = paras[k + 1][1] if k + 1 < len(paras) else None
        if m and nxt is not None and (d := _DESCRIPTION.match(fold(nxt.text))) and d.group(1) == m.group(1):
            heads[i] = (int(m.group(1)), m.group(2).strip())
    return heads


def _sphere_name(text: str) -> tuple[int, str]:
    t = fold_spaces(text)
    m = re.match(r"^(\d+)\.\s*(?:[Сс]фера\s*\d*\s*[-–—:.]\s*)?(.+)$", t)
    return (int(m.group(1)), m.group(2).strip()) if m else (0, t)


def _add_text(sphere: Sphere, mode: str, p: Paragraph) -> None:
    text = re.sub(r"[ \t]+", " ", p.text).strip()
    if mode == "description":
        if sphere.description is None:
            sphere.description = Value(text=text, source=p.source)
        else:
            sphere.description.text = f"{sphere.description.text} {text}"
    elif mode == "problems":
        sphere.problems.extend(split_items(p.text))
    else:
        sphere.technologies.extend(split_items(p.text))


def _value(cells: list[Cell], list_field: bool) -> Value:
    filled = [c for c in cells if not c.is_empty]
    text = "\n".join(c.text for c in filled).strip()
    src = filled[0].source if filled else (cells[0].source if cells else None)
    return Value(text=text, source=src, items=split_items(text) if list_field else [])


def _unread_table(t: Table, out: ReadMap) -> None:
    for r in t.rows:
        for c in r.non_empty():
            out.unread.append((c.text, c.source))


def _read_passport(t: Table, out: ReadMap) -> None:
    rec = out.record
    rec.passport.source = t.source
    for key, r in _labelled_rows(t, PASSPORT_FIELDS, out):
        if key in rec.passport.fields:
            out.repeated.append(("passport", r.cells[0].text, r.cells[0].source))
        out.fields_seen[key] = r.cells[0].source
        v = _value(r.cells[1:], key in LIST_PASSPORT_FIELDS)
        if v.source is None:
            v.source = r.cells[0].source
        rec.passport.fields[key] = v


def _labelled_rows(t: Table, fields: tuple[tuple[str, str], ...], out: ReadMap) -> Iterator[tuple[str, Row]]:
    """(field, row) for each row whose first cell is one of the form's labels ``fields``; the cells of
    any other row are kept as unread (they become a finding, never silently dropped)."""
    for r in t.rows:
        key = None if not r.cells or r.cells[0].is_empty else _label(fold(r.cells[0].text), fields)
        if key is None:
            _unread_cells(r.cells, out)
        else:
            yield key, r


def _unread_cells(cells: list[Cell], out: ReadMap) -> None:
    for c in cells:
        if not c.is_empty:
            out.unread.append((c.text, c.source))


def _read_subjects(t: Table, sphere: Sphere, out: ReadMap) -> None:
    for r in t.rows:
        texts = [c.text.strip() for c in r.cells]
        first = fold(texts[0]) if texts else ""
        if first.startswith("предмет регулирования") or not any(texts):
            continue
        if all(form.is_instruction(x) for x in texts if x):
            out.instructions.append((" | ".join(x for x in texts if x), r.source))
            continue
        vals = [*texts, "", "", "", ""][:4]
        if len([x for x in texts if x]) > 4:
            _unread_cells(r.cells[4:], out)
        count_src = r.cells[1].source if len(r.cells) > 1 else r.source
        sphere.subjects.append(Subject(name=vals[0], count=vals[1], gdp=vals[2], lifecycle=vals[3], source=r.source, count_source=count_src))


def _read_cases(t: Table, sphere: Sphere, out: ReadMap, *, continued: bool) -> None:
    case = sphere.cases[-1] if continued and sphere.cases else None
    for r in t.rows:
        cells = r.cells
        if not cells or all(c.is_empty for c in cells):
            continue
        label = fold(cells[0].text)
        rest = cells[1:]
        if not label:
            if case is not None and case.fields:  # a cut row: its value continues the last field
                last = list(case.fields)[-1]
                more = _value(rest, last in LIST_CASE_FIELDS)
                prev = case.fields[last]
                prev.text = f"{prev.text}\n{more.text}".strip()
                prev.items = form_items(prev.text) if last in LIST_CASE_FIELDS else []
            else:
                _unread_cells(rest, out)
            continue
        if label.startswith(CASE_TITLE):
            named = [c for c in rest if not c.is_empty]
            name = "\n".join(c.text for c in named).strip()
            if not name:  # the name written into the title cell: "Наименование кейса 1: …"
                name = re.sub(r"^наименование кейса\s*\d*\s*[:.\-–—]?\s*", "", cells[0].text.strip(), flags=re.I)
            case = Case(name=fold_spaces(name), source=named[0].source if named else cells[0].source)
            sphere.cases.append(case)
            continue
        key = _label(label, CASE_FIELDS)
        if key is None:
            if all(c.is_empty for c in rest):  # a case's name standing alone in a merged row
                case = Case(name=fold_spaces(cells[0].text), source=cells[0].source)
                sphere.cases.append(case)
            else:
                _unread_cells(cells, out)
            continue
        if case is None:
            _unread_cells(cells, out)
            continue
        if key in case.fields:
            out.repeated.append((f"case {case.name}", cells[0].text, cells[0].source))
        v = _value(rest, key in LIST_CASE_FIELDS)
        if v.source is None:
            v.source = cells[0].source
        case.fields[key] = v


def form_items(text: str) -> list[str]:
    return split_items(text)


@dataclass
class _Grid:
    """Columns of a schedule or Gantt table, by grid position (merged cells span several)."""

    name: int = 0
    unit: int | None = None
    periods: dict[int, str] = field(default_factory=dict)  # grid column -> "2025-Q1" | "2025"


def _positions(row: Row) -> list[tuple[int, int, Cell]]:
    out, pos = [], 0
    for c in row.cells:
        span = max(1, c.col_span)
        out.append((pos, span, c))
        pos += span
    return out


def _schedule_grid(t: Table) -> tuple[_Grid | None, int, list[int]]:
    """The schedule's columns from its two header rows; (grid, index of the last header row, years)."""
    for h, row in enumerate(t.rows):
        quarters = [(pos, c) for pos, _, c in _positions(row) if _QUARTER.match(fold(c.text))]
        if len(quarters) < 4:
            continue
        years = [int(m.group(1)) for r in t.rows[:h] for c in r.cells if (m := _YEAR.match(fold(c.text)))]
        grid = _Grid()
        for pos, _, c in _positions(row):
            if fold(c.text).startswith("ответствен"):
                grid.unit = pos
        k, prev = 0, 0
        for pos, c in quarters:
            q = _ROMAN[_QUARTER.match(fold(c.text)).group(1).upper()]  # type: ignore[union-attr]
            if q <= prev:
                k += 1
            prev = q
            year = years[k] if k < len(years) else (years[-1] + k - len(years) + 1 if years else 0)
            grid.periods[pos] = form.quarter_key(year, q)
        ys = sorted({int(p[:4]) for p in grid.periods.values()})
        return grid, h, ys
    return None, -1, []


def _read_schedule(t: Table, sphere: Sphere, out: ReadMap, *, continued: bool) -> None:
    grid, h, years = _schedule_grid(t)
    if grid is None:
        grid = out.grids.get(sphere.number)
        if grid is None or not continued:
            _unread_table(t, out)
            return
    else:
        sphere.schedule_years = years
        out.grids[sphere.number] = grid
        _header_leftovers(t.rows[: h + 1], ("наименование мероприятия", "название кейса", "ответственн"), out)
    case_names = {fold(c.name) for c in sphere.cases}
    current = sphere.schedule[-1].case if continued and sphere.schedule else ""
    current_src = sphere.schedule[-1].case_source if continued and sphere.schedule else None
    for row in t.rows[h + 1 :]:
        cells = _positions(row)
        filled = [(pos, span, c) for pos, span, c in cells if not c.is_empty]
        if not filled:
            continue
        first = next((c for pos, _, c in cells if pos == grid.name), None)
        name = fold_spaces(first.text) if first else ""
        only_name = len(filled) == 1 and first is not None and not first.is_empty
        if only_name and (len(row.cells) == 1 or (first and first.col_span > 1) or fold(name) in case_names):
            current, current_src = name, first.source if first else row.source
            continue
        srow = ScheduleRow(case=current, process=name, unit="", quarters={}, source=first.source if first else row.source)
        srow.case_source = current_src
        for pos, span, c in filled:
            if c is first:
                continue
            if grid.unit is not None and pos == grid.unit:
                srow.unit = fold_spaces(c.text)
                continue
            covered = [g for g in sorted(grid.periods) if pos <= g < pos + span]
            if not covered:
                out.unread.append((c.text, c.source))
                continue
            for g in covered:
                srow.quarters[grid.periods[g]] = c.text.strip()
                srow.cells[grid.periods[g]] = c.source
        sphere.schedule.append(srow)


def _header_leftovers(rows: list[Row], labels: tuple[str, ...], out: ReadMap) -> None:
    """Header cells that are neither the form's labels, years nor quarters: kept as unread text."""
    for r in rows:
        for c in r.non_empty():
            f = fold(c.text)
            if not (f.startswith(labels) or _YEAR.match(f) or _QUARTER.match(f)):
                out.unread.append((c.text, c.source))


def _read_fast_track(t: Table, sphere: Sphere, out: ReadMap) -> None:
    ft = FastTrack(source=t.source)
    for key, r in _labelled_rows(t, FAST_TRACK_FIELDS, out):
        if key in ft.fields:
            out.repeated.append(("fast track", r.cells[0].text, r.cells[0].source))
        v = _value(r.cells[1:], False)
        v.text = re.sub(r"\s*\n\s*", " ", v.text) if key in ("sphere", "case") else v.text
        if v.source is None:
            v.source = r.cells[0].source
        ft.fields[key] = v
    sphere.fast_track.append(ft)


def _read_gantt(t: Table, out: ReadMap) -> None:
    rec = out.record
    rec.gantt_source = t.source
    header = next((i for i, r in enumerate(t.rows) if r.cells and fold(r.cells[0].text).startswith("название сферы")), None)
    if header is None:
        _unread_table(t, out)
        return
    _header_leftovers(t.rows[: header + 1], ("название сферы", "ответственн"), out)
    grid = _Grid()
    for pos, _, c in _positions(t.rows[header]):
        f = fold(c.text)
        if m := _YEAR.match(f):
            grid.periods[pos] = m.group(1)
        elif f.startswith("ответствен"):
            grid.unit = pos
    rec.gantt_years = sorted(int(y) for y in grid.periods.values())
    by_name = {fold(s.name): s for s in rec.spheres}
    for row in t.rows[header + 1 :]:
        cells = _positions(row)
        if all(c.is_empty for _, _, c in cells):
            continue
        name = fold_spaces(cells[0][2].text) if cells else ""
        g = GanttRow(sphere=name, unit="", years={}, source=cells[0][2].source if cells else row.source)
        for pos, span, c in cells[1:]:
            if c.is_empty:
                continue
            if grid.unit is not None and pos == grid.unit:
                g.unit = fold_spaces(c.text)
                continue
            covered = [p for p in sorted(grid.periods) if pos <= p < pos + span]
            if not covered:
                out.unread.append((c.text, c.source))
            for p in covered:
                g.years[grid.periods[p]] = fold_spaces(c.text)
                g.cells[grid.periods[p]] = c.source
        sphere = by_name.get(fold(name)) or by_name.get(fold(_sphere_name(name)[1]))
        if sphere is not None and sphere.gantt is None:
            sphere.gantt = g
        else:
            rec.gantt_unplaced.append(g)
