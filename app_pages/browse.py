"""Browse page: each document as headings and paragraphs; `?id=UNGASS2016:1.m` focuses one paragraph."""

import streamlit as st

from assistant.corpus.check import coverage
from assistant.errors import AssistantError
from assistant.present import widgets
from assistant.present.escape import escape_md

assistant = st.session_state["assistant"]
corpus = assistant.corpus


def _select() -> None:
    if st.session_state["browse_id"]:
        st.query_params["id"] = st.session_state["browse_id"]
    else:
        st.query_params.pop("id", None)


st.title("Browse")
focus = st.query_params.get("id")
if focus:
    try:
        q = assistant.show(focus)  # accepts human forms too: ?id=1(m)
    except AssistantError as err:
        st.error(escape_md(str(err)))
        focus = None
    else:
        focus = q.id
        st.markdown(":orange-badge[Focused paragraph]")
        widgets.quote_panel(q)

if focus and st.session_state.get("browse_id") != focus:
    st.session_state["browse_id"] = focus
st.selectbox("Go to paragraph", corpus.ids, index=None, key="browse_id", on_change=_select,
             format_func=lambda pid: f"{pid} · {corpus.get(pid).citation}", placeholder="Paragraph ID or citation")

keys = list(corpus.documents)
names = [corpus.documents[k].short for k in keys]
# Browse opens on the 2016 Outcome Document (the newest negotiated text) unless a paragraph is focused.
opening = corpus.get(focus).doc if focus else ("UNGASS2016" if "UNGASS2016" in keys else keys[0])
tabs = st.tabs(names, default=names[keys.index(opening)])
for key, tab in zip(keys, tabs):
    with tab:
        st.caption(escape_md(corpus.documents[key].title))
        groups: dict[tuple[tuple[str, ...], bool], list[str]] = {}
        for p in corpus.by_doc(key):
            groups.setdefault((p.heading, p.kind == "preamble"), []).append(p.id)
        for n, ((heading, preamble), ids) in enumerate(groups.items()):
            # The preamble is labelled as such: it has no heading of its own in the printed text.
            label = escape_md(" › ".join(heading) or ("Preamble" if preamble else "Paragraphs without a heading"))
            if preamble and heading:
                label = escape_md("Preamble: ") + label
            # Lazy: a closed heading costs nothing, so the whole tree can be drawn on every run.
            section = st.expander(label, expanded=focus in ids, key=f"browse-{key}-{n}", on_change="rerun")
            if section.open:
                with section:
                    for pid in ids:
                        if pid == focus:
                            with st.container(border=True):
                                st.markdown(":orange-badge[Focused paragraph]")
                                widgets.paragraph(assistant.quote(pid), assistant.unresolved)
                        else:
                            widgets.paragraph(assistant.quote(pid), assistant.unresolved)

with st.expander("Numbered paragraphs the corpus does not hold"):
    missing = coverage(corpus)
    for key, ids in missing.items():
        doc = corpus.documents.get(key)
        name = escape_md(doc.short if doc else key)
        st.markdown(f"**{name}**: " + (escape_md(", ".join(ids)) if ids else "none missing"))
    st.caption("No source available to this assistant holds these paragraphs, so they cannot be quoted.")
