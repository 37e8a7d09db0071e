"""The import's progress bar: on a terminal only (rows, rows per second, time left), silent otherwise.

The library reports `progress(stage, done, total)` (total None when only
estimated, as while reading); each stage gets its own bar line, so a reader
sees where a long import spends its time: reading rows, linking actors,
writing events, validating.  Nothing is drawn when stderr is not a terminal,
so pipes, logs and tests get no control codes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

__all__ = ["ImportProgress"]

#: About how many bytes one ICEWS row takes (4-column TSV), to estimate the rows of a file being read.
BYTES_PER_ROW = 70


def _estimate(files: Iterable[Path | str]) -> int:
    total = 0
    for f in files:
        try:
            total += max(1, Path(f).stat().st_size // BYTES_PER_ROW)
        except OSError:
            pass
    return max(total, 1)


class ImportProgress:
    """A context manager yielding the `progress(stage, done, total)` callback, or None off a terminal.

    `console` (a rich Console) is for tests that force terminal mode; by
    default the bar goes to stderr when stderr is a terminal.
    """

    def __init__(self, files: Iterable[Path | str], console=None) -> None:
        self.estimate = _estimate(files)
        self.console = console
        self._bar: Any = None
        self._tasks: dict[str, int] = {}

    def __enter__(self):
        if self.console is None and not sys.stderr.isatty():
            return None
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(
            TextColumn("{task.description:<15}"),
            BarColumn(),
            TextColumn("{task.completed:>11,.0f} rows"),
            _RateColumn(),
            TimeRemainingColumn(),
            console=self.console or Console(stderr=True),
        )
        self._bar.start()
        return self.update

    def update(self, stage: str, done: int, total: int | None) -> None:
        """Show `done` rows of `stage` (of `total`, or of the estimate from the files' sizes)."""
        bar = self._bar
        if bar is None:
            return
        if stage not in self._tasks:
            for task in self._tasks.values():  # an earlier stage is complete
                found = bar.tasks[task]
                bar.update(task, total=found.completed)
            self._tasks[stage] = bar.add_task(stage, total=total or self.estimate)
        task = self._tasks[stage]
        limit = total or max(self.estimate, done)
        bar.update(task, completed=done, total=limit)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            for task in self._tasks.values():
                bar_task = self._bar.tasks[task]
                self._bar.update(task, total=bar_task.completed)
            self._bar.stop()


def _rate_column():
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Rows per second since the stage began."""

        def render(self, task) -> Text:
            elapsed = task.finished_time if task.finished else task.elapsed
            rate = task.completed / elapsed if elapsed else None
            return Text(f"{rate:>9,.0f} rows/s" if rate else "        – rows/s", style="progress.data.speed")

    return RateColumn()


_RateColumn = _rate_column
