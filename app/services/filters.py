"""Filters and settings of a list (a roster, a notice, an export), declared as data so that the
command line, the UI and the Excel exports offer the same ones."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class FilterOption:
    dest: str  # key in the options dict, and the argparse dest
    flag: str  # "--union"
    help: str  # Chinese, the command line's help (merged with other lists' meanings there)
    kind: str = "text"  # text | date | int | flag (a switch: a bare flag, a check box in a dialog)
    metavar: str = "值"
    # The caption in a dialog: this list's meaning only, short ("公示开始日期起"). The command line
    # joins several lists' helps under one flag, so a caption is never derived from ``help``.
    label: str = ""
    # (session) -> [(value, text)]: what a dialog offers to pick from (the campaigns); the value is
    # what the option accepts as typed (a name, or the id when two share a name)
    choices: Callable | None = None
    # The field (or named filter) of the list the option selects on, and words that stand for a
    # filter value ("有效" → the status "archived"); None: a setting, not a filter (公示日期).
    field: str | None = None
    words: Mapping[str, Any] | None = None


def merged(groups) -> list[FilterOption]:
    """Every option of several lists once per dest, for a command that offers their union. When
    lists give one dest different meanings (会籍状态, 档案状态), the help names each."""
    first: dict[str, FilterOption] = {}
    helps: dict[str, list[str]] = {}
    for options in groups:
        for o in options:
            first.setdefault(o.dest, o)
            if o.help not in helps.setdefault(o.dest, []):
                helps[o.dest].append(o.help)
    return [replace(o, help=" | ".join(helps[d])) for d, o in first.items()]


def either(labels) -> str:
    """"慰问活动、发放批次或发放日期起": the captions of options one of which is wanted."""
    labels = [x for x in labels if x]
    if len(labels) <= 1:
        return "".join(labels)
    return "、".join(labels[:-1]) + "或" + labels[-1]
