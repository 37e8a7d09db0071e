"""Exploring the stored graph: resolving names to entities, search, entity
cards, paths between entities, response chains, timelines, counts, the named
query library and exports.  Reads a store; never writes one."""
