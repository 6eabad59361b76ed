"""Shared fixtures: temporary settings, a small fixture corpus, and the helpers in `helpers.py`."""
