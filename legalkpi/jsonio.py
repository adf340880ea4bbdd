"""The published JSON of ``legalkpi extract`` (schema: ``legalkpi/schema/extract.schema.json``).

Keys and order are fixed here, once, so that JSON output diffs cleanly between versions.
"""

from __future__ import annotations

import errno
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from legalkpi.errors import OutputError
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


def finite(x: float | None) -> float | None:
    """A number JSON can carry: infinities and NaN (a 400-digit target) become None; the text stays."""
    return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else x


def dumps(data: Any) -> str:
    """JSON text; never ``Infinity`` or ``NaN`` (they are not JSON): such numbers are written as null."""
    return json.dumps(_finite_tree(data), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _finite_tree(data: Any) -> Any:
    if isinstance(data, float):
        return finite(data)
    if isinstance(data, dict):
        return {k: _finite_tree(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_finite_tree(v) for v in data]
    return data


def output_error(e: OSError, path: str | Path) -> OutputError:
    """One plain line for an output that cannot be written, with what to do next."""
    p = str(path)
    if isinstance(e, IsADirectoryError) or Path(p).is_dir():
        return OutputError("is a folder: give a file name, e.g. out.json", file=p)
    if isinstance(e, NotADirectoryError | FileExistsError):
        return OutputError("cannot write here: a part of the path is a file, not a folder", file=p)
    if isinstance(e, PermissionError):
        return OutputError("no permission to write here: choose another place", file=p)
    if e.errno == errno.ENOSPC:
        return OutputError("disk full: nothing was written; free some space and run again", file=p)
    if e.errno == errno.ENAMETOOLONG:
        return OutputError("file name too long: choose a shorter one", file=p)
    return OutputError(f"cannot write: {e.strerror or e}", file=p)


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write to a temporary file beside ``path`` and rename it over: never half a file.

    An output that cannot be written raises :class:`OutputError` (a folder, a file where a
    folder is wanted, no permission, disk full); the old file, if any, is left as it was.
    """
    target = Path(path)
    if target.is_dir():
        raise output_error(IsADirectoryError(errno.EISDIR, "is a directory"), target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as e:
        raise output_error(e, target) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the mode a plain open() would
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise output_error(e, target) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
