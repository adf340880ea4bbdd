"""Markdown output that document text cannot break: escaping and pipe tables.

Indicator names and titles come from the acts and may hold ``|``, ``*``, ``_``, quotes or
line breaks; unescaped they would split a table cell, start emphasis, or inject HTML into a
pull-request comment. Everything taken from a document goes through :func:`escape`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

# Characters Markdown (CommonMark + GitHub tables) gives a meaning to inside a line.
_SPECIAL = re.compile(r"([\\`*_\[\]|#~])")
_NEWLINES = re.compile(r"\s*(?:\r\n|\r|\n)\s*")


# What GitHub turns live in a comment: @mentions (which notify people) and bare links.
_MENTION = re.compile(r"@(?=\w)")
_LINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)(:|\.)")
_ZWSP = "&#8203;"  # a zero-width space between the parts: shown the same, no longer live


def escape(text: object) -> str:
    """One line of literal text: markup characters escaped, ``< > &`` as entities, line breaks as spaces,
    @mentions and bare links (``https://…``, ``www.…``) made inert, control characters shown."""
    from legalkpi.terminal import plain

    s = plain(text)  # control characters and escape sequences shown as \x1b, in a comment and in a terminal
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _SPECIAL.sub(r"\\\1", s)
    s = _MENTION.sub("@" + _ZWSP, s)
    s = _LINK.sub(lambda m: m.group(1) + _ZWSP + m.group(2), s)
    return _NEWLINES.sub(" ", s).strip()


def shorten(text: str, limit: int = 120) -> str:
    """Cut long text (before escaping, so an escape is never cut in half)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def code(text: str) -> str:
    """Inline code span for our own identifiers (ids, keys): backticks inside are dropped."""
    return f"`{text.replace('`', '')}`"


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A pipe table; cells must already be escaped (headers are ours and written plain)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)
