"""The versioned catalogue: one version per act × language × edition, written to SQLite, JSON, CSV.

The in-memory :class:`Catalog` is built from the corpus manifest; writers turn it into files.
SQLite tables are declared with sqlmodel (imported only here, so the CLI starts fast) and are
plain enough for a shared Postgres catalogue later: text keys, no SQLite-only types.
Every writer writes a temporary file and renames it: a failed build leaves the old catalogue.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legalkpi.catalogue import corpus as corpus_mod
from legalkpi.jsonio import (
    SCHEMA_VERSION,
    act_dict,
    dumps,
    dumps_indented,
    indicator_dict,
    write_atomic,
    write_pieces,
)
from legalkpi.model import Act, Indicator, Notice

CATALOG_SCHEMA = "legalkpi-catalog/1"


@dataclass
class Version:
    """One catalogue version: the indicators of one act expression (or the report's 2023 set)."""

    key: str  # ActRef.key, e.g. "kz/order/124@2024-10-24/kk"
    act: Act
    origin: str  # "act" | "report"
    file: str
    sha256: str
    indicators: list[Indicator]
    agencies: list[str] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)
    kpi_ids: dict[str, str] = field(default_factory=dict)  # indicator id -> stable KPI id across versions
    kpi_evidence: dict[str, str] = field(default_factory=dict)  # indicator id -> how its KPI id was reached
    content: str = ""  # digest of what the version was read from (the reading cache's key); "" when made otherwise

    @classmethod
    def of_record(cls, rec: Any, file: str, sha256: str, agencies: list[str] | None = None) -> Version:
        """The version an act's record makes (``origin`` "act"): its indicators and notices."""
        return cls(
            key=rec.act.ref.key, act=rec.act, origin="act", file=file, sha256=sha256, indicators=rec.indicators,
            agencies=[a.name for a in rec.agencies] if agencies is None else agencies, warnings=rec.warnings,
        )  # fmt: skip


@dataclass
class Catalog:
    versions: list[Version]
    lineage: dict[str, Any] = field(default_factory=dict)  # {"acts": [...], "relations": [...]}
    maps: list[Any] = field(default_factory=list)  # legalkpi.maps.store.MapVersion, one per map edition
    facts: dict[str, Any] = field(default_factory=dict, repr=False)  # file -> lineage facts read from it
    documents: list[tuple[str, str]] = field(default_factory=list, repr=False)  # (file, reading key), manifest order

    def version(self, key: str) -> Version | None:
        return next((v for v in self.versions if v.key == key), None)

    def version_before(self, version: Version) -> Version | None:
        """The latest earlier version of the same work in the same language, else in the other one."""

        def when(v: Version) -> tuple[str, str]:
            return (v.act.edition or v.act.date, v.key)

        earlier = [
            v for v in self.versions
            if v.origin == "act" and v.key != version.key and v.act.ref.work == version.act.ref.work and when(v) < when(version)
        ]  # fmt: skip
        same_lang = [v for v in earlier if v.act.lang == version.act.lang]
        pool = same_lang or earlier
        return max(pool, key=when) if pool else None


Progress = Callable[[str], None]


def build(
    manifest: corpus_mod.Manifest,
    progress: Progress | None = None,
    *,
    jobs: int | None = None,
    scheduler: Any = None,
    cache_dir: str | Path | None = None,
    pair_cache: dict[Any, Any] | None = None,
) -> Catalog:
    """Read every manifest document (hash-checked, each once) into a catalogue version.

    ``jobs``: processes reading documents (default 1, this process; the CLI uses the machine's CPUs;
    a script that asks for more needs the usual ``if __name__ == "__main__":`` guard); ``scheduler``: a Dask distributed scheduler
    address (``tcp://host:8786``) or client to read on instead; ``cache_dir``: keep each document's
    result there and do not read it again while its bytes and the reader are unchanged;
    ``pair_cache``: the rows stable ids paired between two versions, kept from an earlier build
    (:func:`legalkpi.comparing.identity.assign_kpi_ids`). Every way gives the same catalogue.
    """
    from legalkpi.catalogue.corpusread import read_corpus

    corpus_mod.check_version_keys(manifest)
    results = read_corpus(
        manifest, jobs=jobs, scheduler=scheduler, cache_dir=Path(cache_dir) if cache_dir is not None else None,
        progress=progress,
    )  # fmt: skip
    versions = [r.version for r in results if r.version is not None]
    from legalkpi.amending.corpus import consolidated_versions

    versions += consolidated_versions(manifest, versions)  # amending acts: consolidated versions of the acts they amend
    versions.sort(key=lambda v: catalogue_order(v.act.edition, v.act.date, v.key))
    maps = sorted((r.map for r in results if r.map is not None), key=lambda m: (m.entry["edition"] or m.entry["date"], m.key))
    facts = {r.file: r.facts for r in results if r.facts is not None}
    catalog = Catalog(versions=versions, lineage=_lineage(manifest, facts), maps=maps, facts=facts,
                      documents=[(r.file, r.key) for r in results])  # fmt: skip
    _assign_kpi_ids(catalog, pair_cache, jobs if scheduler is None else None)
    return catalog


