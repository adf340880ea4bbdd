"""SQL tables of the maps in the catalogue (sqlmodel); imported only where the catalogue writes SQLite.

Text keys, as the rest of the catalogue: (version, sphere, position[, quarter]).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Field, SQLModel


class MapRow(SQLModel, table=True):
    __tablename__ = "dt_map"
    key: str = Field(primary_key=True)
    seq: int
    work: str
    number: str
    date: str
    lang: str
    edition: str
    title: str
    file: str
    sha256: str
    developer: str
    period: str
    period_from: int | None
    period_to: int | None
    findings: int
    data: str  # the map as `legalkpi map --format json` gives it

class MapCaseRow(SQLModel, table=True):
    __tablename__ = "dt_map_case"
    version: str = Field(primary_key=True)
    sphere: int = Field(primary_key=True)
    position: int = Field(primary_key=True)
    sphere_name: str
    name: str
    processes: str  # JSON list
    ai_use: str
    units: str
    functions: str
    services: str
    automation: str  # "да" | "нет" | ""
    systems: str  # JSON list
    subject: str
    reengineering: str
    place: str

class MapScheduleRow(SQLModel, table=True):
    __tablename__ = "dt_map_schedule"
    version: str = Field(primary_key=True)
    sphere: int = Field(primary_key=True)
    position: int = Field(primary_key=True)  # the process row within the sphere's schedule
    quarter: str = Field(primary_key=True)  # "2025-Q1"
    case_name: str
    process: str
    unit: str
    code: str

class MapGanttRow(SQLModel, table=True):
    __tablename__ = "dt_map_gantt"
    version: str = Field(primary_key=True)
    sphere: int = Field(primary_key=True)
    year: str = Field(primary_key=True)
    sphere_name: str
    unit: str
    codes: str  # as printed: "R и F"

class MapFindingRow(SQLModel, table=True):
    __tablename__ = "dt_map_finding"
    version: str = Field(primary_key=True)
    position: int = Field(primary_key=True)
    code: str
    severity: str
    rule: str
    subject: str
    message: str
    place: str


def all_tables() -> list[Any]:
    return [m.__table__ for m in (MapRow, MapCaseRow, MapScheduleRow, MapGanttRow, MapFindingRow)]  # type: ignore[attr-defined,union-attr]
