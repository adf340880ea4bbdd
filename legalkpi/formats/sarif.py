"""SARIF 2.1.0 (OASIS), the format GitHub code scanning and most CI dashboards read.

One run of the tool ``legalkpi``; one rule per finding code; one result per finding, located by
file and lines (an artifact URI relative to the repository root, percent-encoded). Document text
goes into ``message.text``, where SARIF gives ``[``, ``]`` and ``\\`` a meaning (embedded links,
§3.11.6): they are escaped with a backslash. JSON escaping does the rest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from legalkpi.findings import Finding
from legalkpi.provenance import Source

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "minor": "note", "info": "note"}


def escape_text(text: str) -> str:
    """Plain-text SARIF message: backslash and square brackets are literal only when escaped."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def artifact_location(file: str) -> dict[str, Any]:
    """A relative path stays relative to the checkout (``%SRCROOT%``); an absolute one becomes a file URI."""
    posix = file.replace("\\", "/")
    if PurePosixPath(posix).is_absolute() or PureWindowsPath(file).drive:
        drive = PureWindowsPath(file).drive
        path = posix if not drive else "/" + posix
        return {"uri": "file://" + quote(path, safe="/:")}
    return {"uri": quote(posix, safe="/"), "uriBaseId": "%SRCROOT%"}


def _location(src: Source) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": artifact_location(src.file)}
    if src.first_line is not None and src.first_line >= 1:
        region: dict[str, Any] = {"startLine": src.first_line}
        if src.last_line is not None and src.last_line >= src.first_line:
            region["endLine"] = src.last_line
        physical["region"] = region
    return {"physicalLocation": physical}


def _related(f: Finding) -> list[dict[str, Any]]:
    """Other places a finding names (the Kazakh row of an alignment finding): ``data['related']``."""
    out = []
    for k, rel in enumerate(f.data.get("related") or []):
        lines = rel.get("lines") or []
        src = Source(str(rel.get("file", "")), lines[0] if lines else None, lines[-1] if lines else None)
        if src.file:
            loc = {"id": k + 1, **_location(src)}
            if rel.get("label"):
                loc["message"] = {"text": escape_text(str(rel["label"]))}
            out.append(loc)
    return out


def _fingerprint(f: Finding) -> str:
    """Stable across runs and line moves: what the finding is about, not where."""
    key = "\x1f".join([f.code, f.subject or "", f.field or "", str(f.year or ""), f.source.file if f.source else ""])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def sarif_log(findings: Sequence[Finding], *, command: str = "legalkpi", version: str | None = None) -> dict[str, Any]:
    """The SARIF log as a dict (``render_sarif`` dumps it)."""
    if version is None:
        from legalkpi import __version__ as version
    ordered = sorted(findings, key=lambda f: (f.source.file if f.source else "", *f.sort_key()))
    codes = sorted({f.code for f in ordered})
    severity_of: dict[str, str] = {}
    for f in ordered:
        severity_of.setdefault(f.code, f.severity)
    rules = [
        {
            "id": code,
            "name": "".join(w.capitalize() for w in code.replace("_", "-").split("-")),
            "shortDescription": {"text": code.replace("-", " ")},
            "defaultConfiguration": {"level": LEVELS[severity_of[code]]},
        }
        for code in codes
    ]
    results = []
    for f in ordered:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "ruleIndex": codes.index(f.code),
            "level": LEVELS[f.severity],
            "message": {"text": escape_text(f.message)},
            "partialFingerprints": {"legalkpiFinding/v1": _fingerprint(f)},
            "properties": {
                k: v for k, v in (("severity", f.severity), ("subject", f.subject), ("field", f.field), ("year", f.year))
                if v is not None
            },
        }  # fmt: skip
        if f.source is not None and f.source.file:
            result["locations"] = [_location(f.source)]
        related = _related(f)
        if related:
            result["relatedLocations"] = related
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "legalkpi", "semanticVersion": version, "version": version, "rules": rules}},
                "automationDetails": {"id": f"{command}/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def render_sarif(findings: Sequence[Finding], *, command: str = "legalkpi") -> str:
    return json.dumps(sarif_log(findings, command=command), ensure_ascii=False, indent=2) + "\n"
