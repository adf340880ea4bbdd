"""Recompute a KPI achievement report and say which printed figures the method cannot explain.

The method (as the report states it): Z = a/b·100; W = U when Z ≥ N, else Z/N·U; for an
indicator that should go down, W = U when Z ≤ N, else N/Z·U; for a count (ед.) a is compared
with N instead of Z; N = 0 gives W = 0; W never exceeds U; R = ΣW. A body of several
directions gets one R per direction and its own R aggregated from them.

What the report does not state is how figures were rounded. That is a :class:`Convention`,
found by trying every candidate against every row and keeping the one that explains most
(ties go to the earlier, simpler candidate). Arithmetic is exact (fractions of the printed
decimals), so a candidate never wins or loses on binary floating-point noise.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from itertools import product
from math import floor
from pathlib import Path
from typing import Any

from legalkpi.findings import Finding
from legalkpi.provenance import Source
from legalkpi.reading.report import BodyReport, Part, Report, ReportRow
from legalkpi.text import compare_key
from legalkpi.values import Num, direction

# --- rounding -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Convention:
    """How the authors turned exact values into printed ones."""

    z_rounding: str  # "round" (half up) | "truncate"
    w_from: str  # "rounded-z": W computed from Z as printed | "exact-z": from the exact share
    w_rounding: str  # "round" | "truncate"
    r_rounding: str = "truncate"  # R = ΣW printed at the same decimals; found separately
    decimals: int = 1

    @property
    def name(self) -> str:
        return f"Z {self.z_rounding}, W from {self.w_from} {self.w_rounding}, {self.decimals} decimal"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "z_rounding": self.z_rounding, "w_from": self.w_from,
                "w_rounding": self.w_rounding, "r_rounding": self.r_rounding, "decimals": self.decimals}


MODES = ("round", "truncate")
W_SOURCES = ("rounded-z", "exact-z")
CANDIDATES = tuple(Convention(z, src, w) for z, src, w in product(MODES, W_SOURCES, MODES))


def to_places(x: Fraction, mode: str, places: int) -> Fraction:
    """x rounded half-up or truncated toward zero at ``places`` decimals, exactly."""
    scale = 10**places
    sign = -1 if x < 0 else 1
    y = abs(x) * scale
    whole = floor(y + Fraction(1, 2)) if mode == "round" else floor(y)
    return Fraction(sign * whole, scale)


def _frac(n: Num) -> Fraction | None:
    return Fraction(n.value) if n.value is not None else None


def _out(x: Fraction | None) -> float | None:
    return None if x is None else float(Decimal(x.numerator) / Decimal(x.denominator))


# --- which indicators should go down --------------------------------------------------------

# The report states a rule for KPI "идут на уменьшение" but does not mark which ones: the
# indicator's name says it (legalkpi.values.direction, the same rule `check` uses).


def should_decrease(name: str, lang: str = "ru") -> bool:
    return direction(name, lang) == "down"


# --- one row --------------------------------------------------------------------------------


@dataclass
class RowScore:
    row: ReportRow
    rule: str  # "increasing" | "decreasing" | "units" | "zero-target" | "no-data"
    z_exact: Fraction | None
    w_exact: Fraction
    z: Fraction | None  # as the convention prints it
    w: Fraction
    z_ok: bool
    w_ok: bool
    notes: list[str] = field(default_factory=list)

    @property
    def explained(self) -> bool:
        return self.z_ok and self.w_ok

    def to_dict(self) -> dict[str, Any]:
        r = self.row
        return {
            "number": r.number, "name": r.name, "unit": r.unit, "rule": self.rule,
            "U": r.u.as_float(), "N": r.n.as_float(), "a": r.a.as_float(), "b": r.b.as_float(),
            "Z_printed": r.z.text, "Z_recomputed": _out(self.z), "Z_exact": _out(self.z_exact),
            "W_printed": r.w.text, "W_recomputed": _out(self.w), "W_exact": _out(self.w_exact),
            "explained": self.explained, "notes": self.notes, "lines": r.source.lines(),
        }


def exact_share(row: ReportRow) -> Fraction | None:
    """Z = a/b·100, or None when a or b is missing or b is 0 (the share is undefined)."""
    a, b = _frac(row.a), _frac(row.b)
    if a is None or b is None or b == 0:
        return None
    return a / b * 100


def assigned_weight(row: ReportRow, z: Fraction | None) -> tuple[str, Fraction]:
    """(rule applied, exact W) for a row given the share Z the authors would have used."""
    u, n, a = _frac(row.u) or Fraction(0), _frac(row.n), _frac(row.a)
    if n is None or n == 0:
        return "zero-target", Fraction(0)  # "если N=0; W=0"; no target printed counts the same
    if row.unit_kind == "count":
        if a is None:
            return "no-data", Fraction(0)
        return "units", min(u, u if a >= n else a / n * u)
    if z is None:
        return "no-data", Fraction(0)
    if should_decrease(row.name):
        return "decreasing", u if z <= n else min(u, n / z * u)
    return "increasing", u if z >= n else min(u, z / n * u)


def _printed_matches(printed: Num, value: Fraction, mode: str, places: int) -> tuple[bool, Fraction]:
    """Whether a printed figure is ``value`` under the rounding; and the value as compared.

    A figure printed with more decimals than the convention (3,75) was kept exact by the
    authors, so it is compared at its own precision; fewer decimals (6 for 6,0) is just how a
    whole number prints.
    """
    shown = to_places(value, mode, max(places, printed.decimals))
    return printed.value is not None and Fraction(printed.value) == shown, shown


def _nothing(n: Num) -> bool:
    return n.value is None or n.value == 0


def _share_matches(row: ReportRow, z_exact: Fraction | None, conv: Convention) -> tuple[bool, Fraction | None]:
    """Whether the printed Z is the share; the authors write "0" and "-" alike for "nothing".

    МП prints 0 for 0/0 and МО prints "-" for 0/0, МТ prints "-" for 0/31: either explains an
    undefined or zero share. A count (ед.) has no share at all.
    """
    if row.unit_kind == "count":
        return row.z.value is None, None
    if z_exact is None:
        return row.z.value is None or (row.z.value == 0 and _nothing(row.a)), None
    if z_exact == 0:
        return _nothing(row.z), Fraction(0)
    return _printed_matches(row.z, z_exact, conv.z_rounding, conv.decimals)


def score_row(row: ReportRow, conv: Convention) -> RowScore:
    notes: list[str] = []
    z_exact = exact_share(row) if row.unit_kind != "count" else None
    z_shown = to_places(z_exact, conv.z_rounding, conv.decimals) if z_exact is not None else None
    z_for_w = z_shown if conv.w_from == "rounded-z" else z_exact
    rule, w_exact = assigned_weight(row, z_for_w)
    z_ok, z_cmp = _share_matches(row, z_exact, conv)
    if z_ok and z_exact is None and row.z.value == 0:
        notes.append("share undefined (b is 0 or missing), printed 0")
    elif z_ok and z_exact == 0 and row.z.value is None:
        notes.append(f"zero share printed as {row.z.text!r}")
    if w_exact == 0:
        w_ok, w_cmp = _nothing(row.w), Fraction(0)
    else:
        w_ok, w_cmp = _printed_matches(row.w, w_exact, conv.w_rounding, conv.decimals)
    if row.unit_kind == "count":
        notes.append("count indicator: a compared with N")
    if rule == "decreasing":
        notes.append("decreasing indicator (read from its name): W = U if Z <= N else N/Z*U")
    if rule == "zero-target" and row.n.value is None:
        notes.append("no target N printed: W = 0 as for N = 0")
    return RowScore(row, rule, z_exact, w_exact, z_cmp, w_cmp, z_ok, w_ok, notes)


# --- bodies ---------------------------------------------------------------------------------


AGGREGATES = ("mean", "sum")


def _aggregate(values: list[Fraction], how: str) -> Fraction:
    return sum(values, Fraction(0)) / (len(values) if how == "mean" else 1)


def r_shown(x: Fraction, conv: Convention) -> Fraction:
    return to_places(x, conv.r_rounding, conv.decimals)


def _r_matches(printed: Num | None, value: Fraction, conv: Convention) -> bool:
    return printed is not None and _printed_matches(printed, value, conv.r_rounding, conv.decimals)[0]


def printed_w_sum(rows: list[ReportRow]) -> Fraction:
    """ΣW over the printed weights ("-" counts as 0): what the authors' own R should be."""
    return sum((Fraction(r.w.value) for r in rows if r.w.value is not None), Fraction(0))


