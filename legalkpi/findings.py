"""Findings as data: one type for every command (check, align, diff, score, amend, map).

Like frictionless-py's errors, a finding is a ``code`` (stable, documented), a ``severity``, a
``message`` for people and a ``source`` (the place in the file), plus the facts of its kind
(``subject`` — usually an indicator id —, ``field``, ``year`` and free ``data`` such as both printed
values). Renderers (table, JSON, Markdown, SARIF, GitHub annotations) read only this type.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from legalkpi.provenance import Source

# Ordered from least to most serious. "minor" is a difference of notation only ("0" vs "–" with
# no weight, "%" printed or not); "error" changes what is measured or breaks a rule.
SEVERITIES: tuple[str, ...] = ("info", "minor", "warning", "error")


def severity_rank(severity: str) -> int:
    """Position of a severity in :data:`SEVERITIES`; unknown severities are refused."""
    try:
        return SEVERITIES.index(severity)
    except ValueError:
        raise ValueError(f"unknown severity {severity!r}; expected one of {', '.join(SEVERITIES)}") from None


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    source: Source | None = None
    subject: str | None = None  # what the finding is about: an indicator id, a body, a case
    field: str | None = None  # "target" | "weight" | "unit" | "order" | "Z" | ...
    year: int | None = None
    data: dict[str, Any] = dataclasses.field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        severity_rank(self.severity)

    @property
    def indicator(self) -> str | None:  # the name `check` has always used
        return self.subject

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "subject": self.subject,
            "field": self.field,
            "year": self.year,
            "message": self.message,
            "source": self.source.to_dict() if self.source else None,
        }
        for k, v in self.data.items():
            out.setdefault(k, v)
        return out

    def sort_key(self) -> tuple[Any, ...]:
        line = self.source.first_line if self.source and self.source.first_line is not None else 10**9
        return (line, self.subject or "", self.year or 0, self.code, self.message)


def at_least(findings: Iterable[Finding], severity: str) -> list[Finding]:
    """The findings of ``severity`` or more serious."""
    rank = severity_rank(severity)
    return [f for f in findings if severity_rank(f.severity) >= rank]
