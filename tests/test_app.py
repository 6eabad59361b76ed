"""The Streamlit app driven by AppTest over the real Assistant and index: answers, filters, pages, escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.corpus.check import coverage
from assistant.config import Settings
from assistant.errors import IndexCorrupt, IndexNotBuilt
from assistant.present.escape import escape_md
from assistant.answer.service import Assistant

APP = str(Path(__file__).resolve().parent.parent / "app.py")
NALOXONE = "what did we commit on naloxone?"
CITE_1M = "2016 Outcome Document, para. 1 (m)"
HOSTILE = "<b>x</b> **y** $z$ [a](javascript:alert(1))"
PAGES = ("app_pages/ask.py", "app_pages/browse.py", "app_pages/crosswalk.py", "app_pages/glossary.py")


@pytest.fixture(scope="session")
def assistant(full_index) -> Assistant:
    """The real assistant over the session's index."""
    return Assistant.load(full_index)


def _unescape(md: str) -> str:
    """The text a CommonMark renderer shows for our escaped Markdown (bold and highlight markers dropped)."""
    md = re.sub(r":blue-background\[((?:\\.|[^\]\\])*)\]", r"\1", md)
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", md.replace("**", "")).replace("  \n", "\n")


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    _ok(at)
    return at


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def _ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    _ok(at)
    return at


def _answers(at: AppTest) -> list:
    """The assistant's chat messages, oldest first."""
    return [m for m in at.chat_message if m.name == "assistant"]


def _blocks(block) -> list[str]:
    """The copy boxes (st.code) of the quote cards in `block`: “quote” (citation), as drafters paste them."""
    return [c.value for c in block.code if c.value.startswith("“")]


def _citations(block) -> list[str]:
    """The citations in the quote cards' copy boxes in `block`."""
    return [b.rsplit("” (", 1)[1][:-1] for b in _blocks(block)]


def _shown(block) -> list[str]:
    return [_unescape(m.value) for m in block.markdown]


def test_naloxone_question_shows_the_verbatim_quote_and_its_citation(assistant):
    at = _ask(_app(), NALOXONE)
    (answer,) = _answers(at)
    assert CITE_1M in _citations(answer)
    text = assistant.corpus.get("UNGASS2016:1.m").text
    assert "naloxone" in text and any(m.endswith(text) for m in _shown(answer))
    assert "(m) " + text in _shown(answer)  # the printed item letter, beside the verbatim text
    assert any(CITE_1M in m for m in _shown(answer))  # the card's heading, besides the copy box
    assert [b.label for b in at.sidebar.download_button] == ["Markdown", "Word"]
    raw = [m.value for m in answer.markdown if m.value.startswith("(m) ")]
    assert raw and ":blue-background[naloxone]" in raw[0]  # the question's word, marked apart from the bold


def test_empty_ask_page_offers_examples_that_ask(assistant):
    at = _app()
    examples = [b for b in at.button if b.key and b.key.startswith("example-")]
    assert len(examples) == 4 and examples[0].label == "What did we commit on naloxone?"
    examples[0].click().run()
    _ok(at)
    (answer,) = _answers(at)
    assert CITE_1M in _citations(answer)
    assert not [b for b in at.button if b.key and b.key.startswith("example-")]


def test_chapeau_is_shown_once_per_group_and_kinds_are_labelled(assistant):
    at = _ask(_app(), "cooperation with the private sector to prevent the diversion of precursors")
    (answer,) = _answers(at)
    chapeaus = [c.value for c in answer.caption if c.value.endswith(" …")]
    assert chapeaus and len(chapeaus) == len(set(chapeaus)), chapeaus
    problem = _ask(_app(), "PoA 33")
    (answer,) = _answers(problem)
    assert any("Problem statement" in m.value for m in answer.markdown)


def test_document_filter_restricts_every_citation(assistant):
    at = _app()
    at.multiselect(key="docs").set_value(["JMS2014"]).run()
    (answer,) = _answers(_ask(at, NALOXONE))
    citations = _citations(answer)
    assert citations and all(c.startswith("2014 Joint Ministerial Statement") for c in citations), citations


def test_paragraph_reference_question_quotes_that_paragraph(assistant):
    (answer,) = _answers(_ask(_app(), "what does PoA 51(c)(iv) say?"))
    assert _citations(answer)[0] == "2009 Plan of Action, para. 51 (c) (iv)"
    assert "(iv) " + assistant.corpus.get("PoA2009:51.c.iv").text in _shown(answer)
    chapeau = [_unescape(c.value) for c in answer.caption]
    assert "(c) " + assistant.corpus.get("PoA2009:51.c").text + " …" in chapeau


