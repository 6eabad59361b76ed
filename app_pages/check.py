"""Check a draft page: paste or upload a statement; each passage shown as agreed, near-agreed or new with its official wording."""

import json

import streamlit as st

from assistant.config import Settings
from assistant.corpus.load import load_corpus
from assistant.drafting.check import check_draft
from assistant.drafting.matcher import NEAR, NEW, Matcher
from assistant.drafting.reader import MAX_TEXT_BYTES, check_text, read_draft
from assistant.errors import AssistantError
from assistant.present.draft import (
    STATUS_BADGE,
    agreed_words,
    badge_markdown,
    changes_markdown,
    citations_markdown,
    paste_block,
    percent,
    report_markdown,
    summary_line,
)
from assistant.present.draft_docx import report_docx
from assistant.present.escape import escape_md
from assistant.present.widgets import DOCX_MIME

RESULT = "check_result"


@st.cache_resource(show_spinner="Loading the documents…", max_entries=2)
def _load_corpus(settings: Settings):
    return load_corpus(settings)


@st.cache_resource(show_spinner="Indexing the agreed language…", max_entries=2)
def _matcher(digest: str, _corpus) -> Matcher:
    # One index per corpus content: a document added or removed gives a new digest, so a new index.
    return Matcher(_corpus)


# The checker needs the paragraphs only, never the search index: the shared Assistant's corpus when the app
# has loaded one, else the corpus on disk.
assistant = st.session_state.get("assistant")
corpus = assistant.corpus if assistant is not None else _load_corpus(Settings.from_env())
matcher = _matcher(corpus.digest(), corpus)

st.title("Check a draft")
st.caption(
    "Paste a draft statement or upload a .txt or .docx file (up to "
    f"{MAX_TEXT_BYTES // 1000} kB of text). Each passage is marked **agreed** (at least six words verbatim from a "
    "negotiated paragraph), **near-agreed** (the same passage with a few words changed) or **new**, with the "
    "official wording and its citation. Nothing you check is stored."
)
with st.form("check"):
    pasted = st.text_area("Draft", key="draft_text", height=220, placeholder="We urge all Member States to …")
    upload = st.file_uploader("Or upload a draft", type=["txt", "docx"], key="draft_file")
    submitted = st.form_submit_button("Check", icon=":material/fact_check:")

if submitted:
    try:
        text = read_draft(upload.getvalue(), upload.name) if upload is not None else check_text(pasted)
        st.session_state[RESULT] = check_draft(text, matcher)
    except AssistantError as err:
        st.session_state.pop(RESULT, None)
        st.error(escape_md(str(err)))

result = st.session_state.get(RESULT)
if result is not None:
    st.subheader("Result")
    st.markdown(escape_md(summary_line(result)))
    for column, status in zip(st.columns(3), STATUS_BADGE):
        column.metric(STATUS_BADGE[status], percent(result.share(status)), f"{result.words_of(status)} words", delta_color="off")
    md, docx, js = st.columns(3)
    # The callables hold the result, not the bytes: nothing is rendered for a button never pressed.
    md.download_button("Markdown", lambda: report_markdown(result), "draft-check.md", "text/markdown",
                       key="check-md", on_click="ignore", icon=":material/download:")
    docx.download_button("Word", lambda: report_docx(result), "draft-check.docx", DOCX_MIME,
                         key="check-docx", on_click="ignore", icon=":material/download:")
    js.download_button("JSON", lambda: json.dumps(result.to_dict(), ensure_ascii=False, indent=2), "draft-check.json",
                       "application/json", key="check-json", on_click="ignore", icon=":material/download:")
    for span in result.spans:
        if not span.words:
            continue
        with st.container(border=True):
            st.markdown(badge_markdown(span))
            st.markdown(escape_md(span.text))
            if span.status == NEW:
                continue
            st.markdown("Official wording: " + escape_md(agreed_words(span.sources[0])))
            if span.status == NEAR:
                st.markdown("Changed: " + changes_markdown(span))
            st.markdown(citations_markdown(span))
            st.code(paste_block(span.sources[0]), language=None, wrap_lines=True)
