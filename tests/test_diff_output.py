"""diff for people: unchanged sections hidden (``--all`` shows them), a rename shown old → new with the word marked."""

from __future__ import annotations

from conftest import CORPUS
from test_diff import RU, renamed_row, write_variant
from typer.testing import CliRunner

from legalkpi.api import extract_file
from legalkpi.cli import app
from legalkpi.diff import diff_records, marked_words, to_markdown, word_changes


def test_word_changes_mark_only_the_changed_word():
    old = "Доля доступных (работающих) автоматизированных государственных услуг"
    new = "Доля доступных (функционирующих) автоматизированных государственных услуг"
    assert word_changes(old, new) == [
        ("same", "Доля доступных"), ("del", "(работающих)"), ("ins", "(функционирующих)"),
        ("same", "автоматизированных государственных услуг"),
    ]  # fmt: skip
    assert marked_words(old, new) == (
        "Доля доступных [-(работающих)-] {+(функционирующих)+} автоматизированных государственных услуг"
    )


def test_cli_table_hides_unchanged_sections_and_shows_the_rename(ru1157, tmp_path):
    edits, _ = renamed_row(ru1157)
    variant = write_variant(tmp_path, RU, edits)
    runner = CliRunner()
    res = runner.invoke(app, ["diff", str(RU), str(variant), "--corpus", str(CORPUS)], env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    # Only the general block changed (row 6's name); the 16 ministries' sections are not listed.
    assert "16 unchanged sections not shown (--all shows them)" in res.stdout
    assert "Министерства сельского хозяйства" not in res.stdout
    assert "[-(работающих)-] {+(функционирующих)+}" in res.stdout
    everything = runner.invoke(app, ["diff", str(RU), str(variant), "--all", "--corpus", str(CORPUS)], env={"COLUMNS": "300"})
    assert "not shown" not in everything.stdout and "сельского хозяйства" in everything.stdout


def test_markdown_hides_unchanged_sections_and_marks_words(ru1157, tmp_path):
    edits, _ = renamed_row(ru1157)
    d = diff_records(ru1157, extract_file(write_variant(tmp_path, RU, edits)))
    text = to_markdown(d)
    assert text.count("#### ") == 1 and "16 unchanged sections not shown" in text
    assert "~~(работающих)~~ **(функционирующих)**" in text
