"""The CAMEO event types, shipped in cameo-codes.csv (Windows-1252, MIT; see cameo-codes.LICENSE).

Codes are strings: "010" (Make statement) is not "10" (Demand).  Each type
carries its Goldstein score (-10 conflict ... +10 cooperation) and its quad
class, which follows from the root code: 01-05 verbal cooperation, 06-08
material cooperation, 09-13 verbal conflict, 14-20 material conflict.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bilateral.graph.namespaces import BL, ID

__all__ = ["QUAD_CLASSES", "Cameo", "CameoType", "cameo", "cameo_iri", "quad_class_of"]

#: Quad classes in order (index 0..3 in the columnar table), with their vocabulary IRIs.
QUAD_CLASSES = ["verbal_cooperation", "material_cooperation", "verbal_conflict", "material_conflict"]
QUAD_IRIS = [BL + "VerbalCooperation", BL + "MaterialCooperation", BL + "VerbalConflict", BL + "MaterialConflict"]


@dataclass(frozen=True)
class CameoType:
    """One CAMEO event type."""

    code: str
    name: str
    goldstein: float
    root: str

    @property
    def quad(self) -> int:
        """The index of its quad class in QUAD_CLASSES."""
        return quad_class_of(self.root)


def quad_class_of(root: str) -> int:
    """Quad class index from a two-digit root code ("01".."20")."""
    n = int(root)
    return 0 if n <= 5 else 1 if n <= 8 else 2 if n <= 13 else 3


def cameo_iri(code: str) -> str:
    """The SKOS concept of a CAMEO code."""
    return f"{ID}cameo-{code}"


@dataclass
class Cameo:
    """The code list with lookups by code and by (case-insensitive) name."""

    types: list[CameoType]

    def __post_init__(self) -> None:
        self.by_code = {t.code: i for i, t in enumerate(self.types)}
        self.by_name: dict[str, int] = {}
        for i, t in enumerate(self.types):
            key = t.name.casefold()
            # A root and its residual form share a name ("Consult": 04 and 040); the event form, the
            # longer code, is what coders record, so it wins.
            if key not in self.by_name or len(t.code) > len(self.types[self.by_name[key]].code):
                self.by_name[key] = i

    def index(self, code_or_name: str, *, by_code: bool) -> int | None:
        """The index of a type by its code (exact string) or its name (case-insensitive)."""
        if by_code:
            return self.by_code.get(code_or_name.strip())
        return self.by_name.get(code_or_name.strip().casefold())


def _path() -> Path:
    return Path(__file__).resolve().parent / "cameo-codes.csv"


@lru_cache(maxsize=1)
def cameo() -> Cameo:
    """The shipped code list, read once per process."""
    text = _path().read_bytes().decode("cp1252")
    types = []
    for row in csv.DictReader(io.StringIO(text)):
        types.append(CameoType(row["code"], row["name"].strip(), float(row["goldstein"]), row["root_code"]))
    return Cameo(types)
