"""Crosswalk page: the 2016 → 2009 table with both texts, filters, Compare links, new-in-2016 paragraphs, unresolved references."""

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitAPIException

from assistant.crosswalk.compare import compare
from assistant.present import widgets
from assistant.present.counterparts import COMPARE_PAGE, unresolved_words

assistant = st.session_state["assistant"]
corpus = assistant.corpus
links = assistant.crosswalk.links
CHAPTERS = [str(n) for n in range(1, 8)]


def _cite(pid: str) -> str:
    return corpus.get(pid).citation if pid in corpus else ""


def _text(pid: str) -> str:
    return corpus.get(pid).text if pid in corpus else ""


@st.cache_resource(show_spinner=False)
def _relations(_links: tuple, key: str) -> dict:
    """Relation type of every resolved link (computed once per crosswalk): same wording, adapted, related."""
    return {(k.source, k.target): compare(_text(k.target), _text(k.source)).relation
            for k in _links if k.resolved and k.target in corpus and k.source in corpus}


relations = _relations(tuple(links), str(assistant.settings.crosswalk_path))


def _relation(k) -> str:
    if k.new_in_2016:
        return "new in 2016"
    return relations.get((k.source, k.target), "no such paragraph")


table = pd.DataFrame(
    [
        {
            "chapter": k.source.partition(":")[2].split(".")[0],
            "chapter title": " › ".join(corpus.get(k.source).heading[-1:]) if k.source in corpus else "",
            "2016": _cite(k.source) or k.source,
            "2016 text": _text(k.source),
            "2009": _cite(k.target) if k.resolved else "",
            "2009 text": _text(k.target) if k.resolved else (unresolved_words(k.source, k.target, assistant.unresolved) if k.target else ""),
            "relation": _relation(k),
            "compare": f"/compare?a={k.target}&b={k.source}" if k.resolved and k.target in corpus else None,
            "2016 ID": k.source,
            "2009 ID": k.target,
            "as printed": k.raw,
            "confidence": k.confidence,
            "table line": k.line,
        }
        for k in links
    ],
    columns=["chapter", "chapter title", "2016", "2016 text", "2009", "2009 text", "relation", "compare", "2016 ID",
             "2009 ID", "as printed", "confidence", "table line"],
)

st.title("Crosswalk 2016 ↔ 2009")
st.caption("From the crosswalk table printed with the 2016 Outcome Document: which 2009 paragraph each "
           "2016 paragraph draws on. Relation says whether 2016 repeats the 2009 wording (same wording), carries "
           "runs of six or more of its words (adapted), or only shares its subject (related). Confidence says "
           "whether the row was read exactly, repaired from a garbled print (with the reason recorded), or is "
           "ambiguous: printed between two rows, so the table itself does not say which one it belongs to.")

sources = table[table["chapter"].isin(CHAPTERS)].groupby(["chapter", "2016 ID"])
flags = sources.agg(carried=("2009 ID", lambda s: bool(s.ne("").any())), new=("relation", lambda s: bool(s.eq("new in 2016").any())))
counts = flags.groupby("chapter").sum().reindex(CHAPTERS, fill_value=0)
counts.index = [f"Chapter {c}" for c in counts.index]
st.subheader("Per 2016 chapter: paragraphs carrying 2009 language and paragraphs new in 2016")
st.bar_chart(counts.rename(columns={"carried": "carry 2009 language", "new": "new in 2016"}), stack=False)

st.subheader("Table")
left, mid, mid2, right = st.columns(4)
chapters = left.multiselect("Chapter", sorted(table["chapter"].unique(), key=lambda c: (not c.isdigit(), c)))
kinds = mid.multiselect("Relation", ["same wording", "adapted", "related", "new in 2016", "no such paragraph"], key="relation")
confidence = mid2.multiselect("Confidence", sorted(table["confidence"].unique()))
needle = right.text_input("Words in either text", placeholder="e.g. naloxone, PoA 51, Action 43.f", key="needle").strip().lower()
shown = table
if chapters:
    shown = shown[shown["chapter"].isin(chapters)]
if kinds:
    shown = shown[shown["relation"].isin(kinds)]
if confidence:
    shown = shown[shown["confidence"].isin(confidence)]
if needle:
    text = shown[["2016", "2016 text", "2009", "2009 text", "2016 ID", "2009 ID", "as printed"]].apply(
        lambda r: " ".join(r).lower(), axis=1)
    shown = shown[text.str.contains(needle, regex=False)]
st.dataframe(shown, hide_index=True, width="stretch",
             column_config={"compare": st.column_config.LinkColumn("compare", display_text="Compare"),
                            "2016 text": st.column_config.TextColumn(width="large"),
                            "2009 text": st.column_config.TextColumn(width="large")})
st.caption(f"{len(shown)} of {len(table)} links.")
rows = shown[shown["compare"].notna()]
if len(rows):
    pick = st.selectbox("Compare a row", range(len(rows)), key="compare_row",
                        format_func=lambda i: f"{rows.iloc[i]['2009']} → {rows.iloc[i]['2016']}")
    try:
        st.page_link(COMPARE_PAGE, label="Open in Compare", icon=":material/difference:",
                     query_params={"a": rows.iloc[pick]["2009 ID"], "b": rows.iloc[pick]["2016 ID"]})
    except StreamlitAPIException:
        st.caption(f"assistant compare {rows.iloc[pick]['2009 ID']} {rows.iloc[pick]['2016 ID']}")

st.subheader("New in 2016")
new = list(dict.fromkeys(k.source for k in links if k.new_in_2016))
st.caption("2016 paragraphs the crosswalk table marks N/A: no 2009 counterpart.")
for pid in new:
    widgets.browse_link(pid, _cite(pid) or pid)

st.subheader("References to paragraphs the 2009 texts do not have")
unresolved = assistant.crosswalk.unresolved()
if unresolved:
    st.caption("The table prints these references, but the 2009 texts have no such paragraph; where the wording "
               "shows which paragraph was meant, it is suggested.")
    st.dataframe(
        pd.DataFrame([{"2016": _cite(k.source) or k.source, "as printed": k.raw,
                       "explanation": unresolved_words(k.source, k.target, assistant.unresolved), "table line": k.line}
                      for k in unresolved]),
        hide_index=True, width="stretch",
    )
else:
    st.caption("Every reference in the table names an existing paragraph.")
