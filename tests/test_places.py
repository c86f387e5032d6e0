"""Going to a paragraph, line, page or time, as the workbench's go-to asks."""

from __future__ import annotations

import pytest

from qcode.analysis.places import place_offset, seconds
from qcode.analysis.retrieval import Locator

TEXT = "First paragraph.\n\nSecond one.\nThird."


def test_paragraphs_and_lines():
    loc = Locator(TEXT)
    assert place_offset(loc, "1") == 0
    assert place_offset(loc, "2") == TEXT.index("Second")
    assert place_offset(loc, "¶3") == TEXT.index("Third")
    assert place_offset(loc, "p 3") == TEXT.index("Third")
    assert place_offset(loc, "line 3") == TEXT.index("Second")
    assert place_offset(loc, "L2") == TEXT.index("\n\n") + 1


def test_times_pick_the_cue_holding_that_moment():
    text = "[00:00:01] A: hi\n[00:01:05] B: yes\n[01:00:00] A: end"
    cues = [{"start": 0, "begin_s": 1.0}, {"start": text.index("[00:01:05]"), "begin_s": 65.2},
            {"start": text.index("[01:00:00]"), "begin_s": 3600}]
    loc = Locator(text, {"cues": cues})
    assert place_offset(loc, "0:00") == 0
    assert place_offset(loc, "1:10") == cues[1]["start"]
    assert place_offset(loc, "00:01:05") == cues[0]["start"]  # the second cue begins at 65.2 s
    assert place_offset(loc, "2:00:00") == cues[2]["start"]
    assert seconds("1:02:03") == 3723 and seconds("12:30") == 750 and seconds("1:75") is None


def test_pages():
    loc = Locator("one\ntwo", {"pages": [[0, 4], [4, 7]]})
    assert place_offset(loc, "page 2") == 4
    with pytest.raises(ValueError, match="page 3 is not in this document"):
        place_offset(loc, "page 3")


@pytest.mark.parametrize("typed, message", [
    ("", "type a paragraph"), ("99", "paragraph 99 is not in this document"), ("abc", "not a place"),
    ("line 0", "line 0 is not"), ("page 1", "no pages"), ("1:00", "no timestamps"),
])
def test_what_is_not_a_place_says_why(typed, message):
    with pytest.raises(ValueError, match=message):
        place_offset(Locator(TEXT), typed)
