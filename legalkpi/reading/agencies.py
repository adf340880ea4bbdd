"""The bilingual agency registry (``data/agencies.json``) and matching of section titles to it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Direction:
    id: str
    ru: str
    kk: str


@dataclass(frozen=True)
class AgencyEntry:
    id: str
    ru: str
    kk: str
    abbr: tuple[str, ...]
    directions: tuple[Direction, ...]


_REPUBLIC = re.compile(r"(Республики Казахстан|Қазақстан Республикасының|РК\b|ҚР\b)", re.IGNORECASE)
_NON_WORD = re.compile(r"[^\w]+")


def _norm(s: str) -> str:
    return _NON_WORD.sub(" ", _REPUBLIC.sub(" ", s.lower().replace("ё", "е"))).strip()


@lru_cache(maxsize=1)
def registry() -> tuple[AgencyEntry, ...]:
    raw = json.loads(resources.files("legalkpi").joinpath("data/agencies.json").read_text(encoding="utf-8"))
    out = []
    for a in raw["agencies"]:
        out.append(
            AgencyEntry(
                id=a["id"],
                ru=a["ru"],
                kk=a["kk"],
                abbr=tuple(a["abbr"]["ru"] + a["abbr"]["kk"]),
                directions=tuple(Direction(**d) for d in a["directions"]),
            )
        )
    return tuple(out)


def match_agency(text: str) -> AgencyEntry | None:
    """The agency a section title, agency-list entry or report body names (either language)."""
    from rapidfuzz import fuzz

    t = _norm(text)
    if not t:
        return None
    best: tuple[float, AgencyEntry | None] = (0.0, None)
    for a in registry():
        for name in (a.ru, a.kk):
            score = fuzz.token_set_ratio(t, _norm(name))
            if score > best[0]:
                best = (score, a)
    return best[1] if best[0] >= 90 else None


def match_direction(text: str) -> tuple[AgencyEntry, Direction] | None:
    """The (agency, direction) a sector title such as "1. Ауыл шаруашылығы" or "Юстиция" names."""
    from rapidfuzz import fuzz

    t = _norm(re.sub(r"^\s*\d+\.\s*", "", text))
    best: tuple[float, tuple[AgencyEntry, Direction] | None] = (0.0, None)
    for a in registry():
        for d in a.directions:
            for name in (d.ru, d.kk):
                score = fuzz.ratio(t, _norm(name))
                if score > best[0]:
                    best = (score, (a, d))
    return best[1] if best[0] >= 85 else None
