"""Citation forms follow CONVENTIONS.md exactly."""

import pytest

from assistant.corpus.documents import cite, split_id


@pytest.mark.parametrize(
    "pid, expected",
    [
        ("UNGASS2016:1.m", "2016 Outcome Document, para. 1 (m)"),
        ("UNGASS2016:PP24", "2016 Outcome Document, preambular para. 24"),
        ("PoA2009:51.c.iv", "2009 Plan of Action, para. 51 (c) (iv)"),
        ("PD2009:36.e", "2009 Political Declaration, para. 36 (e)"),
        ("JMS2014:22", "2014 Joint Ministerial Statement, para. 22"),
        ("JMS2014:A.11", "2014 Joint Ministerial Statement, sect. A, para. 11"),
        ("PoA2009:3", "2009 Plan of Action, para. 3"),
        ("UNGASS2016:5.intro", "2016 Outcome Document, para. 5, unnumbered introductory paragraph"),
        ("JMS2014:RT.2.3", "2014 high-level review, Chair's summary of round table 2 (not negotiated), para. 3"),
    ],
)
def test_citation_forms(pid, expected):
    assert cite(pid) == expected


def test_split_id():
    assert split_id("PoA2009:51.c.iv") == ("PoA2009", ["51", "c", "iv"])
    assert split_id("JMS2014:A.11") == ("JMS2014", ["A", "11"])
