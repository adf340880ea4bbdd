"""The ``[check]`` table of a TOML config: which finding codes to silence and when to fail.

    [check]
    ignore = ["weight-total-not-100"]        # these codes are never reported
    fail_on = "warning"                      # optional; the --fail-on option wins

    [check.indicators]
    "s0-p1-n1" = ["weight-without-target"]   # silenced for this indicator of any act
    "kz/order/124#s5-p1-n3" = ["*"]          # every code, for this indicator of this act only

A typo in a code would silently silence nothing, so unknown codes are refused.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from legalkpi.checking.checks import CODES, SEVERITIES, Silencer
from legalkpi.errors import BadInput

DEFAULT_NAME = "legalkpi-check.toml"


@dataclass(frozen=True)
class CheckConfig:
    silencer: Silencer = field(default_factory=Silencer)
    fail_on: str | None = None
    file: str | None = None


def load_config(path: str | Path) -> CheckConfig:
    """Read a config file; a missing file, bad TOML or unknown key is a BadInput naming the place."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput("config file not found", file=str(p)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise BadInput(f"cannot read the config file: {e}", file=str(p)) from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as e:
        raise BadInput(f"not valid TOML: {e}", file=str(p)) from None
    return parse_config(data, str(p))


def default_config(cwd: str | Path = ".") -> CheckConfig:
    """./legalkpi-check.toml when present, else nothing silenced."""
    p = Path(cwd) / DEFAULT_NAME
    return load_config(p) if p.is_file() else CheckConfig()


def parse_config(data: dict[str, Any], file: str) -> CheckConfig:
    table = data.get("check", {})
    if not isinstance(table, dict):
        raise BadInput("[check] must be a table", file=file, place="check")
    unknown = set(table) - {"ignore", "fail_on", "indicators"}
    if unknown:
        raise BadInput(f"unknown key(s): {', '.join(sorted(unknown))}", file=file, place="check")
    codes = _codes(table.get("ignore", []), file, "check.ignore", allow_all=False)
    per: dict[str, frozenset[str]] = {}
    indicators = table.get("indicators", {})
    if not isinstance(indicators, dict):
        raise BadInput("must be a table of indicator id = [codes]", file=file, place="check.indicators")
    for ident, value in indicators.items():
        per[ident] = _codes(value, file, f"check.indicators.{ident}", allow_all=True)
    fail_on = table.get("fail_on")
    if fail_on is not None and fail_on not in SEVERITIES:
        raise BadInput(
            f"fail_on must be one of {', '.join(SEVERITIES)}, not {fail_on!r}",
            file=file,
            place="check.fail_on",
        )
    return CheckConfig(Silencer(codes, per), fail_on, file)


def _codes(value: Any, file: str, place: str, *, allow_all: bool) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadInput("must be a list of finding codes", file=file, place=place)
    known = set(CODES) | ({"*"} if allow_all else set())
    bad = [v for v in value if v not in known]
    if bad:
        raise BadInput(
            f"unknown finding code(s) {', '.join(bad)}; known: {', '.join(sorted(CODES))}",
            file=file,
            place=place,
        )
    return frozenset(value)
