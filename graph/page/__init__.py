"""The explorer page: one offline HTML file of a view of the graph.

Which entities a view shows, where they sit (layout), clusters for large views,
and the HTML written from the template with the vendored vis-network.
"""