@dataclass
class PartScore:
    part: Part
    rows: list[RowScore]
    r: Fraction  # ΣW of the recomputed (printed-precision) weights


@dataclass
class BodyScore:
    body: BodyReport
    parts: list[PartScore]
    r: Fraction  # exact ΣW, or the aggregate of the directions' printed-precision R
    rank_printed: int | None = None
    rank: int | None = None
    r_ranking: Num | None = None  # R as the ranking table prints it

    @property
    def direction(self) -> str:
        return _direction(self.body)

    def to_dict(self, conv: Convention, aggregate: str) -> dict[str, Any]:
        body = self.body
        d: dict[str, Any] = {
            "body": body.name, "short": body.short, "direction": self.direction,
            "R_printed": body.result.as_float() if body.result else None,
            "R_recomputed": _out(r_shown(self.r, conv)),
            "R_exact": _out(self.r),
            "R_ranking_table": self.r_ranking.as_float() if self.r_ranking else None,
            "rank_printed": self.rank_printed, "rank_recomputed": self.rank,
            "rows": [rs.to_dict() | {"direction": ps.part.direction} for ps in self.parts for rs in ps.rows],
        }
        if len(self.parts) > 1:
            d["aggregate"] = aggregate
            d["directions"] = [
                {"direction": ps.part.direction,
                 "R_printed": ps.part.result.as_float() if ps.part.result else None,
                 "R_recomputed": _out(r_shown(ps.r, conv))}
                for ps in self.parts
            ]
        return d


