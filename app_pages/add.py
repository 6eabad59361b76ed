"""Add page: upload a PDF or text document with numbered paragraphs; list and remove added documents."""

import streamlit as st

from assistant.errors import AssistantError
from assistant.ingest.documents import MAX_BYTES, MAX_PAGES, added_documents, remove_document
from assistant.ingest.jobs import AddJob
from assistant.present.escape import escape_md

bot = st.session_state["assistant"]
settings = bot.settings
# The query encoder the shared assistant already loaded embeds the new passages: no second model load.
encoder = bot.retriever.embedder
JOB = "add_job"


def _remove(key: str) -> None:
    try:
        report = remove_document(settings, key, encoder)
        st.session_state["add_notice"] = f"Removed {key} ({report.paragraphs} paragraphs)."
    except AssistantError as err:
        st.session_state["add_notice"] = f"Error: {err}"


@st.fragment(run_every=0.5)
def _progress(job: AddJob) -> None:
    if job.done:
        st.rerun()  # the whole app: it loads the assistant of the new corpus version
    st.progress(job.progress, text=job.stage)


def _outcome(job: AddJob) -> None:
    if job.error:
        st.error(escape_md(job.error))
    elif job.report.action == "unchanged":
        st.info(escape_md(f"{job.report.key} is already added from this file: nothing changed."))
    else:
        r = job.report
        st.success(escape_md(f"{r.key}: {r.action}, {r.paragraphs} paragraphs, searchable now ({r.seconds:.1f} s)."))


st.title("Add a document")
st.caption(
    f"A PDF (up to {MAX_BYTES // 2**20} MB and {MAX_PAGES} pages) or UTF-8 text whose paragraphs are numbered "
    "1., 2., … with (a), (b) … and (i), (ii) … sub-items. Its paragraphs are quoted like the built-in texts."
)
job: AddJob | None = st.session_state.get(JOB)
with st.form("add", clear_on_submit=False):
    upload = st.file_uploader("Document", type=["pdf", "txt"])
    key = st.text_input("Key", placeholder="MD2019", help="2-16 letters and digits; paragraph IDs become KEY:3.b")
    title = st.text_input("Title", placeholder="Ministerial Declaration")
    year = st.number_input("Year", min_value=1900, max_value=2100, value=2019, step=1)
    submitted = st.form_submit_button("Add", icon=":material/upload_file:", disabled=bool(job and not job.done))

if submitted:
    if upload is None:
        st.error("Choose a file to add.")
    else:
        # The add runs in its own thread: leaving this page does not stop it, and it is all or nothing.
        job = st.session_state[JOB] = AddJob(settings, upload.getvalue(), upload.name, key, title, int(year), encoder).start()

if job is not None:
    if job.done:
        _outcome(st.session_state.pop(JOB))
    else:
        _progress(job)

notice = st.session_state.pop("add_notice", None)
if notice:
    (st.error if notice.startswith("Error") else st.success)(escape_md(notice))

st.header("Added documents")
docs = added_documents(settings)
if not docs:
    st.caption("None yet.")
busy = bool(job and not job.done)
for d in docs:
    with st.container(border=True):
        st.markdown(f"**{escape_md(d.short)}** · {escape_md(d.key)} · {d.paragraphs} paragraphs")
        st.caption(escape_md(f"{d.title} — from {d.file}, added {d.added_at}, sha256 {d.sha256[:12]}…"))
        st.button("Remove", key=f"remove-{d.key}", on_click=_remove, args=(d.key,), icon=":material/delete:", disabled=busy)
