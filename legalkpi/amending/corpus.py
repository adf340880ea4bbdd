"""Amending acts in the corpus and the catalogue.

``legalkpi add`` records an amending act with ``content: "amending"`` and, in ``extra``, the act
it amends (``amends``: the work key, with its kind, number and date), after checking that it
applies to the corpus text of that act in its language. ``build`` then makes, for each amending
act (oldest first), the consolidated version of the amended act: the latest earlier version in
the same language with the instructions applied, keyed by the amending act's date
(``kz/resolution/1157@2025-05-15/ru``). Lineage adds the ``amends`` relation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from legalkpi.catalogue import corpus as corpus_mod
from legalkpi.errors import ManifestError
from legalkpi.model import Act, ActRecord

if TYPE_CHECKING:
    from legalkpi.amending.read import AmendingAct
    from legalkpi.api import Loaded
    from legalkpi.catalogue.catalog import Version

CONTENT = "amending"


def mark_amending(entry: corpus_mod.Entry, loaded: Loaded, manifest: corpus_mod.Manifest) -> bool:
    """Make ``entry`` an amending act's entry when the file is one, after checking that it
    applies to the corpus (raises AmendmentRefused or ManifestError otherwise). False when the
    file is not an amending act."""
    from legalkpi.amending.read import read_amending

    amending = read_amending(loaded.doc, loaded.act)
    if amending is None or amending.amends is None:
        return False
    c = amending.amends
    entry.content = CONTENT
    entry.extra = {"amends": c.work, "amends_kind": c.kind, "amends_number": c.number, "amends_date": c.date}
    amending.act = entry.act()
    versions = _base_versions(manifest, c.work, entry.lang)
    versions += consolidated_versions(manifest, versions)
    _apply_to_latest(manifest, versions, entry, amending)
    return True


def version_key(entry: corpus_mod.Entry) -> str:
    """The catalogue version an entry makes: for an amending act, the amended act's consolidated version."""
    if entry.content != CONTENT:
        return entry.act().ref.key
    x = entry.extra
    act = Act(
        kind=x["amends_kind"],
        number=x["amends_number"],
        date=x["amends_date"],
        lang=entry.lang,
        title="",
        edition=entry.date,
    )
    return act.ref.key


def consolidated_versions(manifest: corpus_mod.Manifest, versions: list[Version]) -> list[Version]:
    """One consolidated version per amending act of the manifest, applied oldest first."""
    from legalkpi.amending.apply import read_document_of_amending
    from legalkpi.amending.read import read_amending

    out: list[Version] = []
    amending = sorted(
        (e for e in manifest.entries if e.content == CONTENT), key=lambda e: (e.date, e.number, e.lang)
    )
    for e in amending:
        path = corpus_mod.verify(manifest, e)
        doc = read_document_of_amending(path, display_name=f"{manifest.root.name}/{e.file}")
        act = read_amending(doc, e.act())
        if act is None:
            raise ManifestError("listed as an amending act, but introduces no amendments", file=str(path))
        act.act = e.act()
        out.append(_apply_to_latest(manifest, versions + out, e, act))
    return out


def _base_versions(manifest: corpus_mod.Manifest, work: str, lang: str) -> list[Version]:
    """The corpus texts of ``work`` in ``lang``, as catalogue versions."""
    from legalkpi import api
    from legalkpi.catalogue.catalog import Version

    out = []
    for e in manifest.entries:
        if e.content != "kpi-act" or e.act().ref.work != work or e.lang != lang:
            continue
        rec = api.extract_file(corpus_mod.verify(manifest, e), corpus_root=manifest.root)
        out.append(Version.of_record(rec, e.file, e.sha256, agencies=[]))
    return out


def _apply_to_latest(
    manifest: corpus_mod.Manifest, versions: list[Version], entry: corpus_mod.Entry, amending: AmendingAct
) -> Version:
    """The consolidated version: ``amending`` applied to the latest earlier version it amends."""
    from legalkpi.amending.apply import consolidate
    from legalkpi.catalogue.catalog import Version
    from parsers import read_document

    work, lang = entry.extra["amends"], entry.lang
    pool = [
        v for v in versions
        if v.origin == "act" and v.act.ref.work == work and v.act.lang == lang and (v.act.edition or v.act.date) < entry.date
    ]  # fmt: skip
    if not pool:
        raise ManifestError(
            f"amends {work} in {lang}, which has no earlier text in the corpus", file=entry.file
        )
    base = max(pool, key=lambda v: (v.act.edition or v.act.date, v.key))
    original = _original_file(manifest, base, versions)
    header_doc = read_document(manifest.root / original, display_name=f"{manifest.root.name}/{original}")
    record = ActRecord(act=base.act, agencies=[], sections=[], indicators=base.indicators, file=base.file)
    cons = consolidate(record, header_doc, amending)
    rec = cons.record
    return Version.of_record(rec, entry.file, entry.sha256, agencies=list(base.agencies))


def _original_file(manifest: corpus_mod.Manifest, base: Version, versions: list[Version]) -> str:
    """The corpus text whose header rows the base version's rows stand under (an act's own text)."""
    files = {e.file: e for e in manifest.entries}
    if base.file in files and files[base.file].content == "kpi-act":
        return base.file
    texts = [
        v
        for v in versions
        if v.act.ref.work == base.act.ref.work
        and v.act.lang == base.act.lang
        and files.get(v.file) is not None
        and files[v.file].content == "kpi-act"
    ]
    if not texts:
        raise ManifestError(
            f"no text of {base.act.ref.work} in {base.act.lang} in the corpus", file=base.file
        )
    return max(texts, key=lambda v: (v.act.edition or v.act.date, v.key)).file


def amends_of(entry: corpus_mod.Entry) -> dict[str, Any] | None:
    """The act an amending entry amends: kind, number, date."""
    if entry.content != CONTENT or not entry.extra.get("amends"):
        return None
    x = entry.extra
    return {"kind": x["amends_kind"], "number": x["amends_number"], "date": x["amends_date"]}


__all__ = ["CONTENT", "amends_of", "consolidated_versions", "mark_amending", "version_key"]
