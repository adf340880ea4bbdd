"""Render a hand-written map record (tests/maprecords.py) into the forms a ministry sends.

- DOCX (python-docx), following the appendix form of the Rules 601/НҚ: title, "Паспорт" and its
  two-column table, per sphere the headings "N. Сфера N - …", "N.1. Описание", the subjects table,
  problems and technologies as numbered paragraphs, the two-column cases table ("Наименование кейса
  k" | name, then the form's rows), the schedule with its two header rows (years merged over four
  quarter columns) and each case as one merged row above its processes, the legend, the fast-track
  table; then the summary Gantt. Landscape A4, ruled tables ("Table Grid").
- the converter's text (one cell per line, introduced by a tab), as made from DOCX.

Each renderer also returns an address book: the place of every value a planted mistake may name
("passport/period" -> "t0/r8/c1" in DOCX, a line number in the text), written down while writing.
"""

from __future__ import annotations

import io
from typing import Any

QUARTER_NAMES = ("I кв", "II кв", "III кв", "IV кв")
BULLETS = {"processes", "functions", "services", "implementers"}
NUMBERED = {"ai_use", "units", "planning_documents", "spheres"}
PASSPORT = (
    ("name", "Наименование карты цифровой трансформации"),
    ("goal", "Цель"),
    ("planning_documents", "Документ СГП"),
    ("spheres", "Сфера, охваченные картой цифровой трансформации"),
    ("principles", "Принципы"),
    ("developer", "Государственные органы, ответственные за разработку карты"),
    ("implementers", "Государственные органы и организации, ответственные за реализацию карты"),
    ("basis", "Основание для разработки"),
    ("period", "Сроки реализации"),
)
CASE = (
    ("processes", "Бизнес-процессы"),
    ("ai_use", "Перспективное использование Искусственного интеллекта"),
    ("units", "Ответственные структурные подразделения"),
    ("functions", "Связанные функции центрального государственного органа"),
    ("services", "Связанные государственные услуги"),
    ("automation", "Статус автоматизации"),
    ("subject", "Субъект / объект"),
    ("reengineering", "Статус реинжиниринга"),
)
FAST = (
    ("sphere", "Сфера"),
    ("case", "Наименование кейса"),
    ("importance", "Сложности и важность кейса"),
    ("effects", "Потенциальные эффекты"),
    ("solutions", "Перспективные решения или технологии"),
)
LEGEND = "R - реинжиниринг, F – реализация целевого варианта процесса, D – реализация оптимального варианта процесса"


def paragraphs(key: str, value: Any) -> list[str]:
    """A value as the paragraphs of its cell: lists bulleted or numbered as the form shows them."""
    if isinstance(value, dict):  # automation
        return [value["text"]]
    if isinstance(value, list):
        if key in NUMBERED:
            return [f"{k}. {x}" for k, x in enumerate(value, 1)]
        return [f"- {x}" for x in value]
    return [str(value)] if value != "" else []


def years_of(m: dict[str, Any]) -> list[int]:
    p = m["period"]
    return list(range(p["from"], p["to"] + 1)) if p else []


