"""The Streamlit pieces the pages call: answer and quote cards, copy boxes, counterparts, browse links, downloads,
shareable links, summaries."""

from __future__ import annotations

from typing import Iterable, Sequence

import streamlit as st
from streamlit.errors import StreamlitAPIException

from assistant.answer.compose import Answer, Quote
from assistant.corpus.documents import JMS2014, PD2009, POA2009, UNGASS2016, Registry
from assistant.present.citations import SHORT, quote_block, styled
from assistant.present.counterparts import COMPARE_PAGE as COMPARE
from assistant.present.counterparts import Entry, quote_groups
from assistant.present.counterparts import title as counterparts_heading
from assistant.present.docx import conversation_docx
from assistant.present.escape import code_md, escape_md
from assistant.present.links import share_url
from assistant.present.labels import (
    CLOSEST,
    CLOSEST_NOTE,
    NOT_NEGOTIATED,
    chapeau_line,
    kind_label,
)
from assistant.present.markdown import (
    citation_markdown,
    conversation_markdown,
    entry_head,
    quote_markdown,
    quoted_markdown,
    summary_markdown,
)
from assistant.summary.verify import Summary

BROWSE = "app_pages/browse.py"
BADGE = {UNGASS2016: "blue", JMS2014: "violet", POA2009: "green", PD2009: "orange"}
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SUMMARY_CAPTION = "Written summary from the local model: not a quote. Checked against the quotes above."
MATCHED_CAPTION = "Words of your question (or their agreed language) are highlighted; operative verbs are in bold."
CARDS_HEIGHT = 560  # pixels of the scrolling box holding an answer's cards
DRAFT_CAPTION = "Draft summary, streaming from the local model; it is checked before it is kept."


def browse_link(pid: str, label: str, icon: str | None = None) -> None:
    """A link to the Browse page focused on paragraph `pid`; `label` is shown literally."""
    st.page_link(BROWSE, label=escape_md(label), query_params={"id": pid}, icon=icon)


def download_buttons(answers: Sequence[Answer], key: str, name: str, mark_operative: bool = False) -> None:
    """Markdown and Word downloads of `answers` (citations already in the chosen form), generated only when
    clicked; quotes are the canonical text, operative verbs in bold only when `mark_operative`."""
    md, docx = st.columns(2)
    # The callables hold the answers, not the bytes: nothing is rendered for a button never pressed.
    md.download_button("Markdown", lambda: conversation_markdown(answers, mark_operative), f"{name}.md",
                       "text/markdown", key=f"md-{key}", on_click="ignore", icon=":material/download:")
    docx.download_button("Word", lambda: conversation_docx(answers, mark_operative), f"{name}.docx", DOCX_MIME,
                         key=f"docx-{key}", on_click="ignore", icon=":material/download:")


def copy_box(q: Quote) -> None:
    """The quote and its citation as one block, in a box with a copy button: what drafters paste."""
    st.code(quote_block(q), language=None, wrap_lines=True)


def link_box(params: dict[str, str]) -> None:
    """`Link to this answer`: the page's URL with the query that reproduces the answer, in a box to copy."""
    st.caption("Link to this answer")
    # Without a browser behind the session (AppTest) there is no URL: the query alone is shown.
    st.code(share_url(st.context.url or "", params), language=None, wrap_lines=True)


def chapeau_captions(q: Quote) -> None:
    """The enclosing paragraphs of a quote, each trailing off into it."""
    for pid, text in q.chapeau:
        st.caption(escape_md(chapeau_line(pid, text)))


def compare_link(e: Entry) -> None:
    """A link to the Compare view of a counterpart pair; its command line where the page is not registered."""
    try:
        st.page_link(COMPARE, label="Compare the wording", query_params=e.compare_params(), icon=":material/difference:")
    except StreamlitAPIException:
        st.caption(code_md(e.compare_command()))


def counterpart_groups(groups) -> None:
    """Counterpart groups: title, note, then each link's citation, evidence, verbatim text, Compare and Browse links."""
    for g in groups:
        st.markdown(f"**{escape_md(g.title)}**")
        if g.note:
            st.caption(escape_md(g.note))
        for e in g.entries:
            st.markdown(entry_head(e))
            if e.text:
                st.markdown(escape_md(e.text))
                browse_link(e.id, f"Open {e.id} in Browse")
            if e.comparable:
                compare_link(e)


def counterparts_expander(q: Quote, explanations: dict | None = None) -> None:
    """A quote's counterparts in plain words (present/counterparts.py), grouped, strongest first."""
    groups = quote_groups(q, explanations=explanations)
    with st.expander(counterparts_heading(groups)):
        counterpart_groups(groups)


def quote_card(q: Quote, short: str, closest: bool = False, show_chapeau: bool = True) -> None:
    """One quote as a card: document badge, what it is when not a commitment, citation, chapeau (once per
    group of sub-items), verbatim text with the question's words marked, a copy box, counterparts."""
    with st.container(border=True):
        badges = f":{BADGE.get(q.doc, 'gray')}-badge[{escape_md(short)}]"
        badges += f" :orange-badge[{escape_md(CLOSEST)}]" if closest else ""
        kind = kind_label(q)
        badges += f" :gray-badge[{escape_md(kind)}]" if kind else ""
        badges += f" :gray-badge[{escape_md(NOT_NEGOTIATED)}]" if not q.negotiated and q.kind != "summary" else ""
        st.markdown(badges)
        st.markdown(citation_markdown(q.citation, q.id))
        if show_chapeau:
            chapeau_captions(q)
        st.markdown(quoted_markdown(q.id, q.text, q.operative_spans, q.matched))
        copy_box(q)
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


def answer(a: Answer, documents: Registry, index: int, summary: Summary | None = None, citation: str = SHORT,
           mark_operative: bool = False, link: dict[str, str] | None = None) -> None:
    """The `index`-th answer in the chat: lead, notes, quote cards (citations in the `citation` form), its summary
    if any, its downloads and, when given, the link that reproduces it."""
    a = styled(a, citation, documents)
    st.markdown(escape_md(a.lead))
    for note in a.notes:
        st.caption(escape_md(note))
    if not a.found and a.quotes:
        st.warning(escape_md(CLOSEST_NOTE))
    if a.quotes and any(q.matched for q in a.quotes):
        st.caption(MATCHED_CAPTION)
    # The cards scroll inside a box of their own, so after an answer the view rests on its lead and
    # first (best) card rather than on the last, least relevant one.
    with st.container(height=CARDS_HEIGHT if len(a.quotes) > 1 else "content", border=False):
        previous = None
        for q in a.quotes:
            doc = documents.get(q.doc)
            quote_card(q, doc.short if doc else q.doc, closest=not a.found, show_chapeau=q.chapeau != previous)
            previous = q.chapeau
    if summary is not None:
        summary_box(summary)
    st.caption("Download this answer")
    download_buttons([a], str(index), f"answer-{index + 1}", mark_operative)
    if link:
        link_box(link)


def paragraph(q: Quote, explanations: dict | None = None) -> None:
    """A paragraph in the Browse tree: citation, verbatim text, counterparts, a link to it."""
    st.markdown(citation_markdown(q.citation, q.id, q.negotiated))
    st.markdown(quoted_markdown(q.id, q.text, q.operative_spans))
    counterparts_expander(q, explanations)
    browse_link(q.id, "Link to this paragraph", icon=":material/link:")


def quote_panel(q: Quote) -> None:
    """One quote in full, set apart, operative verbs in bold, with a copy box for the quote and its citation."""
    with st.container(border=True):
        st.markdown(quote_markdown(q, mark_operative=True))
        copy_box(q)
