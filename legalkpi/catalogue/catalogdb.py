"""The catalogue in a SQL database: an embedded SQLite file or a shared PostgreSQL server.

Both hold the same sqlmodel tables (whatever :mod:`legalkpi.catalogue.tables` declares in
``SQLModel.metadata``). Writes are one explicit transaction: SQLite's driver is told not to open
transactions itself (its implicit ones depend on how it reads the statement, which has failed
under a Turkish locale), and SQLAlchemy emits ``BEGIN``. On PostgreSQL a build takes a
transaction-scoped advisory lock first, so two builds at once run one after the other and the
catalogue is always one whole build. Imported only by the commands that write or read a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from legalkpi.errors import BadInput, LegalKpiError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from legalkpi.catalogue.catalog import Catalog

# pg_advisory_xact_lock key of catalogue builds: the bytes "lgkp" as a number.
BUILD_LOCK = 0x6C676B70


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql:", "postgresql+", "postgres:"))


def engine_for(url: str) -> Engine:
    """An engine for ``sqlite:///file`` or ``postgresql://user@host/db`` (driver: psycopg 3)."""
    from sqlalchemy import create_engine, event

    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    if not (url.startswith("sqlite") or is_postgres(url)):
        raise BadInput("--db takes a postgresql://… or sqlite:///… address", place=url.split("@")[-1])
    try:
        engine = create_engine(url)
    except ImportError as e:
        raise LegalKpiError(f"no driver for this database ({e.name}): pip install 'psycopg[binary]'") from None
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _no_implicit_transactions(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN")

    return engine


def tables() -> list[Any]:
    """The catalogue's tables in dependency order (SQLModel.metadata, as legalkpi.catalogue.tables declares them)."""
    from sqlmodel import SQLModel

    import legalkpi.catalogue.tables  # noqa: F401  (declares the tables)

    return list(SQLModel.metadata.sorted_tables)


Rows = dict[str, list[tuple[Any, ...]]]  # table name -> rows, each in the order of the table's columns


def catalog_rows(catalog: Catalog) -> dict[str, list[dict[str, Any]]]:
    """Every row of the catalogue, by table name, as plain dicts (bulk inserts, not ORM objects)."""
    names = {t.name: [c.key for c in t.columns] for t in tables()}
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rows in _row_batches(catalog, len(catalog.versions) or 1):
        for name, batch in rows.items():
            out[name].extend(dict(zip(names[name], r, strict=True)) for r in batch)
    return out


def _row_batches(catalog: Catalog, size: int) -> Iterator[Rows]:
    """The rows as tuples in batches of ``size`` versions (then the lineage), so that a big catalogue
    is never held twice in memory.

    The rows are those :func:`legalkpi.catalogue.tables.version_rows` and
    :func:`~legalkpi.catalogue.tables.lineage_rows` describe. Making 100,000 sqlmodel objects
    costs more than reading the corpus, so while the tables have the columns :data:`_FAST_COLUMNS`
    names (in that order), the version rows are made as tuples directly and the lineage's from
    :func:`~legalkpi.catalogue.tables.lineage_values` (a test checks both give the same rows);
    otherwise, through the sqlmodel objects."""
    from legalkpi.catalogue import tables as t
    from legalkpi.catalogue.catalog import CATALOG_SCHEMA

    columns: dict[Any, list[str]] = {}

    def names(table: Any) -> list[str]:
        return columns.setdefault(table, [c.key for c in table.columns])

    def add(out: Rows, row: Any) -> None:
        table = row.__table__
        out[table.name].append(tuple(getattr(row, n) for n in names(table)))

    fast = _fast_path_fits()
    out: Rows = defaultdict(list)
    for row in (t.Meta(key="schema", value=CATALOG_SCHEMA), *t.registry_rows()):
        add(out, row)
    agency_ids: dict[str, str | None] = {}
    for seq, v in enumerate(catalog.versions):
        if fast:
            _version_tuples(seq, v, out, agency_ids)
        else:
            for row in t.version_rows(seq, v):
                add(out, row)
        if (seq + 1) % size == 0:
            yield out
            out = defaultdict(list)
    keys = {v.key for v in catalog.versions}
    if fast:
        for model, values in t.lineage_values(catalog.lineage, keys):
            table = model.__table__  # type: ignore[attr-defined]
            out[table.name].append(tuple(values[n] for n in names(table)))
    else:
        for row in t.lineage_rows(catalog.lineage, keys):
            add(out, row)
    yield out


_FAST_COLUMNS = {
    "catalog_version": "key seq work kind number date lang edition title origin file sha256",
    "indicator": "version id kpi_id kpi_evidence position section section_title agency part part_title number name "
    "unit unit_kind formula_kind formula source_file first_line last_line page cell",
    "indicator_value": "version indicator year target target_text target_kind weight weight_text",
    "criterion": "version indicator position text weight",
    "version_agency": "version position name agency",
    "warning": "version position code message place",
}


def _fast_path_fits() -> bool:
    have = {t.name: [c.key for c in t.columns] for t in tables()}
    return all(have.get(name) == cols.split() for name, cols in _FAST_COLUMNS.items())


def _version_tuples(seq: int, v: Any, out: Rows, agency_ids: dict[str, str | None] | None = None) -> None:
    """The rows of :func:`legalkpi.catalogue.tables.version_rows` for one version, as tuples of the
    :data:`_FAST_COLUMNS` (the tables' columns, in order). ``agency_ids``: the registry ids of agency
    names already matched (the same names recur in every version; matching is fuzzy and slow)."""
    from legalkpi.reading.agencies import match_agency

    a = v.act
    key = v.key
    out["catalog_version"].append(
        (key, seq, a.ref.work, a.kind, a.number, a.date, a.lang, a.edition, a.title, v.origin, v.file, v.sha256)
    )
    indicators, values, criteria = out["indicator"], out["indicator_value"], out["criterion"]
    kpi_ids, kpi_evidence = v.kpi_ids, v.kpi_evidence
    for pos, i in enumerate(v.indicators):
        src, section, ident = i.source, i.section, i.id
        indicators.append((
            key, ident, kpi_ids.get(ident), kpi_evidence.get(ident), pos, section.ordinal, section.title,
            section.agency_id, i.part.ordinal, i.part.title, i.number, i.name, i.unit, i.unit_kind, i.formula.kind,
            i.formula.text, *((src.file, src.first_line, src.last_line, src.page, src.cell) if src else _NO_SOURCE),
        ))  # fmt: skip
        for val in i.values:
            values.append(
                (key, ident, val.year, val.target, val.target_text, val.target_kind, val.weight, val.weight_text)
            )
        for k, c in enumerate(i.criteria):
            criteria.append((key, ident, k, c.text, c.weight))
    if agency_ids is None:
        agency_ids = {}
    for k, name in enumerate(v.agencies):
        if name not in agency_ids:
            entry = match_agency(name)
            agency_ids[name] = entry.id if entry else None
        out["version_agency"].append((key, k + 1, name, agency_ids[name]))
    for k, w in enumerate(v.warnings):
        out["warning"].append((key, k, w.code, w.message, w.source.place() if w.source else ""))


_NO_SOURCE = ("", None, None, None, None)


def insert_catalog(conn: Connection, catalog: Catalog) -> None:
    """Insert every row (tables already exist and are empty), parents before children; then the maps."""
    _insert_rows(conn, catalog)
    _insert_maps(conn, catalog)


def _insert_rows(conn: Connection, catalog: Catalog) -> None:
    """The catalogue's rows, 50 versions at a time, table by table in foreign-key order: plain tuples
    through the driver's ``executemany``, one statement per table (SQLAlchemy's per-row parameter
    handling took longer than SQLite's inserts)."""
    from legalkpi.catalogue import tables as t

    order = [m.__table__ for m in t.MODELS]  # foreign-key order
    cursor = conn.connection.cursor()  # the connection's own driver cursor, in its transaction
    try:
        insert = {table.name: _inserter(conn, cursor, table) for table in order}
        for rows in _row_batches(catalog, 50):
            for table in order:
                batch = rows.get(table.name)
                if batch:
                    insert[table.name](batch)
    finally:
        cursor.close()


def _inserter(conn: Connection, cursor: Any, table: Any) -> Callable[[list[tuple[Any, ...]]], None]:
    """A function inserting rows (tuples of ``table``'s columns, in order) in one ``executemany``:
    the driver's own for SQLite and psycopg (its placeholders), else SQLAlchemy's."""
    columns = [c.key for c in table.columns]
    style = conn.dialect.paramstyle
    if style not in _MARK:

        def generic(rows: list[tuple[Any, ...]]) -> None:
            conn.execute(table.insert(), [dict(zip(columns, r, strict=True)) for r in rows])

        return generic
    prep = conn.dialect.identifier_preparer
    sql = (
        f"INSERT INTO {prep.format_table(table)} ({', '.join(prep.quote(c) for c in columns)}) "
        f"VALUES ({', '.join([_MARK[style]] * len(columns))})"
    )

    def insert(rows: list[tuple[Any, ...]]) -> None:
        cursor.executemany(sql, rows)

    return insert


_MARK = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def map_tables() -> list[Any]:
    from legalkpi.maps import store as map_store

    return list(map_store.all_tables())


def _insert_maps(conn: Connection, catalog: Catalog) -> None:
    """The digital transformation maps' rows (legalkpi.maps.store), table by table in a fixed order."""
    from legalkpi.maps import store as map_store

    by_table: dict[Any, list[dict[str, Any]]] = {}
    for seq, m in enumerate(catalog.maps):
        for row in map_store.rows(seq, m):
            by_table.setdefault(type(row).__table__, []).append(row.model_dump())
    for table in map_tables():
        if by_table.get(table):
            conn.execute(table.insert(), by_table[table])


def create_tables(conn: Connection, catalog: Catalog | None = None) -> None:
    """A new database's tables: the catalogue's (with SQLite's views and full-text index), then the maps'.

    With ``catalog``, also its rows (:func:`insert_catalog`): those of the catalogue's tables go in
    before their indexes, views and full-text index are made, so that each index is built once from
    the rows instead of updated row by row; the schema and the rows are those of creating, then inserting."""
    from sqlalchemy.schema import CreateTable

    from legalkpi.catalogue import tables as t

    t.create_schema(conn, fill=None if catalog is None else lambda: _insert_rows(conn, catalog))
    for table in map_tables():
        conn.execute(CreateTable(table))
    if catalog is not None:
        _insert_maps(conn, catalog)


def write_db(catalog: Catalog, url: str) -> None:
    """Replace the catalogue in a database (PostgreSQL or an existing SQLite file) in one transaction."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import SQLModel

    engine = engine_for(url)
    try:
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": BUILD_LOCK})
            from legalkpi.catalogue import tables as t

            everything = [*(m.__table__ for m in t.MODELS), *map_tables()]
            SQLModel.metadata.create_all(conn, tables=everything)
            for table in reversed(everything):
                conn.execute(table.delete())
            insert_catalog(conn, catalog)
    except SQLAlchemyError as e:
        raise LegalKpiError(f"cannot write the catalogue: {_short(e)}", place=_where(url)) from None
    finally:
        engine.dispose()


def read_db(url: str) -> dict[str, Any]:
    """The catalogue in a database, in the JSON shape of :func:`legalkpi.catalogue.catalog.to_dict` (versions,
    indicators with values and criteria, agencies, warnings), for the commands that read versions."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    engine = engine_for(url)
    try:
        with engine.connect() as conn:

            def q(sql: str) -> list[dict[str, Any]]:
                return [dict(r._mapping) for r in conn.execute(text(sql))]

            versions = q("SELECT * FROM catalog_version ORDER BY seq")
            indicators = q("SELECT * FROM indicator ORDER BY version, position")
            values = q("SELECT * FROM indicator_value ORDER BY version, indicator, year")
            criteria = q("SELECT * FROM criterion ORDER BY version, indicator, position")
            agencies = q("SELECT * FROM version_agency ORDER BY version, position")
            warnings = q("SELECT * FROM warning ORDER BY version, position")
    except SQLAlchemyError as e:
        raise BadInput(f"cannot read the catalogue: {_short(e)}", file=_where(url)) from None
    finally:
        engine.dispose()
    by: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for name, rows in (("values", values), ("criteria", criteria)):
        for r in rows:
            by[f"{r['version']}\0{r['indicator']}"][name].append(r)
    per_version: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for name, rows in (("indicators", indicators), ("agencies", agencies), ("warnings", warnings)):
        for r in rows:
            per_version[r["version"]][name].append(r)
    out = []
    for v in versions:
        mine = per_version[v["key"]]
        out.append({
            "key": v["key"], "origin": v["origin"], "file": v["file"], "sha256": v["sha256"],
            "act": {k: v[k] for k in ("kind", "number", "date", "lang", "title", "edition")},
            "agencies": [a["name"] for a in mine["agencies"]],
            "indicators": [_indicator(i, by[f"{v['key']}\0{i['id']}"]) for i in mine["indicators"]],
            "warnings": [{"code": w["code"], "message": w["message"], "place": w["place"]} for w in mine["warnings"]],
        })  # fmt: skip
    return {"versions": out}


def _indicator(i: dict[str, Any], more: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    return {
        "id": i["id"], "kpi_id": i["kpi_id"], "kpi_evidence": i["kpi_evidence"],
        "section": {"ordinal": i["section"], "title": i["section_title"], "agency": i["agency"]},
        "part": {"ordinal": i["part"], "title": i["part_title"]},
        "number": i["number"], "name": i["name"], "unit": i["unit"], "unit_kind": i["unit_kind"],
        "values": [
            {"year": v["year"], "target": v["target"], "target_text": v["target_text"], "target_kind": v["target_kind"],
             "weight": v["weight"], "weight_text": v["weight_text"]}
            for v in more["values"]
        ],
        "formula": {"kind": i["formula_kind"], "text": i["formula"]},
        "criteria": [{"text": c["text"], "weight": c["weight"]} for c in more["criteria"]],
        "source": {"file": i["source_file"], "lines": [i["first_line"], i["last_line"]]},
    }  # fmt: skip


def _where(url: str) -> str:
    """The database's address without a password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url.split("@")[-1]


def _short(e: Exception) -> str:
    return str(e).strip().splitlines()[0][:300]
