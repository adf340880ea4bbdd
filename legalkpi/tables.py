"""SQL tables of the catalogue (sqlmodel). Imported only by the writers and readers of SQLite.

Keys are text and composite ((version, indicator id)) so a shared Postgres catalogue can hold
many corpora's versions side by side without renumbering.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlmodel import Field, SQLModel

if TYPE_CHECKING:
    from legalkpi.catalog import Version


class Meta(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: str


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


class IndicatorRow(SQLModel, table=True):
    __tablename__ = "indicator"
    version: str = Field(primary_key=True, foreign_key="catalog_version.key")
    id: str = Field(primary_key=True)
    kpi_id: str | None = Field(default=None, index=True)
    kpi_evidence: str | None = None  # how the KPI id was carried here (minted, aligned, matched by name…)
    position: int
    section: int
    section_title: str
    agency: str | None
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
    version: str = Field(primary_key=True)
    indicator: str = Field(primary_key=True)
    year: int = Field(primary_key=True)
    target: float | None
    target_text: str
    target_kind: str
    weight: float | None
    weight_text: str


class CriterionRow(SQLModel, table=True):
    __tablename__ = "criterion"
    version: str = Field(primary_key=True)
    indicator: str = Field(primary_key=True)
    position: int = Field(primary_key=True)
    text: str
    weight: float | None


class AgencyRow(SQLModel, table=True):
    __tablename__ = "agency"
    version: str = Field(primary_key=True)
    position: int = Field(primary_key=True)
    name: str


class WarningRow(SQLModel, table=True):
    __tablename__ = "warning"
    version: str = Field(primary_key=True)
    position: int = Field(primary_key=True)
    code: str
    message: str
    place: str


class LineageAct(SQLModel, table=True):
    __tablename__ = "lineage_act"
    key: str = Field(primary_key=True)
    data: str  # the act's JSON as `legalkpi history --format json` gives it


class LineageRelation(SQLModel, table=True):
    __tablename__ = "lineage_relation"
    position: int = Field(primary_key=True)
    from_act: str
    to_act: str
    type: str
    date: str
    part: str


def all_tables() -> list[Any]:
    return [
        m.__table__  # type: ignore[attr-defined,union-attr]
        for m in (Meta, CatalogVersion, IndicatorRow, ValueRow, CriterionRow, AgencyRow, WarningRow, LineageAct, LineageRelation)
    ]


def version_rows(seq: int, v: Version) -> list[SQLModel]:
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
        rows.append(AgencyRow(version=v.key, position=k + 1, name=name))
    for k, w in enumerate(v.warnings):
        rows.append(WarningRow(version=v.key, position=k, code=w.code, message=w.message, place=w.source.place() if w.source else ""))
    return rows


def lineage_rows(lineage: dict[str, Any]) -> list[SQLModel]:
    import json

    rows: list[SQLModel] = []
    for act in lineage.get("acts", []):
        rows.append(LineageAct(key=str(act.get("key")), data=json.dumps(act, ensure_ascii=False, sort_keys=True)))
    for k, r in enumerate(lineage.get("relations", [])):
        rows.append(
            LineageRelation(
                position=k, from_act=str(r.get("from")), to_act=str(r.get("to")), type=str(r.get("type")),
                date=str(r.get("date") or ""), part=str(r.get("part") or ""),
            )
        )  # fmt: skip
    return rows
