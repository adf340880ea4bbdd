"""The catalogue as a Frictionless data package: CSV tables and ``datapackage.json``.

Each CSV has a Table Schema (field types, primary key, foreign keys between the tables, enum
constraints for languages, unit, target and formula kinds, origins and relation types), so
``frictionless validate catalog/datapackage.json`` checks the data, not a guessed schema. The
kinds are read from ``schema/extract.schema.json``: one list for the JSON and the CSV.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from legalkpi.jsonio import dumps, write_atomic, write_pieces

if TYPE_CHECKING:
    from legalkpi.catalogue.catalog import Catalog, Version

RELATION_TYPES = ["amends", "new_edition", "repeals"]
ORIGINS = ["act", "report"]


@lru_cache(maxsize=1)
def _extract_schema() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("legalkpi").joinpath("schema/extract.schema.json").read_text("utf-8"))
    return data


def kinds(name: str) -> list[str]:
    """Allowed values of ``lang``, ``unit_kind``, ``target_kind``, ``formula_kind`` (extract schema)."""
    s = _extract_schema()
    ind = s["$defs"]["indicator_fields"]["properties"]
    where = {
        "lang": s["properties"]["act"]["properties"]["lang"],
        "unit_kind": ind["unit_kind"],
        "target_kind": ind["values"]["items"]["properties"]["target_kind"],
        "formula_kind": ind["formula"]["properties"]["kind"],
    }
    return list(where[name]["enum"])


def _f(name: str, type_: str = "string", description: str = "", **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": type_}
    if description:
        field["description"] = description
    if constraints:
        field["constraints"] = constraints
    return field


def _enum(name: str, values: list[str], description: str = "") -> dict[str, Any]:
    return _f(name, "string", description, enum=values)


def _fk(fields: list[str], resource: str, ref: list[str]) -> dict[str, Any]:
    return {"fields": fields, "reference": {"resource": resource, "fields": ref}}


def table_schemas() -> dict[str, dict[str, Any]]:
    """Resource name -> Table Schema, in the order the files are written."""
    return {
        "versions": {
            "fields": [
                _f("key", description="act × language × edition: kz/order/124@2024-10-24/kk", required=True, unique=True),
                _f("seq", "integer", "catalogue order (edition or date)"), _f("work", description="kz/<kind>/<number>"),
                _f("kind"), _f("number", description="as printed"), _f("date", description="ISO date of adoption"),
                _enum("lang", kinds("lang")), _f("edition", description="ISO date of the consolidated edition; empty: original"),
                _f("title"), _enum("origin", ORIGINS), _f("file", description="corpus file"),
                _f("sha256", pattern="^[0-9a-f]{64}$"),
            ],
            "primaryKey": ["key"],
        },
        "agencies": {
            "fields": [
                _f("id", description="registry slug (legalkpi/data/agencies.json)", required=True, unique=True),
                _f("ru", description="name in Russian"), _f("kk", description="name in Kazakh"),
                _f("abbr", description="abbreviations, '; '-separated"),
            ],
            "primaryKey": ["id"],
        },
        "indicators": {
            "fields": [
                _f("version", required=True), _f("kpi_id", description="stable across versions and languages"),
                _f("id", description="s<section>-p<part>-n<row>: stable within the act", required=True),
                _f("section", "integer", "0: the general block", minimum=0), _f("section_title"),
                _f("agency", description="registry slug; empty for the general block"),
                _f("part", "integer", minimum=1), _f("part_title"), _f("number", "integer", "row number as printed"),
                _f("name"), _f("unit", description="as printed"), _enum("unit_kind", kinds("unit_kind")),
                _f("year", "integer", required=True), _f("target", "number"), _f("target_text", description="as printed"),
                _f("weight", "number", "percent"), _enum("formula_kind", kinds("formula_kind")),
                _f("source_file"), _f("first_line", "integer", minimum=1), _f("last_line", "integer", minimum=1),
                _enum("target_kind", kinds("target_kind")),
            ],
            "primaryKey": ["version", "id", "year"],
            "foreignKeys": [_fk(["version"], "versions", ["key"]), _fk(["agency"], "agencies", ["id"])],
        },
        "criteria": {
            "fields": [
                _f("version", required=True), _f("indicator", required=True), _f("position", "integer", minimum=0),
                _f("text"), _f("weight", "number", "percent of the indicator's weight"),
            ],
            "primaryKey": ["version", "indicator", "position"],
            "foreignKeys": [_fk(["version", "indicator"], "indicators", ["version", "id"])],
        },
        "warnings": {
            "fields": [
                _f("version", required=True), _f("position", "integer", minimum=0), _f("code"), _f("message"),
                _f("place", description="lines, page or cell in the version's file"),
            ],
            "primaryKey": ["version", "position"],
            "foreignKeys": [_fk(["version"], "versions", ["key"])],
        },
        "lineage_acts": {
            "fields": [
                _f("key", description="kz/<kind>/<number>", required=True, unique=True), _f("kind"), _f("number"),
                _f("date"), _f("title"), _f("present", "boolean", "a text of the act is in the corpus"),
            ],
            "primaryKey": ["key"],
        },
        "lineage_relations": {
            "fields": [
                _f("position", "integer", minimum=0), _f("from_act", required=True), _f("to_act", required=True),
                _enum("type", RELATION_TYPES), _f("date"), _f("part", description="empty: the whole act"), _f("part_title"),
            ],
            "primaryKey": ["position"],
            "foreignKeys": [_fk(["from_act"], "lineage_acts", ["key"]), _fk(["to_act"], "lineage_acts", ["key"])],
        },
    }


def _num(x: float | None) -> Any:
    return "" if x is None else x


def indicator_rows(catalog: Catalog) -> Iterator[list[Any]]:
    for v in catalog.versions:
        yield from _indicator_rows(v)


def _indicator_rows(v: Version) -> Iterator[list[Any]]:
    key, kpi_ids = v.key, v.kpi_ids
    for i in v.indicators:
        if not i.values:
            continue
        src, section, part = i.source, i.section, i.part
        lines = src.lines() if src else []
        head = [
            key, kpi_ids.get(i.id, ""), i.id, section.ordinal, section.title, section.agency_id or "", part.ordinal,
            part.title, i.number, i.name, i.unit, i.unit_kind,
        ]  # fmt: skip
        mid = [i.formula.kind, src.file if src else "", lines[0] if lines else "", lines[1] if lines else ""]
        for val in i.values:
            yield [*head, val.year, _num(val.target), val.target_text, _num(val.weight), *mid, val.target_kind]


def _criteria_rows(v: Version) -> Iterator[list[Any]]:
    return ([v.key, i.id, k, c.text, _num(c.weight)] for i in v.indicators for k, c in enumerate(i.criteria))


def _warning_rows(v: Version) -> Iterator[list[Any]]:
    return ([v.key, k, w.code, w.message, w.source.place() if w.source else ""] for k, w in enumerate(v.warnings))


# The tables whose rows come version by version, in catalogue order; each version's lines are one piece.
PER_VERSION: dict[str, Callable[[Version], Iterator[list[Any]]]] = {
    "indicators": _indicator_rows,
    "criteria": _criteria_rows,
    "warnings": _warning_rows,
}


def version_meta(v: Version) -> tuple[str, ...]:
    """What the versions table says of a version, but its position."""
    a = v.act
    return (v.key, a.ref.work, a.kind, a.number, a.date, a.lang, a.edition, a.title, v.origin, v.file, v.sha256)


def _rows(catalog: Catalog) -> dict[str, Iterator[list[Any]]]:
    """The rows of every table (those of :data:`PER_VERSION` version after version)."""
    per_version = {name: _every_version(catalog, rows) for name, rows in PER_VERSION.items()}
    return {**_whole_tables([version_meta(v) for v in catalog.versions], catalog.lineage or {}), **per_version}


def _whole_tables(metas: list[tuple[str, ...]], lineage: dict[str, Any]) -> dict[str, Iterator[list[Any]]]:
    """The rows of the tables that are not :data:`PER_VERSION`: versions (from their metas), agencies, lineage."""
    from legalkpi.reading.agencies import registry

    acts = {str(a.get("key")): a for a in lineage.get("acts", [])}
    for r in lineage.get("relations", []):  # an act named only by a relation still gets its row
        for end in (str(r.get("from")), str(r.get("to"))):
            acts.setdefault(end, {"key": end, "kind": end.split("/")[1] if end.count("/") >= 2 else "", "number": end.split("/")[-1]})
    return {
        "versions": ([m[0], k, *m[1:]] for k, m in enumerate(metas)),
        "agencies": ([a.id, a.ru, a.kk, "; ".join(a.abbr)] for a in sorted(registry(), key=lambda a: a.id)),
        "lineage_acts": (
            [a["key"], a.get("kind", ""), a.get("number", ""), a.get("date", ""), a.get("title", ""), "true" if a.get("present") else "false"]
            for a in acts.values()
        ),
        "lineage_relations": (
            [k, r.get("from"), r.get("to"), r.get("type"), r.get("date") or "", r.get("part") or "", r.get("part_title") or ""]
            for k, r in enumerate(lineage.get("relations", []))
        ),
    }


def _every_version(catalog: Catalog, rows: Callable[[Version], Iterator[list[Any]]]) -> Iterator[list[Any]]:
    for v in catalog.versions:
        yield from rows(v)


def piece(v: Version, table: str) -> bytes:
    """The CSV lines of one version in one of the :data:`PER_VERSION` tables."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(list(PER_VERSION[table](v)))
    return buf.getvalue().encode("utf-8")


