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


def test_relation_labels_say_how_each_counterpart_is_known():
    assert labels.relation_label(TABLE) == "2009 source (crosswalk table), confidence exact"
    assert labels.relation_label(SUGGESTED) == "suggestion (no crosswalk table; closest by meaning), similarity 0.61"
    enclosing = replace(TABLE, via="PoA2009:12")
    assert labels.relation_label(enclosing).endswith("; the table names PoA2009:12")
    assert labels.unresolved_line(UNRESOLVED) == (
        "PoA2009:99 (2009 source (crosswalk table), confidence ambiguous): names no existing paragraph"
    )


def test_counterparts_title_counts_them_or_says_new_in_2016():
    assert labels.counterparts_title(naloxone()) == "Counterparts (3)"
    assert labels.counterparts_title(new_in_2016()) == "Counterparts: new in 2016"
    assert labels.NEW_IN_2016.startswith("New in 2016") and labels.CLOSEST_NOTE.startswith(labels.CLOSEST)
