"""The static report site: every link resolves, document text is escaped, rebuilds are
byte-identical, and a person using headless Chromium (Debian's, driven by Playwright, file:// URLs)
finds what the corpus prints.

Values read in corpus/: general row 2 (fault tolerance) has targets 99,61 / 99,62 / 99,63 for
2024-2026 in Order 124 (124-kk-consolidated-151.txt, lines 246-252), 99,74 / 99,63 in 1157-kk.txt
and 99,74 / 99,8 in 1157-ru.txt (lines 217-219); the Ministry of Health's row 6 of the Q1 2024
report is "Доля национальных электронных паспортов здоровья…" (report-2024q1-ru.txt, line 1117).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from legalkpi.catalogue.catalog import Catalog, Version
from legalkpi.errors import BadInput
from legalkpi.model import Act, Formula, Indicator, PartRef, SectionRef, YearValue
from legalkpi.provenance import Source

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HOSTILE = '<script>document.title="pwned"</script><img src=x onerror="document.title=\'pwned\'"> & "q"'


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "legalkpi", "site", "--corpus", str(ROOT / "corpus"), "--out", str(out)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return out


def _hostile_catalog() -> Catalog:
    act = Act(kind="order", number="7", date="2024-01-01", lang="ru", title=HOSTILE)
    ind = Indicator(
        id="s1-p1-n1", section=SectionRef(1, "Раздел <i>1</i>", agency_id="health"), part=PartRef(1, ""), number=1,
        name=HOSTILE, unit="%", unit_kind="percent",
        values=[YearValue(2025, 10.0, "10", 5.0, "5 %"), YearValue(2026, 20.0, "<b>20</b>", 5.0, "5 %")],
        formula=Formula("ratio", "a/b"), source=Source("x.txt", 3, 4),
    )  # fmt: skip
    v = Version(key=act.ref.key, act=act, origin="act", file="x.txt", sha256="0" * 64, indicators=[ind],
                kpi_ids={"s1-p1-n1": 'kpi:health:7-s1-n1"><script>'})  # fmt: skip
    return Catalog(versions=[v], lineage={})


def test_document_text_is_escaped_everywhere():
    from legalkpi.catalogue.site import render

    pages = render(_hostile_catalog())
    assert set(pages) >= {"index.html", "act/kz-order-7-ru.html", "agency/health.html"}
    for path, html in pages.items():
        assert "<script>" not in html and "<img" not in html and "<b>20</b>" not in html, path
    kpi_page = next(html for path, html in pages.items() if path.startswith("kpi/"))
    assert "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;" in kpi_page
    assert "&lt;b&gt;20&lt;/b&gt;" in kpi_page


def _links(page: Path) -> list[str]:
    return re.findall(r'href="([^"]*)"', page.read_text(encoding="utf-8"))


def test_every_link_resolves_and_nothing_is_fetched(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script" not in text and "src=" not in text and "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        for href in _links(page):
            assert not href.startswith(("/", "http")), (page, href)
            target = (page.parent / href.split("#")[0]).resolve()
            assert target.is_file(), (page, href)


def test_rebuild_is_byte_identical(site, tmp_path):
    from legalkpi.catalogue import catalog as cat
    from legalkpi.catalogue import corpus as corpus_mod
    from legalkpi.catalogue.site import write_site

    other = tmp_path / "again"
    write_site(cat.build(corpus_mod.load(ROOT / "corpus")), other)
    mine = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert mine == sorted(p.relative_to(other) for p in other.rglob("*") if p.is_file())
    for rel in mine:
        assert (site / rel).read_bytes() == (other / rel).read_bytes(), rel


def test_refuses_a_folder_it_did_not_write(tmp_path):
    from legalkpi.catalogue.site import write_site

    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(BadInput):
        write_site(_hostile_catalog(), tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    out = tmp_path / "site"
    write_site(_hostile_catalog(), out)
    write_site(_hostile_catalog(), out)  # its own folder is replaced
    assert (out / "index.html").is_file()


def test_cli_refuses_a_foreign_folder_in_one_line(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "legalkpi", "site", "--corpus", str(ROOT / "corpus"), "--out", str(tmp_path)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "not a site written by" in proc.stderr and "Traceback" not in proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def _chromium():
    """Playwright driving Debian's chromium; in CI a missing browser fails the test instead of skipping it."""
    exe = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if exe is None or sync_playwright is None:
        missing = "chromium" if exe is None else "the playwright package"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} is needed for the site's browser test")
        pytest.skip(f"{missing} not installed")
    return sync_playwright, exe