def plan(m: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The document as a list of blocks: ("p", text) or ("t", table spec).

    A table spec is {"key": name, "rows": [[(text paragraphs, span, address key | None), ...], ...]}.
    """
    out: list[tuple[Any, ...]] = [("p", text) for text in m.get("preamble", [])]
    title = m["title"]
    head, _, body = title.partition("» ")
    out += [("p", head + "»"), ("p", body)] if body else [("p", title)]
    out.append(("p", "Паспорт"))
    rows = []
    for key, label in PASSPORT:
        if m["passport"][key] is None:  # a row the drafter deleted
            continue
        rows.append([([label], 1, None), (paragraphs(key, m["passport"][key]), 1, f"passport/{key}")])
    out.append(("t", {"key": "passport", "rows": rows}))
    years = sorted({int(q[:4]) for s in m["spheres"] for r in s["schedule"] for q in r["quarters"]} | set(years_of(m)))
    for si, s in enumerate(m["spheres"]):
        n = s["number"]
        out.append(("p", f"{n}. Сфера {n} - {s['name']}", f"s{si}/heading"))
        out.append(("p", f"{n}.1. Описание"))
        out.append(("p", s["description"]))
        out.append(("p", "Субъекты / объекты регулирования"))
        rows = [[(["Предмет регулирования"], 1, None), (["Кол-во"], 1, None), (["Вклад в ВВП"], 1, None), (["Жизненный цикл"], 1, None)]]
        for k, sub in enumerate(s["subjects"]):
            rows.append([([sub[f]], 1, f"s{si}/subject{k}/{f}") for f in ("name", "count", "gdp", "lifecycle")])
        out.append(("t", {"key": f"s{si}/subjects", "rows": rows}))
        out.append(("p", "Проблемы сферы"))
        out += [("p", f"{k}. {x}") for k, x in enumerate(s["problems"], 1)]
        out.append(("p", "Перспективные технологии"))
        out += [("p", f"{k}. {x}") for k, x in enumerate(s["technologies"], 1)]
        out.append(("p", "Наименования Кейсы (группы бизнес-процессов) сферы"))
        rows = []
        for ci, c in enumerate(s["cases"]):
            rows.append([([f"Наименование кейса {ci + 1}"], 1, None), ([c["name"]], 1, f"s{si}/c{ci}/name")])
            for key, label in CASE:
                rows.append([([label], 1, None), (paragraphs(key, c[key]), 1, f"s{si}/c{ci}/{key}")])
        out.append(("t", {"key": f"s{si}/cases", "rows": rows}))
        out.append(("p", f"{n}.2. План график сферы «{s['name']}»"))
        width = 2 + 4 * len(years)
        rows = [
            [(["Наименование мероприятия"], 2, None), *[([str(y)], 4, None) for y in years]],
            [(["Название кейса (под процесса)"], 1, None), (["Ответственное подразделение"], 1, None),
             *[([q], 1, None) for _ in years for q in QUARTER_NAMES]],
        ]  # fmt: skip
        case = None
        for ri, r in enumerate(s["schedule"]):
            if r["case"] != case:
                case = r["case"]
                rows.append([([s.get("schedule_names", {}).get(case, case)], width, f"s{si}/case/{case}")])
            cells = [([r["process"]], 1, f"s{si}/r{ri}/process"), ([r["unit"]], 1, f"s{si}/r{ri}/unit")]
            for y in years:
                for q in range(1, 5):
                    k = f"{y}-Q{q}"
                    cells.append(([r["quarters"][k]] if k in r["quarters"] else [], 1, f"s{si}/r{ri}/{k}"))
            rows.append(cells)
        out.append(("t", {"key": f"s{si}/schedule", "rows": rows, "header": 2}))
        out.append(("p", LEGEND))
        out.append(("p", f"{n}.4 Приоритетные проекты (Проекты Fast Track)"))
        for fi, ft in enumerate(s["fast_track"]):
            rows = [[([label], 1, None), ([ft[key]], 1, f"s{si}/f{fi}/{key}")] for key, label in FAST]
            out.append(("t", {"key": f"s{si}/fast{fi}", "rows": rows}))
            if fi + 1 < len(s["fast_track"]):
                out.append(("p", ""))
    out.append(("p", "Сводный график трансформации сфер (Диаграмма Ганта)"))
    gyears = years_of(m) or years
    rows = [[(["Название сферы"], 1, None), (["Ответственное подразделение (Департамент / Комитет)"], 1, None),
             *[([str(y)], 1, None) for y in gyears]]]  # fmt: skip
    for si, s in enumerate(m["spheres"]):
        if s["gantt"] is None:  # a row the drafter forgot
            continue
        rows.append(
            [([s.get("gantt_name", s["name"])], 1, f"gantt/s{si}/name"), ([s["gantt_unit"]], 1, f"gantt/s{si}/unit")]
            + [([s["gantt"][str(y)]] if s["gantt"].get(str(y)) else [], 1, f"gantt/s{si}/{y}") for y in gyears]
        )
    out.append(("t", {"key": "gantt", "rows": rows}))
    out += [("p", text, f"after/{k}") for k, text in enumerate(m.get("after", []))]
    return out


def to_docx(m: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    """The map as a DOCX and the address (t/r/c, p{n}) of every value."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    d = docx.Document()
    sec = d.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE
    sec.page_width, sec.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Mm(12))
    d.styles["Normal"].font.size = Pt(8)
    d.styles["Normal"].paragraph_format.space_after = Pt(2)
    addresses: dict[str, str] = {}
    n_par = n_tab = 0
    for kind, spec, *name in plan(m):
        if kind == "p":
            if name:
                addresses[name[0]] = f"p{n_par}"
            d.add_paragraph(spec)
            n_par += 1
            continue
        addresses[f"table/{spec['key']}"] = f"t{n_tab}"
        rows = spec["rows"]
        width = max(sum(span for _, span, _ in r) for r in rows)
        table = d.add_table(rows=len(rows), cols=width)
        table.style = "Table Grid"
        widths = _widths(spec["key"], width)
        table.autofit = False
        for col_el, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
            col_el.set(qn("w:w"), str(int(w * 56.7)))  # twentieths of a point per mm
        for ri, r in enumerate(rows):
            col = 0
            for ci, (paras, span, key) in enumerate(r):
                cell = table.cell(ri, col)
                if span > 1:
                    cell = cell.merge(table.cell(ri, col + span - 1))
                cell.text = paras[0] if paras else ""
                for p in paras[1:]:
                    cell.add_paragraph(p)
                if key:
                    addresses[key] = f"t{n_tab}/r{ri}/c{ci}"
                cell.width = Mm(sum(widths[col : col + span]))
                col += span
            cant_split = OxmlElement("w:cantSplit")  # a row is never cut by a page break
            table.rows[ri]._tr.get_or_add_trPr().append(cant_split)
            if ri < spec.get("header", 0):
                tr_pr = table.rows[ri]._tr.get_or_add_trPr()
                el = OxmlElement("w:tblHeader")
                el.set(qn("w:val"), "true")
                tr_pr.append(el)
        n_tab += 1
        d.add_paragraph("")  # adjacent Word tables would fuse
        n_par += 1
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue(), addresses


