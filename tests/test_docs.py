"""Every command is documented in the README (the sqlite-utils habit)."""

from __future__ import annotations

from pathlib import Path

import pytest

from legalkpi.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_command_is_documented(command):
    assert f"legalkpi {command}" in README, f"README.md does not document `legalkpi {command}`"


def test_readme_names_the_two_setup_commands():
    assert "make catalog" in README and "make test" in README


def test_cli_help_does_not_import_heavy_libraries():
    import subprocess
    import sys

    code = (
        "import sys, legalkpi.cli as c\n"
        "heavy = [m for m in ('spacy', 'pdfplumber', 'sqlmodel', 'sqlalchemy', 'docx', 'bs4', 'matplotlib') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""
