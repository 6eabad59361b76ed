"""Finding paragraphs: units, embeddings, the vector store and its index, BM25, glossary, fusion, suggestions."""
