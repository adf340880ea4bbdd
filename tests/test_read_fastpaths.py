"""The reader's fast paths give exactly what the plain paths gave (issue #12: corpus scale).

Each optimised function is held against a plain reference written here: the code it replaced
(legalkpi b1a30a8), on the corpus's own texts and on generated ones. Where a fast path rests on a
fact about Python (which characters are white space, which letters a case-insensitive pattern
takes for which), the fact is checked over every code point.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from legalkpi.text import SPACE_CHARS, drop_spaces, fold_inline, fold_spaces, may_hold
from parsers import pdftext, read_document
from parsers import words as words_mod
from parsers.header import _NAME, NAME_WORDS, texts_name_indicators
from parsers.words import Vocabulary, repair_spacing, shipped

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SETTINGS = settings(
    max_examples=400, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
EVERY_CHAR = "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i <= 0xDFFF)
# Characters that decide the rules: spaces of every kind, tabs, line breaks, brackets, signs, tags,
# Cyrillic and Kazakh letters in both cases, the Extended-C letters a case-insensitive pattern folds.
ALPHABET = " \t\n\r\u00a0\u2007\u202f\u2009\u2028\u3000\x1c$()<>/p.,;:-–%№«»_1 9aAzяЯёӘәіІңҢөӨ\u1c80\u1c82\u0130"
texts = st.text(alphabet=ALPHABET, max_size=60)


def _corpus_texts() -> list[str]:
    out = []
    for path in sorted(CORPUS.glob("*.txt")):
        doc = read_document(path)
        out += [p.text for p in doc.paragraphs()]
        out += [c.text for r in doc.rows() for c in r.cells]
        out += [c.orig for r in doc.rows() for c in r.cells]
    return out


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    return _corpus_texts()


# --- white space --------------------------------------------------------------------------------

_ANY = re.compile(f"[\\s{SPACE_CHARS}]+")  # the pattern fold_spaces and drop_spaces used
_INLINE = re.compile(f"[\t{SPACE_CHARS}]+")


def test_the_converters_spaces_and_backslash_s_are_what_str_split_cuts_at():
    assert all(ch.isspace() for ch in SPACE_CHARS)
    assert "".join(re.findall(r"\s", EVERY_CHAR)) == "".join(ch for ch in EVERY_CHAR if ch.isspace())
    assert EVERY_CHAR.split() == [w for w in re.split(r"\s+", EVERY_CHAR) if w]


@SETTINGS
@given(texts)
def test_fold_spaces_drop_spaces_and_fold_inline_are_the_patterns(text):
    assert fold_spaces(text) == _ANY.sub(" ", text).strip()
    assert drop_spaces(text) == _ANY.sub("", text)
    assert fold_inline(text) == _INLINE.sub(" ", text).strip()


def test_fold_functions_on_the_corpus(corpus_texts):
    for text in corpus_texts:
        assert fold_spaces(text) == _ANY.sub(" ", text).strip()
        assert fold_inline(text) == _INLINE.sub(" ", text).strip()


# --- case-insensitive patterns behind a word test -------------------------------------------------


def _word_tests() -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
    from legalkpi.reading import normalize as nz

    return [
        (_NAME, NAME_WORDS),
        (nz._QUANT, nz.QUANT_WORDS),
        (nz._CRITERIA, nz.CRITERIA_WORDS),
        (nz._RATIO, nz.RATIO_WORDS),
    ]


def test_every_letter_a_pattern_takes_for_a_word_letter_lowers_to_it_or_is_tested_apart():
    """may_hold looks for the words in str.lower(); a case-insensitive pattern also takes the
    letters of Cyrillic Extended-C for в, д, о, с, т, ъ: may_hold lets any text holding one through."""
    odd = set("\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1c88")
    for _, words in _word_tests():
        for letter in set("".join(words)):
            assert letter == letter.lower()
            taken = set(re.findall(re.escape(letter), EVERY_CHAR, re.IGNORECASE))
            assert {ch for ch in taken if ch.lower() != letter} <= odd, letter


def _word_pieces() -> list[str]:
    return sorted({w for _, words in _word_tests() for w in words} | {"ключевые показатели", "Наименование показателя"})


@SETTINGS
@given(st.lists(st.one_of(texts, st.sampled_from(_word_pieces()).map(lambda w: w.upper()), st.sampled_from(_word_pieces())), max_size=4))
def test_may_hold_is_true_wherever_the_pattern_matches(pieces):
    text = "".join(pieces)
    for pattern, words in _word_tests():
        if pattern.search(text):
            assert may_hold(text, words)
    # the same for the texts with a folded letter ("наименоᲀание")
    odd = text.replace("в", "\u1c80").replace("о", "\u1c82")
    for pattern, words in _word_tests():
        if pattern.search(odd):
            assert may_hold(odd, words)


def _plain_names_indicators(texts: list[str]) -> bool:
    filled = {" ".join(t.split()) for t in texts if t.strip()}
    agency = re.compile(r"наименование\s+государственного\s+органа|мемлекеттік\s+органның\s+атауы", re.IGNORECASE)
    return len(filled) >= 3 and any(_NAME.search(t) and not agency.search(t) for t in filled)


def test_header_rows_found_as_before(corpus_texts):
    for path in sorted(CORPUS.glob("*.txt")):
        for row in read_document(path).rows():
            cells = [c.text for c in row.cells]
            assert texts_name_indicators(cells) == _plain_names_indicators(cells)


@SETTINGS
@given(st.lists(st.one_of(texts, st.sampled_from(_word_pieces())), max_size=5))
def test_header_test_on_generated_rows(cells):
    assert texts_name_indicators(cells) == _plain_names_indicators(cells)


# --- split-word repair (parsers.words) ------------------------------------------------------------
# The plain path: the repair as it was before the chunks became tuples cut by one findall.

_MATH = re.compile(r"(\$[^$]*\$)")
_CHUNK = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.DOTALL)
_LETTER = re.compile(r"^[\u0400-\u04ff]$")


@dataclass
class _Chunk:
    lead: str
    core: str
    trail: str

    def __str__(self) -> str:
        return self.lead + self.core + self.trail


def _plain_repair(text: str, vocab: Vocabulary) -> str:
    return "\n".join(_plain_line(line, vocab) for line in text.split("\n"))


def _plain_line(line: str, vocab: Vocabulary) -> str:
    parts = _MATH.split(line)
    for k in range(0, len(parts), 2):
        parts[k] = _plain_prose(parts[k], vocab)
    return "".join(parts)


def _plain_chunks(prose: str) -> list[_Chunk]:
    return [_Chunk(*_CHUNK.match(raw).groups()) for raw in prose.split(" ")]  # type: ignore[union-attr]


def _plain_prose(prose: str, vocab: Vocabulary) -> str:
    lead = prose[: len(prose) - len(prose.lstrip(" "))]
    tail = prose[len(prose.rstrip(" ")) :]
    body = prose.strip(" ")
    if not body:
        return prose
    chunks = _plain_join_glued(_plain_letter_runs(_plain_chunks(re.sub(" +", " ", body))), vocab)
    text = " ".join(str(c) for c in chunks)
    text = words_mod._SPACE_BEFORE_ENDING.sub("", words_mod._SPACE_AFTER_PAREN.sub("(", words_mod._SPACE_BEFORE_PUNCT.sub("", text)))
    return lead + text + tail


def _is_letter(chunk: _Chunk) -> bool:
    return bool(_LETTER.match(chunk.core))


def _plain_letter_runs(chunks: list[_Chunk]) -> list[_Chunk]:
    out: list[_Chunk] = []
    i = 0
    while i < len(chunks):
        j = i
        while j + 1 < len(chunks) and _is_letter(chunks[j]) and _is_letter(chunks[j + 1]) and not chunks[j].trail and not chunks[j + 1].lead:
            j += 1
        if j > i:
            out.append(_Chunk(chunks[i].lead, "".join(c.core for c in chunks[i : j + 1]), chunks[j].trail))
        else:
            out.append(chunks[i])
        i = j + 1
    return out


def _plain_join_glued(chunks: list[_Chunk], vocab: Vocabulary) -> list[_Chunk]:
    out: list[_Chunk] = []
    for c in chunks:
        if out and not out[-1].trail and not c.lead and _plain_should_join(out[-1].core, c.core, vocab):
            out[-1] = _Chunk(out[-1].lead, out[-1].core + c.core, c.trail)
        else:
            out.append(c)
    return out


def _plain_should_join(left: str, right: str, vocab: Vocabulary) -> bool:
    if not (left and right and right[0].islower() and left[-1].isalpha() and right.replace("-", "").isalpha()):
        return False
    if _LETTER.match(left) and left.isupper():
        return False
    joined = vocab.count(left + right)
    once_is_enough = len(right) < 5 or vocab.endings.get(right.lower(), 0) > 0
    if joined and joined > min(vocab.count(left), vocab.count(right)) and (joined >= 2 or once_is_enough):
        return True
    if len(left) < 2 or not vocab.is_ending(right):
        return False
    return len(right) > 2 or vocab.endings.get((left[-1] + right).lower(), 0) >= words_mod.MIN_ENDING_WORDS


def test_repair_of_the_kazakh_pdf_text_is_the_plain_repair():
    vocab = shipped()
    raw = (CORPUS / "1157-kk.txt").read_text(encoding="utf-8")
    lines = [pdftext._plain(cell) for line in raw.split("\n") for cell in line.split("\t")]
    assert any(repair_spacing(t, vocab) != t for t in lines)  # the text has split words to mend
    for text in lines:
        assert repair_spacing(text, vocab) == _plain_repair(text, vocab)


def _kazakh_pieces() -> list[str]:
    vocab = shipped()
    frequent = sorted(vocab.counts, key=lambda w: (-vocab.counts[w], w))[:150]
    endings = sorted(e for e, n in vocab.endings.items() if n >= 20)[:80]
    split = [w[:k] + " " + w[k:] for w in frequent[:60] for k in (1, len(w) // 2, len(w) - 1) if 0 < k < len(w)]
    return frequent + endings + split + [" ".join(w) for w in frequent[:20]] + ["Ж о б а", "$x$", "( ", " )", " ,", "АЖ -да", "-ға"]


@SETTINGS
@given(st.lists(st.one_of(st.sampled_from(_kazakh_pieces()), texts), max_size=8), st.sampled_from([" ", "  ", "", "\n"]))
def test_repair_of_generated_kazakh_text_is_the_plain_repair(pieces, sep):
    text = sep.join(pieces)
    assert repair_spacing(text, shipped()) == _plain_repair(text, shipped())


# --- PDF-layout text: cells and their words -------------------------------------------------------

_LAST_WORD = re.compile(r"(\S+?)\W*$")
_TAG = re.compile(r"</?p>")
_SPACES = re.compile(r"[ \u00a0\u2007\u202f\u2009]+")


@SETTINGS
@given(texts)
def test_last_word_and_plain_text_of_a_cell_are_the_patterns(text):
    m = _LAST_WORD.search(text)
    assert pdftext._last_word(text) == (m.group(1).lower() if m else "")
    assert pdftext._plain(text) == _SPACES.sub(" ", _TAG.sub(" ", text)).strip()


def test_kazakh_share_counted_as_before():
    for path in sorted(CORPUS.glob("*.txt")):
        sample = path.read_text(encoding="utf-8")[:20000]
        plain = sum(1 for ch in sample if ch in pdftext._KK_LETTERS) > len(sample) / 200
        assert pdftext._is_kazakh(sample) == plain


def test_a_document_repairs_each_distinct_text_once():
    repair = pdftext._Repair(shipped())
    assert repair("мемлекеттік орган дар") == repair_spacing("мемлекеттік орган дар", shipped())
    assert list(repair.done) == ["мемлекеттік орган дар"]
    repair("мемлекеттік орган дар")
    assert len(repair.done) == 1
    assert pdftext._Repair(None)("ж ә н е") == "ж ә н е"  # Russian text: no repair


# --- agencies, citations, warnings ----------------------------------------------------------------


def test_agency_match_cached_per_title_is_the_match_computed_afresh():
    from legalkpi.reading import agencies

    titles = [p.text for path in sorted(CORPUS.glob("*.txt")) for p in read_document(path).paragraphs()][:400]
    for title in [*titles, "Министерство юстиции Республики Казахстан", "Юстиция", "1. Ауыл шаруашылығы"]:
        t = agencies._norm(title)
        if t:
            assert agencies._match_agency(t) == agencies._match_agency.__wrapped__(t)
        d = agencies._norm(agencies._ORDINAL.sub("", title))
        assert agencies._match_direction(d) == agencies._match_direction.__wrapped__(d)


def test_every_citation_is_found_from_a_number_sign(corpus_texts):
    """find_citations skips texts without "№": every citation it finds holds one at its number."""
    from legalkpi.reading.citations import find_citations

    found = 0
    for text in corpus_texts:
        for c in find_citations(text):
            assert text[c.number_start] == "№"
            found += 1
        if "№" not in text:
            assert find_citations(text) == []
    assert found > 10


def test_warning_codes_of_a_row_are_those_given_at_its_place():
    from legalkpi.model import Notice
    from legalkpi.provenance import Source
    from legalkpi.reading.extract import _codes_at, _State

    a, b = Source("f", 1, 2), Source("f", 3, 3)
    st_ = _State(lang="ru")
    st_.warnings += [Notice("x", "", a), Notice("y", "", b), Notice("a", "", Source("f", 1, 2))]
    assert _codes_at(st_, a) == ("a", "x")
    st_.warnings += [Notice("b", "", a), Notice("z", "", None)]
    assert _codes_at(st_, Source("f", 1, 2)) == ("a", "b", "x")
    assert _codes_at(st_, b) == ("y",)
    plain = tuple(sorted({w.code for w in st_.warnings if w.source == a}))
    assert _codes_at(st_, a) == plain


# --- numbers ----------------------------------------------------------------------------------------


def test_every_digit_backslash_d_takes_is_a_digit_to_isdigit():
    """read_number drops the gaps of a figure only when it holds some: a figure of \\d alone has none."""
    assert "".join(re.findall(r"\d", EVERY_CHAR)).isdigit()


@SETTINGS
@given(st.text(alphabet="0123456789٣ \u00a0\u202f,.-–+%млрдтыс\nx", max_size=20))
def test_read_number_is_the_plain_reading(text):
    from legalkpi import values

    n = values.read_number(text)
    m = values._FIGURE.match(n.text)
    if n.kind == "number":
        assert m is not None
        digits = re.sub(values._GAP, "", m.group("num"))
        frac = m.group("frac") or ""
        assert abs(n.value) == abs(values.Decimal(f"{digits}.{frac}" if frac else digits)) * next(
            (scale for word, scale in values.SCALES if m.group("rest").strip().lower().startswith(word)), 1
        )


# --- stamps and growth targets ----------------------------------------------------------------------


@SETTINGS
@given(
    st.lists(st.one_of(texts, st.sampled_from(["бекітілген", "БЕКІТІЛГЕН", "қосымша", "Қосымша", "2-қосымша", "Утверждены", "ПРИЛОЖЕНИЕ 1"])), max_size=4),
    st.sampled_from(["", "\n", "\n\n", " "]),
)
def test_stamp_kind_is_every_pattern_searched_from_the_start(pieces, end):
    from legalkpi.reading.actwords import words

    text = " ".join(pieces) + end
    plain = next((kind for kind, pat, _ in words().stamps if pat.search(text)), "")
    assert words().stamp_kind(text) == plain


def test_only_plain_closing_words_are_searched_from_the_end():
    from legalkpi.reading.actwords import tail_width

    assert tail_width("бекітілген$") == 10
    assert tail_width("^\\d+-қосымша$") is None
    assert tail_width("қосымша\\w*$") is None
    assert tail_width("^приложение\\b") is None


@SETTINGS
@given(st.text(alphabet="0123456789 ,.%-рост на увеличение ға өсу\n", max_size=30))
def test_a_target_without_percent_is_no_growth_target(text):
    from legalkpi import values

    if "%" not in text:
        assert values._GROWTH.search(text) is None


def test_a_figure_is_built_as_the_dataclass_builds_it():
    """read_number fills a Num's fields straight into its __dict__: that is the dataclass's own
    object only while Num has these fields, no __post_init__ and no __slots__."""
    import dataclasses
    import pickle

    from legalkpi import values

    assert [f.name for f in dataclasses.fields(values.Num)] == ["text", "value", "kind", "decimals", "suffix"]
    assert not hasattr(values.Num, "__post_init__") and not hasattr(values.Num, "__slots__")
    for text in ["99,74", "4 013 104", "100 %", "4,05 млрд", "–", "", "н/д", "1-2", "-5", "+3,5 тыс. тенге"]:
        n = values.read_number(text)
        plain = values.Num(n.text, n.value, n.kind, n.decimals, n.suffix)
        assert n == plain and hash(n) == hash(plain) and repr(n) == repr(plain)
        assert list(vars(n).items()) == list(vars(plain).items())
        assert pickle.dumps(n) == pickle.dumps(plain)
        with pytest.raises(dataclasses.FrozenInstanceError):
            n.kind = "x"  # type: ignore[misc]


@SETTINGS
@given(st.text(alphabet="aceiopxyABCEHIKMOPTXYбiрлiкeдеGovKazLLM 1-", max_size=20))
def test_unlatin_leaves_text_without_look_alikes_as_it_is(text):
    from legalkpi.text import _CYRILLIC, _WORD, LOOKALIKES, unlatin

    plain = _WORD.sub(lambda m: m.group(0).translate(LOOKALIKES) if _CYRILLIC.search(m.group(0)) else m.group(0), text)
    assert unlatin(text) == plain


@SETTINGS
@given(st.text(alphabet=ALPHABET + "ΣΑσ\u0307'", max_size=40))
def test_lower_then_split_is_split_then_lower(text):
    """Column habits lower a cell's text before cutting it into words: lower() neither makes nor
    takes white space, and a final sigma is judged within its word either way."""
    assert text.lower().split() == [w.lower() for w in text.split()]
    assert pdftext._is_column_numbers(text.split("\t")) == (
        len(text.split("\t")) >= 2 and [c.strip() for c in text.split("\t")] == [str(k) for k in range(1, len(text.split("\t")) + 1)]
    )


def test_lower_then_split_over_every_white_space_and_cased_letter():
    cased = "".join(ch for ch in EVERY_CHAR if ch.lower() != ch or ch.upper() != ch)[:3000]
    spaces = "".join(ch for ch in EVERY_CHAR if ch.isspace())
    for sp in spaces:
        text = sp.join(["ΑΣ", cased[:50], "İΣ", "x" + sp + "Σ"])
        assert text.lower().split() == [w.lower() for w in text.split()]
