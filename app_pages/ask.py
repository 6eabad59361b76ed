"""Ask page: a chat whose answers are verbatim quotes shown as cards with citations and counterparts."""

import streamlit as st

from assistant.answer.compose import SUGGESTION, Answer, Quote
from assistant.errors import AssistantError
from assistant.present.export import conversation_docx, conversation_markdown
from assistant.present.render import emphasise, escape_md, label
from assistant.retrieval.query import Filters
from assistant.summary.client import stream_summary, summary_markdown

BADGE = {"UNGASS2016": "blue", "JMS2014": "violet", "PoA2009": "green", "PD2009": "orange"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BROWSE = "app_pages/browse.py"

assistant = st.session_state["assistant"]
documents = assistant.corpus.documents
history: list[dict] = st.session_state.setdefault("history", [])


def _clear() -> None:
    st.session_state["history"] = []
    st.session_state.pop("turn", None)


def downloads(answers: list[Answer], key: str, name: str) -> None:
    md, docx = st.columns(2)
    # Files are generated only when clicked: the callables hold their answers, not the bytes.
    md.download_button("Markdown", lambda: conversation_markdown(answers), f"{name}.md", "text/markdown",
                       key=f"md-{key}", on_click="ignore", icon=":material/download:")
    docx.download_button("Word", lambda: conversation_docx(answers), f"{name}.docx", DOCX,
                         key=f"docx-{key}", on_click="ignore", icon=":material/download:")


def counterparts(q: Quote) -> None:
    label = "Counterparts: new in 2016" if q.new_in_2016 else f"Counterparts ({len(q.counterparts)})"
    with st.expander(label):
        if q.new_in_2016:
            st.markdown("**New in 2016:** the crosswalk table gives no 2009 counterpart.")
        elif not q.counterparts:
            st.caption("No counterpart in the crosswalk table and no suggestion.")
        for c in q.counterparts:
            if c.relation == SUGGESTION:
                how = "**Suggestion**: not in the crosswalk table, closest by meaning"
                how += f" (similarity {c.score:.2f})" if c.score is not None else ""
            else:
                how = f"**Crosswalk table**: {escape_md(c.relation)}, confidence {escape_md(c.confidence)}"
            if not c.resolved:
                st.markdown(f"{escape_md(c.id)}: {how}. The table names no existing paragraph.")
                continue
            st.markdown(f"**{escape_md(c.citation)}** · {how}")
            st.markdown(escape_md(c.text))
            st.page_link(BROWSE, label=f"Open {escape_md(c.id)} in Browse", query_params={"id": c.id})


def card(q: Quote, closest: bool) -> None:
    with st.container(border=True):
        doc = documents.get(q.doc)
        badges = f":{BADGE.get(q.doc, 'gray')}-badge[{escape_md(doc.short if doc else q.doc)}]"
        badges += " :orange-badge[closest, not a match]" if closest else ""
        badges += " :gray-badge[not negotiated text]" if not q.negotiated else ""
        st.markdown(badges)
        st.markdown(f"**{escape_md(q.citation)}**")
        for _, chapeau in q.chapeau:
            st.caption(escape_md(chapeau) + " …")
        # A sub-item's printed letter is not part of its text: shown beside the quote, never inside it.
        item = escape_md(label(q.id) + " ") if label(q.id) else ""
        st.markdown(item + emphasise(q.text, q.operative_spans))
        st.code(q.citation, language=None)
        counterparts(q)


def show(i: int, entry: dict) -> None:
    with st.chat_message("user"):
        st.markdown(escape_md(entry["question"]))
    with st.chat_message("assistant"):
        if "error" in entry:
            st.error(escape_md(entry["error"]))
            return
        a: Answer = entry["answer"]
        st.markdown(escape_md(a.lead))
        for note in a.notes:
            st.caption(escape_md(note))
        if not a.found and a.quotes:
            st.warning("Closest, not a match: no paragraph clearly addresses this question.")
        for q in a.quotes:
            card(q, closest=not a.found)
        if entry.get("summary"):
            with st.container(border=True):
                st.caption("Written summary from the local model: not a quote. Checked against the quotes above.")
                st.markdown(entry["summary"])
        st.caption("Download this answer")
        downloads([a], str(i), f"answer-{i + 1}")


with st.sidebar:
    st.header("Filters")
    chosen = st.multiselect("Documents", list(documents), format_func=lambda k: documents[k].short,
                            key="docs", placeholder="All documents")
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

question = st.chat_input("What did we commit on naloxone?")
if question:
    with st.chat_message("user"):
        st.markdown(escape_md(question))
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
            st.caption("Draft summary, streaming from the local model; it is checked before it is kept.")
            stream = stream_summary(assistant.settings, question, entry["answer"].quotes)
            st.write_stream(escape_md(delta) for delta in stream)  # model text is data: escaped, never HTML
        entry["summary"] = summary_markdown(stream.result())
    history.append(entry)
    st.rerun()  # redraw from history, so the new answer and the export buttons below include it

answers = [e["answer"] for e in history if "answer" in e]
if answers:
    with st.sidebar:
        st.header("Conversation")
        downloads(answers, "all", "conversation")
        st.button("Clear conversation", on_click=_clear, icon=":material/delete:")
