"""Where the shipped ontology, shapes and data are, and where stores are kept.

The ontology and data ship as package data of `bilateral` (the repository
root is the `bilateral` package; graph/ and cli/ are its subpackages), so an installed
`bilateral` works from any directory.  Stores live in a cache directory,
one per data directory, so a build for one `--data` never touches another's.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

__all__ = ["ontology_path", "shapes_path", "shipped_data_dir", "store_home"]


def _shipped_root() -> Path:
    # graph/ is bilateral.graph: its parent holds ontology.ttl, shapes.ttl and data/,
    # in the repository and in site-packages/bilateral alike.
    return Path(__file__).resolve().parent.parent


def ontology_path() -> Path:
    """The vocabulary, ontology.ttl."""
    return _shipped_root() / "ontology.ttl"


def shapes_path() -> Path:
    """The SHACL shapes, shapes.ttl."""
    return _shipped_root() / "shapes.ttl"


def shipped_data_dir() -> Path:
    """The curated graph that ships with the package."""
    return _shipped_root() / "data"


def store_home(data_dir: Path) -> Path:
    """The cache directory that holds the stores built from `data_dir`.

    `BILATERAL_HOME` overrides the cache root (tests use it to stay isolated).
    """
    base = os.environ.get("BILATERAL_HOME")
    root = Path(base) if base else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "bilateral"
    key = hashlib.sha256(str(data_dir.resolve()).encode()).hexdigest()[:16]
    return root / "stores" / key
