"""Interim data checker for curators: parse every file, run the SHACL shapes.

Usage: .venv/bin/python scripts/check_data.py [FILE ...]
With no FILE, checks everything under data/.  With FILEs, checks the shared
core (data/entities/{states,people,organizations,offices,accords,issues,events}.ttl)
plus the given files, so one curator's work can be checked alone.
Replaced by `bilateral validate` once the package lands; kept as a thin
fallback that works without installing anything but rdflib and pyshacl.
"""

import sys
from pathlib import Path

import pyshacl
from rdflib import Dataset, Graph, Namespace, URIRef

ROOT = Path(__file__).resolve().parent.parent
BL = Namespace("https://w3id.org/bilateral/ontology#")
CORE = ["states", "people", "organizations", "offices", "accords", "issues", "events"]
if len(sys.argv) > 1:
    files = [ROOT / "data" / "entities" / f"{c}.ttl" for c in CORE] + [Path(a) for a in sys.argv[1:]]
else:
    files = sorted(list((ROOT / "data").rglob("*.ttl")) + list((ROOT / "data").rglob("*.trig")))
ds = Dataset(default_union=True)
ds.graph(URIRef("urn:x-bilateral:ontology")).parse(ROOT / "ontology.ttl", format="turtle")
bad = 0
for path in files:
    try:
        if path.suffix == ".trig":
            ds.parse(path, format="trig")
        else:
            ds.graph(URIRef(path.resolve().as_uri())).parse(path, format="turtle")
    except Exception as exc:  # noqa: BLE001 - report and carry on
        bad += 1
        print(f"{path}: {exc}")
union = Graph()
for s, p, o, _g in ds.quads():
    union.add((s, p, o))
for g in ds.graphs():
    for s in set(g.subjects()):
        if str(g.identifier).startswith("https://w3id.org/bilateral/id/"):
            union.add((s, BL.assertedIn, g.identifier))
conforms, report, text = pyshacl.validate(
    union, shacl_graph=str(ROOT / "shapes.ttl"), inference="none", allow_warnings=True
)
print(text if not conforms else "SHACL: conforms")
print(f"{len(union)} triples; {bad} files failed to parse")
sys.exit(0 if conforms and not bad else 1)
