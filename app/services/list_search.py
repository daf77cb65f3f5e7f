"""How one search text finds its rows (used by ``app.services.listing``).

The text is turned into *sources* — ways it can match: an indexed prefix range, the FTS5 trigram
index (``app.db.fts``), or a plain substring on small tables — and each source gets a plan:

- 1–2 characters, pinyin and long number prefixes: prefix ranges (``col >= 'zs' AND col < 'zt'``,
  which use a plain index where ``LIKE`` would not). FTS5 trigram on SQLite 3.40 silently finds
  nothing for fewer than three characters.
- 3+ characters of a name, 3–8 digits (the tail of an ID or phone number): the trigram index.
- Name and initials prefixes sorted by pinyin are read from covering indexes and sorted there;
  other sources use a capped count: few matches are looked up by their index, many are found by
  walking the sort order and testing each row (a unary ``+`` keeps SQLite off the search index).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import and_, func, literal_column, or_, select, union
from sqlalchemy import table as sql_table
from sqlalchemy.orm import Session

from app.db import fts
from app.fields.spec import Kind, RecordSpec
from app.validation import to_halfwidth

BROAD_MATCHES = 10_000
_NUMBER_LIKE = (Kind.ID_NUMBER, Kind.PHONE, Kind.MOBILE, Kind.USCC, Kind.BANK_ACCOUNT)
_TEXT = (Kind.TEXT, Kind.TEXTAREA)
_DIGITS = re.compile(r"[0-9]+[xX]?")
_FTS_MAX_DIGITS = 8  # longer digit strings are ID or phone prefixes: the plain index is faster


@dataclass(frozen=True)
class _Source:
    """One way a search text can match: an indexed prefix, a trigram match or a substring."""

    how: str  # "prefix" | "fts" | "contains"
    column: str
    text: str


def search_sources(spec: RecordSpec, text: str) -> list[_Source]:
    """Decide how a search text is looked up (see the module notes)."""
    q = " ".join(to_halfwidth(text).split())
    if not q:
        return []
    table = spec.model.__table__
    index = fts.for_table(table.name)
    fields = [f for f in spec.fields if f.search and f.key in table.c]
    texts = [f.key for f in fields if f.kind in _TEXT]
    numbers = [f.key for f in fields if f.kind in _NUMBER_LIKE]
    pinyin = [c for c in ("name_initials", "name_pinyin") if c in table.c]
    alpha = q.isascii() and q.isalpha()
    out: list[_Source] = []
    if alpha and pinyin:  # one letter: a pinyin starting with it means initials starting with it
        out += [_Source("prefix", c, q.lower()) for c in (pinyin[:1] if len(q) == 1 else pinyin)]
    if index is None:
        return out + [_Source("contains", c, q) for c in texts + numbers]
    number = q.replace(" ", "").upper()
    if _DIGITS.fullmatch(number):
        out += [_Source("prefix", c, number) for c in numbers]
        if 3 <= len(number) <= _FTS_MAX_DIGITS:
            out.append(_Source("fts", index.name, number))
    elif len(q) >= 3 and not alpha:
        out.append(_Source("fts", index.name, q))
    else:  # one or two characters of a name, or a Latin name
        out += [_Source("prefix", c, q) for c in texts]
    return out


def search_condition(session: Session, spec: RecordSpec, text: str):
    """The WHERE condition for a search text, choosing the plan by a capped count of matches."""
    sources = search_sources(spec, text)
    if not sources:
        return None
    table = spec.model.__table__
    if fts.for_table(table.name) is None:  # a small table: compare as we scan
        return or_(*[_inline(table, s, plain=True) for s in sources])
    candidates = [_candidate_select(table, s) for s in sources]
    matches = candidates[0] if len(candidates) == 1 else union(*candidates)
    probe = select(func.count()).select_from(matches.limit(BROAD_MATCHES).subquery())
    if session.execute(probe).scalar_one() < BROAD_MATCHES:
        return literal_column(f"{table.name}.rowid").in_(matches)
    return or_(*[_inline(table, s, plain=False) for s in sources])


def search_branches(session: Session, spec: RecordSpec, text: str, sort_col) -> list[tuple]:
    """How to find one page of a search: one (condition, free_sort) per way the text can match.

    - A prefix on a column whose covering index also holds the sort column (pinyin initials or a
      name, sorted by pinyin): those matches cluster in the sort order, so the index range is
      read and its small (value, sort key, rowid) entries sorted — ``free_sort``.
    - Otherwise a capped count decides: few matches are looked up by their index and sorted;
      many are found by walking the sort order and keeping the matches (unary ``+`` keeps SQLite
      off the search column's index).
    """
    sources = search_sources(spec, text)
    if not sources:
        return [(None, False)]
    table = spec.model.__table__
    if fts.for_table(table.name) is None:
        return [(or_(*[_inline(table, s, plain=True) for s in sources]), False)]
    out = []
    for s in sources:
        if s.how == "prefix" and s.column == sort_col.name:  # a range of the sort order itself
            out.append((_inline(table, s, plain=True), False))
            continue
        if s.how == "prefix" and _covers(table, s.column, sort_col.name):
            out.append((_inline(table, s, plain=True), True))
            continue
        candidates = _candidate_select(table, s)
        probe = select(func.count()).select_from(candidates.limit(BROAD_MATCHES).subquery())
        if session.execute(probe).scalar_one() < BROAD_MATCHES:
            out.append((literal_column(f"{table.name}.rowid").in_(candidates), False))
        else:
            out.append((_inline(table, s, plain=False), False))
    return out


def _covers(table, first: str, sort: str) -> bool:
    """An index led by ``first`` that also holds ``sort`` (and ``deleted``), so it can answer a
    prefix search sorted by ``sort`` without reading rows."""
    for index in table.indexes:
        names = [c.name for c in index.columns]
        if names and names[0] == first and sort in names and (
                "deleted" in names or "deleted" not in table.c):
            return True
    return False


def _prefix_bounds(text: str) -> tuple[str, str]:
    return text, text[:-1] + chr(ord(text[-1]) + 1)


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _candidate_select(table, s: _Source):
    """rowids matching one source, using its index (the 'few matches' plan)."""
    if s.how == "fts":
        ft = sql_table(s.column)
        return (select(literal_column(f"{s.column}.rowid")).select_from(ft)
                .where(literal_column(s.column).op("MATCH")(_fts_phrase(s.text))))
    lo, hi = _prefix_bounds(s.text)
    col = table.c[s.column]
    return select(literal_column(f"{table.name}.rowid")).where(col >= lo, col < hi)


def _inline(table, s: _Source, *, plain: bool):
    """The source as a row filter. In the 'many matches' plan a unary ``+`` keeps SQLite from
    driving the query by the search column's index, so it walks the sort order instead."""
    if s.how == "contains":
        escaped = s.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return table.c[s.column].like(f"%{escaped}%", escape="\\")
    if s.how == "fts":
        if plain:
            return literal_column(f"{table.name}.rowid").in_(_candidate_select(table, s))
        # many matches: test each row walked in sort order for the substring, rather than
        # materialising every match of the index first
        index = fts.for_table(table.name)
        return or_(*[func.instr(table.c[c], s.text) > 0 for c in index.columns])
    lo, hi = _prefix_bounds(s.text)
    col = table.c[s.column] if plain else literal_column(f"+{table.name}.{s.column}")
    return and_(col >= lo, col < hi)
