"""Plain text for the CLI: answers, summaries, `show` and crosswalk link lists, in the shared wording."""

from __future__ import annotations

import re
from types import SimpleNamespace

from present_samples import CHAPEAU, CITE_12B, CITE_1M, SOURCE, TEXT, answers

from assistant.crosswalk.compare import compare
from assistant.present.labels import CLOSEST_NOTE, NEW_IN_2016
from assistant.present.text import (
    answer_text,
    comparison_text,
    crosswalk_text,
    links_text,
    paragraph_text,
    summary_text,
)
from assistant.summary.verify import FLAGGED, UNCITED_SENTENCE, WITHHELD, Issue, Summary


def _link(target, citation, scope="exact", resolved=True, table_target=None):
    return {"target": target, "citation": citation, "table_target": table_target or target, "scope": scope,
            "confidence": "exact", "resolved": resolved, "raw": "51 (c)", "line": 7}


def test_answer_text_has_lead_quotes_chapeau_and_counterparts():
    found, closest = (answer_text(a) for a in answers())
    assert found.startswith(answers()[0].lead)
    assert f"{CITE_1M}  [UNGASS2016:1.m]\n  {CHAPEAU} …\n  (m) {TEXT}\n  To paste: “{TEXT}” ({CITE_1M})\n" in found
    assert f"  -> {CITE_12B}  [PoA2009:12.b]: " in found and "compare: assistant compare PoA2009:12.b UNGASS2016:1.m" in found
    assert "similar in meaning (0.61)" in found and "the table cites ‘Action 99’, which the Plan of Action does not have" in found
    assert SOURCE not in found  # counterparts are cited, not quoted, in the terminal
    assert "Note: Searched documents UNGASS2016." in closest
    assert CLOSEST_NOTE in closest and "New in 2016: The crosswalk table marks this paragraph N/A" in closest


def test_summary_text_shows_only_what_may_be_shown():
    issue = Issue(UNCITED_SENTENCE, "PWNED.", "cites none of the quotes given")
    assert summary_text(Summary("A [X:1]. PWNED.", FLAGGED, (issue,), "1 of 2 sentences failed.")) == (
        "Summary (flagged): A [X:1]. PWNED.\n  ! uncited_sentence: cites none of the quotes given"
    )
    withheld = summary_text(Summary("Fabricated.", WITHHELD, (), "It misquotes."))
    assert "Fabricated" not in withheld and "It misquotes." in withheld


def test_links_text_for_new_unlinked_and_linked_paragraphs():
    view = {"id": "UNGASS2016:1.m", "direction": "2016 -> 2009", "new_in_2016": True, "links": []}
    assert links_text(view) == f"Crosswalk (2016 -> 2009): {NEW_IN_2016}"
    assert links_text(view | {"new_in_2016": False}) == "Crosswalk (2016 -> 2009): no links."
    view = {"id": "PoA2009:51.c.iv", "direction": "2009 -> 2016", "new_in_2016": False, "links": [
        _link("UNGASS2016:3.r", "2016 Outcome Document, para. 3 (r)", "broader", table_target="PoA2009:51.c"),
        _link("UNGASS2016:9", None, resolved=False),
    ]}
    text = crosswalk_text("2009 Plan of Action, para. 51 (c) (iv)", view)
    first, head, linked, unresolved = text.split("\n")
    assert first == "2009 Plan of Action, para. 51 (c) (iv)  [PoA2009:51.c.iv]"
    assert head == "Crosswalk (2009 -> 2016):"
    assert linked.startswith("  2016 Outcome Document, para. 3 (r)  [UNGASS2016:3.r]  (confidence exact, ")
    assert "the table names PoA2009:51.c" in linked and "'51 (c)', table line 7" in linked
    assert unresolved.startswith("  UNGASS2016:9  (") and unresolved.endswith(": names no existing paragraph")


def test_paragraph_text_for_show():
    p = SimpleNamespace(id="UNGASS2016:1.m", citation=CITE_1M, heading=("Chapter 1", "Prevention"), kind="sub-item",
                        is_commitment=True, negotiated=False, text=TEXT)
    parent = SimpleNamespace(id="UNGASS2016:1", text=CHAPEAU)
    view = {"id": p.id, "direction": "2016 -> 2009", "new_in_2016": True, "links": []}
    assert paragraph_text(p, [parent], view).split("\n") == [
        f"{CITE_1M}  [UNGASS2016:1.m]  (not negotiated text)",
        "Chapter 1 > Prevention",
        "kind: sub-item; commitment: yes",
        "",
        f"{CHAPEAU} …",
        f"(m) {TEXT}",
        f"To paste: “{TEXT}” ({CITE_1M})",
        "",
        f"Crosswalk (2016 -> 2009): {NEW_IN_2016}",
    ]
    full = "2016 Outcome Document (A/RES/S-30/1, annex), para. 1 (m)"
    assert paragraph_text(p, [parent], view, citation=full).split("\n")[::6] == [
        f"{full}  [UNGASS2016:1.m]  (not negotiated text)", f"To paste: “{TEXT}” ({full})"]


def test_comparison_text_marks_changes_and_lists_shared_runs():
    earlier = "Member States should promote the use of evidence-based treatment for all people in need of it."
    later = "Member States should promote the use of evidence-based treatment for people in need of it, voluntarily."
    text = comparison_text("2009 Plan of Action, para. 1", "2016 Outcome Document, para. 1 (a)", compare(earlier, later))
    head, relation, _, marked, _, *runs = text.split("\n")
    assert head == "2009 Plan of Action, para. 1  →  2016 Outcome Document, para. 1 (a)"
    assert relation.startswith("Relation: ") and "word similarity 0." in relation
    assert "all" in "".join(re.findall(r"\[-(.*?)-\]", marked))  # only in the earlier text
    assert re.sub(r"\[-.*?-\]|\{\+|\+\}", "", marked) == later
    assert runs[0].startswith("Shared runs (") and "Member States should promote the use of evidence" in runs[1]
    unrelated = comparison_text("A", "B", compare("alpha beta gamma", "delta epsilon"))
    assert unrelated.endswith("No run of six or more words in common.")


def test_a_replaced_word_and_its_replacement_are_shown_apart():
    from assistant.crosswalk.compare import compare
    from assistant.present.labels import readable_ops

    c = compare("Establishing new financial rules", "Continue to foster financial rules")
    shown = "".join(text for _, text in readable_ops(c.ops))
    assert "EstablishingContinue" not in shown and "Establishing" in shown and "Continue" in shown
    assert "".join(o.text for o in c.ops if o.op != "insert") == "Establishing new financial rules"  # ops untouched
