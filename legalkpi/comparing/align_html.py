"""A self-contained side-by-side HTML page of an alignment: Russian left, Kazakh right.

One table row per pair (a row of one language only has an empty other half); part headings
inside sections; a contents list per ministry; a "differences only" switch. Cells that differ
are highlighted with the finding's severity (``diff error`` / ``diff minor``…); what the reader
mended is shown as a note, not highlighted. Every document text is escaped.
"""

from __future__ import annotations

from html import escape
from typing import Any

from legalkpi.comparing.align import Alignment, weight_printed
from legalkpi.findings import Finding, severity_rank
from legalkpi.model import Indicator

_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.3em} h2{font-size:1.1em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td,th{border:1px solid #ddd;padding:4px 6px;vertical-align:top;overflow-wrap:anywhere}
th{background:#f4f4f4;text-align:left}
th.lang{text-align:center;background:#e9eef6}
td.sep,th.sep{border:none;background:#fff}
tr.part th{background:#fafafa;font-style:italic}
td.diff.error,td.diff.warning{background:#ffd6d6;font-weight:600}
td.diff.minor{background:#fff1c2}
td.val{text-align:right} td.none{background:#f7f7f7;color:#888}
.src{color:#888;font-size:12px}
.note{color:#555;font-size:12px;font-style:italic}
.summary span{display:inline-block;margin-right:1.5em}
p.notice{background:#fff1c2;padding:.4em .6em}
ul.f{margin:.2em 0 .6em 1.2em;padding:0}
li.error,li.warning{color:#a40000} li.minor{color:#7a5a00}
body.only-diff tr.same,body.only-diff section.same,body.only-diff li.same{display:none}
"""

_SCRIPT = """
document.getElementById('only-diff').addEventListener('change', function (e) {
  document.body.classList.toggle('only-diff', e.target.checked);
});
"""


def _years(al: Alignment) -> list[int]:
    return sorted({v.year for i in al.ru.indicators for v in i.values} & {v.year for i in al.kk.indicators for v in i.values})


def _marks(fs: list[Finding]) -> dict[str, str]:
    """Cell key -> the most serious severity of the findings about it."""
    out: dict[str, str] = {}

    def mark(key: str, sev: str) -> None:
        if key not in out or severity_rank(sev) > severity_rank(out[key]):
            out[key] = sev

    for f in fs:
        if f.field in ("target", "weight"):
            mark(f"{f.field}:{f.year}", f.severity)
        elif f.field == "shift":
            mark(f"shift:{f.year}", f.severity)
        elif f.field in ("numbering", "order"):
            mark("number", f.severity)
        elif f.field == "criteria":
            mark("name", f.severity)
        elif f.field is not None:
            mark(f.field, f.severity)
    return out


def _cell(text: str, cls: str, key: str | None, marks: dict[str, str], years_shift: bool = False) -> str:
    sev = marks.get(key or "") or (marks.get("shift:None") if years_shift else None)
    classes = " ".join(c for c in (cls, f"diff {sev}" if sev else "") if c)
    return f'<td class="{classes}">{text}</td>' if classes else f"<td>{text}</td>"


def _side(i: Indicator | None, years: list[int], marks: dict[str, str], lang: str) -> list[str]:
    width = 4 + 2 * len(years)
    if i is None:
        return [f'<td class="none" colspan="{width}" data-lang="{lang}"><em>no counterpart in this text</em></td>']
    src = escape(i.source.place()) if i.source else ""
    cells = [
        _cell(escape(str(i.number)), "num", "number", marks),
        _cell(f"{escape(i.name)}<div class='src'>{escape(i.id)} · lines {src}</div>", "name", "name", marks),
        _cell(escape(i.unit), "unit", "unit", marks),
    ]
    for y in years:
        v = i.value(y)
        shift = f"shift:{y}" in marks
        cells.append(_cell(escape(v.target_text if v else ""), "val", f"shift:{y}" if shift else f"target:{y}", marks, True))
        cells.append(_cell(escape(weight_printed(v)), "val", f"shift:{y}" if shift else f"weight:{y}", marks, True))
    cells.append(_cell(escape(i.formula.kind), "formula", "formula_kind", marks))
    return [c.replace("<td", f'<td data-lang="{lang}"', 1) for c in cells]


def render(al: Alignment, min_severity: str = "info") -> str:
    ru_by = {i.id: i for i in al.ru.indicators}
    kk_by = {i.id: i for i in al.kk.indicators}
    years = _years(al)
    shown = al.shown(min_severity)
    by_row: dict[tuple[str | None, str | None], list[Finding]] = {}
    for f in shown:
        by_row.setdefault((f.data.get("ru_id"), f.data.get("kk_id")), []).append(f)
    notes = {(p.ru_id, p.kk_id): p.notes for p in al.pairs}
    title = al.ru.act.title or al.ru.file
    s = al.summary()
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{escape(al.ru.act.number or al.ru.file)}: Russian and Kazakh texts</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f"<p class='summary'><span>Russian (left): {escape(al.ru.file)}</span><span>Kazakh (right): {escape(al.kk.file)}</span></p>",
        f"<p class='summary'><span>{s['pairs']} pairs</span><span>{s['unpaired']} rows in one text only</span>"
        f"<span>{s['error']} errors</span><span>{s['warning']} warnings</span><span>{s['minor']} minor (notation)</span></p>",
        *(f"<p class='notice'>{escape(n)}</p>" for n in al.notes),
        "<p><label><input type='checkbox' id='only-diff'> differences only</label></p>",
    ]
    sections = _rows_by_section(al, ru_by, kk_by)
    toc = ["<nav><h2>Contents</h2><ul>"]
    body: list[str] = []
    for n, (_ordinal, label, rows) in enumerate(sections):
        count = sum(len(by_row.get((a.id if a else None, b.id if b else None), [])) for a, b in rows)
        state = "diff" if count else "same"
        toc.append(f"<li class='{state}'><a href='#sec-{n}'>{escape(label)}</a> — {count} differences</li>")
        body.append(f"<section id='sec-{n}' class='{state}'><h2>{escape(label)}</h2>")
        body.append(_table_head(years))
        part = None
        for a, b in rows:
            row = a or b
            assert row is not None
            if row.part.title and (row.part.ordinal, row.part.title) != part:
                part = (row.part.ordinal, row.part.title)
                w = 4 + 2 * len(years)
                ru_t, kk_t = (a.part.title if a else ""), (b.part.title if b else "")
                body.append(f"<tr class='part'><th colspan='{w}'>{escape(ru_t)}</th><th class='sep'></th>"
                            f"<th colspan='{w}'>{escape(kk_t)}</th></tr>")  # fmt: skip
            fs = by_row.get((a.id if a else None, b.id if b else None), [])
            marks = _marks(fs)
            cls = "diff" if fs else "same"
            cells = [*_side(a, years, marks, "ru"), '<td class="sep"></td>', *_side(b, years, marks, "kk")]
            body.append(f"<tr class='{cls}'>" + "".join(cells) + "</tr>")
            extra = "".join(f"<li class='{f.severity}'>{escape(f.severity)}: {escape(f.message)}</li>" for f in fs)
            extra += "".join(f"<li class='note'>mended by the reader (not a difference): {escape(x)}</li>" for x in notes.get((a.id if a else "", b.id if b else ""), []))
            if extra:
                body.append(f"<tr class='{cls} notes'><td colspan='{9 + 4 * len(years)}'><ul class='f'>{extra}</ul></td></tr>")
        body.append("</table></section>")
    toc.append("</ul></nav>")
    parts += toc + body
    parts.append(f"<script>{_SCRIPT}</script></body></html>\n")
    return "\n".join(parts)


def _table_head(years: list[int]) -> str:
    one = "<col style='width:2.5em'><col><col style='width:4em'>" + "<col style='width:4.5em'>" * (2 * len(years)) + "<col style='width:6em'>"
    cols = f"<colgroup>{one}<col style='width:.6em'>{one}</colgroup>"
    width = 4 + 2 * len(years)
    sub = "<th>№</th><th>name</th><th>unit</th>" + "".join(f"<th>{y}</th><th>w</th>" for y in years) + "<th>formula</th>"
    return (f"<table>{cols}<tr><th class='lang' colspan='{width}'>Russian</th><th class='sep'></th>"
            f"<th class='lang' colspan='{width}'>Kazakh</th></tr><tr>{sub}<th class='sep'></th>{sub}</tr>")  # fmt: skip


def _rows_by_section(
    al: Alignment, ru_by: dict[str, Indicator], kk_by: dict[str, Indicator]
) -> list[tuple[int, str, list[tuple[Indicator | None, Indicator | None]]]]:
    """Sections in the Russian order (Kazakh-only ones after), rows in the Russian order with
    Kazakh-only rows placed after the row that precedes them in the Kazakh text."""
    groups: dict[tuple[int, str], list[tuple[Indicator | None, Indicator | None]]] = {}
    for p in al.pairs:
        a = ru_by[p.ru_id]
        groups.setdefault((a.section.ordinal, a.section.title), []).append((a, kk_by[p.kk_id]))
    for u in al.unpaired:
        i = (ru_by if u["lang"] == "ru" else kk_by)[u["id"]]
        groups.setdefault((i.section.ordinal, i.section.title), []).append((i, None) if u["lang"] == "ru" else (None, i))

    def key(pair: tuple[Indicator | None, Indicator | None]) -> tuple[Any, ...]:
        a, b = pair
        return (a.row, 0) if a is not None else (_after(b, al, ru_by, kk_by), 1)

    out = []
    def first(rows: list[tuple[Indicator | None, Indicator | None]]) -> int:
        ru_rows = [a.row for a, _ in rows if a is not None]
        return min(ru_rows) if ru_rows else 10**6 + min(b.row for _, b in rows if b is not None)

    for (ordinal, title), rows in sorted(groups.items(), key=lambda kv: first(kv[1])):
        label = f"{ordinal}. {title}" if ordinal else (title or "General indicators")
        out.append((ordinal, label, sorted(rows, key=key)))
    return out


def _after(b: Indicator | None, al: Alignment, ru_by: dict[str, Indicator], kk_by: dict[str, Indicator]) -> float:
    """Where a Kazakh-only row goes in the Russian order: just after its Kazakh predecessor's partner."""
    assert b is not None
    partner = {p.kk_id: ru_by[p.ru_id].row for p in al.pairs}
    before = [k for k in al.kk.indicators if k.row < b.row and k.id in partner]
    return partner[before[-1].id] + 0.5 if before else -0.5
