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
