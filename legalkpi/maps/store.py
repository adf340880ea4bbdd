"""Maps in the corpus and the catalogue: manifest entries of content kind ``dt-map`` and SQL tables.

A map is versioned like an act: its work is ``kz/dt-map/<body>`` (the developer's id from the
agency registry, or ``--number``), one version per edition (``kz/dt-map/health@2026-03-01/ru``).
The catalogue keeps the passport, the cases, the quarterly schedule (one row per process and
quarter), the Gantt and the findings as tables; sqlmodel is imported only by :func:`all_tables`
and :func:`rows`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legalkpi.errors import BadInput
from legalkpi.findings import Finding
from legalkpi.maps.form import MapRecord

CONTENT = "dt-map"
KIND = "dt-map"


@dataclass
class MapVersion:
    key: str
    work: str
    file: str
    sha256: str
    entry: dict[str, str]
    record: MapRecord
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        from legalkpi.maps.render import finding_dict

        return {"key": self.key, "work": self.work, "file": self.file, "sha256": self.sha256, "act": self.entry,
                "map": self.record.to_dict(), "findings": [finding_dict(f) for f in self.findings]}  # fmt: skip


def body_id(developer: str) -> str | None:
    """The registry id of the body that drew the map up ("health"), '_' for '-' so the key stays whole."""
    from legalkpi.reading.agencies import match_agency

    found = match_agency(developer) if developer.strip() else None
    return found.id.replace("-", "_") if found else None


def entry_fields(file: Path, doc: Any, meta: dict[str, str | None]) -> dict[str, str]:
    """Manifest fields of a map: kind dt-map, number = the developer's id, title = the map's name."""
    from legalkpi.maps import check_document

    result = check_document(doc)  # refuses what is not a map, before anything is written
    p = result.record.passport
    number = (meta.get("number") or body_id(p.text("developer")) or "").strip()
    values = {
        "kind": KIND,
        "number": number,
        "date": (meta.get("date") or "").strip(),
        "lang": (meta.get("lang") or "ru").strip(),
        "title": (meta.get("title") or p.text("name") or result.record.title).strip(),
        "edition": (meta.get("edition") or "").strip(),
    }
    if not number:
        raise BadInput("the map's developer is not a body the registry knows: give --number (a short id such as health)", file=str(file))
    if not re.fullmatch(r"[\w.]+", number):
        raise BadInput(f"--number of a map must be one word (letters, digits, _), not {number!r}", file=str(file))
    if not values["date"]:
        raise BadInput("a map prints no date of approval: give --date YYYY-MM-DD", file=str(file))
    return values


def map_version(path: Path, entry: Any) -> MapVersion:
    """Read and check one manifest map (its hash already checked)."""
    from parsers import read_document

    return map_version_of(read_document(path, display_name=entry.file), entry)  # the same name from any directory


def map_version_of(doc: Any, entry: Any) -> MapVersion:
    """Check one manifest map already read into a document."""
    from legalkpi.maps import check_document

    result = check_document(doc)
    act = entry.act()
    ref = act.ref
    fields = {"kind": act.kind, "number": act.number, "date": act.date, "lang": act.lang, "title": act.title, "edition": act.edition}
    return MapVersion(key=ref.key, work=ref.work, file=entry.file, sha256=entry.sha256, entry=fields,
                      record=result.record, findings=result.findings)  # fmt: skip


# ---- SQL tables ---------------------------------------------------------------------------------

def all_tables() -> list[Any]:
    from legalkpi.maps import tables

    return tables.all_tables()


def rows(seq: int, v: MapVersion) -> list[Any]:
    from legalkpi.maps import tables as t

    m: dict[str, Any] = {"map": t.MapRow, "case": t.MapCaseRow, "schedule": t.MapScheduleRow, "gantt": t.MapGanttRow, "finding": t.MapFindingRow}
    rec = v.record
    data = rec.to_dict()
    dump = json.dumps
    out: list[Any] = [
        m["map"](
            key=v.key, seq=seq, work=v.work, number=v.entry["number"], date=v.entry["date"], lang=v.entry["lang"],
            edition=v.entry["edition"], title=v.entry["title"], file=v.file, sha256=v.sha256,
            developer=rec.passport.text("developer"), period=rec.passport.text("period"),
            period_from=rec.period[0] if rec.period else None, period_to=rec.period[1] if rec.period else None,
            findings=len(v.findings), data=dump(data, ensure_ascii=False, sort_keys=True),
        )
    ]  # fmt: skip
    for si, s in enumerate(data["spheres"]):
        sphere = rec.spheres[si]
        for ci, c in enumerate(s["cases"]):
            src = sphere.cases[ci].source
            out.append(m["case"](
                version=v.key, sphere=si + 1, position=ci + 1, sphere_name=s["name"], name=c["name"],
                processes=dump(c["processes"], ensure_ascii=False), ai_use=dump(c["ai_use"], ensure_ascii=False),
                units=dump(c["units"], ensure_ascii=False), functions=dump(c["functions"], ensure_ascii=False),
                services=dump(c["services"], ensure_ascii=False), automation=c["automation"]["status"],
                systems=dump(c["automation"]["systems"], ensure_ascii=False), subject=c["subject"],
                reengineering=c["reengineering"], place=src.place() if src else "",
            ))  # fmt: skip
        for ri, r in enumerate(s["schedule"]):
            for q, code in sorted(r["quarters"].items()):
                out.append(m["schedule"](version=v.key, sphere=si + 1, position=ri + 1, quarter=q, case_name=r["case"],
                                         process=r["process"], unit=r["unit"], code=code))  # fmt: skip
        for y, codes in sorted(s["gantt"].items()):
            out.append(m["gantt"](version=v.key, sphere=si + 1, year=y, sphere_name=s["name"], unit=s["gantt_unit"], codes=codes))
    for k, f in enumerate(v.findings):
        out.append(m["finding"](version=v.key, position=k + 1, code=f.code, severity=f.severity, rule=str(f.data.get("rule", "")),
                                subject=f.subject or "", message=f.message, place=f.source.place() if f.source else ""))  # fmt: skip
    return out
