"""A self-contained side-by-side HTML page of an alignment. Every document text is escaped."""

from __future__ import annotations

from html import escape

from legalkpi.align import Alignment
from legalkpi.model import Indicator

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em} h2{font-size:1.1em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td,th{border:1px solid #ddd;padding:4px 6px;vertical-align:top}
th{background:#f4f4f4;text-align:left}
tr.bad td{background:#fff8e6}
td.diff{background:#ffd6d6;font-weight:600}
td.lang{color:#666} td.val{text-align:right}
.src{color:#888;font-size:12px}
.summary span{display:inline-block;margin-right:1.5em}
ul.f{margin:.2em 0 .6em 1.2em;padding:0;color:#a40000}
"""


def _vals(i: Indicator, years: list[int]) -> list[str]:
    out = []
    for y in years:
        v = i.value(y)
        out += [v.target_text if v else "", "" if not v or v.weight is None else f"{v.weight:g} %"]
    return out


def _row(lang: str, i: Indicator | None, years: list[int], diff_cols: set[str]) -> str:
    if i is None:
        return f'<tr class="bad"><td class="lang">{lang}</td><td colspan="{4 + 2 * len(years)}"><em>no counterpart</em></td></tr>'
    cells = [f'<td class="lang">{lang}</td>', f'<td class="num{" diff" if "numbering" in diff_cols else ""}">{escape(str(i.number))}</td>']
    src = escape(i.source.place()) if i.source else ""
    cells.append(f'<td>{escape(i.name)}<div class="src">{escape(i.id)} · lines {src}</div></td>')
    cells.append(f'<td class="unit{" diff" if "unit" in diff_cols else ""}">{escape(i.unit)}</td>')
    for k, text in enumerate(_vals(i, years)):
        year = years[k // 2]
        col = f"{'target' if k % 2 == 0 else 'weight'}:{year}"
        hit = col in diff_cols or f"shift:{year}" in diff_cols or "shift:None" in diff_cols
        cells.append(f'<td class="val{" diff" if hit else ""}">{escape(text)}</td>')
    cells.append(f'<td class="{"diff" if "formula_kind" in diff_cols else ""}">{escape(i.formula.kind)}</td>')
    return "<tr>" + "".join(cells) + "</tr>"


def render(al: Alignment) -> str:
    ru_by = {i.id: i for i in al.ru.indicators}
    kk_by = {i.id: i for i in al.kk.indicators}
    years = sorted({v.year for i in al.ru.indicators for v in i.values} & {v.year for i in al.kk.indicators for v in i.values})
    findings: dict[tuple[str | None, str | None], list] = {}
    for f in al.findings:
        findings.setdefault((f.ru_id, f.kk_id), []).append(f)
    head = "".join(f"<th>{y}</th><th>w</th>" for y in years)
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{escape(al.ru.act.number or al.ru.file)}: Russian and Kazakh texts</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(al.ru.act.title or al.ru.file)}</h1>",
        f"<p class='summary'><span>Russian: {escape(al.ru.file)}</span><span>Kazakh: {escape(al.kk.file)}</span></p>",
        f"<p class='summary'><span>{len(al.pairs)} pairs</span><span>{len(al.unpaired)} unpaired rows</span>"
        f"<span>{len(al.findings)} findings</span><span>{len(findings)} mismatching rows</span></p>",
    ]
    rows_by_section: dict[int, list[tuple[Indicator | None, Indicator | None]]] = {}
    for p in al.pairs:
        rows_by_section.setdefault(ru_by[p.ru_id].section.ordinal, []).append((ru_by[p.ru_id], kk_by[p.kk_id]))
    for u in al.unpaired:
        i = (ru_by if u["lang"] == "ru" else kk_by)[u["id"]]
        rows_by_section.setdefault(i.section.ordinal, []).append((i, None) if u["lang"] == "ru" else (None, i))
    for ordinal in sorted(rows_by_section):
        pairs = rows_by_section[ordinal]
        first = next(a or b for a, b in pairs)
        assert first is not None
        parts.append(f"<h2>{ordinal}. {escape(first.section.title)}</h2>")
        # Fixed layout takes column widths from <col>: narrow codes and values, the name takes the rest.
        cols = "<col style='width:3em'><col style='width:3.5em'><col><col style='width:5em'>"
        cols += "<col style='width:5.5em'>" * (2 * len(years)) + "<col style='width:7.5em'>"
        parts.append(f"<table><colgroup>{cols}</colgroup><tr><th></th><th>№</th><th>name</th><th>unit</th>{head}<th>formula</th></tr>")
        for a, b in pairs:
            fs = findings.get((a.id if a else None, b.id if b else None), [])
            diff_cols = {f"{f.field}:{f.year}" if f.field in ("target", "weight", "shift") else f.field for f in fs}
            parts.append(_row("ru", a, years, diff_cols))
            parts.append(_row("kk", b, years, diff_cols))
            if fs:
                items = "".join(f"<li>{escape(f.message)}</li>" for f in fs)
                parts.append(f"<tr class='bad'><td colspan='{5 + 2 * len(years)}'><ul class='f'>{items}</ul></td></tr>")
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
