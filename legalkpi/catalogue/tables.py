"""SQL tables of the catalogue (sqlmodel). Imported only by the writers and readers of SQL.

Keys are text and composite ((version, indicator id)) so a shared Postgres catalogue can hold
many corpora's versions side by side without renumbering. Every reference is a declared foreign
key (datasette and sqlite-utils draw links from them). The table definitions are portable; the
views (``kpi_history``, ``kpi_changes``) and the FTS5 index on indicator names are SQLite-only and
created by :func:`create_sqlite_extras`, which does nothing on another dialect.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKeyConstraint
from sqlmodel import Field, SQLModel

if TYPE_CHECKING:
    from legalkpi.catalogue.catalog import Version


class Meta(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str


class AgencyRow(SQLModel, table=True):
    """A central state body of the bilingual registry (``legalkpi/data/agencies.json``)."""

    __tablename__ = "agency"
    id: str = Field(primary_key=True)  # slug: "digital", "health"
    ru: str  # name as printed in Russian
    kk: str  # name as printed in Kazakh
    abbr: str  # abbreviations the acts use, "; "-separated


class DirectionRow(SQLModel, table=True):
    """A sector direction of an agency (the section titles of Order 124, the report's directions)."""

    __tablename__ = "direction"
    agency: str = Field(primary_key=True, foreign_key="agency.id")
    id: str = Field(primary_key=True)
    ru: str
    kk: str


class CatalogVersion(SQLModel, table=True):
    __tablename__ = "catalog_version"
    key: str = Field(primary_key=True)
    seq: int
    work: str
    kind: str
    number: str
    date: str
    lang: str
    edition: str
    title: str
    origin: str
    file: str
    sha256: str


class VersionAgency(SQLModel, table=True):
    """The agency list of one act as printed, with its registry identity."""

    __tablename__ = "version_agency"
    version: str = Field(primary_key=True, foreign_key="catalog_version.key")
    position: int = Field(primary_key=True)
    name: str
    agency: str | None = Field(default=None, foreign_key="agency.id")


class IndicatorRow(SQLModel, table=True):
    __tablename__ = "indicator"
    version: str = Field(primary_key=True, foreign_key="catalog_version.key")
    id: str = Field(primary_key=True)
    kpi_id: str | None = Field(default=None, index=True)
    kpi_evidence: str | None = None  # how the KPI id was carried here (minted, aligned, matched by name…)
    position: int
    section: int
    section_title: str
    agency: str | None = Field(default=None, foreign_key="agency.id", index=True)
    part: int
    part_title: str
    number: int | None
    name: str
    unit: str
    unit_kind: str
    formula_kind: str
    formula: str
    source_file: str
    first_line: int | None
    last_line: int | None
    page: int | None
    cell: str | None


class ValueRow(SQLModel, table=True):
    __tablename__ = "indicator_value"
    __table_args__ = (ForeignKeyConstraint(["version", "indicator"], ["indicator.version", "indicator.id"]),)
    version: str = Field(primary_key=True, foreign_key="catalog_version.key")
    indicator: str = Field(primary_key=True)
    year: int = Field(primary_key=True)
    target: float | None
    target_text: str
    target_kind: str
    weight: float | None
    weight_text: str


class CriterionRow(SQLModel, table=True):
    __tablename__ = "criterion"
    __table_args__ = (ForeignKeyConstraint(["version", "indicator"], ["indicator.version", "indicator.id"]),)
    version: str = Field(primary_key=True, foreign_key="catalog_version.key")
    indicator: str = Field(primary_key=True)
    position: int = Field(primary_key=True)
    text: str
    weight: float | None


class WarningRow(SQLModel, table=True):
    __tablename__ = "warning"
    version: str = Field(primary_key=True, foreign_key="catalog_version.key")
    position: int = Field(primary_key=True)
    code: str
    message: str
    place: str


class LineageAct(SQLModel, table=True):
    """An act of the lineage graph (also acts only cited, absent from the corpus)."""

    __tablename__ = "lineage_act"
    key: str = Field(primary_key=True)  # kz/order/124
    kind: str
    number: str
    numbers_ru: str  # the numbers as printed, "; "-separated: "124-р"
    numbers_kk: str
    date: str
    title: str
    title_ru: str
    title_kk: str
    present: bool  # a text of it is in the corpus


class LineageText(SQLModel, table=True):
    """A corpus text of a lineage act, and its catalogue version when it has one."""

    __tablename__ = "lineage_text"
    act: str = Field(primary_key=True, foreign_key="lineage_act.key")
    file: str = Field(primary_key=True)
    lang: str
    edition: str
    ref: str  # act × language × edition key
    version: str | None = Field(default=None, foreign_key="catalog_version.key")


class LineageRelation(SQLModel, table=True):
    __tablename__ = "lineage_relation"
    position: int = Field(primary_key=True)
    from_act: str = Field(foreign_key="lineage_act.key")
    to_act: str = Field(foreign_key="lineage_act.key")
    type: str  # amends | new_edition | repeals
    date: str
    part: str  # "" = the whole act
    part_title: str
    source_file: str
    first_line: int | None
    last_line: int | None


MODELS: tuple[Any, ...] = (
    Meta, AgencyRow, DirectionRow, CatalogVersion, VersionAgency, IndicatorRow, ValueRow, CriterionRow, WarningRow,
    LineageAct, LineageText, LineageRelation,
)  # fmt: skip


def all_tables() -> list[Any]:
    return [m.__table__ for m in MODELS]


def create_schema(connection: Any, fill: Callable[[], None] | None = None) -> None:
    """Create the tables, then their indexes sorted by name (create_all's order varies between runs,
    and a byte-identical catalogue needs one order); then the SQLite-only views and FTS.

    ``fill`` (optional) inserts the rows right after the tables are made: the indexes and the full-text
    index are then built once from them (the schema is the same, made in the same order)."""
    from sqlalchemy.schema import CreateIndex, CreateTable

    for table in all_tables():
        connection.execute(CreateTable(table))
    if fill is not None:
        fill()
    for table in all_tables():
        for index in sorted(table.indexes, key=lambda ix: str(ix.name)):
            connection.execute(CreateIndex(index))
    create_sqlite_extras(connection, filled=fill is not None)


def insert_rows(connection: Any, rows: list[SQLModel]) -> None:
    """Insert rows table by table, parents first (MODELS is in foreign-key order), in the given order."""
    by_model: dict[type, list[dict[str, Any]]] = {}
    for row in rows:
        by_model.setdefault(type(row), []).append(row.model_dump())
    unknown = set(by_model) - set(MODELS)
    if unknown:
        raise TypeError(f"not a catalogue table: {', '.join(sorted(m.__name__ for m in unknown))}")
    for model in MODELS:
        if by_model.get(model):
            connection.execute(model.__table__.insert(), by_model[model])


def registry_rows() -> list[SQLModel]:
    """The agency and direction tables: the whole bilingual registry."""
    from legalkpi.reading.agencies import registry

    rows: list[SQLModel] = []
    for a in sorted(registry(), key=lambda a: a.id):
        rows.append(AgencyRow(id=a.id, ru=a.ru, kk=a.kk, abbr="; ".join(a.abbr)))
        for d in a.directions:
            rows.append(DirectionRow(agency=a.id, id=d.id, ru=d.ru, kk=d.kk))
    return rows


def version_rows(seq: int, v: Version) -> list[SQLModel]:
    from legalkpi.reading.agencies import match_agency

    a = v.act
    rows: list[SQLModel] = [
        CatalogVersion(
            key=v.key, seq=seq, work=a.ref.work, kind=a.kind, number=a.number, date=a.date, lang=a.lang,
            edition=a.edition, title=a.title, origin=v.origin, file=v.file, sha256=v.sha256,
        )
    ]  # fmt: skip
    for pos, i in enumerate(v.indicators):
        src = i.source
        rows.append(
            IndicatorRow(
                version=v.key, id=i.id, kpi_id=v.kpi_ids.get(i.id), kpi_evidence=v.kpi_evidence.get(i.id), position=pos, section=i.section.ordinal,
                section_title=i.section.title, agency=i.section.agency_id, part=i.part.ordinal, part_title=i.part.title,
                number=i.number, name=i.name, unit=i.unit, unit_kind=i.unit_kind, formula_kind=i.formula.kind,
                formula=i.formula.text, source_file=src.file if src else "", first_line=src.first_line if src else None,
                last_line=src.last_line if src else None, page=src.page if src else None, cell=src.cell if src else None,
            )
        )  # fmt: skip
    for i in v.indicators:
        for val in i.values:
            rows.append(
                ValueRow(
                    version=v.key, indicator=i.id, year=val.year, target=val.target, target_text=val.target_text,
                    target_kind=val.target_kind, weight=val.weight, weight_text=val.weight_text,
                )
            )  # fmt: skip
        for k, c in enumerate(i.criteria):
            rows.append(CriterionRow(version=v.key, indicator=i.id, position=k, text=c.text, weight=c.weight))
    for k, name in enumerate(v.agencies):
        entry = match_agency(name)
        rows.append(VersionAgency(version=v.key, position=k + 1, name=name, agency=entry.id if entry else None))
    for k, w in enumerate(v.warnings):
        rows.append(WarningRow(version=v.key, position=k, code=w.code, message=w.message, place=w.source.place() if w.source else ""))
    return rows


def lineage_rows(lineage: dict[str, Any], versions: set[str] | None = None) -> list[SQLModel]:
    """The lineage graph as tables; ``versions`` (catalogue keys) links corpus texts to their version."""
    return [model(**values) for model, values in lineage_values(lineage, versions)]


def lineage_values(lineage: dict[str, Any], versions: set[str] | None = None) -> list[tuple[type[SQLModel], dict[str, Any]]]:
    """The rows of :func:`lineage_rows` as (table model, column values) (:func:`legalkpi.catalogue.lineage.table_rows`).
    (Writers take them as they are: making thousands of sqlmodel objects costs seconds.)"""
    from legalkpi.catalogue.lineage import table_rows

    models = {m.__tablename__: m for m in (LineageAct, LineageText, LineageRelation)}
    return [(models[name], values) for name, values in table_rows(lineage, versions)]


# ---- SQLite only: views and full-text search ---------------------------------------------

# One row per KPI × version × year: how its target and weight went, across versions and languages.
KPI_HISTORY = """
CREATE VIEW kpi_history AS
SELECT i.kpi_id, i.version, v.seq, v.lang, v.origin, v.edition, v.date AS act_date, i.id AS indicator, i.agency,
       i.name, i.unit, x.year, x.target, x.target_text, x.target_kind, x.weight, x.weight_text
FROM indicator i
JOIN catalog_version v ON v.key = i.version
JOIN indicator_value x ON x.version = i.version AND x.indicator = i.id
"""

# What changed between consecutive versions of one language (catalogue order): one row per change.
# change: added | removed | name | unit | formula_kind | target | weight (values: years both print).
KPI_CHANGES = """
CREATE VIEW kpi_changes AS
WITH step AS (
  SELECT key AS new_version, seq, lang, LAG(key) OVER (PARTITION BY lang ORDER BY seq) AS old_version
  FROM catalog_version
),
pair AS (
  SELECT s.lang, s.seq, s.old_version, s.new_version, o.id AS old_id, n.id AS new_id, n.kpi_id,
         o.name AS old_name, n.name AS new_name, o.unit AS old_unit, n.unit AS new_unit,
         o.formula_kind AS old_formula, n.formula_kind AS new_formula
  FROM step s
  JOIN indicator n ON n.version = s.new_version
  JOIN indicator o ON o.version = s.old_version AND o.kpi_id = n.kpi_id
)
SELECT s.lang, s.seq, n.kpi_id, s.old_version, s.new_version, NULL AS old_indicator, n.id AS new_indicator,
       'added' AS change, NULL AS year, NULL AS old_value, n.name AS new_value
FROM step s JOIN indicator n ON n.version = s.new_version
WHERE s.old_version IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM indicator o WHERE o.version = s.old_version AND o.kpi_id = n.kpi_id)
UNION ALL
SELECT s.lang, s.seq, o.kpi_id, s.old_version, s.new_version, o.id, NULL, 'removed', NULL, o.name, NULL
FROM step s JOIN indicator o ON o.version = s.old_version
WHERE NOT EXISTS (SELECT 1 FROM indicator n WHERE n.version = s.new_version AND n.kpi_id = o.kpi_id)
UNION ALL
SELECT lang, seq, kpi_id, old_version, new_version, old_id, new_id, 'name', NULL, old_name, new_name
FROM pair WHERE old_name <> new_name
UNION ALL
SELECT lang, seq, kpi_id, old_version, new_version, old_id, new_id, 'unit', NULL, old_unit, new_unit
FROM pair WHERE old_unit <> new_unit
UNION ALL
SELECT lang, seq, kpi_id, old_version, new_version, old_id, new_id, 'formula_kind', NULL, old_formula, new_formula
FROM pair WHERE old_formula <> new_formula
UNION ALL
SELECT p.lang, p.seq, p.kpi_id, p.old_version, p.new_version, p.old_id, p.new_id, 'target', a.year, a.target_text, b.target_text
FROM pair p
JOIN indicator_value a ON a.version = p.old_version AND a.indicator = p.old_id
JOIN indicator_value b ON b.version = p.new_version AND b.indicator = p.new_id AND b.year = a.year
WHERE a.target IS NOT b.target OR (a.target IS NULL AND a.target_text <> b.target_text)
UNION ALL
SELECT p.lang, p.seq, p.kpi_id, p.old_version, p.new_version, p.old_id, p.new_id, 'weight', a.year, a.weight_text, b.weight_text
FROM pair p
JOIN indicator_value a ON a.version = p.old_version AND a.indicator = p.old_id
JOIN indicator_value b ON b.version = p.new_version AND b.indicator = p.new_id AND b.year = a.year
WHERE a.weight IS NOT b.weight
"""

# Full-text search on indicator names, Russian and Kazakh rows alike (sqlite-utils/datasette
# convention: <table>_fts with external content, kept in step by triggers).
INDICATOR_FTS = [
    "CREATE VIRTUAL TABLE indicator_fts USING fts5(name, content='indicator', content_rowid='rowid')",
    "CREATE TRIGGER indicator_ai AFTER INSERT ON indicator BEGIN "
    "INSERT INTO indicator_fts (rowid, name) VALUES (new.rowid, new.name); END",
    "CREATE TRIGGER indicator_ad AFTER DELETE ON indicator BEGIN "
    "INSERT INTO indicator_fts (indicator_fts, rowid, name) VALUES ('delete', old.rowid, old.name); END",
    "CREATE TRIGGER indicator_au AFTER UPDATE ON indicator BEGIN "
    "INSERT INTO indicator_fts (indicator_fts, rowid, name) VALUES ('delete', old.rowid, old.name); "
    "INSERT INTO indicator_fts (rowid, name) VALUES (new.rowid, new.name); END",
]

INDICATOR_FTS_REBUILD = "INSERT INTO indicator_fts (indicator_fts) VALUES ('rebuild')"


def create_sqlite_extras(connection: Any, filled: bool = False) -> None:
    """Views and the FTS5 index, on SQLite only (a Postgres catalogue gets the tables alone).

    ``filled``: the indicator table has its rows already; the FTS index is built from them in one pass
    before the triggers that keep it in step are made. (Rows inserted with the triggers in place give the
    same index, but FTS5 writes one segment per row there: several times slower, and other internal
    segment rows in ``indicator_fts_data``.)"""
    from sqlalchemy import text

    if connection.dialect.name != "sqlite":
        return
    table, *triggers = INDICATOR_FTS
    for ddl in (KPI_HISTORY, KPI_CHANGES, table):
        connection.execute(text(ddl))
    if filled:
        connection.execute(text(INDICATOR_FTS_REBUILD))
    for ddl in triggers:
        connection.execute(text(ddl))
