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


# -- the registry --------------------------------------------------------------------------------

from assistant.answer.compose import order_quotes, make_quote  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.corpus.documents import BUILTIN, EARLIER, LATER, REGISTRY, Document, Registry  # noqa: E402
from assistant.corpus.paragraphs import Corpus, Paragraph, Source  # noqa: E402
from assistant.corpus.load import load_corpus  # noqa: E402
from assistant.retrieval.query import parse_query_filters  # noqa: E402

MD2019 = Document("MD2019", "Ministerial Declaration", 2019, "2019 Ministerial Declaration", builtin=False)
OLD2001 = Document("OLD2001", "Old Declaration", 2001, "2001 Old Declaration", builtin=False)


def test_registry_orders_chronologically_and_newest_first():
    reg = REGISTRY.with_documents([MD2019, OLD2001])
    assert list(reg) == ["OLD2001", "PD2009", "PoA2009", "JMS2014", "UNGASS2016", "MD2019"]
    newest = sorted(reg, key=reg.newest_first)
    assert newest == ["MD2019", "UNGASS2016", "JMS2014", "PoA2009", "PD2009", "OLD2001"]


def test_registry_sides_and_lookups():
    assert REGISTRY.on_side(LATER) == ("UNGASS2016",)
    assert REGISTRY.on_side(EARLIER) == ("PD2009", "PoA2009")
    assert REGISTRY.with_documents([MD2019]).untabled() == ("JMS2014", "MD2019")
    assert REGISTRY.of_year(2009) == ("PD2009", "PoA2009")
    assert REGISTRY.by_table_token("Action") == "PoA2009" and REGISTRY.by_table_token("Target") == "PD2009"
    assert REGISTRY.bare_number_document() == "UNGASS2016"
    assert {d.symbol for d in BUILTIN} == {"E/2009/28, chap. I, sect. C", "E/2014/28", "A/RES/S-30/1, annex"}


def _added(pid: str, text: str) -> Paragraph:
    doc = MD2019 if pid.startswith("MD2019") else OLD2001
    return Paragraph(pid, doc.key, "operative", (), text, False, (), Source("x.txt", 1, 1), cite(pid, doc))


def test_added_documents_sort_by_their_year_in_answers():
    real = load_corpus(Settings.from_env())
    corpus = Corpus([real.get("UNGASS2016:1.m"), real.get("UNGASS2016:1"), real.get("PD2009:36"),
                     _added("MD2019:1", "We resolve to act."), _added("OLD2001:1", "We resolved long ago.")],
                    [MD2019, OLD2001])
    quotes = [make_quote(corpus, corpus.get(pid), 0.5, (), False) for pid in ("OLD2001:1", "UNGASS2016:1.m", "MD2019:1", "PD2009:36")]
    assert [q.doc for q in order_quotes(quotes, corpus.documents)] == ["MD2019", "UNGASS2016", "PD2009", "OLD2001"]
    # The corpus itself lists documents chronologically.
    assert [p.doc for p in corpus][0] == "OLD2001" and [p.doc for p in corpus][-1] == "MD2019"


def test_questions_can_name_added_documents_by_key_and_year():
    reg = Registry([*BUILTIN, MD2019])
    cleaned, f = parse_query_filters("what did MD2019 say on prisons?", reg)
    assert f.docs == ("MD2019",) and "prisons" in cleaned
    cleaned, f = parse_query_filters("prisons in 2019", reg)
    assert f.years == (2019,)
    assert parse_query_filters("prisons in 2019")[1].years == ()  # no 2019 document in the built-in registry
