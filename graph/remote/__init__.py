"""Graphs on other machines, over SPARQL and the Graph Store protocol.

The SPARQL client behind `--endpoint` (it stands in for the local store),
publishing the graph to a Graph Store endpoint, and `serve`, our own read-only
SPARQL endpoint with the page at `/`.
"""
