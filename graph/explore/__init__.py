"""Exploring the stored graph; reads a store, never writes one.

Resolving names to entities, search, entity cards, paths between entities,
response chains, timelines, counts, the named query library and exports.
"""
