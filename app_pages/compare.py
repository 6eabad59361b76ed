"""Compare page: two paragraphs side by side (`?a=PoA2009:51&b=UNGASS2016:3.o`), changes marked, shared runs listed."""

import streamlit as st

from assistant.corpus.ids import resolve
from assistant.crosswalk.compare import compare
from assistant.errors import AssistantError
from assistant.present.docx import comparison_docx
from assistant.present.escape import escape_md
from assistant.present.markdown import comparison_markdown, side_markdown
from assistant.present.widgets import DOCX_MIME

assistant = st.session_state["assistant"]
corpus = assistant.corpus

st.title("Compare")
st.caption("Two paragraphs word by word: struck through, only in the earlier text; in bold, only in the later "
           "one; highlighted, runs of six or more words both carry.")
left, right = st.columns(2)
a_ref = left.text_input("Earlier paragraph", value=st.query_params.get("a", ""), placeholder="e.g. PoA 51")
b_ref = right.text_input("Later paragraph", value=st.query_params.get("b", ""), placeholder="e.g. 3(o)")
if not (a_ref.strip() and b_ref.strip()):
    st.info("Give two paragraphs, or open Compare from a counterpart or a Crosswalk row.")
    st.stop()
try:
    a, b = corpus.get(resolve(a_ref, corpus.ids)), corpus.get(resolve(b_ref, corpus.ids))
except AssistantError as err:
    st.error(escape_md(str(err)))
    st.stop()
st.query_params["a"], st.query_params["b"] = a.id, b.id
c = compare(a.text, b.text)
st.markdown(escape_md(f"Relation: {c.relation} (word similarity {c.similarity:.2f})"))
left, right = st.columns(2)
with left:
    st.markdown(f"**{escape_md(a.citation)}**")
    st.markdown(side_markdown(a.text, c, "a"))
with right:
    st.markdown(f"**{escape_md(b.citation)}**")
    st.markdown(side_markdown(b.text, c, "b"))
st.subheader("Changes")
st.markdown(comparison_markdown(a.citation, b.citation, c))
md, docx = st.columns(2)
md.download_button("Markdown", lambda: comparison_markdown(a.citation, b.citation, c), "comparison.md",
                   "text/markdown", on_click="ignore", icon=":material/download:")
docx.download_button("Word", lambda: comparison_docx(a.citation, b.citation, c), "comparison.docx", DOCX_MIME,
                     on_click="ignore", icon=":material/download:")
