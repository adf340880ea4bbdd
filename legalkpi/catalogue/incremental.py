"""Updating a catalogue in place of rebuilding it: ``add`` of one act costs about one act.

Every build that keeps a reading cache also keeps the catalogue's :class:`State` beside it
(``OUT/.cache/catalog.state``): for each version, what stable ids need of it (an
:class:`~legalkpi.comparing.identity.IdView`: ids and mint bases of its rows, no content), its ids and
evidence, its row in the versions table, and where its text is in catalog.json and in the
per-version CSV tables; the pairs of every comparison stable ids made; each document's lineage
facts; the size and time of every file written.

:func:`update` takes the next build's place when the corpus only grew: the manifest is the old one
with entries added at its end, the reader is the same, the files are as the last build left them,
and neither the old nor the new documents are amending acts or maps (those remake other versions).
Then only the new documents are read; stable ids are assigned again over the whole catalogue
from the views and the kept pairs (new comparisons are computed, the others reused); and only
the versions whose text changed (the new ones, and old ones whose ids or evidence moved) are
written again: catalog.json and the CSV tables reuse the other versions' bytes (a new file renamed
over the old one), the SQLite file is changed in one transaction. The result is the
catalogue a full build gives (a test builds both and compares them); when a condition does not
hold, :func:`update` returns None and the caller builds in full.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legalkpi.catalogue import corpus as corpus_mod
from legalkpi.catalogue.corpusread import CACHE_DIR, Cache, DocResult, read_corpus, reader_fingerprint

if TYPE_CHECKING:
    from legalkpi.catalogue.catalog import Catalog, Version
    from legalkpi.comparing.identity import IdView

STATE_FILE = "catalog.state"  # not *.pickle: the reading cache's pruning leaves it alone
STATE_FORMAT = 2


@dataclass
class VersionState:
    view: IdView
    kpi_ids: dict[str, str]
    evidence: dict[str, str]
    meta: tuple[str, ...]  # package.version_meta: key, work, kind, number, date, lang, edition, …
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # file stem -> its bytes there

    @property
    def order(self) -> tuple[str, str, str]:
        """Its place in the catalogue (:func:`legalkpi.catalogue.catalog.catalogue_order`)."""
        from legalkpi.catalogue.catalog import catalogue_order

        m = self.meta
        return catalogue_order(m[6], m[4], m[0])


@dataclass
class State:
    fingerprint: str
    formats: tuple[str, ...]
    documents: list[tuple[str, str]]  # (file, reading key) of the manifest's entries, in order
    versions: list[VersionState]  # catalogue order
    facts: dict[str, Any]  # file -> lineage facts
    pairs: dict[Any, list[tuple[int, int]]]
    files: dict[str, tuple[int, int]]  # file written -> (size, mtime_ns)
    format: int = STATE_FORMAT


def state_path(out: Path) -> Path:
    return Path(out) / CACHE_DIR / STATE_FILE


def load_state(out: Path) -> State | None:
    """The state the last build left, or None (missing, unreadable, from another legalkpi)."""
    try:
        got = pickle.loads(state_path(out).read_bytes())
    except Exception:  # missing, truncated, from another Python: a full build makes a new one
        return None
    if not isinstance(got, State) or got.format != STATE_FORMAT or got.fingerprint != reader_fingerprint():
        return None
    return got


def updatable(manifest: corpus_mod.Manifest) -> bool:
    """Whether a catalogue of this corpus can be updated: no amending act (it remakes the version it
    amends) and no map (maps have tables of their own)."""
    from legalkpi.amending.corpus import CONTENT as AMENDING

    return not any(e.content in (AMENDING, "dt-map") for e in manifest.entries)


def save_state(
    out: Path, manifest: corpus_mod.Manifest, catalog: Catalog, formats: tuple[str, ...],
    spans: dict[str, list[tuple[int, int]]], pairs: dict[Any, list[tuple[int, int]]],
) -> None:  # fmt: skip
    """Keep what :func:`update` needs of a full build (only when the catalogue can be updated at all)."""
    from legalkpi.catalogue.package import version_meta
    from legalkpi.comparing.identity import view

    path = state_path(out)
    if not updatable(manifest):
        path.unlink(missing_ok=True)  # every build of this corpus is a full one
        return
    versions = []
    for k, v in enumerate(catalog.versions):
        vs = VersionState(view(v), dict(v.kpi_ids), dict(v.kpi_evidence), version_meta(v))
        vs.spans = {name: spans[name][k] for name in spans}
        versions.append(vs)
    state = State(reader_fingerprint(), formats, list(catalog.documents), versions, dict(catalog.facts), dict(pairs),
                  _stats(out, formats))  # fmt: skip
    _write_state(path, state)


def _write_state(path: Path, state: State) -> None:
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a state that cannot be kept only costs the next add a full build
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        path.unlink(missing_ok=True)


def _files(formats: tuple[str, ...]) -> list[str]:
    from legalkpi.catalogue.package import table_schemas

    names = {"sqlite": ["catalog.sqlite"], "json": ["catalog.json"],
             "csv": [*(f"{t}.csv" for t in table_schemas()), "datapackage.json"]}  # fmt: skip
    return [n for f in formats for n in names[f]]


def _stats(out: Path, formats: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    stats = {}
    for name in _files(formats):
        st = (Path(out) / name).stat()
        stats[name] = (st.st_size, st.st_mtime_ns)
    return stats


# ---- the update ---------------------------------------------------------------------------------


@dataclass
class Updated:
    """What :func:`update` did: the versions it read or wrote again and the files it wrote."""

    out: Path
    manifest: corpus_mod.Manifest
    state: State
    written: list[Path]
    changed: list[str]  # keys of the versions written again (new ones first)
    loaded: dict[str, Version]  # the full versions it had in hand (new and changed)

    @property
    def count(self) -> int:
        return len(self.state.versions)

    def version(self, key: str) -> Version | None:
        """A version of the updated catalogue, read from the reading cache when not in hand."""
        if key in self.loaded:
            return self.loaded[key]
        vs = next((v for v in self.state.versions if v.view.key == key), None)
        return _full(self.out, vs) if vs is not None else None

    def catalog(self) -> Catalog:
        """The whole updated catalogue in memory (reads every version from the reading cache)."""
        from legalkpi.catalogue.catalog import Catalog, _lineage

        versions = [self.loaded.get(vs.view.key) or _full(self.out, vs) for vs in self.state.versions]
        return Catalog(versions=[v for v in versions if v is not None], lineage=_lineage(self.manifest, self.state.facts),
                       facts=self.state.facts, documents=self.state.documents)  # fmt: skip


def _full(out: Path, vs: VersionState) -> Version | None:
    got = Cache(Path(out) / CACHE_DIR).get(vs.view.content)
    if got is None or got.version is None:
        return None
    got.version.kpi_ids, got.version.kpi_evidence = dict(vs.kpi_ids), dict(vs.evidence)
    got.version.content = vs.view.content
    return got.version


def update(corpus: Path, out: Path, formats: tuple[str, ...], progress: Callable[[str], None] | None = None,
           state: State | None = None) -> Updated | None:  # fmt: skip
    """Bring the catalogue in ``out`` up to the corpus when the corpus only grew (see the module); else None.
    ``state``: the last build's (:func:`load_state`), when the caller has it already."""
    state = state or load_state(out)
    if state is None or tuple(state.formats) != tuple(formats) or not _unchanged(out, state):
        return None
    manifest = corpus_mod.load(corpus)
    corpus_mod.check_version_keys(manifest)
    fingerprint = state.fingerprint
    cache = Cache(Path(out) / CACHE_DIR)
    keys = [(e.file, cache.key(e, f"{manifest.root.name}/{e.file}", e.sha256, fingerprint)) for e in manifest.entries]
    n = len(state.documents)
    if keys[:n] != [tuple(d) for d in state.documents]:
        return None
    new_entries = manifest.entries[n:]
    if not updatable(manifest):
        return None
    for e in manifest.entries[:n]:
        corpus_mod.verified_bytes(manifest, e)  # hash-checked, as a full build would (the bytes are not read again)
        if progress:
            progress(e.file)
    if not new_entries:  # the same documents, reader and files: the same catalogue, nothing to write
        return Updated(Path(out), manifest, state, [], [], {})
    results = read_corpus(corpus_mod.Manifest(manifest.root, new_entries, manifest.version), cache_dir=cache.folder,
                          progress=progress, prune=False)  # fmt: skip
    if any(r.map is not None for r in results):
        return None
    try:
        return _apply(out, manifest, formats, state, results, keys)
    except _Stale:
        return None