def _direction(body: BodyReport) -> str:
    return body.direction or "; ".join(p.direction for p in body.parts)


def score_body(body: BodyReport, conv: Convention, aggregate: str) -> BodyScore:
    parts = []
    for part in body.parts:
        rows = [score_row(r, conv) for r in part.rows]
        parts.append(PartScore(part, rows, sum((rs.w for rs in rows), Fraction(0))))
    if len(parts) == 1:
        return BodyScore(body, parts, parts[0].r)
    # each direction's R is printed rounded; the body's R is built from those printed values
    return BodyScore(body, parts, _aggregate([r_shown(p.r, conv) for p in parts], aggregate))


# --- the convention -------------------------------------------------------------------------


def explained_rows(report: Report, conv: Convention) -> int:
    return sum(score_row(r, conv).explained for b in report.bodies for r in b.rows)


def _sums_printed(report: Report) -> list[tuple[Num, Fraction]]:
    """(printed R, ΣW of printed W) for every direction and every single-direction body."""
    out = []
    for body in report.bodies:
        for part in body.parts:
            res = part.result if len(body.parts) > 1 else body.result
            if res is not None and res.value is not None:
                out.append((res, printed_w_sum(part.rows)))
    return out


def find_r_rounding(report: Report) -> tuple[str, dict[str, int]]:
    """How R = ΣW is printed, tested on the authors' own W so that a wrong row cannot hide it."""
    sums = _sums_printed(report)
    counts = {m: sum(_printed_matches(res, total, m, 1)[0] for res, total in sums) for m in MODES}
    return max(MODES, key=lambda m: counts[m]), counts


def find_aggregate(report: Report, conv: Convention) -> tuple[str, dict[str, int]]:
    """How a body of several directions builds its R from theirs, read from its printed figures."""
    counts = dict.fromkeys(AGGREGATES, 0)
    for body in report.bodies:
        printed = [p.result.value for p in body.parts if p.result and p.result.value is not None]
        if len(body.parts) < 2 or len(printed) != len(body.parts):
            continue
        for how in AGGREGATES:
            counts[how] += _r_matches(body.result, _aggregate([Fraction(v) for v in printed], how), conv)
    return max(AGGREGATES, key=lambda h: counts[h]), counts  # ties keep the first: "mean"


def find_convention(report: Report) -> tuple[Convention, list[tuple[Convention, int]], dict[str, int]]:
    """The candidate explaining most rows (first on ties), with the R rounding found from sums."""
    tally = [(c, explained_rows(report, c)) for c in CANDIDATES]
    best = max(tally, key=lambda t: t[1])[0]
    r_mode, r_counts = find_r_rounding(report)
    return replace(best, r_rounding=r_mode), tally, r_counts


