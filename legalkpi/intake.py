"""Taking a new act into the corpus: a copy under a descriptive name and a manifest entry.

Nothing earlier is overwritten: an existing file, an existing version (act × language ×
edition) or the same text already in the corpus is refused before anything is written.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from legalkpi import api
from legalkpi import corpus as corpus_mod
from legalkpi.api import Loaded
from legalkpi.errors import BadInput
from legalkpi.extract import guess_lang
from legalkpi.jsonio import write_atomic
from legalkpi.model import base_number


def add_to_corpus(file: Path, corpus: Path, meta: dict[str, str | None]) -> corpus_mod.Entry:
    """Copy the file in under a descriptive name and record it in the manifest; overwrite nothing."""

    manifest = corpus_mod.load(corpus)
    if not file.is_file():
        raise BadInput("no such file", file=str(file))
    digest = corpus_mod.sha256_file(file)
    same = next((e for e in manifest.entries if e.sha256 == digest), None)
    if same is not None:
        raise BadInput(f"this text is already in the corpus as {same.file}", file=str(file))
    loaded = api.load(file)  # not through the manifest: the act is read from the text itself
    if loaded.content == "kpi-act":
        api.extract_loaded(loaded)  # refuse a file whose tables cannot be read, before writing anything
    entry = _map_entry(file, loaded, meta, digest) or _entry(file, loaded, meta, digest)
    from legalkpi.amending.corpus import mark_amending

    mark_amending(entry, loaded, manifest)  # an amending act: records the act it amends, refused unless it applies
    for e in manifest.entries:
        if e.act().ref.key == entry.act().ref.key:
            raise BadInput(f"version {e.act().ref.key} is already in the corpus as {e.file}; "
                           "a new edition needs --edition YYYY-MM-DD", file=str(file))  # fmt: skip
    stem = ("dt-map-" if entry.content == "dt-map" else "") + re.sub(r"[^\w.-]+", "-", f"{base_number(entry.number)}-{entry.lang}" + (f"-{entry.edition}" if entry.edition else ""))
    entry.file = stem + (file.suffix.lower() or ".txt")
    target = manifest.root / entry.file
    if any(e.file == entry.file for e in manifest.entries) or target.exists():
        raise BadInput(f"{entry.file} already exists in the corpus; nothing was overwritten", file=str(target))
    _copy_new(file, target)
    manifest.entries.append(entry)
    try:
        write_atomic(manifest.root / corpus_mod.MANIFEST_NAME, manifest.to_json())
    except BaseException:
        target.unlink(missing_ok=True)  # no file the manifest does not list
        raise
    return entry


def _map_entry(file: Path, loaded: Loaded, meta: dict[str, str | None], digest: str) -> corpus_mod.Entry | None:
    """A digital transformation map's entry (content dt-map), or None when the file is not a map."""
    from legalkpi.maps import is_map, store

    if loaded.content == "kpi-act" or not is_map(loaded.doc):
        return None
    v = store.entry_fields(file, loaded.doc, meta)
    return corpus_mod.Entry(
        file="", kind=v["kind"], number=v["number"], date=v["date"], lang=v["lang"], title=v["title"], edition=v["edition"],
        origin=f"added with `legalkpi add` from {file.name}", content=store.CONTENT, sha256=digest,
    )  # fmt: skip


def _entry(file: Path, loaded: Loaded, meta: dict[str, str | None], digest: str) -> corpus_mod.Entry:

    act = loaded.act
    found = {
        "kind": act.kind if act else None,
        "number": act.number if act else None,
        "date": act.date if act else None,
        "lang": act.lang if act and act.lang else guess_lang(loaded.doc),
        "title": act.title if act else None,
        "edition": "",
    }
    values = {k: (meta.get(k) or found.get(k) or "").strip() for k in ("kind", "number", "date", "lang", "title", "edition")}
    missing = [k for k in ("kind", "number", "date", "title") if not values[k]]
    if missing:
        raise BadInput(f"cannot read the act's {', '.join(missing)} from the text: give --{' --'.join(missing)}", file=str(file))
    for k in ("date", "edition"):
        if values[k] and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", values[k]):
            raise BadInput(f"--{k} must be a date YYYY-MM-DD, not {values[k]!r}", file=str(file))
    if values["lang"] not in ("ru", "kk"):
        raise BadInput(f"--lang must be ru or kk, not {values['lang']!r}", file=str(file))
    return corpus_mod.Entry(
        file="", kind=values["kind"], number=values["number"], date=values["date"], lang=values["lang"],
        title=values["title"], origin=f"added with `legalkpi add` from {file.name}", content=loaded.content,
        sha256=digest, edition=values["edition"],
    )  # fmt: skip


def _copy_new(source: Path, target: Path) -> None:
    """Copy through a temporary file and a hard link: the link fails if the target appeared meanwhile."""


    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.link(tmp, target)
    except FileExistsError:
        raise BadInput("already exists in the corpus; nothing was overwritten", file=str(target)) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
