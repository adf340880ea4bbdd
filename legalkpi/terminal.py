"""Text from documents, made safe for a terminal: one helper for every line and table cell.

Document text may hold rich markup (``[/]``, ``[link=…]``), escape sequences (``ESC [ 2 J``,
OSC 8 hyperlinks), carriage returns, backspaces or bidi overrides. Printed as is, it would
crash rich (MarkupError), open live links, or rewrite what the terminal shows. Everything
taken from a document or a file name goes through :func:`plain` (a string) or :func:`cell`
(a rich ``Text``, which rich never reads as markup).
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding/override/isolate marks.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match[str]) -> str:
    o = ord(m.group())
    return f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}"


def plain(text: object, *, newlines: bool = True) -> str:
    """The text with every control character shown as ``\\xNN`` (tab and newline kept when ``newlines``)."""
    s = _CONTROL.sub(_visible, str(text))
    return s if newlines else s.replace("\n", "\\n").replace("\t", " ")


def markup(text: object) -> str:
    """Text to embed in a string that rich reads as markup: controls shown, markup escaped."""
    from rich.markup import escape

    return escape(plain(text))


def cell(text: object) -> Any:
    """A rich ``Text`` (never read as markup) for a table cell, tree label or printed line."""
    from rich.text import Text

    return Text(plain(text))
