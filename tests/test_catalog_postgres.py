"""The shared catalogue on a real PostgreSQL server: same rows as SQLite, one build at a time.

A throwaway server is started for the module (initdb + pg_ctl in a temporary folder, on a free
loopback port). As root the server runs as the ``postgres`` user (or ``nobody``): PostgreSQL
refuses to run as root. Without PostgreSQL binaries the tests are skipped, except in CI (CI=true),
where they fail.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from legalkpi.catalogue import catalog as cat
from legalkpi.catalogue import corpus as corpus_mod

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
TABLES = (
    "meta", "catalog_version", "indicator", "indicator_value", "criterion", "agency", "warning",
    "lineage_act", "lineage_relation",
)  # fmt: skip


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_user() -> list[str]:
    """The command prefix that runs the server as a non-root user when we are root."""
    if os.geteuid() != 0:
        return []
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return ["runuser", "-u", name, "--"]
    pytest.fail("running as root and no postgres/nobody user to run PostgreSQL as")


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    bindir = _bin_dir()
    if bindir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) are missing in CI")
        pytest.skip("PostgreSQL server binaries not installed")
    prefix = _as_user()
    # as root the server's user must reach its folder: under /tmp, not a private TMPDIR
    base = Path(tempfile.mkdtemp(prefix="legalkpi-pg-", dir="/tmp" if prefix and os.path.isdir("/tmp") else None))
    data = base / "data"
    if prefix:
        user = prefix[2]
        os.chmod(base, 0o755)
        data.mkdir()
        shutil.chown(data, user=user, group=pwd.getpwnam(user).pw_gid)
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    run = {"check": True, "capture_output": True, "env": env, "cwd": "/"}
    port = _free_port()
    try:
        subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "kpi", "-A", "trust", "-E", "UTF8", "--no-sync"], **run)  # type: ignore[call-overload]
        opts = f"-p {port} -c listen_addresses=127.0.0.1 -k {data} -c fsync=off"
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(data / "log"), "-w", "-t", "60", "start"], **run)  # type: ignore[call-overload]
    except subprocess.CalledProcessError as e:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"could not start PostgreSQL: {e.stderr.decode(errors='replace')[-2000:]}")
    try:
        yield f"postgresql://kpi@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True, cwd="/")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[cat.Catalog, Path]:
    catalog = cat.build(corpus_mod.load(CORPUS), jobs=1)
    out = tmp_path_factory.mktemp("catalog")
    cat.write_all(catalog, out)
    return catalog, out


def _pg_rows(url: str) -> dict[str, list[tuple]]:
    import psycopg

    with psycopg.connect(url) as conn:
        return {t: sorted(map(tuple, conn.execute(f'SELECT * FROM "{t}"').fetchall()), key=repr) for t in TABLES}


def _sqlite_rows(path: Path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(path)
    try:
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in TABLES}
    finally:
        db.close()


def test_postgres_and_sqlite_catalogues_hold_the_same_rows(pg_url, built):
    catalog, out = built
    proc = subprocess.run(
        [sys.executable, "-m", "legalkpi", "build", "--corpus", str(CORPUS), "--out", str(out / "cli"), "--db", pg_url, "-j", "1"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    pg = _pg_rows(pg_url)
    lite = _sqlite_rows(out / "catalog.sqlite")
    assert pg == lite
    assert len(pg["indicator"]) == 115 + 55 + 109 + 109  # the four versions test_catalog.py counts
    assert ("kz/resolution/1157/kk", "s0-p1-n2", 2026, 99.63, "99,63") in [r[:5] for r in pg["indicator_value"]]


def test_two_builds_at_once_leave_one_whole_catalogue(pg_url, built):
    """Two writers at once (one with all versions, one with two): the advisory lock makes them take
    turns, so the result is exactly one of them, never a mixture or an error."""
    from legalkpi.catalogue.catalogdb import write_db

    catalog, out = built
    small = cat.Catalog(versions=catalog.versions[:2], lineage=catalog.lineage)
    errors: list[BaseException] = []

    def write(c: cat.Catalog) -> None:
        try:
            write_db(c, pg_url)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=write, args=(c,)) for c in (catalog, small, catalog, small)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    got = _pg_rows(pg_url)
    versions = sorted(r[0] for r in got["catalog_version"])
    assert versions in (sorted(v.key for v in catalog.versions), sorted(v.key for v in small.versions))
    keys = set(versions)
    assert {r[0] for r in got["indicator"]} == keys
    assert len(got["meta"]) == 1


def test_diff_reads_version_keys_from_postgres(pg_url, built):
    from legalkpi.catalogue.catalogdb import write_db

    catalog, out = built
    write_db(catalog, pg_url)
    args = ["diff", "kz/order/124@2024-10-24/kk", "kz/resolution/1157/kk", "--format", "json", "--fail-on", "added"]
    from_pg = subprocess.run([sys.executable, "-m", "legalkpi", *args, "--db", pg_url], capture_output=True, text=True)
    from_json = subprocess.run(
        [sys.executable, "-m", "legalkpi", *args, "--catalog", str(out / "catalog.json")], capture_output=True, text=True
    )
    assert from_pg.returncode == from_json.returncode == 1, from_pg.stderr
    assert from_pg.stdout == from_json.stdout


def test_unreachable_database_is_one_clear_line(tmp_path):
    url = f"postgresql://kpi@127.0.0.1:{_free_port()}/postgres"
    proc = subprocess.run(
        [sys.executable, "-m", "legalkpi", "diff", "kz/order/124/kk", "kz/resolution/1157/kk", "--db", url],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "cannot read the catalogue" in proc.stderr
