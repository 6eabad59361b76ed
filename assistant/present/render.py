"""Transitional alias for app_pages/add.py only: import `escape_md` from `assistant.present.escape` instead."""

from assistant.present.escape import escape_md

__all__ = ["escape_md"]
