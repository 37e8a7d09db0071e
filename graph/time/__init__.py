"""Time as analysts think of it: the lifecycle of accords and measures, and the state of affairs on a date.

lifecycle: status changes (bl:StatusChange) with their dates per document;
asof: `bilateral asof DATE`, what was in force, who held which office as the
documents attest it, the latest on each issue, and pending proposals.
"""