def convention_named(rounding: str) -> Convention | None:
    """--rounding: "round" or "truncate" for Z, W and R alike, W from the printed Z; "auto" -> None."""
    if rounding == "auto":
        return None
    if rounding not in MODES:
        raise ValueError(f"rounding must be auto, round or truncate, not {rounding!r}")
    return Convention(rounding, "rounded-z", rounding, rounding)


def method_notes(report: Report) -> list[str]:
    """What the stated method gets wrong or leaves out, and what was assumed instead."""
    notes = []
    dec = report.rule("decreasing")
    if dec is not None and dec.otherwise.upper() == "Z/N*U":
        notes.append("the decreasing rule prints Z/N*U for Z > N, which would exceed U; "
                     "the reverse ratio N/Z*U is applied")
    for key, assumed in (("ratio", "Z = a/b*100"), ("increasing", "W = U if Z >= N else Z/N*U"),
                         ("units", "for ед. W = U if a >= N else a/N*U"), ("zero-target", "N = 0 gives W = 0"),
                         ("sum", "R = sum of W")):
        if report.rule(key) is None:
            notes.append(f"rule not stated in the report, assumed: {assumed}")
    notes.append("W capped at U; no target N printed is treated as N = 0")
    return notes


# --- findings -------------------------------------------------------------------------------


# Codes of the figures a report prints wrong; each is an error of the printed report.
CODES: dict[str, str] = {
    "z-differs": "the printed share Z is not a/b*100 under the report's convention, or is impossible",
    "w-differs": "the printed assigned weight W is not what the method gives, or exceeds U",
    "r-differs": "the printed result R is not the sum of the weights W",
    "r-missing": "a body prints no result R",
    "r-ranking-differs": "the ranking table and the body's section print different R",
    "rank-differs": "the printed rank is not the rank by recomputed R",
    "rank-unmatched": "a ranked body has no section, or a body is missing from the ranking",
}


def _finding(code: str, body: str, direction: str, number: int | None, fld: str, printed: str,
             recomputed: float | int | None, message: str, source: Source | None) -> Finding:
    """A finding of the shared type; the report's own facts ride along in ``data``."""
    return Finding(code, "error", message, source=source, subject=body, field=fld, data={
        "body": body, "direction": direction, "number": number, "printed": printed,
        "recomputed": recomputed, "lines": source.lines() if source else [],
    })  # fmt: skip


def _fmt(x: Fraction | None) -> str:
    v = _out(x)
    return "none" if v is None else f"{v:.4f}".rstrip("0").rstrip(".")


def _w_hint(rs: RowScore, conv: Convention) -> str:
    """Why a printed W may differ: it follows a wrong printed Z, or it was not capped at U."""
    row = rs.row
    if row.z.value is not None and not rs.z_ok:
        _, w_from_printed = assigned_weight(row, Fraction(row.z.value))
        if _printed_matches(row.w, w_from_printed, conv.w_rounding, conv.decimals)[0]:
            return f"; it follows the printed Z {row.z.text}"
    u, n, z = _frac(row.u), _frac(row.n), rs.z if conv.w_from == "rounded-z" else rs.z_exact
    if u and n and z is not None and row.unit_kind != "count":
        uncapped = z / n * u
        if uncapped > u and _printed_matches(row.w, uncapped, conv.w_rounding, conv.decimals)[0]:
            return f"; it is Z/N*U = {_fmt(uncapped)} not capped at U"
    return ""


