"""The ``legalkpi`` command: a thin layer over the library.

Each command builds library objects, calls one library function, and turns a
``LegalKpiError`` into one clear line on stderr and a non-zero exit. Heavy libraries
(spaCy, pdfplumber, sqlmodel) are imported inside the commands that need them so that
``legalkpi --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

import typer

from legalkpi.errors import LegalKpiError

app = typer.Typer(
    help="Turn Kazakhstan's legal acts into a versioned, checked catalogue of KPI.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Exit codes: 0 fine; 1 findings (mismatches, changes, rule breaks) for CI; 2 bad input or error.
EXIT_FINDINGS = 1
EXIT_ERROR = 2

T = TypeVar("T")


class Fmt(str, Enum):
    table = "table"
    json = "json"


def run_safely(fn: Callable[[], T]) -> T:
    """Call library code; a LegalKpiError becomes one line on stderr and exit 2."""
    try:
        return fn()
    except LegalKpiError as e:
        typer.echo(f"legalkpi: {e.line()}", err=True)
        raise typer.Exit(EXIT_ERROR) from None
    except KeyboardInterrupt:
        typer.echo("legalkpi: interrupted", err=True)
        raise typer.Exit(130) from None


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n")


def main() -> None:
    app()


# Commands live below, one block each; each block imports what it needs inside the function.

