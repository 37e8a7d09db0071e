"""Coded event data (ICEWS, CAMEO) beside the curated graph: import, link, aggregate."""
