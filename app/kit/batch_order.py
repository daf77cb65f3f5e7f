"""Rows of one batch that name each other (a unit and the sub-units under it, in one file), in an
order they can be written: a row after every row it names, so that the rule of a row sees, in the
database, the records it refers to (``app.services.records.add_many`` writes them so)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class BatchRef:
    """A reference to the record another row of the same batch creates: that row's number in the
    batch's ``row_numbers`` (its index when there are none)."""

    row: int


def has_refs(rows: list[dict[str, Any]]) -> bool:
    return any(isinstance(v, BatchRef) for row in rows for v in row.values())


def position(number: int, row_numbers: Sequence[int] | None) -> str:
    """How a message names a row: the sheet row Excel shows when the batch came from a file (the
    number the import report uses), else its place in the batch."""
    return f"本文件第 {number} 行" if row_numbers is not None else f"本批第 {number + 1} 条记录"


def generations(rows: list[dict[str, Any]], row_numbers: Sequence[int] | None,
                errors: dict[int, dict[str, str]]) -> Iterator[list[int]]:
    """Lists of row indexes in an order they can be written: a row after every row it names.
    ``errors`` is filled by the caller as it writes each list; a row naming a refused row, a row
    not in the batch or (through others) itself is refused here."""
    at = {n: i for i, n in enumerate(row_numbers if row_numbers is not None else range(len(rows)))}
    needs = [{k: at.get(v.row, -1) for k, v in row.items() if isinstance(v, BatchRef)} for row in rows]
    pending, done = list(range(len(rows))), set()
    while pending:
        ready, waiting = [], []
        for i in pending:
            bad = next((k for k, j in needs[i].items() if j < 0 or j in errors), None)
            if bad is not None:
                errors[i] = {bad: f"所指的{position(rows[i][bad].row, row_numbers)}未通过检查"}
            elif done.issuperset(needs[i].values()):
                ready.append(i)
            else:
                waiting.append(i)
        if not ready:
            for i in waiting:
                errors[i] = {next(iter(needs[i])): "与本批其他行互相指向(循环),无法确定先后"}
            return
        yield ready
        done.update(ready)
        pending = waiting
