"""The corpus manifest: which files make the catalogue, what act each is, and its hash.

The manifest (``corpus/manifest.json``) is the single list the catalogue is built from. A
file whose SHA-256 differs from the recorded one is refused: the catalogue must come from
exactly the texts that were reviewed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from pathlib import Path

from legalkpi.errors import ManifestError
from legalkpi.model import Act

MANIFEST_NAME = "manifest.json"
CONTENT_KINDS = ("kpi-act", "kpi-report", "rules", "amending", "dt-map")  # dt-map: a digital transformation map (legalkpi.maps)
# Reports carry KPI results, not law; maps are plans: neither has force nor lineage.
NOT_ACTS = ("kpi-report", "dt-map")


@dataclass
class Entry:
    file: str
    kind: str
    number: str
    date: str
    lang: str
    title: str
    origin: str
    content: str
    sha256: str
    edition: str = ""
    seed: str = ""
    date_note: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    def act(self) -> Act:
        return Act(kind=self.kind, number=self.number, date=self.date, lang=self.lang, title=self.title, edition=self.edition)


@dataclass
class Manifest:
    root: Path
    entries: list[Entry]
    version: int = 1

    def path_of(self, entry: Entry) -> Path:
        return self.root / entry.file

    def find(self, file: str | Path) -> Entry | None:
        """The entry for a file, by name inside the corpus folder or by content hash."""
        p = Path(file)
        for e in self.entries:
            if p.name == e.file and p.resolve().parent == self.root.resolve():
                return e
        if p.is_file():
            digest = sha256_file(p)
            return next((e for e in self.entries if e.sha256 == digest), None)
        return None

    def to_json(self) -> str:
        from legalkpi.jsonio import dumps_indented

        names = [f.name for f in fields(Entry)]  # not asdict(), which deep-copies (0.2 s at 1,000 acts)
        docs = []
        for e in self.entries:
            d = {k: dict(v) if isinstance(v, dict) else v for k in names if (v := getattr(e, k)) not in ("", {}) or k == "edition"}
            docs.append(d)
        return dumps_indented({"version": self.version, "documents": docs}) + "\n"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def load(root: str | Path) -> Manifest:
    """Load ``root/manifest.json`` (or a manifest path); raise ManifestError when malformed."""
    path = Path(root)
    if path.is_dir():
        path = path / MANIFEST_NAME
    name = str(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError("no corpus manifest here", file=name) from None
    except json.JSONDecodeError as e:
        raise ManifestError(f"manifest is not valid JSON: {e.msg}", file=name, place=f"line {e.lineno}") from None
    docs = raw.get("documents") if isinstance(raw, dict) else None
    if not isinstance(docs, list):
        raise ManifestError("manifest has no 'documents' list", file=name)
    entries = []
    known = {f for f in Entry.__dataclass_fields__}
    for i, d in enumerate(docs):
        if not isinstance(d, dict):
            raise ManifestError("entry must be an object with file, kind, number, …", file=name, place=f"documents[{i}]")
        missing = [k for k in ("file", "kind", "number", "date", "lang", "title", "origin", "content", "sha256") if k not in d]
        if missing:
            raise ManifestError(f"entry lacks {', '.join(missing)}", file=name, place=f"documents[{i}]")
        if not _plain_name(d["file"]):
            raise ManifestError(f"file {str(d['file'])[:80]!r} must be a plain file name inside the corpus folder "
                                "(no folders, no '..')", file=name, place=f"documents[{i}]")  # fmt: skip
        if d["content"] not in CONTENT_KINDS:
            raise ManifestError(f"content must be one of {', '.join(CONTENT_KINDS)}", file=name, place=f"documents[{i}]")
        entries.append(Entry(**{k: v for k, v in d.items() if k in known}))
    return Manifest(root=path.parent, entries=entries, version=int(raw.get("version", 1)))


def _plain_name(file: object) -> bool:
    """A name that stays inside the corpus folder: no separators, no '..', not hidden."""
    return isinstance(file, str) and file not in ("", ".", "..") and not file.startswith(".") and "/" not in file \
        and "\\" not in file and "\x00" not in file
def version_key(entry: Entry) -> str | None:
    """The catalogue version an entry makes (acts and reports), else None (rules make none)."""
    if entry.content == "kpi-act":
        return entry.act().ref.key
    if entry.content == "kpi-report":
        return Act(kind="report", number=entry.number, date=entry.date, lang=entry.lang, title=entry.title).ref.key
    return None


def check_version_keys(manifest: Manifest) -> None:
    """Refuse two entries that would make one catalogue version ("2024q1" and "2024q1-1" both make
    ``kz/report/2024q1/ru``: the part after a hyphen is the language's letter, not the number)."""
    seen: dict[str, tuple[int, Entry]] = {}
    for i, e in enumerate(manifest.entries):
        key = version_key(e)
        if key is None:
            continue
        if key in seen:
            j, first = seen[key]
            raise ManifestError(
                f"documents[{j}] ({first.file}, number {first.number!r}) and documents[{i}] ({e.file}, number "
                f"{e.number!r}) make the same catalogue version {key}: give one a different number, date, "
                "language or edition",
                file=str(manifest.root / MANIFEST_NAME),
            )
        seen[key] = (i, e)


def verify(manifest: Manifest, entry: Entry) -> Path:
    """The entry's path, after checking that the file exists and matches its hash."""
    verified_bytes(manifest, entry)
    return manifest.path_of(entry)


def verified_bytes(manifest: Manifest, entry: Entry) -> bytes:
    """The entry's bytes, after checking that they match the hash the manifest records."""
    p = manifest.path_of(entry)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ManifestError("file listed in the manifest is missing", file=str(p)) from None
    except IsADirectoryError:
        raise ManifestError("listed in the manifest but is a directory", file=str(p)) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != entry.sha256:
        raise ManifestError(
            f"file does not match its recorded SHA-256 (manifest {entry.sha256[:12]}…, file {digest[:12]}…); "
            "it was changed after review: restore it or record the new version with `legalkpi add`",
            file=str(p),
        )
    return data