def csv_text(header: list[str], rows: Iterator[list[Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def descriptor(schemas: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from legalkpi.catalogue.catalog import CATALOG_SCHEMA

    return {
        "name": "legalkpi-catalog",
        "title": "KPI of the digital deputies of ministers of Kazakhstan: versioned catalogue",
        "description": f"Built by legalkpi build from corpus/manifest.json ({CATALOG_SCHEMA}). "
        "The same data as catalog.sqlite and catalog.json (schema/catalog.schema.json).",
        "profile": "tabular-data-package",
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
            for name, schema in schemas.items()
        ],
    }


def write_package(catalog: Catalog, out: str | Path, spans: dict[str, list[tuple[int, int]]] | None = None) -> list[Path]:
    """Every CSV table of the catalogue and, last, ``datapackage.json`` describing them. The
    :data:`PER_VERSION` tables are written a version at a time (the text of a whole table is never in
    memory); ``spans`` receives, per such table, where each version's lines are in its file."""
    pieces = {name: _pieces(catalog, name) for name in PER_VERSION}
    return write_tables(out, pieces, [version_meta(v) for v in catalog.versions], catalog.lineage or {}, spans)


def _pieces(catalog: Catalog, table: str) -> Iterator[bytes]:
    return (piece(v, table) for v in catalog.versions)


def write_tables(
    out: str | Path,
    pieces: Mapping[str, Iterable[bytes | memoryview]],
    metas: list[tuple[str, ...]],
    lineage: dict[str, Any],
    spans: dict[str, list[tuple[int, int]]] | None = None,
) -> list[Path]:
    """The CSV tables from the per-version pieces (:func:`piece`), the versions' metas and the lineage; then datapackage.json."""
    schemas = table_schemas()
    whole = _whole_tables(metas, lineage)
    written = []
    for name, schema in schemas.items():
        path = Path(out) / f"{name}.csv"
        header = [f["name"] for f in schema["fields"]]
        if name in PER_VERSION:
            got = write_pieces(path, csv_text(header, iter(())).encode("utf-8"), pieces[name], b"", b"")
            if spans is not None:
                spans[name] = got
        else:
            write_atomic(path, csv_text(header, whole[name]))
        written.append(path)
    path = Path(out) / "datapackage.json"
    write_atomic(path, dumps(descriptor(schemas)))
    return [*written, path]