def _unchanged(out: Path, state: State) -> bool:
    """The files are as the last build wrote them (size and modification time)."""
    try:
        return all(tuple(state.files[n]) == _stat(Path(out) / n) for n in state.files)
    except OSError:
        return False


def _stat(p: Path) -> tuple[int, int]:
    st = p.stat()
    return (st.st_size, st.st_mtime_ns)


def _apply(out: Path, manifest: corpus_mod.Manifest, formats: tuple[str, ...], state: State, results: list[DocResult],
           keys: list[tuple[str, str]]) -> Updated:  # fmt: skip
    from legalkpi.catalogue.catalog import _lineage
    from legalkpi.catalogue.package import version_meta
    from legalkpi.comparing import identity as ids_mod
    from legalkpi.comparing.diff import record_of_version

    new = {r.version.key: r.version for r in results if r.version is not None}
    facts = {**state.facts, **{r.file: r.facts for r in results if r.facts is not None}}
    old = {vs.view.key: vs for vs in state.versions}
    fresh = [VersionState(ids_mod.view(v), {}, {}, version_meta(v)) for v in new.values()]
    versions = sorted([*state.versions, *fresh], key=lambda vs: vs.order)
    lineage = _lineage(manifest, facts)
    views = [vs.view for vs in versions]
    full: dict[int, Version] = {}

    def version_at(k: int) -> Version:
        if k not in full:
            got = new.get(views[k].key) or _full(out, versions[k])
            if got is None:
                raise _Stale()
            full[k] = got
        return full[k]

    pairs = dict(state.pairs)  # link_ids leaves it holding this catalogue's comparisons only
    ids, evidence = ids_mod.link_ids(views, lineage, lambda k: record_of_version(version_at(k)), pairs)
    changed: list[int] = []
    for k, vs in enumerate(versions):
        if vs.view.key in new or ids[k] != vs.kpi_ids or evidence[k] != vs.evidence:
            changed.append(k)
        vs.kpi_ids, vs.evidence = ids[k], evidence[k]
    loaded: dict[str, Version] = {}
    for k in changed:
        v = version_at(k)
        v.kpi_ids, v.kpi_evidence = dict(ids[k]), dict(evidence[k])
        loaded[v.key] = v
    written = _write(out, formats, versions, loaded, lineage, old)
    state.versions, state.facts, state.documents = versions, facts, list(keys)
    state.pairs = pairs
    state.files = _stats(out, formats)
    _write_state(state_path(out), state)
    order = sorted(changed, key=lambda k: (views[k].key not in new, k))
    return Updated(Path(out), manifest, state, written, [views[k].key for k in order], loaded)


