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


@lru_cache(maxsize=1)
def _agency_names() -> tuple[tuple[AgencyEntry, str], ...]:
    """Each registry agency with each of its names, normalised: (agency, name), in registry order."""
    return tuple((a, _norm(name)) for a in registry() for name in (a.ru, a.kk))


@lru_cache(maxsize=1)
def _direction_names() -> tuple[tuple[AgencyEntry, Direction, str], ...]:
    """Each registry direction with each of its names, normalised, in registry order."""
    return tuple((a, d, _norm(name)) for a in registry() for d in a.directions for name in (d.ru, d.kk))


def match_agency(text: str) -> AgencyEntry | None:
    """The agency a section title, agency-list entry or report body names (either language)."""
    t = _norm(text)
    return _match_agency(t) if t else None


# Acts name the same few agencies over and over (section titles, agency lists, reports): the
# registry is fixed, so each normalised title is matched once per process.
@lru_cache(maxsize=4096)
def _match_agency(t: str) -> AgencyEntry | None:
    from rapidfuzz import fuzz

    best: tuple[float, AgencyEntry | None] = (0.0, None)
    for a, name in _agency_names():
        score = fuzz.token_set_ratio(t, name)
        if score > best[0]:
            best = (score, a)
    return best[1] if best[0] >= 90 else None


_ORDINAL = re.compile(r"^\s*\d+\.\s*")


def match_direction(text: str) -> tuple[AgencyEntry, Direction] | None:
    """The (agency, direction) a sector title such as "1. Ауыл шаруашылығы" or "Юстиция" names."""
    return _match_direction(_norm(_ORDINAL.sub("", text)))


@lru_cache(maxsize=4096)
def _match_direction(t: str) -> tuple[AgencyEntry, Direction] | None:
    from rapidfuzz import fuzz

    best: tuple[float, tuple[AgencyEntry, Direction] | None] = (0.0, None)
    for a, d, name in _direction_names():
        score = fuzz.ratio(t, name)
        if score > best[0]:
            best = (score, (a, d))
    return best[1] if best[0] >= 85 else None
