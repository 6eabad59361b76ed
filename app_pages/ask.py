"""Ask page: a chat whose answers are verbatim quotes shown as cards with citations and counterparts."""

import streamlit as st

from assistant.errors import AssistantError
from assistant.present import widgets
from assistant.present.escape import escape_md
from assistant.retrieval.query import Filters
from assistant.summary.client import stream_summary

assistant = st.session_state["assistant"]
documents = assistant.corpus.documents
history: list[dict] = st.session_state.setdefault("history", [])


def _clear() -> None:
    st.session_state["history"] = []
    st.session_state.pop("turn", None)


def show(i: int, entry: dict) -> None:
    widgets.question(entry["question"])
    with st.chat_message("assistant"):
        if "error" in entry:
            st.error(escape_md(entry["error"]))
        else:
            widgets.answer(entry["answer"], documents, i, entry.get("summary"))


with st.sidebar:
    st.header("Filters")
    chosen = st.multiselect("Documents", list(documents), format_func=lambda k: documents[k].short,
                            key="docs", placeholder="All documents")
    last = next((e["answer"] for e in reversed(history) if "answer" in e), None)
    if last is not None and last.filters.get("docs") and list(last.filters["docs"]) != list(chosen):
        searched = ", ".join(documents[d].short for d in last.filters["docs"] if d in documents)
        st.caption(escape_md(f"Your last question named its documents, so it searched {searched}."))
    commitments_only = st.toggle("Commitments only", key="commitments_only")
    k = st.slider("Number of results", 1, 20, 5, key="k")
    llm_ready = bool(assistant.settings.llm_base_url and assistant.settings.llm_model)
    summarize = st.toggle(
        "Written summary (local LLM)", key="summarize", disabled=not llm_ready,
        help="Adds a short summary from the OpenAI-compatible endpoint in ASSISTANT_LLM_BASE_URL / ASSISTANT_LLM_MODEL. "
        "The quotes stay the answer; every citation and quotation in the summary is checked." if llm_ready
        else "Set ASSISTANT_LLM_BASE_URL and ASSISTANT_LLM_MODEL to enable summaries from a local model.",
    )

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

question = st.chat_input("What did we commit on naloxone?") or st.session_state.pop("example", None)
if question:
    widgets.question(question)
    try:
        with st.spinner("Searching the texts…"):
            filters = Filters(docs=tuple(chosen), commitments_only=commitments_only)
            reply = assistant.ask(question, filters=filters, previous=st.session_state.get("turn"), k=k)
        entry = {"question": question, "answer": reply.answer}
        st.session_state["turn"] = reply.turn
    except AssistantError as err:
        entry = {"question": question, "error": str(err)}
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
        widgets.download_buttons(answers, "all", "conversation")
        st.button("Clear conversation", on_click=_clear, icon=":material/delete:")
