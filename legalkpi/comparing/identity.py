"""Stable KPI ids: one id for one indicator across the catalogue's acts, editions and languages.

Each version is compared only with the versions it is related to, so the cost grows linearly with
the number of versions (features and normalised names are computed once and cached):

1. the other-language text of the same expression (same act and edition): the bilingual matcher
   (:mod:`legalkpi.comparing.align`), or, when it is not available, the same section, part and row number —
   a fallback recorded as such in the evidence;
2. the latest earlier version of the same work in the same language: names (:mod:`legalkpi.comparing.diff`);
   when there is none, the latest one in the other language, by the bilingual matcher;
3. for the first version of a work in a language, its lineage predecessors (the acts it repeals or
   re-edits, from ``catalog.lineage``) and the latest earlier report set (the report's 2023
   indicators): by name in one language, by the bilingual matcher across languages.

Every pair links two indicators; linked indicators share one id, with one condition: an id is
given to one indicator per version only (a link that would join two rows of one version is
refused). The id is minted where the indicator first appears in an act (catalogue order: by
edition or date), or in the report set when no act has it, as
``kpi:<agency or general>:<act number>-s<section>[-p<part>]-n<row number>`` — e.g.
``kpi:general:124-s0-n2`` for row 2 of Order 124's general block.

The evidence of each indicator says how it got its id: ``minted`` (where the id was made),
``<how> <version key>`` (the first link that reached it), or ``minted; not linked: <reason>``
for an indicator no related version pairs with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from legalkpi.comparing.diff import Options, pair_by_names, record_of_version, section_group
from legalkpi.model import ActRecord, Indicator

# Evidence of how an indicator got its id.
MINTED = "minted"
BY_NAME = "name"
BY_ALIGNER = "aligner"
BY_POSITION = "position-fallback"  # same section, part and number in the other language: no aligner yet
NOT_LINKED = "not linked"

Node = tuple[int, int]  # (version index, indicator index)
Aligner = Callable[..., Any]


@dataclass
class IdView:
    """What stable ids need of one catalogue version: no indicator content, so it is cheap to keep
    between builds (:mod:`legalkpi.catalogue.incremental`)."""

    key: str
    origin: str  # "act" | "report"
    work: str
    lang: str
    edition: str
    rows: list[tuple[str, str]]  # (indicator id, the id it would mint without a uniqueness suffix), in order
    content: str = ""  # digest of what the version was read from ("": comparisons with it are not kept)


def view(version: Any) -> IdView:
    a = version.act
    rows = [(i.id, _mint_base(version, i)) for i in version.indicators]
    return IdView(version.key, version.origin, a.ref.work, a.lang, a.edition, rows, getattr(version, "content", "") or "")


@dataclass(frozen=True)
class Comparison:
    earlier: int  # index of the version compared with
    later: int  # index of the version being placed
    how: str  # BY_NAME | BY_ALIGNER | BY_POSITION


PairCache = dict[tuple[str, str, str], list[tuple[int, int]]]


def assign_kpi_ids(catalog: Any, pair_cache: PairCache | None = None, jobs: int | None = None) -> dict[str, dict[str, str]]:
    """Fill ``version.kpi_ids`` for every catalogue version; return how each id was reached.

    The result maps version key -> indicator id -> evidence (see the module's text). Versions
    that have a ``kpi_evidence`` dict get theirs filled too. ``pair_cache`` keeps the pairs of each
    comparison between builds, keyed by the two versions' contents and the method: only
    comparisons of new or changed versions are computed again, and the cache is left holding
    this catalogue's comparisons only. ``jobs`` > 1 computes the comparisons in that many processes
    (the same pairs: each is a function of the two versions alone).
    """
    versions = list(catalog.versions)
    views = [view(v) for v in versions]
    ids, evidence = link_ids(views, getattr(catalog, "lineage", None) or {}, lambda k: record_of_version(versions[k]),
                             pair_cache, jobs)  # fmt: skip
    for k, version in enumerate(versions):
        version.kpi_ids = ids[k]
        if isinstance(getattr(version, "kpi_evidence", None), dict):
            version.kpi_evidence = evidence[k]
    return {views[k].key: evidence[k] for k in range(len(views))}


def link_ids(
    views: list[IdView], lineage: dict[str, Any], record_of: Callable[[int], ActRecord], pair_cache: PairCache | None = None,
    jobs: int | None = None,
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:  # fmt: skip
    """(ids, evidence) of each version: plan the comparisons, pair each (``pair_cache`` first, then
    ``jobs`` processes, then here; ``record_of(k)`` gives version k's record), link and name."""
    aligner = _aligner()
    comparisons = plan(views, lineage, aligner is not None)
    done = _in_processes(comparisons, views, record_of, pair_cache, jobs, aligner is not None)
    records: dict[int, ActRecord] = {}

    def record(k: int) -> ActRecord:
        if k not in records:
            records[k] = record_of(k)
        return records[k]

    features: dict[int, Any] = {}
    last_use = {k: n for n, c in enumerate(comparisons) for k in (c.earlier, c.later)}
    found = []
    for n, c in enumerate(comparisons):

        def compute(c: Comparison, n: int = n) -> list[tuple[int, int]]:
            if n in done:
                return done.pop(n)
            return _pairs(c.how, record(c.earlier), record(c.later), aligner, features)

        found.append(compared(c, views, compute, pair_cache))
        for k in (c.earlier, c.later):
            if last_use[k] == n and k in records:  # no comparison needs this version again: free what was made of it
                for i in records.pop(k).indicators:
                    features.pop(id(i), None)
    if pair_cache is not None:
        forget_others(pair_cache, views, comparisons)
    return link_and_name(views, comparisons, found)


MIN_PARALLEL = 8  # fewer comparisons than this are not worth starting processes for


def _in_processes(
    comparisons: list[Comparison], views: list[IdView], record_of: Callable[[int], ActRecord], cache: PairCache | None,
    jobs: int | None, have_aligner: bool,
) -> dict[int, list[tuple[int, int]]]:  # fmt: skip
    """The pairs of the comparisons the cache does not hold, computed in ``jobs`` processes (by index)."""
    if not jobs or jobs <= 1:
        return {}
    todo = [n for n, c in enumerate(comparisons) if cache is None or pair_key(views, c) not in cache]
    if len(todo) < MIN_PARALLEL:
        return {}
    from legalkpi.processes import in_order

    calls = ((comparisons[n].how, record_of(comparisons[n].earlier), record_of(comparisons[n].later), have_aligner)
             for n in todo)  # fmt: skip
    return dict(zip(todo, in_order(_pairs_elsewhere, calls, jobs), strict=True))


def _pairs_elsewhere(how: str, old: ActRecord, new: ActRecord, have_aligner: bool) -> list[tuple[int, int]]:
    """:func:`_pairs` in a worker process."""
    aligner = _aligner() if have_aligner else None
    return [(int(a), int(b)) for a, b in _pairs(how, old, new, aligner, {})]


def pair_key(views: list[IdView], c: Comparison) -> tuple[str, str, str] | None:
    """What a comparison's pairs are kept under: the two versions' contents and the method (None when a
    version's content is not known, e.g. a consolidated version)."""
    a, b = views[c.earlier].content, views[c.later].content
    return (a, b, c.how) if a and b else None


def compared(
    c: Comparison, views: list[IdView], compute: Callable[[Comparison], list[tuple[int, int]]], cache: PairCache | None
) -> list[tuple[int, int]]:
    """The pairs of one comparison: from ``cache`` when both versions' contents are known and were compared so."""
    key = pair_key(views, c)
    if cache is not None and key is not None and key in cache:
        return cache[key]
    got = [(int(x), int(y)) for x, y in compute(c)]
    if cache is not None and key is not None:
        cache[key] = got
    return got


def forget_others(cache: PairCache, views: list[IdView], comparisons: list[Comparison]) -> None:
    """Leave ``cache`` holding the pairs of these comparisons only (what the next build can reuse)."""
    keep = {pair_key(views, c) for c in comparisons}
    for key in [k for k in cache if k not in keep]:
        del cache[key]


def plan(views: list[IdView], lineage: dict[str, Any], have_aligner: bool = True) -> list[Comparison]:
    """Which versions each version is compared with, in catalogue order (from metadata only)."""
    related = _Related(views, lineage)
    out: list[Comparison] = []
    for k in range(len(views)):
        out += [Comparison(e, k, how) for e, how in related.sources(k, have_aligner)]
        related.add(k)
    return out


def link_and_name(
    views: list[IdView], comparisons: list[Comparison], found: list[list[tuple[int, int]]]
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Link the pairs of every comparison (in order) and mint one id per group: (ids, evidence) per version."""
    links = _Links(views)
    compared_with: dict[int, list[str]] = {k: [] for k in range(len(views))}
    for c, pairs in zip(comparisons, found, strict=True):
        earlier, later = views[c.earlier], views[c.later]
        compared_with[c.later].append(f"{earlier.key} ({c.how})")
        compared_with[c.earlier].append(f"{later.key} ({c.how})")
        for old, new in pairs:
            links.link((c.earlier, old), (c.later, new), f"{c.how} {earlier.key}", f"{c.how} {later.key}")
    return links.name_all(compared_with)


def _aligner() -> Aligner | None:
    try:
        from legalkpi.comparing.align import align_records
    except ImportError:
        return None
    return align_records


class _Related:
    """The versions each version is compared with (constant per version: linear in total)."""

    def __init__(self, versions: list[IdView], lineage: dict[str, Any]) -> None:
        self.versions = versions
        self.latest: dict[tuple[str, str], int] = {}  # (work, lang) -> latest version seen
        self.langs: dict[str, list[str]] = {}  # work -> its languages, in the order first seen
        self.expression: dict[tuple[str, str], dict[str, int]] = {}  # (work, edition) -> lang -> version
        self.report: int | None = None
        self.predecessors: dict[str, list[str]] = {}
        for r in lineage.get("relations", []):
            if r.get("type") in ("repeals", "new_edition") and r.get("from") and r.get("to"):
                self.predecessors.setdefault(r["from"], [])
                if r["to"] not in self.predecessors[r["from"]]:
                    self.predecessors[r["from"]].append(r["to"])

    def add(self, k: int) -> None:
        v = self.versions[k]
        if v.origin == "report":
            self.report = k
            return
        if (v.work, v.lang) not in self.latest:
            self.langs.setdefault(v.work, []).append(v.lang)
        self.latest[(v.work, v.lang)] = k
        self.expression.setdefault((v.work, v.edition), {})[v.lang] = k

    def _latest(self, work: str, lang: str, have_aligner: bool) -> tuple[int, str] | None:
        if (work, lang) in self.latest:
            return self.latest[(work, lang)], BY_NAME
        others = [self.latest[(work, lg)] for lg in self.langs.get(work, []) if lg != lang]
        return (max(others), BY_ALIGNER) if others and have_aligner else None

    def sources(self, k: int, have_aligner: bool) -> list[tuple[int, str]]:
        v = self.versions[k]
        if v.origin == "report":
            return []
        work, lang, edition = v.work, v.lang, v.edition
        out: list[tuple[int, str]] = []
        for lg, e in self.expression.get((work, edition), {}).items():
            if lg != lang:
                out.append((e, BY_ALIGNER if have_aligner else BY_POSITION))
        first_in_lang = (work, lang) not in self.latest
        same_work = self._latest(work, lang, have_aligner)
        if same_work and same_work[0] not in [e for e, _ in out]:
            out.append(same_work)
        if first_in_lang:
            for pred in self.predecessors.get(work, []):
                found = self._latest(pred, lang, have_aligner)
                if found and found[0] not in [e for e, _ in out]:
                    out.append(found)
            if self.report is not None:
                r = self.versions[self.report]
                if r.lang == lang:
                    out.append((self.report, BY_NAME))
                elif have_aligner:
                    out.append((self.report, BY_ALIGNER))
        return out


@dataclass
class _Links:
    """Union–find over indicators; a group never holds two rows of one version."""

    versions: list[IdView]
    parent: dict[Node, Node] = field(default_factory=dict)
    members: dict[Node, list[Node]] = field(default_factory=dict)
    why: dict[Node, str] = field(default_factory=dict)

    def find(self, x: Node) -> Node:
        if x not in self.parent:
            self.parent[x] = x
            self.members[x] = [x]
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def link(self, old: Node, new: Node, new_why: str, old_why: str) -> bool:
        ra, rb = self.find(old), self.find(new)
        if ra == rb:
            return False
        va = {v for v, _ in self.members[ra]}
        if any(v in va for v, _ in self.members[rb]):
            return False  # one id per version: these rows are already spoken for
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)
        self.why.setdefault(new, new_why)
        self.why.setdefault(old, old_why)
        return True

    def name_all(self, compared_with: dict[int, list[str]]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
        """Mint one id per group (at its earliest act member): (ids, evidence) of each version.

        Rows that never met another (most of them) have no entry in the union–find: each is a group
        of its own. Ids are minted in rank order: act versions first, then report sets; by position."""
        versions = self.versions

        def rank(x: Node) -> tuple[int, int, int]:
            return (1 if versions[x[0]].origin == "report" else 0, x[0], x[1])

        root_of = {x: self.find(x) for x in list(self.parent)}
        minter = {root: min(group, key=rank) for root, group in self.members.items() if len(group) > 1}
        minted: set[str] = set()
        group_id: dict[Node, str] = {}
        alone_id: dict[Node, str] = {}
        order = [k for k, v in enumerate(versions) if v.origin != "report"] + [k for k, v in enumerate(versions) if v.origin == "report"]
        for k in order:
            for n, (_, base) in enumerate(versions[k].rows):
                x = (k, n)
                root = root_of.get(x)
                if root is not None and root in minter and minter[root] != x:
                    continue  # another row of its group mints the id
                if base in minted:
                    made = _unique(base, minted)
                else:  # most ids: the base itself
                    minted.add(base)
                    made = base
                if root is None or root not in minter:
                    alone_id[x] = made
                else:
                    group_id[root] = made
        all_ids: list[dict[str, str]] = []
        evidence: list[dict[str, str]] = []
        for k, version in enumerate(versions):
            kpi: dict[str, str] = {}
            why: dict[str, str] = {}
            seen = "; ".join(compared_with[k]) or "no related version in the catalogue"
            alone = f"{MINTED}; {NOT_LINKED}: no counterpart in {seen}"  # one string per version, shared by its rows
            for n, (ident, _) in enumerate(version.rows):
                x = (k, n)
                root = root_of.get(x)
                if root is None or root not in minter:
                    kpi[ident] = alone_id[x]
                    why[ident] = alone
                else:
                    kpi[ident] = group_id[root]
                    why[ident] = MINTED if minter[root] == x else self.why.get(x, "linked")
            all_ids.append(kpi)
            evidence.append(why)
        return all_ids, evidence


def _pairs(
    how: str, old: ActRecord, new: ActRecord, aligner: Aligner | None, cache: dict[int, Any]
) -> list[tuple[int, int]]:
    """Indices (old, new) of the indicators the chosen method pairs."""
    if how == BY_NAME:
        return [(p.old, p.new) for p in pair_by_names(old, new, Options())]
    if how == BY_POSITION:
        # Extraction ids are "s<section>-p<part>-n<number>": equal ids mean the same place.
        at = {i.id: k for k, i in enumerate(old.indicators)}
        return [(at[i.id], k) for k, i in enumerate(new.indicators) if i.id in at]
    assert aligner is not None
    ru, kk = (old, new) if old.act.lang == "ru" else (new, old)
    ru_at = {i.id: k for k, i in enumerate(ru.indicators)}
    kk_at = {i.id: k for k, i in enumerate(kk.indicators)}
    out = []
    for p in sorted(aligner(ru, kk, check_labels=False, cache=cache, pairs_only=True).pairs, key=lambda p: -float(p.score)):
        r, k = ru_at.get(p.ru_id), kk_at.get(p.kk_id)
        if r is not None and k is not None:
            out.append((r, k) if old is ru else (k, r))
    return out


def _mint_base(version: Any, ind: Indicator) -> str:
    """``kpi:<scope>:<act>-s<section>[-p<part>]-n<number>``: the id this row mints (before :func:`_unique`).

    The place is part of the id because numbering restarts per section and part (Order 124's
    "10. Құрылыс" and "11. Өнеркәсіп" both have a row 1, in the same agency scope).
    """
    group = section_group(ind.section)
    scope = f"s{ind.section.ordinal}" if group.startswith("title:") else group
    ref = version.act.ref
    act = f"report-{ref.number}" if version.act.kind == "report" else ref.number
    part = f"-p{ind.part.ordinal}" if ind.part.ordinal > 1 else ""
    number = ind.number if ind.number is not None else f"r{ind.row + 1}"
    return f"kpi:{scope}:{act}-s{ind.section.ordinal}{part}-n{number}"


def _unique(base: str, minted: set[str]) -> str:
    """``base``, or ``base`` with a letter suffix when another row minted it already."""
    kpi, n = base, 0
    while kpi in minted:
        n += 1
        kpi = f"{base}-{chr(ord('a') + n)}" if n < 26 else f"{base}-{n}"
    minted.add(kpi)
    return kpi


# ---- how far ids reach ----------------------------------------------------------------------


def summary(catalog: Any) -> dict[str, Any]:
    """How many ids there are, how many span more than one act, and the rows left unlinked."""
    return _summarise(
        (v.key, v.act.ref.work, i.id, i.name, v.kpi_ids.get(i.id), v.kpi_evidence.get(i.id, ""))
        for v in catalog.versions
        for i in v.indicators
    )


def summary_of_views(versions: list[tuple[IdView, dict[str, str], dict[str, str]]]) -> dict[str, Any]:
    """:func:`summary` from ids views with their ids and evidence (names are not kept there: empty)."""
    return _summarise(
        (view.key, view.work, ident, "", ids.get(ident), why.get(ident, ""))
        for view, ids, why in versions
        for ident, _ in view.rows
    )


def summary_of_json(data: dict[str, Any]) -> dict[str, Any]:
    """:func:`summary` of a catalogue JSON (``legalkpi build`` writes catalog/catalog.json)."""
    from legalkpi.model import Act

    def work(v: dict[str, Any]) -> str:
        a = v["act"]
        return Act(a["kind"], a["number"], a.get("date", ""), a.get("lang", ""), a.get("title", "")).ref.work

    return _summarise(
        (v["key"], work(v), i["id"], i["name"], i.get("kpi_id"), i.get("kpi_evidence") or "")
        for v in data.get("versions", [])
        for i in v.get("indicators", [])
    )


def _summarise(rows: Any) -> dict[str, Any]:
    works: dict[str, set[str]] = {}
    versions: dict[str, set[str]] = {}
    unlinked = []
    count = 0
    for key, work, ident, name, kpi, why in rows:
        count += 1
        if kpi is None:
            continue
        works.setdefault(kpi, set()).add(work)
        versions.setdefault(kpi, set()).add(key)
        if f"{NOT_LINKED}: " in (why or ""):
            unlinked.append({"version": key, "id": ident, "kpi_id": kpi, "name": name, "reason": why.split(f"{NOT_LINKED}: ", 1)[1]})
    return {
        "ids": len(works),
        "multi_act": sum(1 for w in works.values() if len(w) > 1),
        "multi_version": sum(1 for w in versions.values() if len(w) > 1),
        "one_version": sum(1 for w in versions.values() if len(w) == 1),
        "unlinked": unlinked,
        "rows": count,
    }
