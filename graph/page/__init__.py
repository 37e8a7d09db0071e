"""The explorer page: which entities a view shows, where they sit (layout),
clusters for large views, and the offline HTML written from the template with
the vendored vis-network."""
