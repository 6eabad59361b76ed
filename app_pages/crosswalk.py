"""Crosswalk page: the 2016 → 2009 table with filters, new-in-2016 paragraphs, unresolved references."""

import pandas as pd
import streamlit as st

from assistant.present import widgets

assistant = st.session_state["assistant"]
corpus = assistant.corpus
links = assistant.crosswalk.links
CHAPTERS = [str(n) for n in range(1, 8)]


def _cite(pid: str) -> str:
    return corpus.get(pid).citation if pid in corpus else ""


table = pd.DataFrame(
    [
        {
            "chapter": k.source.partition(":")[2].split(".")[0],
            "2016": _cite(k.source) or k.source,
            "2009": _cite(k.target) if k.resolved else "",
            "2016 ID": k.source,
            "2009 ID": k.target,
            "as printed": k.raw,
            "confidence": k.confidence,
            "resolved": k.resolved,
            "new in 2016": k.new_in_2016,
            "table line": k.line,
        }
        for k in links
    ],
    columns=["chapter", "2016", "2009", "2016 ID", "2009 ID", "as printed", "confidence", "resolved",
             "new in 2016", "table line"],
)

st.title("Crosswalk 2016 ↔ 2009")
st.caption("From the crosswalk table printed with the 2016 Outcome Document: which 2009 paragraph each "
           "2016 paragraph draws on. Confidence says whether the row was read exactly, repaired, or ambiguous.")

sources = table[table["chapter"].isin(CHAPTERS)].groupby(["chapter", "2016 ID"])
flags = sources.agg(carried=("2009 ID", lambda s: bool(s.ne("").any())), new=("new in 2016", "any"))
counts = flags.groupby("chapter").sum().reindex(CHAPTERS, fill_value=0)
counts.index = [f"Chapter {c}" for c in counts.index]
st.subheader("Per 2016 chapter: paragraphs carrying 2009 language and paragraphs new in 2016")
st.bar_chart(counts.rename(columns={"carried": "carry 2009 language", "new": "new in 2016"}), stack=False)

st.subheader("Table")
left, mid, right = st.columns(3)
chapters = left.multiselect("Chapter", sorted(table["chapter"].unique(), key=lambda c: (not c.isdigit(), c)))
confidence = mid.multiselect("Confidence", sorted(table["confidence"].unique()))
needle = right.text_input("Contains", placeholder="ID, citation or printed reference").strip().lower()
shown = table
if chapters:
    shown = shown[shown["chapter"].isin(chapters)]
if confidence:
    shown = shown[shown["confidence"].isin(confidence)]
if needle:
    text = shown[["2016", "2009", "2016 ID", "2009 ID", "as printed"]].apply(lambda r: " ".join(r).lower(), axis=1)
    shown = shown[text.str.contains(needle, regex=False)]
st.dataframe(shown, hide_index=True, width="stretch")
st.caption(f"{len(shown)} of {len(table)} links.")

st.subheader("New in 2016")
new = list(dict.fromkeys(k.source for k in links if k.new_in_2016))
st.caption("2016 paragraphs the crosswalk table marks N/A: no 2009 counterpart.")
for pid in new:
    widgets.browse_link(pid, _cite(pid) or pid)

st.subheader("Unresolved references")
unresolved = assistant.crosswalk.unresolved()
if unresolved:
    st.caption("References printed in the table that name no paragraph of the 2009 texts as this corpus holds them.")
    st.dataframe(
        pd.DataFrame([{"2016 ID": k.source, "as printed": k.raw, "read as": k.target, "table line": k.line}
                      for k in unresolved]),
        hide_index=True,
    )
else:
    st.caption("Every reference in the table names an existing paragraph.")
