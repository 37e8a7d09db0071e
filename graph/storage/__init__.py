"""The store and its build; knows nothing of exploring or pages.

Parse the TriG, validate it against the shapes, compute the vocabulary's
closure, write a persisted pyoxigraph store (swapped in atomically), and run
SPARQL on it with a time limit.
"""
