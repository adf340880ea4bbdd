"""Reading a corpus for a build: each document once, cached, in a process pool or on a Dask cluster.

The per-document work (:func:`read_one`: bytes -> catalogue version + the facts lineage needs) is a
pure function of the document's bytes, its manifest entry and the reader's code, so it can run
anywhere and be cached:

* the cache (:class:`Cache`, a folder beside the catalogue) keeps one file per document, keyed by the
  SHA-256 of the bytes, the manifest entry and the reader's fingerprint (package version and the
  hash of its code and data); deleting it only costs time;
* the documents not in the cache are read in this process (``jobs=1``), in a
  ``concurrent.futures`` process pool (``jobs>1``), or on a Dask distributed cluster
  (``scheduler="tcp://host:8786"``; the documents' bytes travel with the tasks, the workers need
  no shared folder, only legalkpi installed).

Results are put back in manifest order, so every way gives the same catalogue.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legalkpi import errors
from legalkpi.catalogue import corpus as corpus_mod
from legalkpi.errors import DEFAULT_LIMITS, LegalKpiError, LimitExceeded

if TYPE_CHECKING:
    from legalkpi.catalogue.catalog import Version
    from legalkpi.catalogue.lineage import DocumentFacts

CACHE_DIR = ".cache"


@dataclass
class DocResult:
    """What one document gives a build."""

    file: str
    version: Version | None
    facts: DocumentFacts | None
    map: Any = None  # legalkpi.maps.store.MapVersion of a digital transformation map
    key: str = ""  # the reading cache's key of the document (Cache.key)


@dataclass
class Task:
    index: int
    entry: corpus_mod.Entry
    name: str  # the name sources carry: "<corpus folder name>/<file>", the same from any directory
    data: bytes
    key: str  # cache key


def read_one(entry: corpus_mod.Entry, name: str, data: bytes) -> DocResult:
    """Read one manifest document from its bytes: its catalogue version (acts, reports) and lineage facts."""
    from legalkpi.api import Loaded, act_of, classify, extract_loaded
    from legalkpi.catalogue.catalog import Version, _report_version
    from parsers import read_bytes

    if len(data) > DEFAULT_LIMITS.max_bytes:
        raise LimitExceeded(f"file is {len(data)} bytes, limit is {DEFAULT_LIMITS.max_bytes}", file=name)
    if entry.content == "dt-map":  # a digital transformation map: read and checked, its own tables
        from legalkpi.maps.store import map_version_of

        return DocResult(entry.file, None, None, map_version_of(read_bytes(data, entry.file), entry))
    doc = read_bytes(data, name)
    loaded = Loaded(doc=doc, content=classify(doc), act=act_of(doc, entry), entry=entry)
    version: Version | None = None
    if loaded.content == "kpi-act" and entry.content == "kpi-act":
        rec = extract_loaded(loaded)
        version = Version.of_record(rec, entry.file, entry.sha256)
    elif entry.content == "kpi-report":
        version = _report_version(loaded, entry)
    facts = None
    if entry.content not in corpus_mod.NOT_ACTS:
        from legalkpi.catalogue.lineage import document_facts

        facts = document_facts(doc)
    return DocResult(entry.file, version, facts)


def _work(entry: corpus_mod.Entry, name: str, data: bytes, key: str = "") -> DocResult | tuple[str, str, str | None, str | None]:
    """:func:`read_one` here: a LegalKpiError comes back as data (kind, message, file, place)."""
    try:
        return _keyed(read_one(entry, name, data), key)
    except LegalKpiError as e:
        return (type(e).__name__, e.message, e.file, e.place)


def _work_pickled(entry: corpus_mod.Entry, name: str, data: bytes, key: str) -> bytes | tuple[str, str, str | None, str | None]:
    """:func:`_work` for another process: the result comes back pickled once, the bytes the cache keeps
    (the reading process does not pickle it a second time)."""
    got = _work(entry, name, data, key)
    return pickle.dumps(got, protocol=pickle.HIGHEST_PROTOCOL) if isinstance(got, DocResult) else got


def _result(got: Outcome, key: str, cache: Cache) -> DocResult:
    """The document's result, kept in the cache; a LegalKpiError from a worker raised again here."""
    if isinstance(got, bytes):
        cache.put_bytes(key, got)
        result = pickle.loads(got)
        if isinstance(result, DocResult):
            return result
        raise LegalKpiError("a worker sent back something that is not a document's reading", place=key)
    if isinstance(got, DocResult):
        cache.put(key, got)
        return got
    kind, message, file, place = got
    cls = getattr(errors, kind, LegalKpiError)
    raise cls(message, file=file, place=place)


def _keyed(result: DocResult, key: str) -> DocResult:
    """The result with its cache key, which also names its version's content (stable ids keep comparisons by it)."""
    result.key = key
    if result.version is not None:
        result.version.content = key
    return result


# ---- cache ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def reader_fingerprint() -> str:
    """The package version and a hash of the reader's code and data: a cached result from other code is not used."""
    from legalkpi import __version__

    h = hashlib.sha256(__version__.encode())
    here = Path(__file__).resolve().parents[1]  # the legalkpi package
    for folder in (here, here.parent / "parsers"):
        for p in sorted(folder.rglob("*")):
            if p.suffix in (".py", ".json") and "__pycache__" not in p.parts:
                h.update(p.relative_to(folder.parent).as_posix().encode())
                h.update(p.read_bytes())
    return h.hexdigest()


