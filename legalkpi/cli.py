"""The ``legalkpi`` command: a thin layer over the library.

Each command builds library objects, calls one library function, and turns a
``LegalKpiError`` into one clear line on stderr and a non-zero exit. Heavy libraries
(spaCy, pdfplumber, sqlmodel) are imported inside the commands that need them so that
``legalkpi --help`` stays fast.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import typer

from legalkpi.errors import LegalKpiError


class _GuardedTyper(typer.Typer):
    """Every command registered here runs inside :func:`_guard`: no traceback ever reaches a user."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:  # type: ignore[override]
        register = super().command(*args, **kwargs)

        def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
            register(_guard(fn))
            return fn

        return decorator


def _guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The last safety net: anything that escaped the readers' and writers' own checks is one line, exit 2."""

    @functools.wraps(fn)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        import click

        try:
            return fn(*args, **kwargs)
        except (typer.Exit, click.exceptions.Exit, click.exceptions.Abort, click.exceptions.ClickException, SystemExit):
            raise
        except BaseException as e:  # noqa: BLE001 - turned into one line and exit 2
            _fail(e)

    return guarded


def _fail(e: BaseException) -> NoReturn:
    """One plain line on stderr for an error, with what to do next; exit 2 (130 on Ctrl-C)."""
    from legalkpi.terminal import plain

    if isinstance(e, KeyboardInterrupt):
        typer.echo("legalkpi: interrupted", err=True)
        raise typer.Exit(130) from None
    if isinstance(e, LegalKpiError):
        line = e.line()
    elif isinstance(e, OSError):
        where = f"{e.filename}: " if e.filename else ""
        line = f"{where}{e.strerror or e} [os-error]"
    elif isinstance(e, RecursionError):
        line = "the input is nested too deeply to read; nothing was written [limit-exceeded]"
    elif isinstance(e, MemoryError):
        line = "the input needs more memory than is available; nothing was written [limit-exceeded]"
    else:
        line = (f"internal error ({type(e).__name__}: {e}); nothing was written. This is a bug in legalkpi: "
                "please report it with the command and the input file [internal]")  # fmt: skip
    typer.echo(f"legalkpi: {plain(line, newlines=False)}", err=True)
    raise typer.Exit(EXIT_ERROR) from None


app = _GuardedTyper(
    help="Turn Kazakhstan's legal acts into a versioned, checked catalogue of KPI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Exit codes: 0 fine; 1 findings (mismatches, changes, rule breaks) for CI; 2 bad input or error.
EXIT_FINDINGS = 1
EXIT_ERROR = 2

T = TypeVar("T")


def _version(value: bool) -> None:
    if value:
        from legalkpi import __version__

        typer.echo(f"legalkpi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Turn Kazakhstan's legal acts into a versioned, checked catalogue of KPI.

    Example: legalkpi extract corpus/1157-ru.txt
    """
    import logging

    # pdfminer logs what it repairs in a damaged PDF ("Invalid MediaBox…") as warnings: a person gets
    # one line from us instead, naming the file and the page.
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


class Fmt(StrEnum):
    table = "table"
    json = "json"


class FindingsFmt(StrEnum):
    """For commands that report findings: also the formats CI systems read (legalkpi.formats)."""

    table = "table"
    json = "json"
    github = "github"
    sarif = "sarif"
    junit = "junit"


CI_FORMATS_HELP = "github (workflow annotations), sarif (SARIF 2.1.0) or junit (JUnit XML) for CI"


def emit_findings(findings: Any, fmt: str, tool: str, output: Path | None = None, fail_on: str = "error") -> None:
    """Render shared Findings in a CI format to ``output`` (atomically) or stdout."""
    from legalkpi.formats import render
    from legalkpi.jsonio import write_atomic

    text = render(list(findings), fmt, tool=tool, fail_on=fail_on)
    if output is not None:
        run_safely(lambda: write_atomic(output, text))
    else:
        sys.stdout.write(text)


def run_safely(fn: Callable[[], T]) -> T:
    """Call library code; a LegalKpiError becomes one line on stderr and exit 2."""
    try:
        return fn()
    except (LegalKpiError, KeyboardInterrupt) as e:
        _fail(e)


def print_json(data: Any) -> None:
    from legalkpi.jsonio import dumps

    sys.stdout.write(dumps(data))


def main() -> None:
    app()


# Commands live below, one block each; each block imports what it needs inside the function.


# ---- extract ----------------------------------------------------------------------------


