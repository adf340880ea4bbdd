"""The published JSON of ``legalkpi extract`` (schema: ``legalkpi/schema/extract.schema.json``).

Keys and order are fixed here, once, so that JSON output diffs cleanly between versions.
"""

from __future__ import annotations

import errno
import math
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any, BinaryIO

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
    """JSON text; never ``Infinity`` or ``NaN`` (they are not JSON): such numbers are written as null.
    (``json.dumps(…, ensure_ascii=False, indent=2)`` of the data with those numbers made null; a
    non-finite key is refused as ``json.dumps(allow_nan=False)`` refuses it.)"""
    return dumps_indented(data, finite=True) + "\n"


def dumps_indented(obj: Any, margin: str = "", finite: bool = False) -> str:
    """``json.dumps(obj, ensure_ascii=False, indent=2)``, byte for byte, in about a third of its time;
    ``margin`` goes before every line.

    With ``indent`` the standard library falls back from its C encoder to a generic pure-Python one,
    which took most of a 1,000-act build; this one knows only JSON's own types (a str, int or float
    subclass is written as json.dumps writes it) and uses the C string escaper. A test compares it
    with ``json.dumps`` on the catalogue and on generated values. ``finite``: non-finite numbers are
    written as null (what :func:`dumps` writes)."""
    out: list[str] = [margin]
    _dump(obj, "\n" + margin, out, {}, _finite_float if finite else _float)
    return "".join(out)


def _dump(o: Any, nl: str, out: list[str], keys: dict[str, str], num: Callable[[float], str]) -> None:
    """Append the text of ``o``, its lines starting with ``nl``; ``keys``: the text of the str keys met so
    far; ``num``: how a float is written."""
    t = type(o)
    if t is dict or (t is not list and isinstance(o, dict)):
        if not o:
            out.append("{}")
            return
        inner = nl + "  "
        sep = "{" + inner
        for k, v in o.items():
            name = keys.get(k) if type(k) is str else None
            if name is None:
                name = _encode_str(_key(k, num)) + ": "
                if type(k) is str:
                    keys[k] = name
            t = type(v)
            if t is str:
                out.append(sep + name + _encode_str(v))
            elif t is dict or t is list:
                out.append(sep + name)
                _dump(v, inner, out, keys, num)
            elif v is None:
                out.append(sep + name + "null")
            elif t is int:
                out.append(sep + name + int.__repr__(v))
            elif t is float:
                out.append(sep + name + num(v))
            else:
                text = _scalar(v, num)
                out.append(sep + name + text if text is not None else sep + name)
                if text is None:
                    _dump(v, inner, out, keys, num)
            sep = "," + inner
        out.append(nl + "}")
    elif t is list or isinstance(o, list | tuple):
        if not o:
            out.append("[]")
            return
        inner = nl + "  "
        sep = "[" + inner
        for v in o:
            t = type(v)
            if t is str:
                out.append(sep + _encode_str(v))
            elif t is dict:
                out.append(sep)
                _dump(v, inner, out, keys, num)
            else:
                text = _scalar(v, num)
                if text is not None:
                    out.append(sep + text)
                else:
                    out.append(sep)
                    _dump(v, inner, out, keys, num)
            sep = "," + inner
        out.append(nl + "]")
    else:
        text = _scalar(o, num)
        if text is None:
            raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")
        out.append(text)


def _scalar(o: Any, num: Callable[[float], str]) -> str | None:
    """The text of a str, None, bool, int or float (as json.dumps writes it); None for anything else."""
    if isinstance(o, str):
        return _encode_str(o)
    if o is None:
        return "null"
    if o is True:
        return "true"
    if o is False:
        return "false"
    if isinstance(o, int):
        return int.__repr__(o)
    if isinstance(o, float):
        return num(o)
    return None


def _key(k: Any, num: Callable[[float], str]) -> str:
    if isinstance(k, str):
        return k
    if k is True or k is False or k is None:
        return {True: "true", False: "false", None: "null"}[k]
    if isinstance(k, int):
        return int.__repr__(k)
    if isinstance(k, float):
        if num is _finite_float and not math.isfinite(k):
            raise ValueError("Out of range float values are not JSON compliant")  # as json.dumps(allow_nan=False)
        return _float(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")


def _float(x: float) -> str:
    if x != x:
        return "NaN"
    if x in (_INF, -_INF):
        return "Infinity" if x > 0 else "-Infinity"
    return float.__repr__(x)


def _finite_float(x: float) -> str:
    """A float as :func:`dumps` writes it: a non-finite one as null."""
    return float.__repr__(x) if math.isfinite(x) else "null"


_INF = float("inf")
_encode_str: Callable[[str], str] = encode_basestring  # the C escaper when the accelerator is built


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
    with atomic_file(path) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextmanager
def atomic_file(path: str | Path) -> Iterator[BinaryIO]:
    """:func:`write_atomic` for a file written piece by piece: a binary file beside ``path``, renamed
    over it when the block ends without error (else deleted); and the same :class:`OutputError` when it cannot be written."""
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
            yield f
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file the mode a plain open() would
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise output_error(e, target) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_pieces(path: str | Path, head: bytes, pieces: Iterable[bytes | memoryview], sep: bytes, tail: bytes) -> list[tuple[int, int]]:
    """Write ``head``, the pieces joined by ``sep``, then ``tail``, atomically (:func:`atomic_file`);
    returns where each piece is in the file (start, end byte offsets), so that a later writer can
    copy the pieces it does not change."""
    spans: list[tuple[int, int]] = []
    with atomic_file(path) as f:
        f.write(head)
        at = len(head)
        for k, piece in enumerate(pieces):
            if k:
                f.write(sep)
                at += len(sep)
            f.write(piece)
            spans.append((at, at + len(piece)))
            at += len(piece)
        f.write(tail)
    return spans


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
