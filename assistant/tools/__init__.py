"""Measurement: retrieval evaluation and benchmarks."""
