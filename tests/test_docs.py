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


def _library_example() -> str:
    section = README.split("## Use it as a library", 1)[1].split("\n## ", 1)[0]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


def test_readme_library_example_runs(monkeypatch, capsys):
    # The README's own example, run from the repository root; the values it prints are those a
    # person reads in corpus/1157-ru.txt (general row 2) and the report's seven wrong figures.
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)
    exec(compile(_library_example(), "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "kz/resolution/1157/ru 109"
    assert out[1] == "[(2025, '99,74', 5.0), (2026, '99,8', 5.0)]"
    assert out[-1] == "truncate 7"


def test_public_api_names_resolve():
    import legalkpi

    assert legalkpi.__version__
    for name in legalkpi.__all__:
        assert getattr(legalkpi, name) is not None, name