def test_follow_up_reuses_the_topic_in_2009(assistant):
    at = _ask(_app(), NALOXONE)
    first, second = _answers(_ask(at, "and in 2009?"))
    assert CITE_1M in _citations(first)
    citations = _citations(second)
    assert citations and all(c.startswith("2009 ") for c in citations), citations


def test_slider_sets_the_number_of_results(assistant):
    at = _app()
    at.slider(key="k").set_value(2).run()
    (answer,) = _answers(_ask(at, "international cooperation on money laundering"))
    assert 1 <= len(_citations(answer)) <= 2


def test_hostile_question_is_shown_literally(assistant):
    at = _ask(_app(), HOSTILE)
    user = [m for m in at.chat_message if m.name == "user"][0]
    assert user.markdown[0].value == escape_md(HOSTILE)
    assert _unescape(user.markdown[0].value) == HOSTILE
    assert not at.get("html")
    for element in [*at.markdown, *at.caption, *at.warning, *at.info]:
        value = element.value
        assert not re.search(r"(?<!\\)[<$]", value), value
        assert "javascript:" not in value and not re.search(r"(?<!\\)\]\(", value), value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(assistant, page):
    at = _app()
    at.switch_page(page).run()
    _ok(at)
    assert at.title


def test_browse_deep_link_focuses_the_paragraph(assistant):
    at = _app()
    at.switch_page("app_pages/browse.py")
    at.query_params["id"] = "UNGASS2016:1.m"
    at.run()
    _ok(at)
    assert CITE_1M in _citations(at)
    assert any(assistant.corpus.get("UNGASS2016:1.m").text in _unescape(m.value) for m in at.markdown)
    assert at.selectbox(key="browse_id").value == "UNGASS2016:1.m"
    assert at.query_params["id"] == "UNGASS2016:1.m"


def test_browse_accepts_human_references_and_explains_unknown_ones(assistant):
    at = _app()
    at.switch_page("app_pages/browse.py")
    at.query_params["id"] = "PoA 51(c)(iv)"
    at.run()
    _ok(at)
    assert "2009 Plan of Action, para. 51 (c) (iv)" in _citations(at)
    at.query_params["id"] = "UNGASS2016:1.zz"
    at.run()
    assert not at.exception
    assert at.error and "UNGASS2016:1.zz" in _unescape(at.error[0].value)


def test_browse_selecting_a_paragraph_sets_the_query_parameter(assistant):
    at = _app()
    at.switch_page("app_pages/browse.py").run()
    at.selectbox(key="browse_id").set_value("PD2009:36.e").run()
    _ok(at)
    assert at.query_params["id"] == "PD2009:36.e"
    assert "2009 Political Declaration, para. 36 (e)" in _citations(at)


def test_browse_reports_paragraphs_the_corpus_lacks(assistant):
    at = _app()
    at.switch_page("app_pages/browse.py").run()
    expander = [e for e in at.expander if e.label.startswith("Numbered paragraphs")]
    missing = coverage(assistant.corpus)
    shown = [_unescape(m.value) for m in expander[0].markdown]
    assert len(shown) == len(missing)
    for line, ids in zip(shown, missing.values()):
        assert all(pid in line for pid in ids), line


def test_crosswalk_page_shows_table_and_new_in_2016(assistant):
    at = _app()
    at.switch_page("app_pages/crosswalk.py").run()
    _ok(at)
    table = at.dataframe[0].value
    assert len(table) == len(assistant.crosswalk.links)
    new = {k.source for k in assistant.crosswalk.links if k.new_in_2016}
    assert len([p for p in at.get("page_link") if "id=" in str(p.proto)]) >= len(new)


def test_two_sessions_never_share_history(assistant):
    one, two = _app(), _app()
    _ask(one, NALOXONE)
    two.run()
    assert len(_answers(one)) == 1
    assert not two.chat_message and not two.session_state["history"]


def _tiny_corpus(root: Path) -> Path:
    """A corpus dir with three real paragraphs (1 (m) and its chapeau, PoA 51 (c) (iv)) and the crosswalk header."""
    from assistant.corpus.load import load_corpus

    real = load_corpus(Settings.from_env())
    keep = ["UNGASS2016:1", "UNGASS2016:1.m", "PoA2009:51", "PoA2009:51.c", "PoA2009:51.c.iv"]
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "paragraphs.jsonl").write_text("".join(real.get(pid).to_json() + "\n" for pid in keep), encoding="utf-8")
    header = Settings.from_env().crosswalk_path.read_text(encoding="utf-8").splitlines()[0]
    (corpus / "crosswalk.csv").write_text(header + "\n", encoding="utf-8")
    return corpus


