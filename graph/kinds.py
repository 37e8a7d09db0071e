"""The kinds of entity a command can expect: one rule shared by resolution and lint.

A name such as "export controls" may label an issue and an event at once.
That is allowed only because commands say which kind they expect (`--issue`
an issue, `chain` an event), so the resolver can choose; two entities of the
same kind under one name cannot be told apart and lint reports them.
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet

from bilateral.graph.namespaces import BL

__all__ = ["KINDS", "KIND_NAMES", "kind_of"]

#: kind -> the bl: classes whose instances are of that kind (subclasses included by the caller's closure).
KINDS: dict[str, tuple[str, ...]] = {
    "actor": (BL + "Actor", BL + "State", BL + "Person", BL + "Organization"),
    "issue": (BL + "Issue",),
    "event": (BL + "Event",),
    "accord": (BL + "Accord",),
    "office": (BL + "Office",),
    "position": (BL + "Position",),
    "proposal": (BL + "Proposal",),
    "observation": (BL + "Observation",),
    "source": (BL + "Source",),
}

#: How to name a kind in a message ("--issue expects an issue").
KIND_NAMES: dict[str, str] = {
    "actor": "an actor (state, person or organisation)",
    "issue": "an issue",
    "event": "an event",
    "accord": "an accord",
    "office": "an office",
    "position": "a position",
    "proposal": "a proposal",
    "observation": "an observation",
    "source": "a source",
}


def kind_of(types: set[str] | list[str], superclasses: Mapping[str, AbstractSet[str]] | None = None) -> str | None:
    """The kind of an entity with these classes; None when it is none of the kinds.

    `superclasses` maps a class to all its ancestors, so a bl:Meeting is an
    event; without it only the classes themselves count.

    >>> kind_of({BL + "Ruling"}, {BL + "Ruling": {BL + "Event"}})
    'event'
    >>> kind_of({BL + "Issue"})
    'issue'
    """
    closed: set[str] = set(types)
    for t in types:
        closed |= (superclasses or {}).get(t, set())
    for kind, classes in KINDS.items():
        if closed & set(classes):
            return kind
    return None
