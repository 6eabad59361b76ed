"""Parsers for the raw source texts in corpus/raw/, one module per source file."""
