"""The published JSON of ``legalkpi extract`` (schema: ``legalkpi/schema/extract.schema.json``).

Keys and order are fixed here, once, so that JSON output diffs cleanly between versions.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from legalkpi.model import Act, ActRecord, Indicator

SCHEMA_VERSION = "1.0"


def act_dict(act: Act) -> dict[str, Any]:
    return {
        "kind": act.kind,
        "number": act.number,
        "date": act.date,
        "lang": act.lang,
        "title": act.title,
        "edition": act.edition,
        "key": act.ref.key if act.number else "",
    }


def indicator_dict(i: Indicator) -> dict[str, Any]:
    return {
        "id": i.id,
        "section": {"ordinal": i.section.ordinal, "title": i.section.title, "agency": i.section.agency_id},
        "part": {"ordinal": i.part.ordinal, "title": i.part.title},
        "number": i.number,
        "number_text": i.number_text or (str(i.number) if i.number is not None else ""),
        "name": i.name,
        "criteria": [{"text": c.text, "weight": c.weight} for c in i.criteria],
        "unit": i.unit,
        "unit_kind": i.unit_kind,
        "values": [
            {"year": v.year, "target": v.target, "target_text": v.target_text, "target_kind": v.target_kind, "weight": v.weight}
            for v in i.values
        ],
        "formula": {"kind": i.formula.kind, "text": i.formula.text},
        "source": i.source.to_dict() if i.source else None,
    }


def record_dict(r: ActRecord) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "file": r.file,
        "encoding": r.encoding,
        "sha256": r.sha256,
        "act": act_dict(r.act),
        "agencies": [a.name for a in r.agencies],
        "indicators": [indicator_dict(i) for i in r.indicators],
        "warnings": [w.to_dict() for w in r.warnings],
    }


def dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over: never half a file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the mode a plain open() would
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
