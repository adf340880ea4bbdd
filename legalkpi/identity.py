"""Stable KPI ids: one id for one indicator across the catalogue's acts, editions and languages.

An id is minted where an indicator first appears (catalogue order: by edition or date) as
``kpi:<agency or general>:<act number>-s<section>[-p<part>]-n<row number>`` — e.g.
``kpi:general:124-s0-n2`` for row 2 of Order 124's general block — and carried to the
indicator's match in every later version. For each version the earlier ones are asked in this order:

1. the same act and edition in the other language (a translation): pairs from the bilingual
   aligner, or, while it is not available, the same section, part and row number — a fallback
   recorded as such in the evidence;
2. earlier versions in the same language, latest first: pairs by name (:mod:`legalkpi.diff`);
3. earlier versions in the other language, latest first: pairs from the aligner, if available.

An indicator keeps the first id offered; an id is given to one indicator per version only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from legalkpi.diff import Options, pair_by_names, record_of_version, section_group
from legalkpi.model import ActRecord, Indicator

# Evidence of how an indicator got its id.
MINTED = "minted"
BY_NAME = "name"
BY_ALIGNER = "aligner"
BY_POSITION = "position-fallback"  # same section, part and number in the other language: no aligner yet


def assign_kpi_ids(catalog: Any) -> dict[str, dict[str, str]]:
    """Fill ``version.kpi_ids`` for every catalogue version; return how each id was reached.

    The result maps version key -> indicator id -> ``"minted"`` or ``"<evidence> <version key>"``
    (evidence: name, aligner, position-fallback). Versions that have a ``kpi_evidence`` dict get
    theirs filled too.
    """
    aligner = _aligner()
    minted: set[str] = set()
    evidence: dict[str, dict[str, str]] = {}
    versions = list(catalog.versions)
    for k, version in enumerate(versions):
        ids: dict[str, str] = {}
        why: dict[str, str] = {}
        for earlier, how in _sources(version, versions[:k], aligner is not None):
            pairs = _pairs(how, record_of_version(earlier), record_of_version(version), aligner)
            taken = set(ids.values())
            for old, new in pairs:
                kpi = earlier.kpi_ids.get(old.id)
                if kpi and new.id not in ids and kpi not in taken:
                    ids[new.id] = kpi
                    why[new.id] = f"{how} {earlier.key}"
                    taken.add(kpi)
        for ind in version.indicators:
            if ind.id not in ids:
                ids[ind.id] = _mint(version, ind, minted)
                why[ind.id] = MINTED
        version.kpi_ids = ids
        evidence[version.key] = why
        if isinstance(getattr(version, "kpi_evidence", None), dict):
            version.kpi_evidence = why
    return evidence


Aligner = Callable[[ActRecord, ActRecord], Any]


def _aligner() -> Aligner | None:
    try:
        from legalkpi.align import align_records
    except ImportError:
        return None
    return align_records  # type: ignore[no-any-return]


def _sources(version: Any, earlier: list[Any], have_aligner: bool) -> list[tuple[Any, str]]:
    """Earlier versions to take ids from, best first, each with how to pair with it."""
    lang, work, edition = version.act.lang, version.act.ref.work, version.act.edition
    latest_first = earlier[::-1]
    out: list[tuple[Any, str]] = []
    for e in latest_first:
        if e.act.lang != lang and e.act.ref.work == work and e.act.edition == edition:
            out.append((e, BY_ALIGNER if have_aligner else BY_POSITION))
    out += [(e, BY_NAME) for e in latest_first if e.act.lang == lang]
    if have_aligner:
        out += [(e, BY_ALIGNER) for e in latest_first if e.act.lang != lang and (e, BY_ALIGNER) not in out]
    return out


def _pairs(
    how: str, old: ActRecord, new: ActRecord, aligner: Aligner | None
) -> list[tuple[Indicator, Indicator]]:
    if how == BY_NAME:
        return [(old.indicators[p.old], new.indicators[p.new]) for p in pair_by_names(old, new, Options())]
    if how == BY_POSITION:
        # Extraction ids are "s<section>-p<part>-n<number>": equal ids mean the same place.
        at = {i.id: i for i in old.indicators}
        return [(at[i.id], i) for i in new.indicators if i.id in at]
    assert aligner is not None
    ru, kk = (old, new) if old.act.lang == "ru" else (new, old)
    by_id = {("ru", i.id): i for i in ru.indicators} | {("kk", i.id): i for i in kk.indicators}
    out = []
    for p in sorted(aligner(ru, kk).pairs, key=lambda p: -float(p.score)):
        r, k = by_id.get(("ru", p.ru_id)), by_id.get(("kk", p.kk_id))
        if r is not None and k is not None:
            out.append((r, k) if old is ru else (k, r))
    return out


def _mint(version: Any, ind: Indicator, minted: set[str]) -> str:
    """``kpi:<scope>:<act>-s<section>[-p<part>]-n<number>``, made unique with a letter suffix.

    The place is part of the id because numbering restarts per section and part (Order 124's
    "10. Құрылыс" and "11. Өнеркәсіп" both have a row 1, in the same agency scope).
    """
    group = section_group(ind.section)
    scope = f"s{ind.section.ordinal}" if group.startswith("title:") else group
    ref = version.act.ref
    act = f"report-{ref.number}" if version.act.kind == "report" else ref.number
    part = f"-p{ind.part.ordinal}" if ind.part.ordinal > 1 else ""
    number = ind.number if ind.number is not None else f"r{ind.row + 1}"
    base = f"kpi:{scope}:{act}-s{ind.section.ordinal}{part}-n{number}"
    kpi, n = base, 0
    while kpi in minted:
        n += 1
        kpi = f"{base}-{chr(ord('a') + n)}" if n < 26 else f"{base}-{n}"
    minted.add(kpi)
    return kpi
