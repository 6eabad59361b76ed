"""Checking a draft against agreed language: normalisation, the n-gram matcher, draft readers, check results."""
