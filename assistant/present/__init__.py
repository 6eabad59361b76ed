"""The one place that turns answers into text, Markdown, DOCX and app widgets (escaping, highlighting, labels)."""
