"""A checked map for people and machines: JSON, a terminal table, Markdown, HTML.

Document text is escaped wherever it is rendered (Markdown and HTML metacharacters, rich markup).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

from legalkpi.findings import Finding
from legalkpi.text import fold_spaces

if TYPE_CHECKING:
    from legalkpi.maps import MapResult

_DOCX_CELL = re.compile(r"^t(\d+)/r(\d+)(?:/c(\d+))?$")
_PDF_CELL = re.compile(r"^r(\d+)/c(\d+)$")


def place_dict(f: Finding) -> dict[str, Any] | None:
    """The finding's place: file and table/row/cell (DOCX), page/row/cell (PDF) or lines (text)."""
    if f.source is None:
        return None
    d: dict[str, Any] = f.source.to_dict()
    cell = f.source.cell or ""
    if m := _DOCX_CELL.match(cell):
        d.update(table=int(m.group(1)), row=int(m.group(2)))
        d["cell"] = int(m.group(3)) if m.group(3) is not None else None
        d["address"] = cell
    elif m := _PDF_CELL.match(cell):
        d.update(row=int(m.group(1)), cell=int(m.group(2)), address=cell)
    return d


def finding_dict(f: Finding) -> dict[str, Any]:
    d = f.to_dict()
    d["source"] = place_dict(f)
    return d


def where(f: Finding) -> str:
    if f.source is None:
        return ""
    return f.source.place() or f.source.file


# ---- Markdown -----------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-!|~])")


def md(text: str) -> str:
    """Markdown-safe text: metacharacters escaped, line breaks as spaces."""
    return _MD_SPECIAL.sub(r"\\\1", fold_spaces(str(text)))


def to_markdown(result: MapResult) -> str:
    m = result.record
    data = m.to_dict()
    p = data["passport"]
    out = [f"# {md(m.title or p.get('name') or m.file)}", ""]
    out += ["## Паспорт", "", "| field | value |", "| --- | --- |"]
    for key, value in p.items():
        text = "; ".join(value) if isinstance(value, list) else value
        out.append(f"| {key} | {md(text)} |")
    for s in data["spheres"]:
        out += ["", f"## {s['number']}. {md(s['name'])}", "", f"{len(s['cases'])} cases, {len(s['schedule'])} processes scheduled", ""]
        out += ["| case | reengineering | automation | systems |", "| --- | --- | --- | --- |"]
        for c in s["cases"]:
            a = c["automation"]
            out.append(f"| {md(c['name'])} | {md(c['reengineering'])} | {md(a['status'])} | {md('; '.join(a['systems']))} |")
        quarters = sorted({q for r in s["schedule"] for q in r["quarters"]})
        if quarters:
            out += ["", "| case | process | " + " | ".join(quarters) + " |", "| --- | --- |" + " --- |" * len(quarters)]
            for r in s["schedule"]:
                out.append(f"| {md(r['case'])} | {md(r['process'])} | " + " | ".join(md(r["quarters"].get(q, "")) for q in quarters) + " |")
        if s["gantt"]:
            out += ["", "Gantt: " + ", ".join(f"{y} {md(v)}" for y, v in sorted(s["gantt"].items()))]
    out += ["", f"## Findings ({len(result.findings)})", ""]
    if result.findings:
        out += ["| code | severity | rule | place | message |", "| --- | --- | --- | --- | --- |"]
        for f in result.findings:
            out.append(f"| {f.code} | {f.severity} | {md(f.data.get('rule', ''))} | {md(where(f))} | {md(f.message)} |")
    else:
        out.append("No findings.")
    return "\n".join(out) + "\n"


# ---- HTML ---------------------------------------------------------------------------------------

_CSS = (
    "body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;margin:.5em 0}"
    "td,th{border:1px solid #999;padding:2px 6px;vertical-align:top}th{background:#eee}"
    ".R{background:#f6c26b}.F{background:#9fd39f}.D{background:#8fb8e8}.bad{background:#f08080}"
    ".finding td{background:#fff3f3}"
)