def row_findings(body: BodyReport, part: Part, rs: RowScore, conv: Convention) -> list[Finding]:
    row, out = rs.row, []

    def add(fld: str, printed: Num, recomputed: Fraction | None, message: str) -> None:
        src = row.cells.get(fld.lower(), row.source)
        out.append(_finding(f"{fld.lower()}-differs", body.name, part.direction, row.number, fld, printed.text,
                            _out(recomputed), message, src))

    # one finding per printed cell: what is impossible about it first, then what the method gives
    z_says = [f"impossible: a share printed above 100 ({row.z.text})"] if (
        row.unit_kind == "percent" and row.z.value is not None and row.z.value > 100) else []
    if row.unit_kind == "percent" and rs.z_exact is not None and rs.z_exact > 100:
        z_says.append(f"impossible: numerator a {row.a.text} exceeds denominator b {row.b.text}")
    if not rs.z_ok:
        z_says.append(f"Z printed {row.z.text or 'blank'}; a/b*100 = {_fmt(rs.z_exact)} "
                      f"(a={row.a.text or '-'}, b={row.b.text or '-'})")
    w_says = [f"impossible: W {row.w.text} above the weight U {row.u.text}"] if (
        row.w.value is not None and row.u.value is not None and row.w.value > row.u.value) else []
    if not rs.w_ok:
        w_says.append(f"W printed {row.w.text or 'blank'}; {rs.rule} rule gives {_fmt(rs.w_exact)} "
                      f"(U={row.u.text}, N={row.n.text}){_w_hint(rs, conv)}")
    if z_says:
        add("Z", row.z, rs.z, "; ".join(z_says))
    if w_says:
        add("W", row.w, rs.w, "; ".join(w_says))
    return out


def _r_message(printed: Num, recomputed: Fraction, rows: list[ReportRow], conv: Convention) -> str:
    own = printed_w_sum(rows)
    follows = "which the printed R follows" if _r_matches(printed, own, conv) else "which it does not follow either"
    return f"R printed {printed.text}; ΣW recomputed = {_fmt(recomputed)}; ΣW of the printed W = {_fmt(own)}, {follows}"


def result_findings(bs: BodyScore, conv: Convention) -> list[Finding]:
    body, out = bs.body, []
    for ps in bs.parts if len(bs.parts) > 1 else []:
        res = ps.part.result
        if res is not None and not _r_matches(res, ps.r, conv):
            out.append(_finding("r-differs", body.name, ps.part.direction, None, "R", res.text,
                                _out(r_shown(ps.r, conv)), "direction " + _r_message(res, ps.r, ps.part.rows, conv),
                                ps.part.result_source))
    res = body.result
    where = body.result_source
    if res is None or res.value is None:
        out.append(_finding("r-missing", body.name, bs.direction, None, "R", res.text if res else "",
                            _out(r_shown(bs.r, conv)), "no result R printed for the body", where))
    elif not _r_matches(res, bs.r, conv):
        msg = (_r_message(res, bs.r, body.rows, conv) if len(bs.parts) == 1
               else f"R printed {res.text}; built from the directions' recomputed R = {_fmt(bs.r)}")
        out.append(_finding("r-differs", body.name, bs.direction, None, "R", res.text, _out(r_shown(bs.r, conv)),
                            msg, where))
    if bs.r_ranking is not None and res is not None and res.value is not None and res.value != bs.r_ranking.value:
        out.append(_finding("r-ranking-differs", body.name, bs.direction, None, "R", bs.r_ranking.text,
                            res.as_float(), f"the ranking table prints {bs.r_ranking.text}, the body's section {res.text}",
                            where))
    return out


# --- ranking --------------------------------------------------------------------------------


def _key(text: str) -> str:
    return compare_key(text)


def rank_bodies(scores: list[BodyScore], report: Report, conv: Convention) -> list[Finding]:
    """Rank by recomputed R as printed (ties share a rank) and compare with the printed ranking."""
    shown = [r_shown(bs.r, conv) for bs in scores]
    for bs, mine in zip(scores, shown, strict=True):
        bs.rank = 1 + sum(1 for other in shown if other > mine)
    by_name = {_key(bs.body.name): bs for bs in scores}
    out: list[Finding] = []
    for entry in report.ranking:
        match = by_name.get(_key(entry.body))
        if match is None:
            out.append(_finding("rank-unmatched", entry.body, entry.direction, None, "rank", str(entry.rank), None,
                                "ranked body has no section in the report", entry.source))
            continue
        match.rank_printed, match.r_ranking = entry.rank, entry.result
    for bs in scores:
        if bs.rank_printed is None and report.ranking:
            out.append(_finding("rank-unmatched", bs.body.name, bs.direction, None, "rank", "", bs.rank,
                                "body missing from the ranking table", bs.body.source))
        elif bs.rank_printed is not None and bs.rank_printed != bs.rank:
            out.append(_finding("rank-differs", bs.body.name, bs.direction, None, "rank", str(bs.rank_printed),
                                bs.rank, f"printed rank {bs.rank_printed}; by recomputed R the rank is {bs.rank}",
                                bs.body.source))
    return out


