"""Act citations in Russian and Kazakh text: dates, numbers, kinds, quoted titles, own headers.

Russian names an act head first ("Распоряжение Премьер-Министра … от 16 августа 2022 года
№ 124-р"), Kazakh head last ("… Премьер-Министрінің 2022 жылғы 16 тамыздағы № 124-ө өкімі").
Both meet at the number sign, so a citation is found from each "№ <number>": the kind word is
looked for before it (ru) or right after it (kk), the date before it or as "от <date>" after.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from legalkpi.model import base_number
from legalkpi.reading.actwords import KindWord, words

# "№ 124-р", "№ 124-ө", "№ 601/НҚ", "№ 251 НҚ", "№ 1157". Case-sensitive on purpose: the
# space-separated suffix is upper case ("251 НҚ") while the Kazakh kind word after a number
# is lower case ("№ 1157 қаулысы") and must not be swallowed.
_NUMBER = re.compile(
    r"№\s*(?P<num>\d+(?:\s?-\s?[^\W\d_]{1,2}(?![^\W\d_]))?"
    r"(?:\s*/\s*[^\W\d_]{1,3}(?![^\W\d_])|\s+[A-ZА-ЯЁҚҢҒӘӨҰҮҺІ]{2,3}(?![^\W\d_]))?)"
)
_NUMERIC_DATE = re.compile(r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\b")
_QUOTES = '"«»“”„'
# Russian kind word and its date sit within this many characters before the number.
_BEFORE = 260
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class DateSpan:
    start: int
    end: int
    iso: str


@dataclass(frozen=True)
class Citation:
    kind: str
    number: str  # as printed, spaces folded: "124-ө", "251 НҚ"
    date: str  # ISO, "" when the text gives none
    lang: str  # language of the kind word: "ru" | "kk"
    kind_word: str  # as printed: "Распоряжение", "өкімімен"
    start: int  # kind word (ru) or date (kk): where the citation begins
    end: int  # after the number (ru) or after the kind word (kk)
    number_start: int
    number_end: int

    @property
    def base(self) -> str:
        return base_number(self.number)

    @property
    def work(self) -> str:
        return f"kz/{self.kind}/{self.base}"

    @property
    def is_instrumental(self) -> bool:
        """True for the "by act X" form ("приказом", "өкімімен") change notes use."""
        return self.kind_word.lower().endswith(tuple(words().instrumental.get(self.lang, [])))


@lru_cache(maxsize=1)
def _date_patterns() -> list[tuple[str, re.Pattern[str]]]:
    w = words()
    out: list[tuple[str, re.Pattern[str]]] = []
    for lang, months in w.months.items():
        alt = "|".join(f"(?P<m{i + 1}>{m.pattern})" for i, m in enumerate(months))
        year_word = w.year_words[lang]
        if w.head_first[lang]:  # "31 декабря 2024 года"
            pat = rf"\b(?P<d>\d{{1,2}})\s+(?:{alt})\w*\s+(?P<y>\d{{4}})(?:\s*{year_word})?"
        else:  # "2024 жылғы 31 желтоқсандағы"
            pat = rf"\b(?P<y>\d{{4}})\s*{year_word}\s+(?P<d>\d{{1,2}})\s+(?:{alt})\w*"
        out.append((lang, re.compile(pat, re.IGNORECASE)))
    return out


def _iso(y: str, m: int, d: str) -> str:
    try:
        return dt.date(int(y), m, int(d)).isoformat()
    except ValueError:  # "31.02.2024" is a typo, not a date
        return ""


def find_dates(text: str) -> list[DateSpan]:
    """Every date written out (ru, kk) or numerically (dd.mm.yyyy), in text order."""
    spans: list[DateSpan] = []
    for m in _NUMERIC_DATE.finditer(text):
        iso = _iso(m["y"], int(m["m"]), m["d"])
        if iso:
            spans.append(DateSpan(m.start(), m.end(), iso))
    for _, pat in _date_patterns():
        for m in pat.finditer(text):
            month = next(int(k[1:]) for k, v in m.groupdict().items() if k.startswith("m") and v)
            iso = _iso(m["y"], month, m["d"])
            if iso:
                spans.append(DateSpan(m.start(), m.end(), iso))
    return sorted(spans, key=lambda s: s.start)


def parse_date(text: str) -> str:
    """The ISO form of a date written in any supported way, or ""."""
    found = find_dates(text)
    return found[0].iso if found else ""


@lru_cache(maxsize=1)
def _kind_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    w = words()
    before = "|".join(re.escape(k.stem) for k in w.kinds if w.head_first[k.lang])
    after = "|".join(re.escape(k.stem) for k in w.kinds if not w.head_first[k.lang])
    return (
        re.compile(rf"\b(?:{before})\w*", re.IGNORECASE),
        re.compile(rf"\s*(?:{after})\w*", re.IGNORECASE),
    )


def _kind_word(word: str) -> KindWord | None:
    return words().kind_of_stem(word)


def find_citations(text: str) -> list[Citation]:
    """Every dated act citation in ``text``, in order. Numbers without a kind and a date
    (registration numbers, "под № 19982") are not acts and are skipped."""
    if "№" not in text:  # every citation is found from its number sign: none, no citation (and no date to look for)
        return []
    before_re, after_re = _kind_res()
    dates = find_dates(text)
    numbers = list(_NUMBER.finditer(text))
    out: list[Citation] = []
    prev_end = 0
    for i, m in enumerate(numbers):
        nxt = numbers[i + 1].start() if i + 1 < len(numbers) else len(text)
        number = _SPACES.sub(" ", m["num"]).replace(" -", "-").replace("- ", "-")
        cit = _head_last(text, m, number, nxt, dates, after_re, prev_end) or _head_first(
            text, m, number, nxt, dates, before_re, prev_end
        )
        if cit is not None:
            out.append(cit)
        prev_end = m.end()
    return out


def _head_last(
    text: str,
    m: re.Match[str],
    number: str,
    nxt: int,
    dates: list[DateSpan],
    after_re: re.Pattern[str],
    prev_end: int,
) -> Citation | None:
    k = after_re.match(text, m.end(), nxt)
    if not k:
        return None
    kw = _kind_word(k.group().strip())
    # the date closes the issuer's phrase right before the number: "… 03.11.2023 № 170-ө"
    date = next((d for d in reversed(dates) if prev_end <= d.start and d.end <= m.start()), None)
    if kw is None or date is None or m.start() - date.end > 40:
        return None
    return _citation(kw, number, date, m, k.group().strip(), date.start, k.end())


def _head_first(
    text: str,
    m: re.Match[str],
    number: str,
    nxt: int,
    dates: list[DateSpan],
    before_re: re.Pattern[str],
    prev_end: int,
) -> Citation | None:
    lo = max(prev_end, m.start() - _BEFORE)
    kinds = list(before_re.finditer(text, lo, m.start()))
    if not kinds:
        return None
    k = kinds[-1]
    kw = _kind_word(k.group())
    if kw is None:
        return None
    date = next((d for d in reversed(dates) if k.end() <= d.start and d.end <= m.start()), None)
    if date is None:  # "Утверждены приказом № 601/НҚ от 27.09.2024": the date follows
        after = re.match(r"\s*от\s+", text[m.end() : nxt])
        date = next((d for d in dates if after and d.start == m.end() + after.end()), None)
    if date is None:
        return None
    return _citation(kw, number, date, m, k.group(), k.start(), m.end())


def _citation(
    kw: KindWord, number: str, date: DateSpan, m: re.Match[str], kind_word: str, start: int, end: int
) -> Citation:
    """A citation found around the number ``m``: kind and language from the kind word, span ``start``–``end``."""
    return Citation(
        kind=kw.kind, number=number, date=date.iso, lang=kw.lang, kind_word=kind_word,
        start=start, end=end, number_start=m.start(), number_end=m.end(),
    )  # fmt: skip


def header_citation(line: str) -> Citation | None:
    """The act's own header line: "Постановление Правительства … от 31 декабря 2024 года № 1157"
    or "Қазақстан Республикасы Үкіметінің 2024 жылғы 31 желтоқсандағы № 1157 қаулысы".

    The header is the first citation of the line, in its nominative (header) form, and
    nothing but the issuer precedes it: a list item ("2. Распоряжение …", '2. "…" … өкімі.')
    names an act in the same form but starts with a number or a quoted title.
    """
    text = line.strip()
    cits = find_citations(text)
    if not cits:
        return None
    c = cits[0]
    header = next((k.header for k in words().kinds if k.kind == c.kind and k.lang == c.lang), "")
    if c.kind_word != header:
        return None
    if words().head_first[c.lang]:
        return c if c.start == 0 else None
    lead = text[: c.start]
    if any(q in lead for q in _QUOTES) or re.search(r"\d", lead):
        return None
    rest = text[c.end :]
    return c if not rest.strip() or rest.lstrip().startswith(".") else None


def quoted_title(text: str, cit: Citation, *, item_start: int = 0) -> str:
    """The quoted title of a cited act: after the number in Russian, before the date in Kazakh.

    Converters lose nested closing quotes ('№ 170-р "О внесении … № 124-р "О … Казахстан".'),
    so the title runs from the first to the last quote of its side, and an unmatched inner
    quote is closed (or opened) again.
    """
    if words().head_first[cit.lang]:
        m = re.match(r"\s*[" + _QUOTES + "]", text[cit.number_end :])
        if not m:
            return ""
        first = cit.number_end + m.end() - 1
        last = max(text.rfind(q) for q in _QUOTES)
        inner = text[first + 1 : last] if last > first else text[first + 1 :].rstrip(".; ")
    else:
        side = text[item_start : cit.start]
        pos = [i for i, ch in enumerate(side) if ch in _QUOTES]
        if len(pos) < 2:
            return ""
        inner = side[pos[0] + 1 : pos[-1]]
    return _balance(_SPACES.sub(" ", inner).strip())


def _balance(inner: str) -> str:
    pos = [i for i, ch in enumerate(inner) if ch == '"']
    if len(pos) % 2 == 0:
        return inner
    i = pos[0]
    opener = i + 1 < len(inner) and inner[i + 1].isalnum()
    return inner + '"' if opener else '"' + inner
