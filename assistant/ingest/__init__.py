"""Adding and removing user documents: sandboxed extraction, segmentation, incremental index updates."""