# --- the whole report -----------------------------------------------------------------------


@dataclass
class ScoreResult:
    convention: Convention
    chosen_by: str  # "auto" | "given"
    tally: list[tuple[Convention, int]]
    r_tally: dict[str, int]
    aggregate: str
    aggregate_tally: dict[str, int]
    bodies: list[BodyScore]
    findings: list[Finding]
    rules_stated: list[str]
    notes: list[str]
    total_rows: int

    def ranking(self) -> list[BodyScore]:
        return sorted(self.bodies, key=lambda b: (b.rank or 0, b.rank_printed or 0))

    def to_dict(self) -> dict[str, Any]:
        conv = self.convention
        return {
            "convention": conv.to_dict() | {
                "chosen_by": self.chosen_by,
                "rows": self.total_rows,
                "rows_explained": explained_count(self),
                "candidates": [{"name": c.name, "rows_explained": n} for c, n in self.tally],
                "r_rounding_results_explained": self.r_tally,
                "multi_direction_R": {"rule": self.aggregate, "bodies_matching": self.aggregate_tally},
                "rules_stated": self.rules_stated,
                "notes": self.notes,
            },
            "bodies": [bs.to_dict(conv, self.aggregate) for bs in self.bodies],
            "ranking": [{"rank": bs.rank, "body": bs.body.name, "R_recomputed": _out(r_shown(bs.r, conv)),
                         "rank_printed": bs.rank_printed} for bs in self.ranking()],
            "findings": [f.to_dict() for f in self.findings],
        }


def explained_count(result: ScoreResult) -> int:
    return sum(rs.explained for bs in result.bodies for ps in bs.parts for rs in ps.rows)


def score(report: Report, convention: Convention | None = None) -> ScoreResult:
    """Recompute every row, direction and body under ``convention`` (found when None)."""
    best, tally, r_tally = find_convention(report)
    conv = convention or best
    aggregate, agg_tally = find_aggregate(report, conv)
    bodies = [score_body(b, conv, aggregate) for b in report.bodies]
    rank_findings = rank_bodies(bodies, report, conv)
    findings: list[Finding] = []
    for bs in bodies:
        for ps in bs.parts:
            for rs in ps.rows:
                findings.extend(row_findings(bs.body, ps.part, rs, conv))
        findings.extend(result_findings(bs, conv))
    findings.extend(rank_findings)
    return ScoreResult(
        convention=conv, chosen_by="given" if convention else "auto", tally=tally, r_tally=r_tally,
        aggregate=aggregate, aggregate_tally=agg_tally, bodies=bodies, findings=findings,
        rules_stated=[r.key for r in report.method], notes=method_notes(report),
        total_rows=sum(len(b.rows) for b in report.bodies),
    )


# --- chart ----------------------------------------------------------------------------------


def write_chart(result: ScoreResult, path: str | Path) -> None:
    """Printed vs recomputed R per body as a grouped bar chart (PNG), written atomically."""
    import matplotlib

    matplotlib.use("Agg")  # no display: the chart is a file
    import matplotlib.pyplot as plt

    bodies = result.ranking()
    labels = [bs.body.short or bs.body.name for bs in bodies]
    printed = [bs.body.result.as_float() or 0.0 if bs.body.result else 0.0 for bs in bodies]
    recomputed = [_out(r_shown(bs.r, result.convention)) or 0.0 for bs in bodies]
    xs = range(len(bodies))
    fig, ax = plt.subplots(figsize=(max(6.0, 0.7 * len(bodies) + 2), 4.5))
    try:
        ax.bar([x - 0.2 for x in xs], printed, width=0.4, label="R printed")
        ax.bar([x + 0.2 for x in xs], recomputed, width=0.4, label="R recomputed")
        ax.set_xticks(list(xs), labels, rotation=45, ha="right")
        ax.set_ylabel("R (sum of assigned weights, %)")
        ax.set_title(f"Printed vs recomputed R ({result.convention.name})", fontsize=9)
        ax.legend()
        fig.tight_layout()
        target = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
        try:
            with os.fdopen(fd, "wb") as fh:
                fig.savefig(fh, format="png", metadata={"Software": None})
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; a chart is an ordinary file
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    finally:
        plt.close(fig)