class _Stale(Exception):
    """A version's reading is gone from the cache: the update cannot make it (a full build will)."""


def _write(out: Path, formats: tuple[str, ...], versions: list[VersionState], loaded: dict[str, Version],
           lineage: dict[str, Any], old: dict[str, VersionState]) -> list[Path]:  # fmt: skip
    """Write every chosen form again, reusing the unchanged versions' bytes; fill each version's spans.
    A failure is one OutputError naming the file (what is not yet written is as it was)."""
    import sqlite3

    from legalkpi.errors import OutputError
    from legalkpi.jsonio import output_error

    target = Path(out)
    try:
        return _write_forms(out, formats, versions, loaded, lineage, old)
    except OSError as e:
        raise output_error(e, Path(e.filename) if e.filename else target) from None
    except sqlite3.Error as e:
        raise OutputError(f"cannot update the sqlite catalogue ({type(e).__name__}: {str(e).splitlines()[0][:200]}); "
                          "it is left as it was", file=str(target / "catalog.sqlite")) from None  # fmt: skip


def _write_forms(out: Path, formats: tuple[str, ...], versions: list[VersionState], loaded: dict[str, Version],
                 lineage: dict[str, Any], old: dict[str, VersionState]) -> list[Path]:  # fmt: skip
    from legalkpi.catalogue import catalog as cat
    from legalkpi.catalogue.package import PER_VERSION, piece, write_tables

    written: list[Path] = []
    for fmt in formats:
        if fmt == "sqlite":
            target = Path(out) / "catalog.sqlite"
            _update_sqlite(target, versions, loaded, lineage, old)
            written.append(target)
        elif fmt == "json":
            target = Path(out) / "catalog.json"
            pieces = _pieces(target, "catalog", versions, loaded, cat.json_piece)
            spans = cat.write_json_pieces(target, pieces, lineage, [])
            _set_spans(versions, "catalog", spans)
            written.append(target)
        else:
            got: dict[str, list[tuple[int, int]]] = {}
            pieces_of = {t: _pieces(Path(out) / f"{t}.csv", t, versions, loaded, partial(piece, table=t)) for t in PER_VERSION}
            written += write_tables(out, pieces_of, [vs.meta for vs in versions], lineage, got)
            for t, spans in got.items():
                _set_spans(versions, t, spans)
    return written