class Cache:
    """One pickle per document under ``folder``; unreadable or stale files are ignored and rewritten."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[str] = set()

    def key(self, entry: corpus_mod.Entry, name: str, digest: str, fingerprint: str) -> str:
        meta = json.dumps(asdict(entry), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256("\0".join((digest, fingerprint, name, meta)).encode()).hexdigest()

    def get(self, key: str) -> DocResult | None:
        if self.folder is None:
            return None
        self.used.add(key)
        try:
            got = pickle.loads((self.folder / f"{key}.pickle").read_bytes())
        except Exception:  # missing, truncated, from another Python: read the document again
            return None
        return got if isinstance(got, DocResult) else None

    def put(self, key: str, result: DocResult) -> None:
        if self.folder is not None:
            self.put_bytes(key, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))

    def put_bytes(self, key: str, data: bytes) -> None:
        """Keep a result already pickled (:func:`_work_pickled`)."""
        if self.folder is None:
            return
        self.used.add(key)
        tmp: str | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{key}.", dir=self.folder)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, self.folder / f"{key}.pickle")
        except OSError:  # a cache that cannot be written only costs time
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def prune(self) -> None:
        """Drop the files of documents this build did not use (removed or changed documents)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for p in self.folder.glob("*.pickle"):
            if p.stem not in self.used:
                p.unlink(missing_ok=True)


# ---- running --------------------------------------------------------------------------------

Progress = Callable[[str], None]


def read_corpus(
    manifest: corpus_mod.Manifest,
    *,
    jobs: int | None = None,
    scheduler: str | None = None,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
    prune: bool = True,
) -> list[DocResult]:
    """Every manifest document read once (hash-checked), in manifest order.

    ``jobs``: processes on this machine (None or 1 reads in this process).
    ``scheduler``: address of a Dask distributed scheduler, or a ``distributed.Client``; the reading
    then runs on its workers. ``cache_dir``: where results are kept between builds (None: no cache);
    ``prune``: drop the cached results of documents not in this manifest.
    """
    cache = Cache(cache_dir)
    fingerprint = reader_fingerprint()
    results: list[DocResult | None] = [None] * len(manifest.entries)
    todo: list[Task] = []
    for i, entry in enumerate(manifest.entries):
        name = f"{manifest.root.name}/{entry.file}"
        data = corpus_mod.verified_bytes(manifest, entry)
        key = cache.key(entry, name, entry.sha256, fingerprint)
        hit = cache.get(key)
        if hit is not None:
            results[i] = _keyed(hit, key)
            if progress:
                progress(entry.file)
        else:
            todo.append(Task(i, entry, name, data, key))
    for task, got in _run(todo, jobs=jobs, scheduler=scheduler):
        results[task.index] = _result(got, task.key, cache)
        if progress:
            progress(task.entry.file)
    if prune:
        cache.prune()
    return [r for r in results if r is not None]


Outcome = DocResult | bytes | tuple[str, str, str | None, str | None]


def _run(tasks: Sequence[Task], *, jobs: int | None, scheduler: Any) -> Iterator[tuple[Task, Outcome]]:
    if not tasks:
        return iter(())
    if scheduler is not None:
        return _run_dask(tasks, scheduler)
    n = min(jobs or 1, len(tasks))
    if n <= 1:
        return ((t, _work(t.entry, t.name, t.data, t.key)) for t in tasks)
    return _run_pool(tasks, n)


def _windows(tasks: Sequence[Task], size: int) -> Iterator[Sequence[Task]]:
    """Tasks in slices, so that only a few documents' bytes are in flight at once."""
    for k in range(0, len(tasks), size):
        yield tasks[k : k + size]


def _run_pool(tasks: Sequence[Task], n: int) -> Iterator[tuple[Task, Outcome]]:
    from legalkpi.processes import in_order

    calls = ((t.entry, t.name, t.data, t.key) for t in tasks)
    return zip(tasks, in_order(_work_pickled, calls, n), strict=True)


def _run_dask(tasks: Sequence[Task], scheduler: Any) -> Iterator[tuple[Task, Outcome]]:
    try:
        from distributed import Client
    except ImportError:
        raise LegalKpiError(
            "--scheduler needs Dask distributed: pip install 'legalkpi[cluster]'"
        ) from None
    own = isinstance(scheduler, str)
    try:
        client = Client(scheduler, timeout=15) if own else scheduler
    except (OSError, TimeoutError) as e:
        raise LegalKpiError(f"cannot reach the Dask scheduler: {e}", place=str(scheduler)) from None
    try:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        for window in _windows(tasks, 8 * workers):
            futures = [client.submit(_work_pickled, t.entry, t.name, t.data, t.key, key=f"legalkpi-read-{t.key}", pure=False)
                       for t in window]  # fmt: skip
            for t, f in zip(window, futures, strict=True):
                yield t, f.result()
    finally:
        if own:
            client.close()