def test_missing_index_offers_to_build_it_and_then_answers(tmp_path, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(_tiny_corpus(tmp_path)))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=120).run()
        assert not at.exception
        assert "no index yet" in _unescape(at.error[0].value) and "assistant index" in _unescape(at.error[0].value)
        assert not (tmp_path / "index").exists()  # showing the page wrote nothing
        build = [b for b in at.button if b.label == "Build the index"]
        assert len(build) == 1
        build[0].click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        assert (tmp_path / "index" / "manifest.json").exists()
        assert (tmp_path / "index" / "encoder" / "model.onnx").exists()  # the fast query encoder, made once
        _ask(at, NALOXONE)
        assert any("opioid receptor antagonists" in _unescape(m.value) for m in at.markdown)
        from assistant.config import Settings
        from assistant.present.resources import shared_encoder
        from assistant.retrieval.embed import OnnxEncoder

        assert isinstance(shared_encoder(Settings.from_env()), OnnxEncoder)  # answering with it from the next run
    finally:
        st.cache_resource.clear()


def test_corrupt_index_is_explained_without_a_traceback(tmp_path, monkeypatch):
    import streamlit as st

    from assistant.retrieval.embed import Embedder
    from assistant.retrieval.index import ensure_index
    from assistant.corpus.load import load_corpus

    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(_tiny_corpus(tmp_path)))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    settings = Settings.from_env()
    ensure_index(settings, load_corpus(settings), Embedder(settings), progress=False)
    for f in (tmp_path / "index").glob("chroma-*/*.sqlite3"):
        f.write_bytes(b"this is not a database" * 100)
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=120).run()
        assert not at.exception
        assert len(at.error) == 1
        assert "assistant index --rebuild" in _unescape(at.error[0].value)
    finally:
        st.cache_resource.clear()


COMPARE = str(Path(__file__).resolve().parent.parent / "app_pages" / "compare.py")


def _compare_page(assistant, a: str, b: str) -> AppTest:
    """The Compare page run on its own (app.py registers it in navigation), with the shared assistant."""
    at = AppTest.from_file(COMPARE, default_timeout=60)
    at.session_state["assistant"] = assistant
    at.query_params["a"], at.query_params["b"] = a, b
    return at.run()


def test_compare_page_shows_both_texts_with_changes_marked_and_no_html(assistant):
    at = _compare_page(assistant, "PoA 51", "3(o)")
    _ok(at)
    shown = [_unescape(m.value) for m in at.markdown]
    assert any("Relation: same wording" in m for m in shown)
    assert "2009 Plan of Action, para. 51" in shown and "2016 Outcome Document, para. 3 (o)" in shown
    assert any("~~" in m.value for m in at.markdown) and any(":blue-background[" in m.value for m in at.markdown)
    assert at.query_params["a"] == "PoA2009:51" and at.query_params["b"] == "UNGASS2016:3.o"
    assert not at.get("html")
    assert [b.label for b in at.get("download_button")] == ["Markdown", "Word"]


def test_compare_page_explains_unknown_paragraphs(assistant):
    at = _compare_page(assistant, "PoA 99", "3(o)")
    assert not at.exception and at.error and "99" in _unescape(at.error[0].value)


def test_crosswalk_page_filters_by_words_in_either_text_and_by_relation(assistant):
    at = _app()
    at.switch_page("app_pages/crosswalk.py").run()
    _ok(at)
    table = at.dataframe[0].value
    assert {"2016 text", "2009 text", "chapter title", "relation", "compare"} <= set(table.columns)
    at.text_input(key="needle").set_value("naloxone").run()
    shown = at.dataframe[0].value
    assert len(shown) and all("naloxone" in (r["2016 text"] + r["2009 text"]).lower() for _, r in shown.iterrows())
    at.text_input(key="needle").set_value("").run()
    at.multiselect(key="relation").set_value(["same wording"]).run()
    shown = at.dataframe[0].value
    assert len(shown) and set(shown["relation"]) == {"same wording"}
    assert all(str(u).startswith("/compare?a=") for u in shown["compare"])


def test_browse_opens_on_2016_and_marks_the_focused_paragraph(assistant):
    at = _app()
    at.switch_page("app_pages/browse.py").run()
    _ok(at)
    labels = [e.label for e in at.expander]
    assert any(l.startswith("Preamble") for l in labels)
    at.query_params["id"] = "UNGASS2016:1.m"
    at.run()
    assert any("Focused paragraph" in m.value for m in at.markdown)