def to_html(result: MapResult) -> str:
    e = html.escape
    m = result.record
    data = m.to_dict()
    out = ["<!doctype html>", '<html lang="ru"><head><meta charset="utf-8">',
           f"<title>{e(m.title or m.file)}</title><style>{_CSS}</style></head><body>", f"<h1>{e(m.title or m.file)}</h1>"]  # fmt: skip
    out.append("<h2>Паспорт</h2><table>")
    for key, value in data["passport"].items():
        text = "<br>".join(e(v) for v in value) if isinstance(value, list) else e(value)
        out.append(f"<tr><th>{e(key)}</th><td>{text}</td></tr>")
    out.append("</table>")
    for s in data["spheres"]:
        out.append(f"<h2>{s['number']}. {e(s['name'])}</h2>")
        out.append("<table><tr><th>case</th><th>processes</th><th>reengineering</th><th>automation</th><th>systems</th></tr>")
        for c in s["cases"]:
            a = c["automation"]
            out.append(f"<tr><td>{e(c['name'])}</td><td>{'<br>'.join(e(p) for p in c['processes'])}</td>"
                       f"<td>{e(c['reengineering'])}</td><td>{e(a['status'])}</td><td>{'<br>'.join(e(x) for x in a['systems'])}</td></tr>")  # fmt: skip
        out.append("</table>")
        quarters = sorted({q for r in s["schedule"] for q in r["quarters"]})
        if quarters:
            out.append("<table><tr><th>case</th><th>process</th>" + "".join(f"<th>{e(q)}</th>" for q in quarters) + "</tr>")
            for r in s["schedule"]:
                cells = []
                for q in quarters:
                    code = r["quarters"].get(q, "")
                    cls = code if code in ("R", "F", "D") else ("bad" if code else "")
                    cells.append(f'<td class="{cls}">{e(code)}</td>')
                out.append(f"<tr><td>{e(r['case'])}</td><td>{e(r['process'])}</td>{''.join(cells)}</tr>")
            out.append("</table>")
        if s["gantt"]:
            out.append("<p>Gantt: " + ", ".join(f"{e(y)} <b>{e(v)}</b>" for y, v in sorted(s["gantt"].items())) + "</p>")
    out.append(f"<h2>Findings ({len(result.findings)})</h2>")
    if result.findings:
        out.append("<table><tr><th>code</th><th>severity</th><th>rule</th><th>place</th><th>message</th></tr>")
        for f in result.findings:
            out.append(f'<tr class="finding"><td>{e(f.code)}</td><td>{e(f.severity)}</td><td>{e(str(f.data.get("rule", "")))}</td>'
                       f"<td>{e(where(f))}</td><td>{e(f.message)}</td></tr>")  # fmt: skip
        out.append("</table>")
    else:
        out.append("<p>No findings.</p>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# ---- terminal -----------------------------------------------------------------------------------


def print_table(result: MapResult) -> None:
    from rich.console import Console
    from rich.table import Table

    from legalkpi.terminal import markup as escape

    console = Console()
    m = result.record
    data = m.to_dict()
    console.print(escape(m.title or m.file), style="bold", highlight=False)
    p = data["passport"]
    console.print(escape(f"period {p['period']}; developer {p['developer']}; {len(data['spheres'])} spheres"), highlight=False)
    spheres = Table(title="Spheres", expand=True)
    for col in ("№", "sphere", "cases", "processes", "fast track", "Gantt"):
        spheres.add_column(col, overflow="fold")
    for s in data["spheres"]:
        gantt = ", ".join(f"{y} {v}" for y, v in sorted(s["gantt"].items()))
        fast = "; ".join(f["case"] for f in s["fast_track"])
        spheres.add_row(str(s["number"]), escape(s["name"]), str(len(s["cases"])), str(len(s["schedule"])), escape(fast), escape(gantt))
    console.print(spheres)
    findings = Table(title=f"Findings ({len(result.findings)})", expand=True)
    for col in ("code", "severity", "rule", "place", "message"):
        findings.add_column(col, overflow="fold", no_wrap=col in ("code", "severity"))
    for f in result.findings:
        findings.add_row(f.code, f.severity, escape(str(f.data.get("rule", ""))), escape(where(f)), escape(f.message))
    console.print(findings if result.findings else "No findings.")
