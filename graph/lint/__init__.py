"""`bilateral lint`: the curation checks beyond the SHACL shapes, one finding per line with file:line.

With the documents' texts (`--texts DIR`): each dated claim's year (and month
for month or day precision), each bound, each quote and each figure is found
in the text of the document whose graph holds it.  Always: every national
organisation has a state, no response link runs backwards in time, no two
entities of one kind share a name, every event has a participant that is or
reaches a state, no text shown to analysts carries curation jargon.  The rules are written out in docs/curation.md.
"""

from __future__ import annotations

from pathlib import Path

from bilateral.graph.lint.model import Finding, LintData, read_lint_data

__all__ = ["CHECKS", "Finding", "LintData", "lint"]

#: Every check lint runs, with what it needs.
CHECKS = {
    "date-not-in-text": "texts",
    "bound-not-in-text": "texts",
    "quote-not-in-text": "texts",
    "figure-not-in-text": "texts",
    "no-text": "texts",
    "body-without-state": "data",
    "response-backwards": "data",
    "shared-label": "data",
    "event-without-state": "data",
    "curation-jargon": "data",
}


def lint(data_dir: Path, texts_dir: Path | None = None) -> list[Finding]:
    """All findings for a data directory, sorted by file and line.

    BadInput (exit 2) for a missing data or texts directory or an unreadable
    text; InvalidData (exit 1) when a data file does not parse.
    """
    from bilateral.graph.lint.structural import structural_findings
    from bilateral.graph.lint.texts import read_texts
    from bilateral.graph.lint.textual import text_findings

    texts = read_texts(texts_dir) if texts_dir is not None else None
    data = read_lint_data(data_dir)
    findings = set(structural_findings(data))
    if texts is not None:
        findings |= set(text_findings(data, texts))
    return sorted(findings, key=lambda f: (f.file, f.line, f.check, f.message))
