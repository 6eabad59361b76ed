"""Sample answers shared by the present tests: a found answer with every kind of counterpart, and a hostile one."""

from __future__ import annotations

import re

from assistant.answer.compose import CROSSWALK_2009, SUGGESTION, Answer, Counterpart, Quote

CHAPEAU = "We recommend the following measures on prevention of drug abuse and other health-related issues:"
TEXT = (
    "Promote the inclusion in national drug policies, in accordance with national legislation and as "
    "appropriate, of elements for the prevention and treatment of drug overdose, in particular opioid "
    "overdose, including the use of opioid receptor antagonists such as naloxone to reduce drug-related mortality;"
)
HOSTILE = "Text with <b>x</b> **y** $z$ [a](javascript:alert(1)) and a control\x0bcharacter."
SOURCE = "Take appropriate measures to reduce $5 drug-related deaths_ (e.g. overdose)."
CITE_1M = "2016 Outcome Document, para. 1 (m)"
CITE_12B = "2009 Plan of Action, para. 12 (b)"
CITE_A11 = "2014 Joint Ministerial Statement, sect. A, para. 11"


def quote(pid: str, citation: str, text: str, spans=(), **kw) -> Quote:
    return Quote(
        id=pid, doc=pid.partition(":")[0], citation=citation, text=text, heading=("Prevention",),
        chapeau=kw.pop("chapeau", ()), operative_spans=spans, score=0.8, is_commitment=True,
        negotiated=kw.pop("negotiated", True), **kw,
    )


TABLE = Counterpart("PoA2009:12.b", CITE_12B, SOURCE, CROSSWALK_2009, "exact")
SUGGESTED = Counterpart("JMS2014:A.11", CITE_A11, HOSTILE, SUGGESTION, "suggestion", score=0.61)
UNRESOLVED = Counterpart("PoA2009:99", "PoA2009:99", "", CROSSWALK_2009, "ambiguous", resolved=False)


def naloxone() -> Quote:
    return quote("UNGASS2016:1.m", CITE_1M, TEXT, ((0, 7),), chapeau=(("UNGASS2016:1", CHAPEAU),),
                 counterparts=(TABLE, SUGGESTED, UNRESOLVED))


def new_in_2016() -> Quote:
    return quote("UNGASS2016:4.l", "2016 Outcome Document, para. 4 (l)", HOSTILE, new_in_2016=True)


def answers() -> list[Answer]:
    return [
        Answer("what did we commit on naloxone?", "The 2016 Outcome Document addresses this in para. 1 (m).",
               (naloxone(),), True, "search"),
        Answer("<script>alert(1)</script> $x$?", "No paragraph clearly addresses this.", (new_in_2016(),), False,
               "none", notes=("Searched documents UNGASS2016.",)),
    ]


def unescape(md: str) -> str:
    """What a CommonMark renderer shows: backslash escapes resolved, bold markers and hard breaks gone."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md.replace("**", "")).replace("  \n", "\n")
