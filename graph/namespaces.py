"""IRIs and prefixes shared by every module: one place to change a namespace."""

from __future__ import annotations

__all__ = ["BL", "ID", "PREFIXES", "SPARQL_PREFIXES", "curie", "expand_curie"]

BL = "https://w3id.org/bilateral/ontology#"
ID = "https://w3id.org/bilateral/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SCHEMA = "https://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
SEM = "http://semanticweb.cs.vu.nl/2009/11/sem/"

#: Prefixes predeclared for every query and used to write CURIEs.
PREFIXES: dict[str, str] = {
    "bl": BL,
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "schema": SCHEMA,
    "foaf": FOAF,
    "sem": SEM,
}

#: The same prefixes as a SPARQL prologue, for engines without a prefixes argument.
SPARQL_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def curie(iri: str) -> str:
    """Shorten an IRI with the known prefixes (``id:japan``); unknown IRIs stay whole.

    >>> curie("https://w3id.org/bilateral/id/japan")
    'id:japan'
    >>> curie("http://example.org/x")
    'http://example.org/x'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and "/" not in local and "#" not in local:
            return f"{best}:{local}"
    return iri


def expand_curie(text: str) -> str | None:
    """Expand ``prefix:local`` with a known prefix; None when it is not one.

    >>> expand_curie("bl:Event")
    'https://w3id.org/bilateral/ontology#Event'
    >>> expand_curie("Kang Kyung-wha") is None
    True
    """
    if ":" not in text or " " in text:
        return None
    prefix, _, local = text.partition(":")
    ns = PREFIXES.get(prefix)
    if ns is None or local.startswith("//"):
        return None
    return ns + local
