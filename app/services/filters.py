"""Filters and settings of a list (a roster, a notice, an export), declared as data so that the
command line, the UI and the Excel exports offer the same ones."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FilterOption:
    dest: str  # key in the options dict, and the argparse dest
    flag: str  # "--union"
    help: str  # Chinese
    kind: str = "text"  # text | date | int
    metavar: str = "值"


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
    return [FilterOption(o.dest, o.flag, " | ".join(helps[d]), o.kind, o.metavar)
            for d, o in first.items()]
