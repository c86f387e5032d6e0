"""Retrieval, code queries, full-text search, frequencies, co-occurrence, matrices, agreement."""
