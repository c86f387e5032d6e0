"""Text normalisation (qcode.core.text.normalise): what import does to every document's text, once.

It must do exactly what the guide says and nothing else: line ends to ``\\n``, a leading BOM removed,
terminal escape sequences and C0/C1 controls (but ``\\n`` and ``\\t``) and DEL removed; no NFC.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from qcode.core.text import check_span, clean_name, line_spans, normalise

CONTROLS = [chr(c) for c in range(0x00, 0x20) if chr(c) not in "\n\t"] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
ESCAPES = ["\x1b[31m", "\x1b[0m", "\x1b[1;32;40m", "\x1b[2J", "\x1b[?25l", "\x1b]0;window title\x07",
           "\x1b]2;title\x1b\\", "\x1b]8;;http://evil.example\x1b\\", "\x9b31m", "\x9b0m", "\x1b(B", "\x1bc",
           "\x1bPq#0;2;0;0;0\x1b\\", "\x1b7", "\x1b8"]

# Text as documents hold it: letters of several scripts, combining marks, emoji, U+FFFD, tabs, newlines
# and the characters normalisation must act on.
_PLAIN = st.characters(blacklist_categories=("Cs",))
_PIECES = st.one_of(_PLAIN, st.sampled_from(CONTROLS),
                    st.sampled_from(["\r\n", "\r", "\n", "\u2028", "\u2029", "\ufeff", "\t", "e\u0301",
                                     "\U0001F600", "\ufffd", "[31m", *ESCAPES]))
_TEXTY = st.lists(_PIECES, max_size=40).map("".join)


def _is_forbidden(ch: str) -> bool:
    return ch in CONTROLS or ch in "\r\u2028\u2029"


@settings(max_examples=400, deadline=None)
@given(_TEXTY)
@example("\ufeff\ufeffa")
@example("\x00\ufeffa")
def test_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


@settings(max_examples=400, deadline=None)
@given(_TEXTY)
def test_no_control_characters_remain_but_newline_and_tab(text):
    result = normalise(text)
    assert not [ch for ch in result if _is_forbidden(ch)], repr(result)
    assert not result.startswith("\ufeff")


@settings(max_examples=300, deadline=None)
@given(st.text(_PLAIN, max_size=60).filter(lambda t: not any(_is_forbidden(c) for c in t)
                                            and not t.startswith("\ufeff")))
def test_text_without_controls_is_unchanged(text):
    assert normalise(text) == text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(_PLAIN, min_size=1, max_size=20).filter(
           lambda t: not any(_is_forbidden(c) or c in "\n\ufeff" for c in t)), min_size=1, max_size=6),
       st.lists(st.sampled_from(["\r\n", "\r", "\n", "\u2028", "\u2029"]), min_size=5, max_size=5))
def test_every_kind_of_line_end_becomes_one_newline(lines, ends):
    text = "".join(line + ends[i % len(ends)] for i, line in enumerate(lines))
    assert normalise(text) == "".join(line + "\n" for line in lines)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Zs")), min_size=1, max_size=20),
       st.sampled_from(ESCAPES),
       st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd", "Zs")), min_size=1, max_size=20))
def test_escape_sequences_are_removed_whole(before, escape, after):
    assert normalise(before + escape + after) == before + after


def test_line_ends():
    assert normalise("a\r\nb\rc\nd\u2028e\u2029f") == "a\nb\nc\nd\ne\nf"
    assert normalise("\r\n\r\n") == "\n\n"
    assert normalise("a\r\r\nb") == "a\n\nb"  # a lone CR, then CRLF: two line ends


def test_leading_bom_removed_and_only_leading():
    assert normalise("\ufeffHello") == "Hello"
    assert normalise("\ufeff") == ""
    # a BOM inside the text is a zero-width no-break space: text, kept
    assert normalise("a\ufeffb") == "a\ufeffb"


def test_csi_colour_removed_whole():
    text = normalise("Interviewer: \x1b[31mred\x1b[0m and \x1b[1;4mbold\x1b[m done")
    assert text == "Interviewer: red and bold done"
    assert "[31m" not in text and "[0m" not in text and "[" not in text


def test_osc_title_removed_with_bel_and_with_st():
    assert normalise("a\x1b]0;evil title\x07b") == "ab"
    assert normalise("a\x1b]2;evil title\x1b\\b") == "ab"
    assert normalise("a\x1b]8;;http://x.example/\x1b\\link\x1b]8;;\x1b\\b") == "alinkb"


def test_eight_bit_csi_removed_whole():
    assert normalise("a\x9b31mred\x9b0m b") == "ared b"


def test_bel_nul_del_and_other_controls_removed():
    assert normalise("a\x07b\x00c\x7fd\x08e\x0bf\x0cg\x85h") == "abcdefgh"
    assert normalise("\x00" * 10) == ""


def test_tabs_and_newlines_kept():
    assert normalise("a\tb\n\tc\n\n") == "a\tb\n\tc\n\n"


def test_no_nfc_or_other_unicode_change():
    nfd = unicodedata.normalize("NFD", "café naïve Ångström")
    assert nfd != unicodedata.normalize("NFC", nfd)
    for text in [nfd, "\U0001F600\U0001F1EE\U0001F1E9 \u200d", "\ufffd", "ﬁ ½ Ⅳ", "  two  spaces ",
                 "\u00a0nbsp", "عربي עברית", "ʻokina", "\u202eRLO"]:
        assert normalise(text) == text


@pytest.mark.parametrize("introducer", ["\x90", "\x98", "\x9d", "\x9e", "\x9f", "\x1b]", "\x1bP", "\x1b_"])
def test_an_unterminated_string_escape_does_not_swallow_the_rest_of_the_document(introducer):
    # A cp1252 "˜" or "ž" read as Latin-1 is U+0098 / U+009E: one stray character must not take the
    # rest of an interview with it. Only the introducer itself may go.
    rest = "Interviewer: what happened next?\nRespondent: we went home." * 20
    result = normalise("Start " + introducer + rest)
    assert result.endswith(rest)
    assert len(result) >= len("Start ") + len(rest) - 1


def test_clean_name_strips_controls_and_bidi_overrides():
    assert clean_name("  inter\x00view\u202e  one\u200b ") == "interview one"
    assert clean_name("a  b\u00a0 c") == "a b c"


def test_line_spans_slice_each_line():
    text = "one\ntwo\n\nfour"
    spans = line_spans(text)
    assert [text[s:e] for s, e in spans] == ["one", "two", "", "four"]


def test_check_span():
    check_span(10, 0, 10)
    for start, end in [(-1, 3), (3, 3), (5, 2), (0, 11)]:
        with pytest.raises(ValueError):
            check_span(10, start, end)
