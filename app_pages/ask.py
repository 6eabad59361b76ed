"""Ask page: a chat whose answers are verbatim quotes shown as cards with citations and counterparts.
`?q=…&docs=…&only=commitments&k=…` asks a question on first load; after each answer the URL reproduces it."""

import streamlit as st

from assistant.errors import AssistantError
from assistant.present import links, widgets
from assistant.present.citations import STYLE_LABELS, styled_all
from assistant.present.escape import escape_md
from assistant.retrieval.query import Filters
from assistant.summary.client import stream_summary

assistant = st.session_state["assistant"]
documents = assistant.corpus.documents
history: list[dict] = st.session_state.setdefault("history", [])


def _clear() -> None:
    st.session_state["history"] = []
    st.session_state.pop("turn", None)
    st.query_params.clear()


def show(i: int, entry: dict) -> None:
    widgets.question(entry["question"])
    with st.chat_message("assistant"):
        for note in entry.get("link_notes", ()):
            st.caption(escape_md(note))
        if "error" in entry:
            st.error(escape_md(entry["error"]))
        else:
            widgets.answer(entry["answer"], documents, i, entry.get("summary"), citation=citation,
                           mark_operative=mark_operative, link=entry.get("link"))


# A shared link is read once, on the session's first run of this page, before the filters are drawn.
linked = None
if not st.session_state.get("link_read"):
    st.session_state["link_read"] = True
    linked = links.read_link({name: st.query_params.get_all(name) for name in st.query_params}, documents)
    if linked is not None:
        st.session_state["docs"] = list(linked.docs)
        st.session_state["commitments_only"] = linked.commitments_only
        if linked.k is not None:
            st.session_state["k"] = linked.k
st.session_state.setdefault("k", 5)
st.session_state.setdefault("citation", assistant.settings.citation)
st.session_state.setdefault("mark_operative", assistant.settings.mark_operative)

with st.sidebar:
    st.header("Filters")
    chosen = st.multiselect("Documents", list(documents), format_func=lambda k: documents[k].short,
                            key="docs", placeholder="All documents")
    last = next((e["answer"] for e in reversed(history) if "answer" in e), None)
    if last is not None and last.filters.get("docs") and list(last.filters["docs"]) != list(chosen):
        searched = ", ".join(documents[d].short for d in last.filters["docs"] if d in documents)
        st.caption(escape_md(f"Your last question named its documents, so it searched {searched}."))
    commitments_only = st.toggle("Commitments only", key="commitments_only")
    k = st.slider("Number of results", links.K_MIN, links.K_MAX, key="k")
    llm_ready = bool(assistant.settings.llm_base_url and assistant.settings.llm_model)
    summarize = st.toggle(
        "Written summary (local LLM)", key="summarize", disabled=not llm_ready,
        help="Adds a short summary from the OpenAI-compatible endpoint in ASSISTANT_LLM_BASE_URL / ASSISTANT_LLM_MODEL. "
        "The quotes stay the answer; every citation and quotation in the summary is checked." if llm_ready
        else "Set ASSISTANT_LLM_BASE_URL and ASSISTANT_LLM_MODEL to enable summaries from a local model.",
    )
    st.header("Citations and exports")
    citation = st.radio("Citation form", list(STYLE_LABELS), format_func=STYLE_LABELS.get, key="citation",
                        help="Full adds each document's official symbol where the sources give it, "
                        "on the cards, in the copy boxes and in the exports.")
    mark_operative = st.toggle("Mark operative verbs in exports", key="mark_operative",
                               help="Off: exported quotes are the official text exactly, with no bold. "
                               "On: the operative verbs are in bold in the Markdown and Word files.")

st.title("Ask")
st.caption("Answers quote the 2009, 2014 and 2016 texts word for word, with citations. "
           "Ask about a topic, or cite a paragraph: 1 (m), PoA 51(c)(iv), JMS A.11.")

for i, entry in enumerate(history):
    show(i, entry)

EXAMPLES = (
    "What did we commit on naloxone?",
    "Agreed language on alternatives to conviction or punishment",
    "How does 2016 follow up the 2009 action on precursors?",
    "PoA 51(c)(iv)",
)
if not history:
    st.markdown("**Try one of these**")
    for i, (column, example) in enumerate(zip(st.columns(len(EXAMPLES)), EXAMPLES)):
        column.button(example, key=f"example-{i}", on_click=st.session_state.__setitem__, args=("example", example))

question = (st.chat_input("What did we commit on naloxone?") or st.session_state.pop("example", None)
            or (linked.question if linked is not None else None))
if question:
    widgets.question(question)
    try:
        with st.spinner("Searching the texts…"):
            filters = Filters(docs=tuple(chosen), commitments_only=commitments_only)
            reply = assistant.ask(question, filters=filters, previous=st.session_state.get("turn"), k=k)
        entry = {"question": question, "answer": reply.answer, "link": links.answer_link(reply, filters, k, documents)}
        st.session_state["turn"] = reply.turn
        st.query_params.from_dict(entry["link"])  # the address bar now reproduces this answer
    except AssistantError as err:
        entry = {"question": question, "error": str(err)}
    if linked is not None and linked.ignored:
        entry["link_notes"] = list(linked.ignored)
    if summarize and llm_ready and "answer" in entry and entry["answer"].quotes:
        with st.chat_message("assistant"):
            stream = stream_summary(assistant.settings, question, entry["answer"].quotes)
            widgets.summary_draft(stream)
        entry["summary"] = stream.result()
    history.append(entry)
    st.rerun()  # redraw from history, so the new answer and the export buttons below include it

answers = [e["answer"] for e in history if "answer" in e]
if answers:
    with st.sidebar:
        st.header("Conversation")
        widgets.download_buttons(styled_all(answers, citation, documents), "all", "conversation", mark_operative)
        st.button("Clear conversation", on_click=_clear, icon=":material/delete:")
