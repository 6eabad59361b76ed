"""Add page: upload a PDF or text document with numbered paragraphs; list and remove added documents."""

import tempfile
from pathlib import Path

import streamlit as st

from assistant.errors import AssistantError, DocumentRejected
from assistant.ingest.documents import MAX_BYTES, MAX_PAGES, add_document, added_documents, remove_document
from assistant.present.escape import escape_md

settings = st.session_state["assistant"].settings


def _reload() -> None:
    # The shared Assistant holds the old corpus and index: drop it so every session loads the new one.
    st.cache_resource.clear()


def _remove(key: str) -> None:
    try:
        remove_document(settings, key)
        st.session_state["add_notice"] = f"Removed {key}."
        _reload()
    except AssistantError as err:
        st.session_state["add_notice"] = f"Error: {err}"


st.title("Add a document")
st.caption(
    f"A PDF (up to {MAX_BYTES // 2**20} MB and {MAX_PAGES} pages) or UTF-8 text whose paragraphs are numbered "
    "1., 2., … with (a), (b) … and (i), (ii) … sub-items. Its paragraphs are quoted like the built-in texts."
)
with st.form("add", clear_on_submit=False):
    upload = st.file_uploader("Document", type=["pdf", "txt"])
    key = st.text_input("Key", placeholder="MD2019", help="2-16 letters and digits; paragraph IDs become KEY:3.b")
    title = st.text_input("Title", placeholder="Ministerial Declaration")
    year = st.number_input("Year", min_value=1900, max_value=2100, value=2019, step=1)
    submitted = st.form_submit_button("Add", icon=":material/upload_file:")

if submitted:
    if upload is None:
        st.error("Choose a file to add.")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            # The uploaded name is recorded as the paragraphs' source; directories in it are dropped.
            path = Path(tmp) / (Path(upload.name).name or "upload.pdf")
            path.write_bytes(upload.getvalue())
            try:
                with st.spinner("Reading the document and updating the index…"):
                    report = add_document(settings, path, key, title, int(year))
            except DocumentRejected as err:
                st.error(escape_md(str(err)))
            except AssistantError as err:
                st.error(escape_md(f"The document could not be added: {err}"))
            else:
                if report.action == "unchanged":
                    st.info(escape_md(f"{report.key} is already in the corpus with this file: nothing changed."))
                else:
                    st.success(escape_md(f"{report.key}: {report.action}, {report.paragraphs} paragraphs."))
                    _reload()

notice = st.session_state.pop("add_notice", None)
if notice:
    (st.error if notice.startswith("Error") else st.success)(escape_md(notice))

st.header("Added documents")
docs = added_documents(settings)
if not docs:
    st.caption("None yet.")
for d in docs:
    with st.container(border=True):
        st.markdown(f"**{escape_md(d.short)}** · {escape_md(d.key)} · {d.paragraphs} paragraphs")
        st.caption(escape_md(f"{d.title} — from {d.file}, added {d.added_at}, sha256 {d.sha256[:12]}…"))
        st.button("Remove", key=f"remove-{d.key}", on_click=_remove, args=(d.key,), icon=":material/delete:")
