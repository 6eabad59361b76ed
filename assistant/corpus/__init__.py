"""The canonical corpus: document registry, paragraph IDs, paragraphs, build from raw sources, checks."""