def test_site_in_headless_chromium(site):
    sync_playwright, exe = _chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto((site / "index.html").as_uri())
            assert page.locator("h1").inner_text().startswith("KPI of the digital deputies")

            # A ministry: the report's 2023 rows are there beside Resolution 1157's.
            page.get_by_role("link", name="Министерство здравоохранения Республики Казахстан").click()
            assert page.url.endswith("/agency/health.html")
            body = page.locator("main").inner_text()
            assert "Доля национальных электронных паспортов здоровья" in body
            assert "kz/report/2024q1/ru" in body and "kz/resolution/1157/kk" in body

            # An act, then one indicator's history across versions and languages.
            page.goto((site / "index.html").as_uri())
            page.get_by_role("link", name="kz/resolution/1157/ru", exact=True).click()
            page.locator("#s0").wait_for()
            page.get_by_role("link", name="s0-p1-n2", exact=True).first.click()
            assert page.locator("h1").inner_text() == (
                "Отказоустойчивость информационных систем государственного органа и подведомственных организаций"
            )
            history = page.locator("#history tbody tr")
            rows = {history.nth(k).get_attribute("data-version"): history.nth(k).inner_text() for k in range(history.count())}
            assert set(rows) == {"kz/order/124@2024-10-24/kk", "kz/resolution/1157/kk", "kz/resolution/1157/ru"}
            assert all(x in rows["kz/order/124@2024-10-24/kk"] for x in ("99,61", "99,62", "99,63"))
            assert "99,74" in rows["kz/resolution/1157/kk"] and "99,63" in rows["kz/resolution/1157/kk"]
            assert "99,74" in rows["kz/resolution/1157/ru"] and "99,8" in rows["kz/resolution/1157/ru"]
            assert "істен шығуға төзімділігі" in rows["kz/resolution/1157/kk"]
            dots = page.locator("#chart circle")
            assert dots.count() == 7  # 3 + 2 + 2 targets
            ru = page.locator('#chart g[data-version="kz/resolution/1157/ru"] circle')
            assert [ru.nth(k).get_attribute("data-target") for k in range(ru.count())] == ["99,74", "99,8"]
            assert page.locator("#chart").bounding_box()["width"] > 100  # drawn, not an empty box

            # Its Russian/Kazakh differences: 2026 target 99,8 against 99,63.
            page.get_by_role("link", name=re.compile("Russian ↔ Kazakh differences")).click()
            diffs = page.locator("#differences tbody tr").filter(has_text="s0-p1-n2").filter(has_text="2026")
            assert diffs.count() >= 1
            cells = diffs.first.locator("td")
            assert [cells.nth(k).inner_text() for k in (2, 3, 4, 5)] == ["target", "2026", "99,8", "99,63"]

            # The diff between Order 124 and Resolution 1157 (Kazakh): 2025 target 99,62 -> 99,74.
            page.goto((site / "index.html").as_uri())
            page.get_by_role("link", name="kz/order/124@2024-10-24/kk → kz/resolution/1157/kk").click()
            row = page.locator("#changes tbody tr").filter(has_text="істен шығуға төзімділігі").first
            assert "target 2025: 99,62 → 99,74" in row.inner_text()
            row.get_by_role("link").last.click()
            assert "kpi-general-124-s0-n2" in page.url
            assert dialogs == []
        finally:
            browser.close()


def test_hostile_text_shown_literally_in_the_browser(tmp_path):
    from legalkpi.catalogue.site import write_site

    sync_playwright, exe = _chromium()
    out = tmp_path / "site"
    write_site(_hostile_catalog(), out)
    kpi_page = next((out / "kpi").glob("*.html"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page()
            page.goto(kpi_page.as_uri())
            assert "pwned" not in page.title()
            assert page.locator("h1").inner_text() == HOSTILE
            assert page.locator("img").count() == 0
        finally:
            browser.close()
