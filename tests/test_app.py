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
    """The text a CommonMark renderer shows for our escaped Markdown (bold markers dropped)."""
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


def _citations(block) -> list[str]:
    """The copy-able citations (st.code) of the quote cards in one answer."""
    return [c.value for c in block.code]


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
    assert CITE_1M in [c.value for c in at.code]
    assert any(assistant.corpus.get("UNGASS2016:1.m").text in _unescape(m.value) for m in at.markdown)
    assert at.selectbox(key="browse_id").value == "UNGASS2016:1.m"
    assert at.query_params["id"] == "UNGASS2016:1.m"


def test_browse_accepts_human_references_and_explains_unknown_ones(assistant):
    at = _app()
    at.switch_page("app_pages/browse.py")
    at.query_params["id"] = "PoA 51(c)(iv)"
    at.run()
    _ok(at)
    assert "2009 Plan of Action, para. 51 (c) (iv)" in [c.value for c in at.code]
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
    assert "2009 Political Declaration, para. 36 (e)" in [c.value for c in at.code]


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
        _ask(at, NALOXONE)
        assert any("opioid receptor antagonists" in _unescape(m.value) for m in at.markdown)
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