def _pieces(source: Path, name: str, versions: list[VersionState], loaded: dict[str, Version],
            render: Callable[[Any], bytes]) -> Iterable[bytes | memoryview]:  # fmt: skip
    """Each version's bytes: rendered again when it changed, else where it was in the old file (mapped
    into memory: the kernel copies the unchanged bytes, Python never holds them)."""
    import mmap

    with open(source, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as old, memoryview(old) as view:
        for vs in versions:
            v = loaded.get(vs.view.key)
            if v is not None:
                yield render(v)
                continue
            start, end = vs.spans[name]
            with view[start:end] as piece:
                yield piece


def _set_spans(versions: list[VersionState], name: str, spans: list[tuple[int, int]]) -> None:
    for vs, span in zip(versions, spans, strict=True):
        vs.spans[name] = span


def _update_sqlite(target: Path, versions: list[VersionState], loaded: dict[str, Version], lineage: dict[str, Any],
                   old: dict[str, VersionState]) -> None:  # fmt: skip
    """Replace the changed versions' rows, the positions and the lineage in one transaction: SQLite's
    journal makes it all or nothing (a killed update is rolled back when the file is next opened).

    The database was written by this very legalkpi (the state's reader fingerprint), so its columns are
    those :mod:`legalkpi.catalogue.catalogdb` writes; the standard library's driver is enough (an add
    does not load SQLAlchemy), with explicit transactions as everywhere (``isolation_level=None``)."""
    import sqlite3

    from legalkpi.catalogue.catalogdb import _FAST_COLUMNS, Rows, _version_tuples
    from legalkpi.catalogue.lineage import table_rows

    rows: Rows = defaultdict(list)
    for k, vs in enumerate(versions):
        if vs.view.key in loaded:
            _version_tuples(k, loaded[vs.view.key], rows)
    columns = {name: cols.split() for name, cols in _FAST_COLUMNS.items()}
    for name, values in table_rows(lineage, {vs.view.key for vs in versions}):
        columns.setdefault(name, list(values))
        rows[name].append(tuple(values[c] for c in columns[name]))
    gone = [(k,) for k in loaded if k in old]
    moved = [(k, vs.view.key, k) for k, vs in enumerate(versions) if vs.view.key not in loaded]
    db = sqlite3.connect(target, isolation_level=None)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("BEGIN")
        try:
            for table in ("lineage_relation", "lineage_text", "lineage_act"):
                db.execute(f"DELETE FROM {table}")  # noqa: S608 (our table names)
            for table in ("indicator_value", "criterion", "indicator", "version_agency", "warning", "catalog_version"):
                db.executemany(f"DELETE FROM {table} WHERE {'key' if table == 'catalog_version' else 'version'} = ?", gone)  # noqa: S608
            db.executemany("UPDATE catalog_version SET seq = ? WHERE key = ? AND seq != ?", moved)
            for table in ("catalog_version", "version_agency", "indicator", "indicator_value", "criterion", "warning",
                          "lineage_act", "lineage_text", "lineage_relation"):  # fmt: skip
                if rows.get(table):
                    cols = columns[table]
                    db.executemany(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",  # noqa: S608
                                   rows[table])  # fmt: skip
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    finally:
        db.close()
