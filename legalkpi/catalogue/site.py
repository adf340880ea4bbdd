"""A static, self-contained HTML site of the catalogue (``legalkpi site``).

Pages: the index; one per catalogue version (act × language × edition); one per ministry; one per
KPI (its history across versions and languages, with an inline SVG chart of targets); the RU↔KK
differences of each act printed in both languages; the diff between consecutive versions of one
language. Jinja2 templates with autoescaping render all document text; no script, no network, no
absolute link: the folder works from the file system. Same catalogue, byte-identical site.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legalkpi.errors import BadInput

if TYPE_CHECKING:
    from legalkpi.catalogue.catalog import Catalog, Version
    from legalkpi.model import Indicator

MARKER = ".legalkpi-site"  # a folder holding it was written by this command and may be replaced


def slug(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "-", text).strip("-").lower() or "x"


@dataclass
class Entry:
    """One indicator of one version, as a KPI page lists it."""

    version: Version
    ind: Indicator

    @property
    def values(self) -> dict[int, Any]:
        return {v.year: v for v in self.ind.values}


@dataclass
class Kpi:
    id: str
    slug: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def agency(self) -> str | None:
        return next((e.ind.section.agency_id for e in self.entries if e.ind.section.agency_id), None)

    @property
    def agencies(self) -> set[str]:
        return {e.ind.section.agency_id for e in self.entries if e.ind.section.agency_id}

    def name(self, lang: str) -> str:
        names = [e.ind.name for e in self.entries if e.version.act.lang == lang]
        return names[-1] if names else ""

    @property
    def years(self) -> list[int]:
        return sorted({v.year for e in self.entries for v in e.ind.values})


def _chart(kpi: Kpi, width: int = 520, height: int = 220) -> dict[str, Any] | None:
    """Targets by year, one line per version; coordinates computed here, drawn by the template."""
    series = []
    for e in kpi.entries:
        pts = [(v.year, v.target, v.target_text) for v in e.ind.values if v.target is not None]
        if pts:
            series.append((e.version.key, pts))
    if not series:
        return None
    years = kpi.years
    values = [t for _, pts in series for _, t, _ in pts]
    lo, hi = min(values), max(values)
    if lo >= 0 and lo < hi / 2:  # start at zero unless all targets sit close together (99,61…99,8)
        lo = 0.0
    elif lo < hi:
        lo -= (hi - lo) * 0.25
    hi = hi if hi > lo else lo + 1
    left, right, top, bottom = 48, 16, 12, 28
    span_x = max(1, len(years) - 1)

    def x(year: int) -> float:
        return round(left + (width - left - right) * (years.index(year) / span_x if len(years) > 1 else 0.5), 1)

    def y(value: float) -> float:
        return round(top + (height - top - bottom) * (1 - (value - lo) / (hi - lo)), 1)

    colours = ["#1b6ac9", "#c9421b", "#2a8a3e", "#8a2a8a", "#a07000", "#444444"]
    lines = []
    for k, (key, pts) in enumerate(series):
        lines.append({
            "version": key,
            "colour": colours[k % len(colours)],
            "points": " ".join(f"{x(yr)},{y(t)}" for yr, t, _ in pts),
            "dots": [{"x": x(yr), "y": y(t), "year": yr, "text": text, "target": t} for yr, t, text in pts],
        })  # fmt: skip
    return {
        "width": width, "height": height, "lines": lines,
        "xticks": [{"x": x(yr), "label": str(yr)} for yr in years],
        "yticks": [{"y": y(v), "label": _num(v)} for v in (lo, (lo + hi) / 2, hi)],
        "left": left, "bottom": height - bottom, "right": width - right,
    }  # fmt: skip


def _num(x: float) -> str:
    """A number as printed in the acts: decimal comma, no trailing zeros."""
    text = str(int(x)) if float(x).is_integer() else f"{x:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _steps(catalog: Catalog) -> list[tuple[Version, Version]]:
    """Consecutive versions of one language (catalogue order): what the diff pages compare."""
    out = []
    for lang in sorted({v.act.lang for v in catalog.versions}):
        same = [v for v in catalog.versions if v.act.lang == lang]
        out += list(zip(same, same[1:], strict=False))
    return out


def _translations(catalog: Catalog) -> list[tuple[Version, Version]]:
    """Russian and Kazakh texts of the same act and edition: what the RU↔KK pages align."""
    pairs = []
    for ru in catalog.versions:
        if ru.act.lang != "ru" or ru.origin != "act":
            continue
        for kk in catalog.versions:
            if kk.act.lang == "kk" and kk.origin == "act" and kk.act.ref.work == ru.act.ref.work and kk.act.edition == ru.act.edition:
                pairs.append((ru, kk))
    return pairs


def _alignment(ru: Version, kk: Version) -> dict[str, Any]:
    from legalkpi.comparing.align import align_records
    from legalkpi.comparing.diff import record_of_version
    from legalkpi.formats.adapters import alignment_findings

    al = align_records(record_of_version(ru), record_of_version(kk))
    rows = []
    for f in alignment_findings(al.findings):
        rows.append({
            "code": f.code, "severity": f.severity, "field": f.field or "", "year": f.year or "",
            "ru_id": f.data.get("ru_id"), "kk_id": f.data.get("kk_id"), "ru": _show(f.data.get("ru")), "kk": _show(f.data.get("kk")),
            "message": f.message,
            "ru_kpi": ru.kpi_ids.get(f.data.get("ru_id") or ""), "kk_kpi": kk.kpi_ids.get(f.data.get("kk_id") or ""),
        })  # fmt: skip
    return {"pairs": len(al.pairs), "unpaired": len(al.unpaired), "rows": rows}


def _diff(old: Version, new: Version) -> dict[str, Any]:
    from legalkpi.comparing.diff import diff_records, record_of_version

    d = diff_records(record_of_version(old), record_of_version(new))
    rows = []
    for ch in d.listed():
        ind = ch.new or ch.old
        assert ind is not None
        rows.append({
            "kind": ch.kind, "old": ch.old.id if ch.old else "", "new": ch.new.id if ch.new else "",
            "old_kpi": old.kpi_ids.get(ch.old.id) if ch.old else None, "new_kpi": new.kpi_ids.get(ch.new.id) if ch.new else None,
            "name": ind.name, "fields": [{"field": f.field, "year": f.year or "", "old": _show(f.old), "new": _show(f.new)} for f in ch.fields],
        })  # fmt: skip
    return {"summary": d.summary(), "years": d.years, "rows": rows}


def _show(x: Any) -> str:
    from legalkpi.formats.adapters import show_value

    return show_value(x)


def pages(catalog: Catalog) -> dict[str, tuple[str, dict[str, Any]]]:
    """Relative path -> (template, context): the whole site, before rendering."""
    from legalkpi import __version__
    from legalkpi.reading.agencies import registry

    kpis: dict[str, Kpi] = {}
    taken: set[str] = set()
    for v in catalog.versions:
        for ind in v.indicators:
            kid = v.kpi_ids.get(ind.id) or f"{v.key}#{ind.id}"
            if kid not in kpis:
                s = slug(kid)
                while s in taken:
                    s += "-x"
                taken.add(s)
                kpis[kid] = Kpi(kid, s)
            kpis[kid].entries.append(Entry(v, ind))
    vslug = {v.key: slug(v.key) for v in catalog.versions}
    agencies = {a.id: a for a in registry()}
    used = sorted({a for k in kpis.values() for a in k.agencies}, key=lambda a: (agencies[a].ru if a in agencies else a, a))
    translations = _translations(catalog)
    steps = _steps(catalog)
    common = {"version": __version__, "vslug": vslug, "kpis": kpis, "agencies": agencies}
    out: dict[str, tuple[str, dict[str, Any]]] = {}

    def add(path: str, template: str, **ctx: Any) -> None:
        out[path] = (template, {**common, "root": "../" * path.count("/"), **ctx})

    add("index.html", "index.html", catalog=catalog, used=used, translations=translations, steps=steps,
        lineage=catalog.lineage or {}, slug=slug)  # fmt: skip
    for v in catalog.versions:
        years = sorted({y.year for i in v.indicators for y in i.values})
        sections: list[dict[str, Any]] = []
        for ind in v.indicators:
            if not sections or sections[-1]["ordinal"] != ind.section.ordinal:
                sections.append({"ordinal": ind.section.ordinal, "title": ind.section.title, "agency": ind.section.agency_id, "rows": []})
            sections[-1]["rows"].append({"ind": ind, "kpi": kpis[v.kpi_ids.get(ind.id) or f"{v.key}#{ind.id}"],
                                         "values": {y.year: y for y in ind.values}})  # fmt: skip
        add(f"act/{vslug[v.key]}.html", "version.html", v=v, years=years, sections=sections)
    for a in used:
        mine = [k for k in kpis.values() if a in k.agencies]
        add(f"agency/{slug(a)}.html", "agency.html", agency=agencies.get(a), agency_id=a, items=mine)
    for k in kpis.values():
        add(f"kpi/{k.slug}.html", "kpi.html", kpi=k, chart=_chart(k), years=k.years,
            translations=[(ru, kk) for ru, kk in translations if any(e.version in (ru, kk) for e in k.entries)],
            slug=slug)  # fmt: skip
    for ru, kk in translations:
        add(f"align/{slug(ru.act.ref.work + '-' + (ru.act.edition or 'original'))}.html", "align.html", ru=ru, kk=kk, al=_alignment(ru, kk))
    for old, new in steps:
        add(f"diff/{vslug[old.key]}--{vslug[new.key]}.html", "diff.html", old=old, new=new, d=_diff(old, new))
    return out


def render(catalog: Catalog) -> dict[str, str]:
    """Relative path -> HTML text."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("legalkpi", "templates/site"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = lambda x: "" if x is None else _num(float(x))
    env.globals["slug"] = slug
    env.globals["align_page"] = lambda ru: f"align/{slug(ru.act.ref.work + '-' + (ru.act.edition or 'original'))}.html"
    return {path: env.get_template(tpl).render(**ctx) for path, (tpl, ctx) in sorted(pages(catalog).items())}


def check_target(out: str | Path) -> Path:
    """Refuse a file, or a non-empty folder this command did not write (it would be replaced)."""
    target = Path(out)
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / MARKER).exists())):
        raise BadInput("exists and is not a site written by `legalkpi site`; give an empty or new folder", file=str(target))
    return target


def write_site(catalog: Catalog, out: str | Path) -> list[Path]:
    """Render the site and put it at ``out`` in one step (a folder written by an earlier run is replaced)."""
    target = check_target(out)
    files = render(catalog)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as e:
        raise BadInput(f"cannot write the site: {e.strerror or e}", file=str(target)) from None
    try:
        for rel, html in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8", newline="\n")
        (tmp / MARKER).write_text("written by legalkpi site; the folder is replaced on the next run\n", encoding="utf-8")
        for d in [tmp, *(p for p in tmp.rglob("*") if p.is_dir())]:
            os.chmod(d, 0o755)
        old = None
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
            os.replace(target, old / "site")
        os.replace(tmp, target)
        if old is not None:
            shutil.rmtree(old)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise BadInput(f"cannot write the site: {e.strerror or e}", file=str(target)) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [target / rel for rel in files]