def _widths(key: str, width: int) -> list[float]:
    """Column widths in mm on a landscape A4 page (273 mm of text width)."""
    if key.endswith("schedule"):
        return [70.0, 43.0] + [160.0 / (width - 2)] * (width - 2)
    if key == "gantt":
        return [80.0, 73.0] + [120.0 / (width - 2)] * (width - 2)
    if width == 2:
        return [80.0, 193.0]
    return [273.0 / width] * width


def to_text(m: dict[str, Any]) -> tuple[str, dict[str, int]]:
    """The converter's text: flow paragraphs indented, table cells one per line after a tab."""
    lines: list[str] = []
    addresses: dict[str, int] = {}
    indent = "\u00a0 \u00a0 \u00a0 "
    for kind, spec, *name in plan(m):
        if kind == "p":
            if spec:
                lines += ["", "", indent + spec]
                if name:
                    addresses[name[0]] = len(lines)
            continue
        addresses[f"table/{spec['key']}"] = len(lines) + 2
        for r in spec["rows"]:
            lines.append("")
            for paras, _, key in r:
                if key:
                    addresses[key] = len(lines) + 1
                lines.append("\t" + (paras[0] if paras else ""))
                lines += paras[1:]
        lines += ["", ""]
    return "\n".join(lines) + "\n", addresses
