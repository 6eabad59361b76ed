"""Glossary page: the words people use, the agreed language of the texts, and the paragraphs using it."""

import streamlit as st

from assistant.present import widgets
from assistant.present.escape import escape_md
from assistant.retrieval.glossary import Glossary

assistant = st.session_state["assistant"]
corpus = assistant.corpus
glossary = Glossary.from_settings(assistant.settings)

st.title("Glossary")
st.caption("Everyday terms mapped to the language Member States agreed. Open a paragraph to read it in full.")
wanted = st.text_input("Filter", placeholder="e.g. needle exchange, darknet, methadone").strip().lower()

entries = [e for e in glossary.entries if not wanted or wanted in " ".join((e.term, *e.aliases, *e.agreed)).lower()]
if not entries:
    st.info("No glossary entry matches this filter.")
for e in entries:
    with st.container(border=True):
        st.subheader(escape_md(e.term))
        if e.aliases:
            st.markdown("**People say:** " + escape_md(", ".join(e.aliases)))
        st.markdown("**Agreed language:**\n\n" + "\n".join(f"- {escape_md(a)}" for a in e.agreed))
        if e.note:
            st.caption(escape_md(e.note))
        with st.expander(f"Paragraphs using it ({len(e.paragraphs)})"):
            for pid in e.paragraphs:
                if pid in corpus:
                    widgets.browse_link(pid, corpus.get(pid).citation)
                else:
                    st.caption(f"{escape_md(pid)}: not in the corpus")