def catalogue_order(edition: str, date: str, key: str) -> tuple[str, str, str]:
    """Where a version stands in the catalogue: by edition (or adoption date), date, then key."""
    return (edition or date, date, key)


def _report_version(loaded: Any, entry: corpus_mod.Entry) -> Version | None:
    """The 2023 indicator set the report records (weights U, targets N): the earliest version."""
    try:
        from legalkpi.reading.report import read_report, report_indicators
    except ImportError:  # pragma: no cover - report reading lands with the score command
        return None
    report = read_report(loaded.doc)
    act = Act(kind="report", number=entry.number, date=entry.date, lang=entry.lang, title=entry.title, edition="")
    return Version(
        key=act.ref.key, act=act, origin="report", file=entry.file, sha256=entry.sha256, indicators=report_indicators(report)
    )


def _lineage(manifest: corpus_mod.Manifest, facts: dict[str, Any] | None = None) -> dict[str, Any]:
    try:
        from legalkpi.catalogue.lineage import build_lineage
    except ImportError:  # pragma: no cover - lineage lands with the history command
        return {}
    result: dict[str, Any] = build_lineage(manifest, facts=facts).to_dict()
    return result


def _assign_kpi_ids(catalog: Catalog, pair_cache: dict[Any, Any] | None = None, jobs: int | None = None) -> None:
    """Stable KPI ids: the same indicator keeps one id across versions and languages."""
    try:
        from legalkpi.comparing.identity import assign_kpi_ids
    except ImportError:
        for v in catalog.versions:
            v.kpi_ids = {i.id: f"{v.act.ref.work}#{i.id}" for i in v.indicators}
        return
    assign_kpi_ids(catalog, pair_cache, jobs)


# ---- JSON -------------------------------------------------------------------------------


def to_dict(catalog: Catalog) -> dict[str, Any]:
    maps = {"maps": [m.to_dict() for m in catalog.maps]} if catalog.maps else {}
    return {
        "schema": CATALOG_SCHEMA,
        "extract_schema": SCHEMA_VERSION,
        "versions": [version_dict(v) for v in catalog.versions],
        "lineage": catalog.lineage,
        **maps,
    }


def version_dict(v: Version) -> dict[str, Any]:
    return {
        "key": v.key,
        "origin": v.origin,
        "file": v.file,
        "sha256": v.sha256,
        "act": act_dict(v.act),
        "agencies": v.agencies,
        "indicators": [
            {**indicator_dict(i), "kpi_id": v.kpi_ids.get(i.id), "kpi_evidence": v.kpi_evidence.get(i.id)}
            for i in v.indicators
        ],
        "warnings": [w.to_dict() for w in v.warnings],
    }


def write_json(catalog: Catalog, path: str | Path) -> list[tuple[int, int]]:
    """``dumps(to_dict(catalog))``, written version by version: at 1,000 acts the whole dict and its
    text would take more memory than the catalogue itself. Returns where each version's text is
    in the file (byte offsets), so an update can reuse the text of the versions it does not change."""
    if not catalog.versions:
        write_atomic(path, dumps(to_dict(catalog)))
        return []
    return write_json_pieces(path, (json_piece(v) for v in catalog.versions), catalog.lineage, catalog.maps)


