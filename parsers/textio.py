"""Bytes to text: encoding detection and the checks every text reader needs first.

Text renditions come in UTF-8 (with or without BOM), UTF-16 (BOM) or the legacy Windows
Cyrillic code page cp1251. Anything else, binary or empty, is refused with its place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from legalkpi.errors import BadInput

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    sha256: str


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _looks_utf16_without_bom(data: bytes) -> str | None:
    # Cyrillic UTF-16 has a NUL in every other byte for ASCII and 0x04 high bytes for letters.
    sample = data[:4000]
    if len(sample) < 4:
        return None
    high = sample[1::2].count(0) + sample[1::2].count(4)  # high bytes of little-endian units
    low = sample[0::2].count(0) + sample[0::2].count(4)
    half = len(sample) // 2
    # Text has the high bytes nearly all 0/4 and the low bytes nearly never 0; binary has zeros in both.
    if high > 0.6 * half and sample[0::2].count(0) < 0.05 * half:
        return "utf-16-le"
    if low > 0.6 * half and sample[1::2].count(0) < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes, file: str) -> DecodedText:
    """Decode a text rendition; raise :class:`BadInput` naming the file and byte offset."""
    if not data.strip():
        raise BadInput("file is empty: give the file that holds the act's text", file=file)
    digest = sha256_of(data)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return DecodedText(data.decode(enc), enc.replace("-sig", ""), digest)
            except UnicodeDecodeError as e:
                raise BadInput(f"undecodable {enc} text: the file is damaged; save it again as UTF-8", file=file, place=f"byte {e.start}") from None
    bom_less16 = _looks_utf16_without_bom(data)
    if bom_less16:
        try:
            text16 = data.decode(bom_less16)
        except UnicodeDecodeError as e:
            raise BadInput(f"undecodable {bom_less16} text: the file is damaged; save it again as UTF-8", file=file, place=f"byte {e.start}") from None
        if not _has_control_bytes(text16):
            return DecodedText(text16, bom_less16, digest)
    if b"\x00" in data[:65536]:
        raise BadInput("binary file, not text: give the act as text (UTF-8), DOCX, PDF or HTML", file=file, place=f"byte {data.index(0)}")
    text, encoding = decode_utf8_or_cp1251(data, file, what="text (neither UTF-8, UTF-16 nor cp1251)")
    return DecodedText(text, encoding, digest)


def decode_utf8_or_cp1251(data: bytes, file: str, *, what: str, visible: Callable[[str], str] = lambda t: t) -> tuple[str, str]:
    """UTF-8, else cp1251 when the result reads as mostly Cyrillic, else BadInput at the first bad byte.

    cp1251 decodes almost any byte string, so it is accepted only when the letters of the
    ``visible`` text (for HTML: without the Latin markup) are mostly Cyrillic.
    """
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        text = ""
    letters = [ch for ch in visible(text) if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    if letters and cyrillic / len(letters) > 0.5 and not _has_control_bytes(text):
        return text, "cp1251"
    line = data[: utf8_error.start].count(b"\n") + 1
    raise BadInput(f"undecodable {what}: save the file again as UTF-8", file=file, place=f"line {line}, byte {utf8_error.start}")


def _has_control_bytes(text: str) -> bool:
    bad = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f")
    return bad > max(3, len(text) // 1000)


def split_lines(text: str) -> list[str]:
    """Split on newlines only: str.splitlines() would also split on U+2028 and friends."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
