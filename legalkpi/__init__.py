"""legalkpi: a versioned, checked catalogue of KPI from Kazakhstan's legal acts.

The public API is imported lazily (PEP 562), so ``import legalkpi`` — and every reader that
depends only on :mod:`legalkpi.errors` and :mod:`legalkpi.provenance` — stays light::

    from legalkpi import extract_file
    record = extract_file("corpus/1157-ru.txt")
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.2.0"

# public name -> "module:attribute"
_API: dict[str, str] = {
    "extract_file": "legalkpi.api:extract_file",
    "check_file": "legalkpi.api:check_file",
    "score_file": "legalkpi.api:score_file",
    "load": "legalkpi.api:load",
    "Finding": "legalkpi.findings:Finding",
    "check_map_file": "legalkpi.maps:check_map_file",
    "LegalKpiError": "legalkpi.errors:LegalKpiError",
    "Source": "legalkpi.provenance:Source",
    "render_findings": "legalkpi.formats:render",
    "alignment_findings": "legalkpi.formats.adapters:alignment_findings",
    "diff_findings": "legalkpi.formats.adapters:diff_findings",
    "write_package": "legalkpi.catalogue.package:write_package",
    "write_site": "legalkpi.catalogue.site:write_site",
    "amend_file": "legalkpi.amending.apply:amend_file",
    "read_amending_file": "legalkpi.amending.apply:read_amending_file",
    "AmendmentRefused": "legalkpi.amending.apply:AmendmentRefused",
    "align_records": "legalkpi.comparing.align:align_records",
    "diff_records": "legalkpi.comparing.diff:diff_records",
    "match_rows": "legalkpi.comparing.match:match_rows",
    "detect_language": "legalkpi.reading.language:detect",
    "assign_kpi_ids": "legalkpi.comparing.identity:assign_kpi_ids",
    "kpi_id_summary": "legalkpi.comparing.identity:summary",
    "add_and_rebuild": "legalkpi.catalogue.intake:add_and_rebuild",
    "remove_and_rebuild": "legalkpi.catalogue.intake:remove_and_rebuild",
    "rebuild": "legalkpi.catalogue.intake:rebuild",
    "corpus_lock": "legalkpi.catalogue.intake:corpus_lock",
}

__all__ = ["__version__", *sorted(_API)]


def __getattr__(name: str) -> Any:
    target = _API.get(name)
    if target is None:
        raise AttributeError(f"module 'legalkpi' has no attribute {name!r}")
    module, attr = target.split(":")
    value = getattr(importlib.import_module(module), attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_API))
