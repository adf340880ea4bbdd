"""Taking an act into the corpus and out of it: a copy under a descriptive name and a manifest entry.

Nothing earlier is overwritten: an existing file, an existing version (act × language ×
edition) or the same text already in the corpus is refused before anything is written.
What is stored is checked first: real dates (ASCII digits), an edition not before the act's
adoption, a number that can name a file, the language the text is really in.

``add``, ``remove`` and ``build`` hold a lock on the corpus folder (``flock`` on the folder
itself: no lock file to leave behind, released by the system when a process dies), so two
runs never interleave; each run first deletes the temporary files a killed run left.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from legalkpi import api
from legalkpi.api import Loaded
from legalkpi.catalogue import corpus as corpus_mod
from legalkpi.errors import BadInput, CorpusBusy, ManifestError
from legalkpi.jsonio import output_error, write_atomic
from legalkpi.model import base_number

LOCK_WAIT_SECONDS = 300.0
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
# "1157", "124-ө", "601/НҚ", "251 НҚ", "2024q1": ASCII digits first, then a short suffix.
_NUMBER = re.compile(r"[0-9]{1,10}(?:[-/ .]?[^\W_]{1,12}){0,3}")
_KINDS = re.compile(r"[a-z][a-z-]{1,39}", re.ASCII)
# What mkstemp leaves beside a file being written (".manifest.json.k2j4_x9a", plus SQLite's journal).
_TEMP = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}(?:-journal|-wal|-shm)?")


# ---- the corpus lock ----------------------------------------------------------------------------


@contextmanager
def corpus_lock(corpus: str | Path, *, out: str | Path | None = None, wait: float = LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold the corpus folder's lock; wait for another run to finish (up to ``wait`` seconds).

    Under the lock, temporary files of killed runs are deleted from the corpus and ``out``.
    """
    import fcntl

    root = Path(corpus)
    if not root.is_dir():
        raise ManifestError("no corpus folder here", file=str(root))
    fd = os.open(root, os.O_RDONLY)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise CorpusBusy(
                        f"another legalkpi add, remove or build has been working on this corpus for over {wait:g} s; "
                        "wait for it to finish, then run again",
                        file=str(root),
                    ) from None
                time.sleep(0.05)
        try:
            remove_stale_temp(root, corpus_mod.MANIFEST_NAME, suffixes=(".txt", ".docx", ".pdf", ".html", ".htm"))
            if out is not None and Path(out).is_dir():
                remove_stale_temp(Path(out), *(p.name for p in Path(out).iterdir() if not p.name.startswith(".")),
                                  "catalog.sqlite", "catalog.json", "indicators.csv")  # fmt: skip
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def remove_stale_temp(folder: Path, *names: str, suffixes: tuple[str, ...] = ()) -> list[Path]:
    """Delete the temporary files our writers make beside ``names`` or files ending in ``suffixes``
    (call only under the lock)."""
    wanted = set(names)
    gone = []
    for p in folder.iterdir():
        m = _TEMP.fullmatch(p.name)
        if m and (m["name"] in wanted or m["name"].lower().endswith(suffixes)) and p.is_file():
            p.unlink(missing_ok=True)
            gone.append(p)
    return gone


def rebuild(corpus: Path, out: Path, formats: tuple[str, ...] = ("sqlite", "json", "csv"), progress: Any = None,
            *, jobs: int | None = None, scheduler: Any = None, cache: bool = True) -> Built:  # fmt: skip
    """``legalkpi build``: under the corpus lock, bring the catalogue up to the corpus and write it.

    ``jobs``/``scheduler``: where documents are read (catalog.build); ``cache``: keep each document's
    reading in ``out/.cache`` so that an unchanged document is not read again, and when the corpus
    only grew since the last build, update the catalogue instead of building it again
    (:mod:`legalkpi.catalogue.incremental`).
    """
    with corpus_lock(corpus, out=out):
        return _build(corpus, out, formats, progress=progress, jobs=jobs, scheduler=scheduler, cache=cache)


