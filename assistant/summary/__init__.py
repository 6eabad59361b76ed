"""Optional written summaries from a local LLM, verified against the quotes before display."""