@app.command()
def extract(
    path: Path = typer.Argument(..., help="An act: text rendition, DOCX, PDF or the legal database's HTML."),
    fmt: Fmt = typer.Option(Fmt.table, "--format", "-f", help="table for people, json for machines."),
    corpus: Path = typer.Option(Path("corpus"), help="Corpus folder whose manifest names the act of a corpus file."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of stdout."),
) -> None:
    """Extract the indicators of one act (or the structure of a rules act)."""
    from legalkpi import api, jsonio

    loaded = run_safely(lambda: api.load(path, corpus_root=corpus))
    if loaded.content == "rules":
        data = run_safely(lambda: _structure_dict(loaded))
        _emit(jsonio.dumps(data) if fmt == Fmt.json else None, output, lambda: _print_structure(data))
        return
    record = run_safely(lambda: api.extract_loaded(loaded))
    data = jsonio.record_dict(record)
    _emit(jsonio.dumps(data) if fmt == Fmt.json else None, output, lambda: _print_record(data))


def _structure_dict(loaded: Any) -> dict[str, Any]:
    from legalkpi import jsonio
    from legalkpi.errors import NotAnIndicatorAct

    try:
        from legalkpi.reading.structure import read_structure
    except ImportError:
        raise NotAnIndicatorAct("no indicator table, and structure reading is not available", file=loaded.doc.file) from None
    act = jsonio.act_dict(loaded.act) if loaded.act else None
    return {"file": loaded.doc.file, "act": act, "structure": read_structure(loaded.doc).to_dict()}


def _emit(text: str | None, output: Path | None, show: Callable[[], None]) -> None:
    """JSON text to a file or stdout; or, with no text, the human view."""
    from legalkpi.jsonio import write_atomic

    if text is None:
        show()
    elif output is not None:
        run_safely(lambda: write_atomic(output, text))
    else:
        sys.stdout.write(text)


def _print_record(data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from legalkpi.terminal import cell, markup, plain

    console = Console()
    act = data["act"]
    console.print(f"[bold]{markup(act['number'])} {markup(act['date'])} ({markup(act['lang'])})[/bold] {markup(act['title'])}",
                  markup=True, highlight=False)
    console.print(f"{len(data['agencies'])} agencies, {len(data['indicators'])} indicators, {len(data['warnings'])} warnings")
    years = sorted({v["year"] for i in data["indicators"] for v in i["values"]})
    table = Table(show_lines=False, expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("№", no_wrap=True, justify="right")
    table.add_column("name", ratio=1, min_width=30, overflow="fold")
    table.add_column("unit", no_wrap=True)
    for y in years:
        table.add_column(str(y), no_wrap=True, justify="right")
        table.add_column("w", no_wrap=True, justify="right")
    table.add_column("formula", no_wrap=True)
    table.add_column("lines", no_wrap=True)
    for i in data["indicators"]:
        vals = {v["year"]: v for v in i["values"]}
        cells = []
        for y in years:
            v = vals.get(y)
            cells += [v["target_text"] if v else "", _num(v["weight"]) if v else ""]
        lines = i["source"]["lines"] if i["source"] else []
        table.add_row(*map(cell, (
            i["id"], str(i["number"]), _short(i["name"]), i["unit"], *cells, i["formula"]["kind"], "-".join(str(x) for x in lines)
        )))
    console.print(table)
    for w in data["warnings"]:
        lines = w["source"]["lines"] if w["source"] else []
        console.print(plain(f"warning {w['code']} (lines {'-'.join(map(str, lines))}): {w['message']}"), highlight=False, markup=False)


def _print_structure(data: dict[str, Any]) -> None:
    """The act's outline as a tree: chapters, paragraphs, points (sub-points folded), tables, notes."""
    from rich.console import Console
    from rich.tree import Tree

    from legalkpi.terminal import cell, plain

    act = data.get("act") or {}
    tree = Tree(cell(f"{act.get('number', '')} {act.get('date', '')} {act.get('title', '')}"), highlight=False)

    def add(parent: Tree, node: dict[str, Any]) -> None:
        if node["kind"] in ("subpoint", "text"):
            return
        lines = "-".join(str(x) for x in node["source"]["lines"])
        label = node.get("caption") or node.get("text", "")
        extra = f" [{node['rows']}×{node['columns']}]" if node["kind"] == "table" else ""
        branch = parent.add(cell(f"{node['kind']} {node.get('number', '')} {_short(label, 70)}{extra} (lines {lines})"), highlight=False)
        for child in node.get("children", []):
            add(branch, child)

    for node in data["structure"]["nodes"]:
        add(tree, node)
    console = Console()
    console.print(tree, markup=False)
    for w in data["structure"].get("warnings", []):
        console.print(plain(f"warning {w['code']}: {w['message']}"), markup=False, highlight=False)


def _num(x: float | None) -> str:
    """A number as people write it: 5, 99.74, 5.4471 (no trailing zeros)."""
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:.4f}".rstrip("0").rstrip(".")


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# ---- build ------------------------------------------------------------------------------


@app.command()
def build(
    corpus: Path = typer.Option(Path("corpus"), help="Corpus folder holding manifest.json and the documents."),
    out: Path = typer.Option(Path("catalog"), "--out", "-o", help="Folder for the catalogue files (and the reading cache)."),
    formats: str = typer.Option("sqlite,json,csv", help="Comma-separated: sqlite, json, csv."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=1, help="Processes reading documents (default: the CPUs; 1: none)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Read on a Dask distributed cluster: tcp://host:8786."),
    db: str | None = typer.Option(None, "--db", help="Also write the catalogue to a shared database: postgresql://user@host/db."),
    cache: bool = typer.Option(True, "--cache/--no-cache", help="Keep each document's reading in OUT/.cache (safe to delete)."),
) -> None:
    """Build the catalogue of the whole corpus: SQLite (default), JSON and CSV.

    Examples: legalkpi build -j 4 · legalkpi build --db postgresql://kpi@db.local/kpi ·
    legalkpi build --scheduler tcp://10.0.0.5:8786
    """
    import os

    from rich.progress import Progress

    from legalkpi.catalogue import corpus as corpus_mod
    from legalkpi.errors import BadInput
    from legalkpi.terminal import markup as escape
    from legalkpi.terminal import plain

    wanted = {f.strip() for f in formats.split(",") if f.strip()}
    unknown = wanted - {"sqlite", "json", "csv"}
    if unknown:
        run_safely(lambda: _raise(BadInput(f"unknown format(s): {', '.join(sorted(unknown))}")))
    from legalkpi.catalogue.intake import rebuild

    manifest = run_safely(lambda: corpus_mod.load(corpus))
    order = tuple(f for f in ("sqlite", "json", "csv") if f in wanted)
    with Progress(transient=True) as progress:
        task = progress.add_task("reading", total=len(manifest.entries))

        def step(name: str) -> None:
            progress.update(task, description=f"reading {escape(name)}", advance=1)

        built = run_safely(
            lambda: rebuild(corpus, out, order, progress=step, jobs=jobs or os.cpu_count(), scheduler=scheduler, cache=cache)
        )
    written = [str(p) for p in built.written]
    if db:
        from legalkpi.catalogue.catalogdb import _where, write_db

        run_safely(lambda: write_db(built.catalog, db))
        written.append(_where(db))
    s = built.id_summary()
    how = f" (updated: {len(built.updated.changed)} written again)" if built.incremental else ""
    typer.echo(plain(f"{built.count} versions, {s['rows']} indicators{how} -> {', '.join(written)}"))
    _echo_id_summary(s)


def _echo_id_summary(s: dict[str, Any]) -> None:
    """One line on how far stable ids reach (``legalkpi ids`` lists the rows left unlinked)."""
    typer.echo(f"kpi ids: {s['ids']}, {s['multi_act']} span more than one act, {s['one_version']} occur in one version; "
               f"{len(s['unlinked'])} rows linked to no related version (legalkpi ids lists them with the reason)")  # fmt: skip


# ---- align ------------------------------------------------------------------------------


class AlignFmt(StrEnum):
    table = "table"
    json = "json"
    html = "html"
    github = "github"
    sarif = "sarif"
    junit = "junit"


@app.command()
def align(
    ru_path: Path = typer.Argument(..., metavar="RU_PATH", help="The Russian text of the act."),
    kk_path: Path = typer.Argument(..., metavar="KK_PATH", help="The Kazakh text of the same act."),
    fmt: AlignFmt = typer.Option(AlignFmt.table, "--format", "-f", help="table, json, html (a side-by-side page); " + CI_FORMATS_HELP),
    min_severity: str = typer.Option("info", "--min-severity", help="Show only findings at least this serious: info, minor, warning, error."),
    corpus: Path = typer.Option(Path("corpus"), help="Corpus folder whose manifest names the acts of corpus files."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file (atomically)."),
) -> None:
    """Pair the Russian and Kazakh texts indicator by indicator; exit 1 when they differ.

    Each text's language is read from the text: given in the wrong order they are swapped, with a note.
    Findings are graded: error (a value that changes what is measured), warning, minor (notation only).

    Examples: legalkpi align corpus/1157-ru.txt corpus/1157-kk.txt --min-severity error;
    legalkpi align corpus/1157-ru.txt corpus/1157-kk.txt -f html -o align.html
    """
    from legalkpi import api, jsonio
    from legalkpi.comparing.align import align_records
    from legalkpi.errors import BadInput
    from legalkpi.findings import SEVERITIES

    if min_severity not in SEVERITIES:
        run_safely(lambda: _raise(BadInput(f"--min-severity takes {', '.join(SEVERITIES)}; not {min_severity!r}")))
    ru = run_safely(lambda: api.extract_file(ru_path, corpus_root=corpus))
    kk = run_safely(lambda: api.extract_file(kk_path, corpus_root=corpus))
    al = run_safely(lambda: align_records(ru, kk))
    if fmt != AlignFmt.table:
        for note in al.notes:
            typer.echo(f"legalkpi: note: {note}", err=True)
    if fmt in (AlignFmt.github, AlignFmt.sarif, AlignFmt.junit):
        from legalkpi.findings import at_least
        from legalkpi.formats.adapters import alignment_findings

        emit_findings(alignment_findings(at_least(al.findings, min_severity)), fmt.value, "legalkpi align", output,
                      fail_on="warning")
    elif fmt == AlignFmt.html:
        from legalkpi.comparing.align_html import render

        page = render(al, min_severity)
        if output is None:
            sys.stdout.write(page)
        else:
            run_safely(lambda: jsonio.write_atomic(output, page))
    else:
        data = al.to_dict(min_severity)
        _emit(jsonio.dumps(data) if fmt == AlignFmt.json else None, output, lambda: _print_alignment(al, min_severity))
    raise typer.Exit(EXIT_FINDINGS if al.shown(min_severity) else 0)


def _raise(error: Exception) -> None:
    raise error


def _print_alignment(al: Any, min_severity: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from legalkpi.terminal import cell

    console = Console()
    s = al.summary()
    console.print(
        f"{s['pairs']} pairs ({s['ru_rows']} Russian rows, {s['kk_rows']} Kazakh rows), {s['unpaired']} in one text only; "
        f"{s['error']} errors, {s['warning']} warnings, {s['minor']} minor; "
        f"glossary learned: {len(al.glossary.pairs)} abbreviation pairs",
        markup=False, highlight=False,
    )
    for note in al.notes:
        console.print(f"note: {note}", markup=False, highlight=False)
    table = Table(expand=True)
    for col in ("severity", "Russian row", "Kazakh row", "field", "year", "Russian", "Kazakh", "ru lines", "kk lines", "message"):
        table.add_column(col, overflow="fold", ratio=4 if col == "message" else 1, no_wrap=col in ("severity", "year"))
    for f in al.shown(min_severity):
        d = f.data
        table.add_row(
            f.severity, cell(d["ru_id"] or "—"), cell(d["kk_id"] or "—"), f.field or "", "" if f.year is None else str(f.year),
            cell(_short(d["ru_printed"], 40)), cell(_short(d["kk_printed"], 40)), _lines(d["ru_source"]),
            _lines(d["kk_source"]), cell(f.message),
        )  # fmt: skip
    console.print(table)


def _lines(source: dict[str, Any] | None) -> str:
    return "-".join(str(x) for x in source["lines"]) if source else ""


# ---- ids --------------------------------------------------------------------------------


@app.command()
def ids(
    catalog: Path = typer.Option(Path("catalog/catalog.json"), "--catalog", help="Catalogue JSON written by `legalkpi build`."),
    fmt: Fmt = typer.Option(Fmt.table, "--format", "-f", help="table for people, json for machines."),
) -> None:
    """How far stable KPI ids reach across acts, and every row that could not be linked, with the reason.

    Example: legalkpi build && legalkpi ids
    """
    from legalkpi.catalogue.catalog import read_json
    from legalkpi.comparing.identity import summary_of_json
    from legalkpi.errors import BadInput

    def load() -> Any:
        if not catalog.is_file():
            raise BadInput("no catalogue: run `legalkpi build` or give --catalog", file=str(catalog))
        try:
            return read_json(catalog)
        except (ValueError, OSError) as e:
            raise BadInput(f"cannot read the catalogue: {e}", file=str(catalog)) from None

    s = summary_of_json(run_safely(load))
    if fmt == Fmt.json:
        print_json(s)
        return
    from rich.console import Console
    from rich.table import Table

    from legalkpi.terminal import markup as escape

    console = Console()
    console.print(f"{s['ids']} kpi ids; {s['multi_act']} span more than one act, {s['multi_version']} more than one "
                  f"version, {s['one_version']} one version only; {len(s['unlinked'])} rows not linked", highlight=False)  # fmt: skip
    table = Table(title="Rows linked to no related version", expand=True)
    for col in ("version", "row", "kpi id", "indicator", "reason"):
        table.add_column(col, overflow="fold")
    for u in s["unlinked"]:
        table.add_row(escape(u["version"]), escape(u["id"]), escape(u["kpi_id"]), escape(_short(u["name"], 80)), escape(u["reason"]))
    console.print(table)


# ---- score ------------------------------------------------------------------------------


class ScoreRounding(StrEnum):
    auto = "auto"
    round = "round"
    truncate = "truncate"


@app.command()
def score(
    report: Path = typer.Argument(..., help="A quarterly KPI achievement report (e.g. corpus/report-2024q1-ru.txt)."),
    fmt: Fmt = typer.Option(Fmt.table, "--format", "-f", help="table for people, json for machines."),
    rounding: ScoreRounding = typer.Option(
        ScoreRounding.auto, help="auto: find the authors' convention from the rows; or force round/truncate."
    ),
    chart: Path | None = typer.Option(None, help="Also draw printed vs recomputed R per body to this PNG file."),
) -> None:
    """Recompute a KPI achievement report (Z, W, R, ranking); exit 1 when printed figures disagree."""
    from legalkpi import api
    from legalkpi.checking.score import write_chart

    def run() -> Any:
        return api.score_file(report, rounding=rounding.value)

    result = run_safely(run)
    if chart is not None:
        run_safely(lambda: _score_chart(result, chart, write_chart))
    data = result.to_dict()
    if fmt == Fmt.json:
        print_json({"file": str(report)} | data)
    else:
        _print_score(data)
    raise typer.Exit(EXIT_FINDINGS if data["findings"] else 0)


def _score_chart(result: Any, chart: Path, write_chart: Callable[[Any, Path], None]) -> None:
    from legalkpi.errors import BadInput

    if chart.suffix.lower() != ".png":
        raise BadInput("--chart draws a PNG image: give a file name ending in .png", file=str(chart))
    if not chart.parent.is_dir():
        raise BadInput("folder for the chart does not exist", file=str(chart))
    try:
        write_chart(result, chart)
    except ImportError:
        raise BadInput("--chart needs matplotlib: pip install 'legalkpi[chart]'", file=str(chart)) from None
    except OSError as e:
        raise BadInput(f"cannot write the chart: {e.strerror}", file=str(chart)) from None


def _print_score(data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from legalkpi.terminal import markup as escape
    from legalkpi.terminal import plain

    console = Console()
    conv = data["convention"]
    console.print(f"[bold]Convention[/bold] ({conv['chosen_by']}): {escape(conv['name'])}, R {conv['r_rounding']}; "
                  f"explains {conv['rows_explained']} of {conv['rows']} rows", highlight=False)
    for c in conv["candidates"]:
        console.print(f"  {c['rows_explained']:>4}  {escape(c['name'])}", highlight=False)
    agg = conv["multi_direction_R"]
    console.print(f"Body of several directions: R = {agg['rule']} of the directions' R", highlight=False)
    bodies = Table(title="Bodies", expand=True)
    for col in ("rank", "rank*", "body", "direction", "R printed", "R*", "rows ok"):
        bodies.add_column(col, justify="left" if col in ("body", "direction") else "right", overflow="fold")
    ranked = {r["body"]: r for r in data["ranking"]}
    for b in sorted(data["bodies"], key=lambda b: ranked[b["body"]]["rank"] or 0):
        ok = sum(1 for r in b["rows"] if r["explained"])
        bodies.add_row(_num(b["rank_printed"]), _num(b["rank_recomputed"]), escape(b["short"] or b["body"]),
                       escape(_short(b["direction"], 40)), _num(b["R_printed"]), _num(b["R_recomputed"]),
                       f"{ok}/{len(b['rows'])}")
    console.print(bodies)
    console.print("rank*, R*: recomputed", highlight=False)
    if not data["findings"]:
        console.print("No findings: every printed Z, W, R and rank is explained.")
        return

    shorts = {b["body"]: (b["short"] or b["body"], "directions" in b) for b in data["bodies"]}
    console.print(f"[bold]Findings ({len(data['findings'])})[/bold]", highlight=False)
    for f in data["findings"]:
        short, several = shorts.get(f["body"], (_short(f["body"], 30), False))
        where = f"{short}/{f['direction']}" if several and f["direction"] and ";" not in f["direction"] else short
        num = f" №{f['number']}" if f["number"] is not None else ""
        console.print(plain(f"{where}{num} {f['field']}: printed {f['printed'] or '-'}, recomputed "
                            f"{_num(f['recomputed']) or '-'} (line {_score_lines(f['lines'])})"),
                      markup=False, highlight=False)
        console.print(plain(f"    {f['message']}"), markup=False, highlight=False)


def _score_lines(lines: list[int]) -> str:
    if not lines:
        return ""
    return str(lines[0]) if lines[0] == lines[-1] else f"{lines[0]}-{lines[-1]}"


# ---- history ----------------------------------------------------------------------------


@app.command()
def history(
    corpus: Path = typer.Option(Path("corpus"), help="Corpus folder holding manifest.json and the documents."),
    as_of: str | None = typer.Option(None, "--as-of", help="List the acts in force on this date (YYYY-MM-DD)."),
    fmt: Fmt = typer.Option(Fmt.table, "--format", "-f", help="table for people, json for machines."),
) -> None:
    """The lineage of the corpus acts (amended, re-edited, repealed, when) read from the acts' own notes."""
    from legalkpi.catalogue import corpus as corpus_mod
    from legalkpi.catalogue.lineage import build_lineage, check_date

    day = run_safely(lambda: check_date(as_of)) if as_of is not None else None
    lineage = run_safely(lambda: build_lineage(corpus_mod.load(corpus)))
    if fmt == Fmt.json:
        if day is not None:
            print_json({"as_of": day, "in_force": [s.to_dict() for s in lineage.in_force(day)]})
        else:
            print_json({**lineage.to_dict(), "timeline": [e.to_dict() for e in lineage.timeline()]})
        return
    if day is not None:
        _history_in_force(lineage, day)
    else:
        _history_timeline(lineage)


def _history_act(lineage: Any, key: str) -> str:
    act = lineage.act(key)
    if act is None:
        return key
    return f"{act.label()} {act.kind}" + ("" if act.present else " (absent)")


def _history_timeline(lineage: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from legalkpi.terminal import markup as escape

    table = Table(title="Lineage of the acts", expand=True)
    for col in ("date", "act", "event", "by", "part"):
        table.add_column(col, overflow="fold", no_wrap=col == "date")
    for e in lineage.timeline():
        part = e.part + (f" ({_short(e.part_title, 40)})" if e.part_title else "")
        by = _history_act(lineage, e.by) if e.by else ""
        table.add_row(escape(e.date), escape(_history_act(lineage, e.act)), escape(e.event), escape(by), escape(part))
    console = Console()
    console.print(table)
    for w in lineage.warnings:
        console.print(escape(f"warning: {w.message} [{w.code}]"), highlight=False)


def _history_in_force(lineage: Any, day: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from legalkpi.terminal import markup as escape

    table = Table(title=f"Acts in force on {day}", expand=True)
    for col in ("act", "adopted", "edition", "repealed parts", "corpus texts"):
        table.add_column(col, overflow="fold")
    for s in lineage.in_force(day):
        texts = ", ".join(
            f"{t.file} ({'this edition' if t.edition == s.edition else 'edition ' + (t.edition or 'original')})"
            for t in s.act.texts
        )
        by = ", ".join(_history_act(lineage, k) for k in s.amended_by)
        edition = f"{s.edition}, as amended by {by}" if s.amended_by else "original text"
        table.add_row(
            escape(_history_act(lineage, s.act.key)),
            escape(s.act.date),
            escape(edition),
            escape(", ".join(s.repealed_parts)),
            escape(texts or "none in the corpus"),
        )
    Console().print(table)


# ---- check ------------------------------------------------------------------------------


@app.command()
def check(
    path: Path = typer.Argument(..., help="An act: text rendition, DOCX, PDF or the legal database's HTML."),
    other: Path | None = typer.Option(None, "--other", help="The same act in the other language: compare weight totals."),
    config: Path | None = typer.Option(
        None, "--config", help="TOML file with a \\[check] table of ignored codes; default ./legalkpi-check.toml when present."
    ),
    fail_on: str | None = typer.Option(
        None, "--fail-on", help="Exit 1 when a finding of this severity or above is left: error (default), warning, info."
    ),
    fmt: FindingsFmt = typer.Option(
        FindingsFmt.table, "--format", "-f", help="table for people, json for machines; " + CI_FORMATS_HELP
    ),
    corpus: Path = typer.Option(Path("corpus"), help="Corpus folder whose manifest names the act of a corpus file."),
) -> None:
    """Check one act's internal consistency: weights, targets, units, numbering, agencies.

    Example: legalkpi check corpus/1157-kk.txt --format github   (annotations on a pull request)
    """
    from legalkpi import api
    from legalkpi.checking.checks import SEVERITIES
    from legalkpi.errors import BadInput

    def run() -> tuple[Any, str]:
        if fail_on is not None and fail_on not in SEVERITIES:
            raise BadInput(f"--fail-on must be one of {', '.join(SEVERITIES)}, not {fail_on!r}")
        result = api.check_file(path, other=other, config=config, corpus_root=corpus)
        return result, fail_on or result.fail_on or "error"

    result, level = run_safely(run)
    if fmt in (FindingsFmt.github, FindingsFmt.sarif, FindingsFmt.junit):
        emit_findings(result.findings, fmt.value, "legalkpi check", fail_on=level)
    elif fmt == FindingsFmt.json:
        print_json(result.to_dict())
    else:
        _print_check(result, level)
    raise typer.Exit(EXIT_FINDINGS if result.at_or_above(level) else 0)


def _print_check(result: Any, level: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from legalkpi.terminal import markup as escape

    console = Console()
    counts = {s: sum(1 for f in result.findings if f.severity == s) for s in ("error", "warning", "info")}
    console.print(
        f"[bold]{escape(result.file)}[/bold] {escape(result.act)}: {len(result.findings)} findings "
        f"({counts['error']} errors, {counts['warning']} warnings, {counts['info']} info), "
        f"{result.ignored} silenced; failing on {level} and above",
        highlight=False,
    )
    if result.findings:
        table = Table(expand=True, show_lines=True)
        for col in ("severity", "code", "indicator", "year", "lines"):
            table.add_column(col, no_wrap=True)
        table.add_column("message", overflow="fold", ratio=1, min_width=30)
        for f in result.findings:
            table.add_row(f.severity, escape(f.code), escape(f.indicator or ""), str(f.year or ""),
                          escape(f.source.place() if f.source else ""), escape(f.message))
        console.print(table)
    # One row per agency, one column per year: general + sector = total (and the other text's, if given).
    years = sorted({t.year for t in result.totals})
    totals = Table(title="Weight totals: general block + sector sections = total", expand=True)
    totals.add_column("agency", overflow="fold")
    for y in years:
        totals.add_column(str(y), justify="right")
    rows: dict[Any, dict[int, str]] = {}
    for t in result.totals:
        cell = f"{_num(t.general)} + {_num(t.sector)} = {_num(t.total)}"
        if t.other is not None:
            cell += f"\nother: {_num(t.other.general)} + {_num(t.other.sector)} = {_num(t.other.total)}"
        rows.setdefault((t.agency, t.agency_id or t.name), {})[t.year] = cell
    for (number, label), cells in rows.items():
        totals.add_row(escape(f"{number or ''} {label}".strip()), *(cells.get(y, "") for y in years))
    console.print(totals)


# ---- diff -------------------------------------------------------------------------------


class DiffFmt(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    github = "github"
    sarif = "sarif"
    junit = "junit"


@app.command()
def diff(
    old: str = typer.Argument(..., help="Earlier act: a file (text, DOCX, PDF, HTML) or a catalogue version key."),
    new: str = typer.Argument(..., help="Later act: a file or a catalogue version key (kz/order/124@2024-10-24/kk); an amending act is applied to OLD first."),
    fmt: DiffFmt = typer.Option(DiffFmt.table, "--format", "-f", help="table, json, markdown (a pull-request comment); " + CI_FORMATS_HELP),
    fail_on: str = typer.Option("", "--fail-on", help="Exit 1 when a change of these kinds exists: added,removed,changed,moved."),
    name_threshold: float | None = typer.Option(None, "--name-threshold", help="Least name score (0-100) to pair rows of one section."),
    move_threshold: float | None = typer.Option(None, "--move-threshold", help="Least name score to pair rows across sections."),
    show_all: bool = typer.Option(False, "--all", help="Show unchanged sections and indicators too (kind 'same')."),
    corpus: Path = typer.Option(Path("corpus"), help="Corpus folder whose manifest names the acts of corpus files."),
    catalog: Path = typer.Option(Path("catalog/catalog.json"), "--catalog", help="Catalogue JSON that version keys refer to."),
    db: str | None = typer.Option(None, "--db", help="Look version keys up in this database instead: postgresql://…"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of stdout."),
) -> None:
    """Compare the indicators of two acts or editions: added, removed, changed, moved; sections renamed or merged.

    Unchanged sections are hidden (--all shows them); a changed name or formula is shown old → new
    with removed words as [-word-] and inserted ones as {+word+}.

    Examples: legalkpi diff corpus/124-kk-consolidated-151.txt corpus/1157-kk.txt;
    legalkpi diff old.txt new.txt -f markdown --fail-on removed,changed
    """
    from legalkpi.comparing import diff as diff_mod

    kinds = run_safely(lambda: _diff_kinds(fail_on))
    old_rec = run_safely(lambda: _diff_side(old, corpus, catalog, db))
    from legalkpi.amending.apply import consolidated_if_amending

    # NEW an amending act: the diff is of OLD against OLD as amended
    new_rec = run_safely(lambda: consolidated_if_amending(old, new, corpus) or _diff_side(new, corpus, catalog, db))
    run_safely(lambda: _diff_comparable(old, old_rec, new, new_rec))
    thresholds = {
        "name_threshold": diff_mod.NAME_THRESHOLD if name_threshold is None else name_threshold,
        "move_threshold": diff_mod.MOVE_THRESHOLD if move_threshold is None else move_threshold,
    }
    result = run_safely(lambda: diff_mod.diff_records(old_rec, new_rec, include_same=show_all, **thresholds))
    _diff_emit(result, fmt, output, kinds)
    raise typer.Exit(EXIT_FINDINGS if result.has_any(kinds) else 0)


def _diff_kinds(text: str) -> list[str]:
    from legalkpi.errors import BadInput

    kinds = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in ("added", "removed", "changed", "moved")]
    if unknown:
        raise BadInput(f"--fail-on takes added, removed, changed, moved; not {', '.join(unknown)}")
    return kinds


def _diff_comparable(old: str, old_rec: Any, new: str, new_rec: Any) -> None:
    """Two sides with no year in common pair nothing: saying "changed" or "same" would be false."""
    from legalkpi.errors import BadInput

    def years(rec: Any) -> set[int]:
        return {v.year for i in rec.indicators for v in i.values}

    a, b = years(old_rec), years(new_rec)
    if a and b and not a & b:
        raise BadInput(
            f"nothing to compare: {old} has targets for {', '.join(map(str, sorted(a)))} and {new} for "
            f"{', '.join(map(str, sorted(b)))}, no year in common; diff two editions or versions of the same act "
            "(e.g. kz/order/124@2024-10-24/kk kz/resolution/1157/kk)",
            file=new,
        )


def _diff_side(arg: str, corpus: Path, catalog: Path, db: str | None = None) -> Any:
    """A file is extracted; anything else must be a version key of the built catalogue."""
    from legalkpi import api
    from legalkpi.catalogue.catalog import read_json
    from legalkpi.comparing.diff import record_from_catalog
    from legalkpi.errors import BadInput

    if Path(arg).exists():
        return api.extract_file(Path(arg), corpus_root=corpus)
    if not arg.startswith("kz/"):
        raise BadInput("no such file (nor a catalogue version key such as kz/resolution/1157/ru)", file=arg)
    if db:
        from legalkpi.catalogue.catalogdb import _where, read_db

        return record_from_catalog(read_db(db), arg, file=_where(db))
    if not catalog.is_file():
        raise BadInput("no catalogue to look version keys up in: run `legalkpi build` or give --catalog", file=str(catalog))
    try:
        data = read_json(catalog)
    except (ValueError, OSError) as e:
        raise BadInput(f"cannot read the catalogue: {e}", file=str(catalog)) from None
    return record_from_catalog(data, arg, file=str(catalog))


def _diff_emit(result: Any, fmt: DiffFmt, output: Path | None, fail_on: list[str] | None = None) -> None:
    from legalkpi.comparing.diff import to_markdown
    from legalkpi.jsonio import dumps

    if fmt in (DiffFmt.github, DiffFmt.sarif, DiffFmt.junit):
        from legalkpi.formats.adapters import diff_findings

        emit_findings(diff_findings(result.listed(), fail_on or []), fmt.value, "legalkpi diff", output)
    elif fmt == DiffFmt.json:
        _emit(dumps(result.to_dict()), output, lambda: None)
    elif fmt == DiffFmt.markdown:
        _emit(to_markdown(result), output, lambda: None)
    else:
        _emit(None, None, lambda: _print_diff(result))


def _print_diff(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from legalkpi.comparing.diff import describe_fields, section_label
    from legalkpi.terminal import markup as escape
    from legalkpi.terminal import plain

    console = Console()
    summary = ", ".join(f"{k} {v}" for k, v in result.summary().items())
    years = ", ".join(str(y) for y in result.years) or "none in common"
    console.print(plain(f"{result.old_key} -> {result.new_key}: {summary}; years compared {years}"), markup=False, highlight=False)
    listed = result.listed()
    changed_groups = {c.group for c in listed}
    shown = [s for s in result.sections if result.options.include_same or s.kind != "same" or s.group in changed_groups]
    sections = Table(title="Sections", expand=True)
    for col in ("kind", "old", "new", "kept", "changed", "moved in/out", "added", "removed"):
        sections.add_column(col, overflow="fold")
    for s in shown:
        c = s.counts
        sections.add_row(s.kind, escape(section_label(s.old)), escape(section_label(s.new)), str(c["same"]), str(c["changed"]),
                         f"{c['moved_in']}/{c['moved_out']}", str(c["added"]), str(c["removed"]))  # fmt: skip
    console.print(sections)
    if len(shown) < len(result.sections):
        console.print(f"{len(result.sections) - len(shown)} unchanged sections not shown (--all shows them)", highlight=False)
    changes = Table(title="Indicators", expand=True)
    for col in ("kind", "old", "new", "score", "indicator", "what (old → new)"):
        changes.add_column(col, overflow="fold", no_wrap=col in ("kind", "score"))
    for ch in listed:
        ind = ch.new or ch.old
        score = "" if ch.score is None else f"{ch.score:.0f}"
        changes.add_row(ch.kind, escape(ch.old.id if ch.old else ""), escape(ch.new.id if ch.new else ""), score,
                        escape(_short(ind.name, 80)), describe_fields(ch.fields, "rich"))  # fmt: skip
    console.print(changes)


# ---- site -------------------------------------------------------------------------------


@app.command()
def site(
    corpus: Path = typer.Option(Path("corpus"), help="Corpus folder holding manifest.json and the documents."),
    out: Path = typer.Option(Path("site"), "--out", "-o", help="Folder for the site (replaced if written by this command)."),
) -> None:
    """Write a static HTML site of the catalogue: acts, ministries, indicators, RU↔KK differences, diffs.

    Example: legalkpi site --out site/ && xdg-open site/index.html   (works offline, from the file system)
    """
    from legalkpi.catalogue import catalog as cat
    from legalkpi.catalogue import corpus as corpus_mod
    from legalkpi.catalogue.site import check_target, write_site

    run_safely(lambda: check_target(out))  # refuse before the build, not after it
    catalog = run_safely(lambda: cat.build(corpus_mod.load(corpus)))
    written = run_safely(lambda: write_site(catalog, out))
    typer.echo(f"{len(written)} pages -> {out / 'index.html'}")


# ---- add --------------------------------------------------------------------------------


@app.command()
def add(
    file: Path = typer.Argument(..., help="The new act or edition: text rendition, DOCX, PDF or HTML."),
    corpus: Path = typer.Option(Path("corpus"), help="Corpus folder holding manifest.json."),
    out: Path = typer.Option(Path("catalog"), "--out", "-o", help="Folder of the catalogue to rebuild."),
    kind: str | None = typer.Option(None, help="resolution, order, ministerial-order (else read from the text)."),
    number: str | None = typer.Option(None, help="The act's number as printed, e.g. 1157 or 124-ө (else from the text)."),
    date: str | None = typer.Option(None, help="Date of adoption, YYYY-MM-DD (else from the text)."),
    lang: str | None = typer.Option(None, help="ru or kk (else from the text)."),
    edition: str | None = typer.Option(None, help="Date of the consolidated edition, YYYY-MM-DD; none for the original text."),
    title: str | None = typer.Option(None, help="The act's title (else from the text)."),
    fmt: DiffFmt = typer.Option(DiffFmt.table, "--format", "-f", help="How to print the diff against the version before."),
) -> None:
    """Add an act to the corpus (copy, manifest with SHA-256), rebuild the catalogue, show what changed.

    Example: legalkpi add ~/Downloads/1157-amended.docx --edition 2025-06-01
    """
    from legalkpi.catalogue.intake import add_and_rebuild
    from legalkpi.comparing.diff import diff_records, record_of_version
    from legalkpi.terminal import plain

    meta = {"kind": kind, "number": number, "date": date, "lang": lang, "edition": edition, "title": title}
    done = run_safely(lambda: add_and_rebuild(file, corpus, out, meta))
    entry, built = done.entry, done.built
    again = " (finishing an interrupted run)" if done.resumed else ""
    typer.echo(plain(f"added {file} as {corpus / entry.file}{again} ({entry.act().ref.key}, sha256 {entry.sha256[:12]}…)"),
               err=True)  # fmt: skip
    how = f"updated ({len(built.updated.changed)} written again)" if built.incremental else "rebuilt"
    typer.echo(plain(f"catalogue {how}: {built.count} versions -> {out}"), err=True)
    if entry.content == "dt-map":  # a digital transformation map: its findings, not an indicator diff
        found = next((len(m.findings) for m in built.catalog.maps if m.key == entry.act().ref.key), 0)
        typer.echo(plain(f"map {entry.act().ref.key}: {found} findings (see `legalkpi map {corpus / entry.file}`)"), err=True)
        return
    from legalkpi.amending.corpus import version_key

    version = built.version(version_key(entry))  # an amending act: the consolidated version it makes
    before = built.version_before(version) if version is not None else None
    if version is None or before is None:
        typer.echo("no earlier version of this act in the corpus: nothing to compare with", err=True)
        return
    result = run_safely(lambda: diff_records(record_of_version(before), record_of_version(version)))
    _diff_emit(result, fmt, None)


# ---- amend ------------------------------------------------------------------------------


@app.command()
def amend(
    base: Path = typer.Argument(..., help="The act amended: text rendition, DOCX, PDF or HTML."),
    amending: Path = typer.Argument(..., help="The amending act (as adopted or as a draft), in any of those forms."),
    fmt: DiffFmt = typer.Option(DiffFmt.table, "--format", "-f", help="table for people, json (as extract, plus amendments), markdown."),
    corpus: Path = typer.Option(Path("corpus"), help="Corpus folder whose manifest names the act of a corpus file."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write json or markdown to this file (atomically); nothing on error."),
) -> None:
    """Apply an amending act to the act it amends and print the consolidated act.

    Examples:

      legalkpi amend corpus/1157-ru.txt drafts/amendment.docx

      legalkpi amend corpus/1157-kk.txt amendment-kk.pdf -f json -o 1157-kk-consolidated.json

    Refused as a whole (exit 2, nothing written) when any instruction cannot be read, names a row, part, section or column the act does not have, or quotes an old text its cell does not print.
    """
    from legalkpi.amending.apply import amend_file
    from legalkpi.jsonio import dumps

    result = run_safely(lambda: amend_file(base, amending, corpus_root=corpus))
    if fmt == DiffFmt.json:
        _emit(dumps(result.to_dict()), output, lambda: None)
    elif fmt == DiffFmt.markdown:
        from legalkpi.amending.render import to_markdown

        _emit(to_markdown(result), output, lambda: None)
    else:
        _emit(None, None, lambda: _print_amended(result))


def _print_amended(result: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    from legalkpi.amending.render import HEADERS, cells
    from legalkpi.jsonio import record_dict
    from legalkpi.terminal import markup as escape

    _print_record(record_dict(result.record))
    table = Table(title=f"Amendments by {result.amending.act.number} of {result.amending.act.date}", expand=True)
    for h in HEADERS:
        table.add_column(h, overflow="fold", no_wrap=h in ("op", "id", "lines"))
    for a in result.amendments:
        table.add_row(*[escape(_short(t, 60)) for t in cells(a)])
    Console().print(table)
# ---- map --------------------------------------------------------------------------------


class MapFmt(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"


@app.command("map")
def map_(
    path: Path = typer.Argument(..., help="A filled digital transformation map: DOCX, PDF or a converter's text."),
    fmt: MapFmt = typer.Option(MapFmt.table, "--format", "-f", help="table for people; json, markdown or html."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of stdout."),
) -> None:
    """Read a digital transformation map (the form of the Rules 601/НҚ) and check it against the Rules.

    Examples: legalkpi map map.docx; legalkpi map map.pdf --format json; legalkpi map map.docx -f html -o map.html.
    Exit 1 when there are findings.
    """
    from legalkpi.jsonio import dumps
    from legalkpi.maps import check_map_file
    from legalkpi.maps import render as map_render

    result = run_safely(lambda: check_map_file(path))
    if fmt == MapFmt.json:
        _emit(dumps(result.to_dict()), output, lambda: None)
    elif fmt == MapFmt.markdown:
        _emit(map_render.to_markdown(result), output, lambda: None)
    elif fmt == MapFmt.html:
        _emit(map_render.to_html(result), output, lambda: None)
    else:
        _emit(None, None, lambda: map_render.print_table(result))
    raise typer.Exit(EXIT_FINDINGS if result.findings else 0)
# ---- remove -----------------------------------------------------------------------------


@app.command()
def remove(
    what: str = typer.Argument(..., help="The corpus file name (1157-ru-2025-06-01.txt) or version key to take out."),
    corpus: Path = typer.Option(Path("corpus"), help="Corpus folder holding manifest.json."),
    out: Path = typer.Option(Path("catalog"), "--out", "-o", help="Folder of the catalogue to rebuild."),
) -> None:
    """Take an act's text out of the corpus (manifest entry and file), then rebuild the catalogue.

    Example: legalkpi remove 1157-ru-2025-06-01.txt
    """
    from legalkpi.catalogue.intake import remove_and_rebuild
    from legalkpi.terminal import plain

    done = run_safely(lambda: remove_and_rebuild(what, corpus, out))
    typer.echo(plain(f"removed {corpus / done.entry.file} ({done.entry.act().ref.key}) from the corpus"), err=True)
    typer.echo(plain(f"catalogue rebuilt: {done.built.count} versions -> {out}"), err=True)