def json_piece(v: Version) -> bytes:
    """One version's text in catalog.json, indented as it sits in the "versions" list."""
    return dumps_indented(version_dict(v), "    ").encode("utf-8")


def write_json_pieces(path: str | Path, pieces: Iterable[bytes | memoryview], lineage: dict[str, Any], maps: list[Any]) -> list[tuple[int, int]]:
    """catalog.json from the versions' texts (:func:`json_piece`, at least one) and the rest of the catalogue."""
    marker = "@versions@"  # the first occurrence is ours: only constants come before "versions"
    frame = dumps({**to_dict(Catalog(versions=[], lineage=lineage, maps=maps)), "versions": [marker]})
    head, tail = frame.split(f'    "{marker}"', 1)
    return write_pieces(path, head.encode("utf-8"), pieces, b",\n", tail.encode("utf-8"))


# The CSV tables and their Table Schemas (datapackage.json) live in legalkpi/catalogue/package.py.


# ---- SQLite -----------------------------------------------------------------------------


def write_sqlite(catalog: Catalog, path: str | Path) -> None:
    """Write the catalogue to a new SQLite database (one explicit transaction, foreign keys enforced)
    and move it over ``path`` in one step.

    The file is new and private until it is renamed, and a failed write deletes it: so it keeps no
    rollback journal and is not synced mid-write (``journal_mode=OFF``, ``synchronous=OFF``), and the
    rows go in before the indexes are made (:func:`legalkpi.catalogue.catalogdb.create_tables`)."""
    from sqlalchemy import event

    from legalkpi.catalogue.catalogdb import create_tables, engine_for

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        engine = engine_for(f"sqlite:///{tmp}")
        event.listen(engine, "connect", _new_file_pragmas)
        with engine.begin() as conn:
            create_tables(conn, catalog)
        engine.dispose()
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _new_file_pragmas(dbapi_connection: Any, _record: Any) -> None:
    for pragma in _NEW_FILE_PRAGMAS:
        dbapi_connection.execute(pragma)


# Only for a database file nobody else sees until it is complete (see write_sqlite). The page cache
# (32 MiB at most, freed when the file is closed) keeps the indexes being built in memory.
_NEW_FILE_PRAGMAS = (
    "PRAGMA foreign_keys = ON", "PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -32768",
)  # fmt: skip


def write_all(catalog: Catalog, out: str | Path, formats: tuple[str, ...] = ("sqlite", "json", "csv"),
              spans: dict[str, list[tuple[int, int]]] | None = None) -> list[Path]:  # fmt: skip
    """Write the chosen forms into ``out``; returns the paths written.

    "csv" writes the CSV tables and their datapackage.json (Frictionless). Any failure to write is one
    :class:`OutputError` naming the file; what was there before is left as it was. ``spans``
    receives, per file name, where each version's text is in catalog.json and the per-version CSV tables.
    """
    from legalkpi.catalogue.package import write_package
    from legalkpi.errors import LegalKpiError, OutputError
    from legalkpi.jsonio import output_error

    if Path(out).exists() and not Path(out).is_dir():
        raise OutputError("is a file, but the catalogue needs a folder: give --out a folder name", file=str(out))
    writers: dict[str, tuple[Callable[[Catalog, Path], Any], str]] = {
        "sqlite": (write_sqlite, "catalog.sqlite"),
        "json": (write_json, "catalog.json"),
    }
    found: dict[str, list[tuple[int, int]]] = {}
    written: list[Path] = []
    for fmt in formats:
        target = Path(out) / (writers[fmt][1] if fmt in writers else "datapackage.json")
        try:
            if fmt == "csv":
                written += write_package(catalog, out, found)
                continue
            got = writers[fmt][0](catalog, target)
            if fmt == "json":
                found["catalog"] = got
        except LegalKpiError:
            raise
        except OSError as e:
            raise output_error(e, target) from None
        except Exception as e:  # sqlalchemy/sqlite3 errors (disk full, read-only folder) while writing the database
            raise OutputError(f"cannot write the {fmt} catalogue ({type(e).__name__}: {str(e).splitlines()[0][:200]}); "
                              "the old catalogue is left as it was", file=str(target)) from None  # fmt: skip
        written.append(target)
    if spans is not None:
        spans.update(found)
    return written


def read_json(path: str | Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data
