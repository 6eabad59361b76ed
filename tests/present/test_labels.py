"""User-facing wording: item labels, citation lines and how each counterpart is known, in one place."""

from dataclasses import replace

from present_samples import SUGGESTED, TABLE, UNRESOLVED, naloxone, new_in_2016

from assistant.present import labels


def test_item_labels_follow_the_printed_numbering():
    assert labels.item_label("UNGASS2016:1.m") == "(m)"
    assert labels.item_label("PoA2009:51.c.iv") == "(iv)"
    assert labels.item_label("UNGASS2016:1") == "" and labels.item_label("UNGASS2016:PP24") == ""
    assert labels.item_label("PoA2009:51.intro") == ""
    assert labels.labelled("UNGASS2016:1.m", "Promote") == "(m) Promote"
    assert labels.labelled("UNGASS2016:1", "We recommend:") == "We recommend:"
    assert labels.chapeau_line("PoA2009:51.c", "Implementing:") == "(c) Implementing: …"


def test_citation_line_marks_text_that_was_not_negotiated():
    assert labels.citation_line("2016 Outcome Document, para. 1 (m)", "UNGASS2016:1.m") == (
        "2016 Outcome Document, para. 1 (m)  [UNGASS2016:1.m]"
    )
    line = labels.citation_line("2016 Outcome Document, footnote 1", "UNGASS2016:fn1", negotiated=False)
    assert line.endswith(f"  ({labels.NOT_NEGOTIATED})")


def test_fixed_notes():
    assert labels.NEW_IN_2016.startswith("New in 2016") and labels.CLOSEST_NOTE.startswith(labels.CLOSEST)
