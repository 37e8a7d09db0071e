"""The store and its build: parse the TriG, validate it against the shapes,
compute the vocabulary's closure, write a persisted pyoxigraph store (swapped in
atomically), and run SPARQL on it with a time limit.  Knows nothing of
exploring or pages."""
