"""The Streamlit pieces the pages call: answer and quote cards, counterparts, browse links, downloads, summaries."""

from __future__ import annotations

from typing import Iterable, Sequence

import streamlit as st

from assistant.answer.compose import Answer, Quote
from assistant.corpus.documents import Registry
from assistant.present.docx import conversation_docx
from assistant.present.escape import escape_md
from assistant.present.labels import (
    CLOSEST,
    CLOSEST_NOTE,
    NO_COUNTERPART,
    NOT_NEGOTIATED,
    chapeau_line,
    counterparts_title,
)
from assistant.present.markdown import (
    NEW_IN_2016_MD,
    citation_markdown,
    conversation_markdown,
    counterpart_head,
    counterparts_markdown,
    quote_markdown,
    quoted_markdown,
    summary_markdown,
)
from assistant.summary.verify import Summary

BROWSE = "app_pages/browse.py"
BADGE = {"UNGASS2016": "blue", "JMS2014": "violet", "PoA2009": "green", "PD2009": "orange"}
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SUMMARY_CAPTION = "Written summary from the local model: not a quote. Checked against the quotes above."
DRAFT_CAPTION = "Draft summary, streaming from the local model; it is checked before it is kept."


def browse_link(pid: str, label: str, icon: str | None = None) -> None:
    """A link to the Browse page focused on paragraph `pid`; `label` is shown literally."""
    st.page_link(BROWSE, label=escape_md(label), query_params={"id": pid}, icon=icon)


def download_buttons(answers: Sequence[Answer], key: str, name: str) -> None:
    """Markdown and Word downloads of `answers`, generated only when clicked."""
    md, docx = st.columns(2)
    # The callables hold the answers, not the bytes: nothing is rendered for a button never pressed.
    md.download_button("Markdown", lambda: conversation_markdown(answers), f"{name}.md", "text/markdown",
                       key=f"md-{key}", on_click="ignore", icon=":material/download:")
    docx.download_button("Word", lambda: conversation_docx(answers), f"{name}.docx", DOCX_MIME,
                         key=f"docx-{key}", on_click="ignore", icon=":material/download:")


def chapeau_captions(q: Quote) -> None:
    """The enclosing paragraphs of a quote, each trailing off into it."""
    for pid, text in q.chapeau:
        st.caption(escape_md(chapeau_line(pid, text)))


def counterparts_expander(q: Quote) -> None:
    """A quote's counterparts, each with how it is known, its verbatim text and a link to it in Browse."""
    with st.expander(counterparts_title(q)):
        if q.new_in_2016:
            st.markdown(NEW_IN_2016_MD)
        elif not q.counterparts:
            st.caption(NO_COUNTERPART)
        for c in q.counterparts:
            st.markdown(counterpart_head(c))
            if c.resolved:
                st.markdown(escape_md(c.text))
                browse_link(c.id, f"Open {c.id} in Browse")


def quote_card(q: Quote, short: str, closest: bool = False) -> None:
    """One quote as a card: document badge, citation, chapeau, verbatim text, a copy box, counterparts."""
    with st.container(border=True):
        badges = f":{BADGE.get(q.doc, 'gray')}-badge[{escape_md(short)}]"
        badges += f" :orange-badge[{escape_md(CLOSEST)}]" if closest else ""
        badges += f" :gray-badge[{escape_md(NOT_NEGOTIATED)}]" if not q.negotiated else ""
        st.markdown(badges)
        st.markdown(citation_markdown(q.citation, q.id))
        chapeau_captions(q)
        st.markdown(quoted_markdown(q.id, q.text, q.operative_spans))
        st.code(q.citation, language=None)
        counterparts_expander(q)


def summary_box(summary: Summary) -> None:
    """A checked summary, set apart from the quotes and labelled as not a quote."""
    with st.container(border=True):
        st.caption(SUMMARY_CAPTION)
        st.markdown(summary_markdown(summary))


def summary_draft(deltas: Iterable[str]) -> None:
    """The summary as it streams in, shown as an unchecked draft; model text is data: escaped, never HTML."""
    st.caption(DRAFT_CAPTION)
    st.write_stream(escape_md(delta) for delta in deltas)


def question(text: str) -> None:
    """The user's question as a chat message, shown literally."""
    with st.chat_message("user"):
        st.markdown(escape_md(text))


def answer(a: Answer, documents: Registry, index: int, summary: Summary | None = None) -> None:
    """The `index`-th answer in the chat: lead, notes, quote cards, its summary if any, and its downloads."""
    st.markdown(escape_md(a.lead))
    for note in a.notes:
        st.caption(escape_md(note))
    if not a.found and a.quotes:
        st.warning(escape_md(CLOSEST_NOTE))
    for q in a.quotes:
        doc = documents.get(q.doc)
        quote_card(q, doc.short if doc else q.doc, closest=not a.found)
    if summary is not None:
        summary_box(summary)
    st.caption("Download this answer")
    download_buttons([a], str(index), f"answer-{index + 1}")


def paragraph(q: Quote) -> None:
    """A paragraph in the Browse tree: citation, verbatim text, counterparts, a link to it."""
    st.markdown(citation_markdown(q.citation, q.id, q.negotiated))
    st.markdown(quoted_markdown(q.id, q.text, q.operative_spans))
    links = counterparts_markdown(q)
    if links:
        st.markdown("\n".join(links))
    browse_link(q.id, "Link to this paragraph", icon=":material/link:")


def quote_panel(q: Quote) -> None:
    """One quote in full, set apart, with a copy box for its citation."""
    with st.container(border=True):
        st.markdown(quote_markdown(q))
        st.code(q.citation, language=None)