@dataclass
class Built:
    """A built or updated catalogue: the files written and the versions, in memory or on call."""

    written: list[Path]
    full: Any = None  # catalog.Catalog of a full build
    updated: Any = None  # incremental.Updated of an update

    @property
    def incremental(self) -> bool:
        return self.updated is not None

    @property
    def catalog(self) -> Any:
        """The whole catalogue (after an update, read from the reading cache on first use)."""
        if self.full is None:
            self.full = self.updated.catalog()
        return self.full

    @property
    def count(self) -> int:
        return len(self.full.versions) if self.full is not None else int(self.updated.count)

    def version(self, key: str) -> Any:
        return self.full.version(key) if self.full is not None else self.updated.version(key)

    def version_before(self, version: Any) -> Any:
        """The latest earlier version of the same work (same language first): see Catalog.version_before."""
        if self.full is not None:
            return self.full.version_before(version)
        from legalkpi.catalogue.catalog import Catalog

        stubs = [_Stub(vs) for vs in self.updated.state.versions]
        before = Catalog(versions=stubs).version_before(version)  # type: ignore[arg-type]
        return self.updated.version(before.key) if before is not None else None

    def id_summary(self) -> dict[str, Any]:
        """How far stable ids reach (identity.summary); after an update the unlinked rows carry no name."""
        from legalkpi.comparing import identity

        if self.full is not None:
            return identity.summary(self.full)
        return identity.summary_of_views([(vs.view, vs.kpi_ids, vs.evidence) for vs in self.updated.state.versions])


class _Stub:
    """What Catalog.version_before reads of a version, from an update's state."""

    def __init__(self, vs: Any) -> None:
        from legalkpi.model import Act

        m = vs.meta  # package.version_meta: key, work, kind, number, date, lang, edition, title, origin, file, sha256
        self.key, self.origin = m[0], m[8]
        self.act = Act(kind=m[2], number=m[3], date=m[4], lang=m[5], title=m[7], edition=m[6])


def _build(corpus: Path, out: Path, formats: tuple[str, ...] = ("sqlite", "json", "csv"), *, progress: Any = None,
           jobs: int | None = None, scheduler: Any = None, cache: bool = True) -> Built:  # fmt: skip
    from legalkpi.catalogue import catalog as cat
    from legalkpi.catalogue import incremental
    from legalkpi.catalogue.corpusread import CACHE_DIR

    state = incremental.load_state(Path(out)) if cache else None
    if state is not None:
        updated = incremental.update(corpus, out, formats, progress, state)
        if updated is not None:
            return Built(updated.written, updated=updated)
    pairs = dict(state.pairs) if state is not None else {} if cache else None  # what the last build paired
    manifest = corpus_mod.load(corpus)
    catalog = cat.build(manifest, progress=progress, jobs=jobs, scheduler=scheduler,
                        cache_dir=Path(out) / CACHE_DIR if cache else None, pair_cache=pairs)  # fmt: skip
    spans: dict[str, list[tuple[int, int]]] = {}
    written = cat.write_all(catalog, out, formats, spans)
    if pairs is not None:
        incremental.save_state(Path(out), manifest, catalog, formats, spans, pairs)
    return Built(written, full=catalog)


# ---- add ---------------------------------------------------------------------------------------


@dataclass
class Intake:
    """What ``add``/``remove`` did: the entry, the catalogue built or updated, the files written."""

    entry: corpus_mod.Entry
    built: Built
    resumed: bool = False  # an interrupted earlier run had copied the file already

    @property
    def catalog(self) -> Any:
        """The whole catalogue (catalog.Catalog); after an update, read on first use."""
        return self.built.catalog

    @property
    def written(self) -> list[Path]:
        return self.built.written


