"""Findings in the formats CI systems read: GitHub workflow annotations, SARIF 2.1.0, JUnit XML.

Every renderer reads only :class:`legalkpi.findings.Finding`, so any command (check, align, diff,
map, score) can use them; :mod:`legalkpi.formats.adapters` turns the results of align and diff into
findings. Each renderer returns text; the CLI writes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from legalkpi.findings import Finding

CI_FORMATS: tuple[str, ...] = ("github", "sarif", "junit")


def render(findings: Sequence[Finding], fmt: str, *, tool: str = "legalkpi", fail_on: str = "error") -> str:
    """``findings`` as ``fmt`` (one of :data:`CI_FORMATS`); ``tool`` names the command (``legalkpi check``)."""
    if fmt == "github":
        from legalkpi.formats.github import render_github

        return render_github(findings)
    if fmt == "sarif":
        from legalkpi.formats.sarif import render_sarif

        return render_sarif(findings, command=tool)
    if fmt == "junit":
        from legalkpi.formats.junit import render_junit

        return render_junit(findings, suite=tool, fail_on=fail_on)
    raise ValueError(f"unknown CI format {fmt!r}; expected one of {', '.join(CI_FORMATS)}")
