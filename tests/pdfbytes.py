"""PDF files written byte by byte for the tests of hostile and damaged input: one writer, used by
test_hostile, test_hardening and the fuzz inputs."""

from __future__ import annotations

import io


def write_pdf(objects: list[bytes], trailer_extra: str = "") -> bytes:
    """A PDF whose numbered objects (1, 2, …) are the given bodies, with a correct cross-reference
    table; object 1 is the catalogue. ``trailer_extra`` is added to the trailer dictionary."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