def add_and_rebuild(file: Path, corpus: Path, out: Path, meta: dict[str, str | None]) -> Intake:
    """``legalkpi add``: under the corpus lock, take the file in and bring the catalogue up to date
    (an update that reads the new act only, when the last build left its state; else a build)."""
    with corpus_lock(corpus, out=out):
        entry, resumed = _add(file, corpus, meta)
        built = _build(corpus, out, jobs=os.cpu_count())
    return Intake(entry, built, resumed)


def add_to_corpus(file: Path, corpus: Path, meta: dict[str, str | None]) -> corpus_mod.Entry:
    """Copy the file in under a descriptive name and record it in the manifest; overwrite nothing."""
    with corpus_lock(corpus):
        return _add(file, corpus, meta)[0]


def _add(file: Path, corpus: Path, meta: dict[str, str | None]) -> tuple[corpus_mod.Entry, bool]:
    manifest = corpus_mod.load(corpus)
    if not file.is_file():
        raise BadInput("no such file", file=str(file))
    digest = corpus_mod.sha256_file(file)
    same = next((e for e in manifest.entries if e.sha256 == digest), None)
    if same is not None:
        raise BadInput(
            f"this text is already in the corpus as {same.file}; nothing was written. If an earlier "
            "`legalkpi add` was interrupted before the catalogue was rebuilt, run `legalkpi build`",
            file=str(file),
        )
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
    entry.file = stem + (file.suffix.lower() if re.fullmatch(r"\.[a-z0-9]{1,5}", file.suffix.lower()) else ".txt")
    target = manifest.root / entry.file
    if any(e.file == entry.file for e in manifest.entries):
        raise BadInput(f"{entry.file} already exists in the corpus; nothing was overwritten", file=str(target))
    resumed = False
    if target.exists():
        if not target.is_file() or corpus_mod.sha256_file(target) != digest:
            raise BadInput(
                f"{entry.file} already exists in the corpus folder but is not in the manifest; nothing was "
                "overwritten. If an interrupted run left it, delete it and run again",
                file=str(target),
            )
        resumed = True  # an interrupted run copied this very text: finish its work
    else:
        _copy_new(file, target)
    manifest.entries.append(entry)
    try:
        write_atomic(manifest.root / corpus_mod.MANIFEST_NAME, manifest.to_json())
    except BaseException:
        if not resumed:
            target.unlink(missing_ok=True)  # no file the manifest does not list
        raise
    return entry, resumed


