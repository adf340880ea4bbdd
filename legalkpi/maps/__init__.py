"""Digital transformation maps: the form of the Rules 601/НҚ (appendix, point 17-1), read and checked.

    from legalkpi.maps import check_map_file
    result = check_map_file("map.docx")   # result.record (the map), result.findings

Modules: :mod:`~legalkpi.maps.form` (the form as data), :mod:`~legalkpi.maps.reader` (grid ->
record), :mod:`~legalkpi.maps.checks` (the Rules' points as findings), :mod:`~legalkpi.maps.render`
(JSON, table, Markdown, HTML), :mod:`~legalkpi.maps.store` (catalogue tables).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from legalkpi.errors import DEFAULT_LIMITS, BadInput, Limits
from legalkpi.findings import Finding
from legalkpi.maps.form import MapRecord
from parsers.grid import Document


@dataclass
class MapResult:
    record: MapRecord
    findings: list[Finding]

    def to_dict(self) -> dict[str, Any]:
        from legalkpi.maps.render import finding_dict

        return {"file": self.record.file, "map": self.record.to_dict(), "findings": [finding_dict(f) for f in self.findings]}


def is_map(doc: Document) -> bool:
    """Whether a document is a filled digital transformation map, not the Rules that hold its blank form.

    A map opens with its title ("Карта цифровой трансформации …") or with its passport table; the
    Rules open with their own title and chapters, so their appendix does not count.
    """
    from parsers.grid import Paragraph

    for block in doc.blocks[:6]:
        if isinstance(block, Paragraph):
            text = block.text.strip().casefold()
            if text.startswith("карта цифровой трансформации"):
                return True
            if text.startswith(("об утверждении", "глава", "правила")):
                return False
        elif block.rows and block.rows[0].cells:
            return any(r.cells and r.cells[0].text.casefold().startswith("наименование карты цифровой") for r in block.rows[:3])
    return False


def check_document(doc: Document) -> MapResult:
    """Read and check a map already read into the grid."""
    from legalkpi.maps.checks import check_map
    from legalkpi.maps.reader import read_map

    if not is_map(doc):
        raise BadInput("not a digital transformation map: no map title and no passport table", file=doc.file)
    read = read_map(doc)
    return MapResult(record=read.record, findings=check_map(read))


def check_map_file(path: str | Path, *, limits: Limits = DEFAULT_LIMITS) -> MapResult:
    """Read a filled map (DOCX, PDF, a converter's text) and check it against the Rules."""
    from parsers import read_document

    return check_document(read_document(path, limits=limits))
