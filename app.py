"""Streamlit entry point: page set-up, navigation, and the one shared, read-only Assistant."""

import logging

import streamlit as st

from assistant.config import Settings
from assistant.errors import AssistantError, IndexCorrupt, IndexNotBuilt
from assistant.present.index_panel import index_panel
from assistant.present.resources import shared_assistant
from assistant.present.escape import escape_md
from assistant.retrieval.doctor import diagnose


st.set_page_config(page_title="UN drug-policy commitments", page_icon=":material/gavel:", layout="wide")
page = st.navigation(
    [
        st.Page("app_pages/ask.py", title="Ask", icon=":material/chat:", default=True),
        st.Page("app_pages/browse.py", title="Browse", icon=":material/menu_book:"),
        st.Page("app_pages/crosswalk.py", title="Crosswalk 2016 ↔ 2009", icon=":material/compare_arrows:"),
        st.Page("app_pages/compare.py", title="Compare", icon=":material/difference:"),
        st.Page("app_pages/glossary.py", title="Glossary", icon=":material/translate:"),
        st.Page("app_pages/check.py", title="Check a draft", icon=":material/fact_check:"),
        st.Page("app_pages/add.py", title="Add a document", icon=":material/upload_file:"),
    ]
)
WITHOUT_INDEX = {"check"}  # pages that work before the search index is built
try:
    settings = Settings.from_env()  # a bad setting (ASSISTANT_CITATION=long) is an error shown below, not a traceback
    # Reading never builds: a missing or stale index is shown with a button that builds it.
    diagnosis = diagnose(settings, probe=False)
    if not diagnosis.ok and page.url_path in WITHOUT_INDEX:
        page.run()  # checking a draft needs the texts, not the search index
        st.stop()
    if not diagnosis.ok:
        if index_panel(settings, diagnosis):
            st.rerun()
        st.stop()
    # Pages read the shared instance from here; Session State only holds a reference to it.
    st.session_state["assistant"] = shared_assistant(settings)
    page.run()
except (IndexNotBuilt, IndexCorrupt) as err:
    st.error(escape_md(str(err)))
except AssistantError as err:
    st.error(escape_md(str(err)))
except Exception:  # noqa: BLE001  (Streamlit's rerun/stop signals are BaseException, not caught here)
    logging.getLogger("assistant.app").exception("unexpected error")
    st.error("Something went wrong while answering. Nothing was lost: your conversation is kept. Please try again.")