def test_check_page_works_before_the_index_is_built(tmp_path, monkeypatch):
    import streamlit as st

    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(_tiny_corpus(tmp_path)))
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=120)
        at.switch_page("app_pages/check.py").run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        assert any(t.label for t in at.text_area)  # the draft box, not the "Build the index" panel
        assert not [b for b in at.button if b.label == "Build the index"]
        assert not (tmp_path / "index").exists()
    finally:
        st.cache_resource.clear()


def _linked(**params: str) -> AppTest:
    """The app opened from a shared link: `params` in the URL before the first run."""
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    _ok(at)
    return at


def test_quote_cards_copy_the_quote_and_its_citation_as_one_block(assistant):
    at = _ask(_app(), NALOXONE)
    (answer,) = _answers(at)
    text = assistant.corpus.get("UNGASS2016:1.m").text
    assert f"“{text}” ({CITE_1M})" in _blocks(answer)
    quotes = at.session_state["history"][0]["answer"].quotes
    assert _blocks(answer) == [f"“{q.text}” ({q.citation})" for q in quotes]  # one copy box a card


def test_citation_form_is_chosen_in_the_sidebar(assistant):
    at = _ask(_app(), NALOXONE)
    assert at.radio(key="citation").value == "short" and at.toggle(key="mark_operative").value is False
    at.radio(key="citation").set_value("full").run()
    _ok(at)
    (answer,) = _answers(at)
    full = "2016 Outcome Document (A/RES/S-30/1, annex), para. 1 (m)"
    assert full in _citations(answer)
    assert any(m.startswith(full) for m in _shown(answer))  # the card's heading follows the choice too
    at.toggle(key="mark_operative").set_value(True).run()
    _ok(at)


def test_a_shared_link_answers_on_first_load_with_its_filters(assistant):
    at = _linked(q=NALOXONE, docs="UNGASS2016", k="3", only="commitments")
    (answer,) = _answers(at)
    citations = _citations(answer)
    assert CITE_1M in citations and len(citations) <= 3 and all(c.startswith("2016 ") for c in citations)
    assert at.multiselect(key="docs").value == ["UNGASS2016"] and at.slider(key="k").value == 3
    assert at.toggle(key="commitments_only").value is True
    assert at.query_params["q"] == NALOXONE and at.query_params["docs"] == "UNGASS2016" and at.query_params["k"] == "3"
    link = [c.value for c in answer.code if "q=" in c.value]
    assert link == ["?q=what%20did%20we%20commit%20on%20naloxone%3F&docs=UNGASS2016&only=commitments&k=3"]
    at.run()  # the link is read once: running again asks nothing new
    assert len(_answers(at)) == 1
    _ask(at, "alternative development")
    assert at.query_params["q"] == "alternative development" and len(_answers(at)) == 2


def test_a_follow_up_link_reproduces_the_follow_up(assistant):
    at = _ask(_ask(_app(), NALOXONE), "and in 2009?")
    followed = _citations(_answers(at)[-1])
    params = {name: at.query_params[name] for name in ("q", "docs", "k")}
    assert params["docs"] == "PD2009,PoA2009" and params["q"] != "and in 2009?"
    (again,) = _answers(_linked(**params))
    assert _citations(again) == followed


def test_a_hostile_link_is_shown_literally_and_bad_parts_are_named(assistant):
    at = _linked(q=HOSTILE, docs="NOPE2020", k="999")
    assert not at.get("html")
    (answer,) = _answers(at)
    notes = [_unescape(c.value) for c in answer.caption]
    assert any("'NOPE2020'" in n for n in notes) and any("1 to 20" in n for n in notes)
    for element in [*at.markdown, *at.caption]:
        assert not re.search(r"(?<!\\)[<$]", element.value), element.value
    user = [m for m in at.chat_message if m.name == "user"][0]
    assert _unescape(user.markdown[0].value) == HOSTILE


def test_unknown_paragraph_in_ask_gets_the_same_message_as_show(assistant):
    at = _app()
    at.chat_input[0].set_value("what does para 99 say?").run()
    assert not at.exception
    shown = [_unescape(e.value) for e in at.error]
    assert any("Unknown paragraph reference: 'para 99'. Did you mean" in m for m in shown), shown
    assert not _citations(at)  # no unrelated paragraphs are offered as an answer


def test_a_typing_slip_is_read_and_the_answer_says_so(assistant):
    at = _ask(_app(), "money laundring through banks")
    (answer,) = _answers(at)
    notes = [_unescape(c.value) for c in answer.caption]
    assert 'Read "laundring" as "laundering": no text uses "laundring".' in notes
    assert any("laundering" in m for m in _shown(answer))