def detected_lang(loaded: Loaded) -> str | None:
    """The language the text is written in, from its letters: 'kk', 'ru', or None when it is neither."""
    from legalkpi.reading.actwords import language_of

    text = loaded.doc.text()[:200_000]
    letters = [ch for ch in text if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    if not letters or cyrillic / len(letters) < 0.5:
        return None
    return language_of(text)


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
    text_lang = detected_lang(loaded)
    found = {
        "kind": act.kind if act else None,
        "number": act.number if act else None,
        "date": act.date if act else None,
        "lang": text_lang,
        "title": act.title if act else None,
        "edition": "",
    }
    values = {k: (meta.get(k) or found.get(k) or "").strip() for k in ("kind", "number", "date", "lang", "title", "edition")}
    if values["lang"] and values["lang"] not in ("ru", "kk"):
        raise BadInput(f"--lang must be ru or kk, not {values['lang']!r}", file=str(file))
    if text_lang is None:
        raise BadInput("the text is in neither Russian nor Kazakh: only the acts' Russian and Kazakh texts are taken in",
                       file=str(file))  # fmt: skip
    missing = [k for k in ("kind", "number", "date", "title") if not values[k]]
    if missing:
        raise BadInput(f"cannot read the act's {', '.join(missing)} from the text: give --{' --'.join(missing)}", file=str(file))
    check_values(values, text_lang, file)
    return corpus_mod.Entry(
        file="", kind=values["kind"], number=values["number"], date=values["date"], lang=values["lang"],
        title=values["title"], origin=f"added with `legalkpi add` from {file.name}", content=loaded.content,
        sha256=digest, edition=values["edition"],
    )  # fmt: skip


def check_values(values: dict[str, str], text_lang: str, file: Path) -> None:
    """Refuse what must not be stored: impossible dates, an edition before adoption, a number that
    cannot name a file, a language the text is not in."""
    name = str(file)
    for k in ("date", "edition"):
        if values[k]:
            values[k] = _real_date(k, values[k], name)
    if values["edition"] and values["edition"] < values["date"]:
        raise BadInput(f"--edition {values['edition']} is before the act's adoption on {values['date']}: "
                       "an edition can only be later; check both dates", file=name)  # fmt: skip
    if not _NUMBER.fullmatch(values["number"]):
        raise BadInput(f"--number {values['number'][:40]!r} is not an act number as printed (e.g. 1157, 124-ө, 601/НҚ): "
                       "digits first, at most 10 of them, then a short suffix", file=name)  # fmt: skip
    if not _KINDS.fullmatch(values["kind"]):
        raise BadInput(f"--kind {values['kind'][:40]!r} must be a word such as resolution, order, ministerial-order",
                       file=name)  # fmt: skip
    if values["lang"] != text_lang:
        said = {"ru": "Russian", "kk": "Kazakh"}
        raise BadInput(f"--lang {values['lang']}, but the text is in {said[text_lang]}: give --lang {text_lang} "
                       "(or check that this is the right file)", file=name)  # fmt: skip
    if len(values["title"]) > 2000 or any(ord(ch) < 32 for ch in values["title"]):
        raise BadInput("--title must be one line of at most 2,000 characters", file=name)


def _real_date(option: str, text: str, file: str) -> str:
    if not _ISO_DATE.fullmatch(text):
        raise BadInput(f"--{option} must be a date YYYY-MM-DD in digits 0-9, not {text[:40]!r}", file=file)
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"--{option} {text} is not a real date (month 1-12, a day that month has)", file=file) from None
    if not 1991 <= day.year <= 2100:
        raise BadInput(f"--{option} {text}: the year must be between 1991 and 2100", file=file)
    return text


def _copy_new(source: Path, target: Path) -> None:
    """Copy through a temporary file and a hard link: the link fails if the target appeared meanwhile.

    The copy gets the mode a plain new file gets (0644 under the usual umask), not mkstemp's 0600.
    """
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as e:
        raise output_error(e, target) from None
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.chmod(tmp, 0o666 & ~_umask())
        os.link(tmp, target)
    except FileExistsError:
        raise BadInput("already exists in the corpus; nothing was overwritten", file=str(target)) from None
    except OSError as e:
        raise output_error(e, target) from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ---- remove ------------------------------------------------------------------------------------


def remove_and_rebuild(what: str, corpus: Path, out: Path) -> Intake:
    """``legalkpi remove``: under the corpus lock, take an act's text out and rebuild the catalogue."""
    with corpus_lock(corpus, out=out):
        entry = _remove(what, corpus)
        built = _build(corpus, out, jobs=os.cpu_count())
    return Intake(entry, built)


def _remove(what: str, corpus: Path) -> corpus_mod.Entry:
    """Drop the entry named by its corpus file name or version key; then delete its file."""
    manifest = corpus_mod.load(corpus)
    name = Path(what).name
    hits = [e for e in manifest.entries if e.file == name or e.act().ref.key == what]
    if not hits:
        raise BadInput(
            "not in the corpus: give a file name listed in manifest.json (e.g. 1157-ru.txt) or a version key "
            "(e.g. kz/resolution/1157/ru)",
            file=what,
        )
    if len(hits) > 1:
        raise BadInput(f"names {len(hits)} corpus texts ({', '.join(e.file for e in hits)}): give the file name", file=what)
    entry = hits[0]
    manifest.entries.remove(entry)
    write_atomic(manifest.root / corpus_mod.MANIFEST_NAME, manifest.to_json())
    manifest.path_of(entry).unlink(missing_ok=True)  # after the manifest: a listed file is never missing
    return entry
