"""Version vectors and the merge of two concurrent versions of one record.

Every installation that meets the same two versions reaches the same result, whatever the order:
- fields changed on one side only (by their field dots) are taken from that side, always — also
  when another field is in conflict (so a real conflict on 手机号码 never reverts the 部门 the
  other PC changed);
- a field changed on both sides, a protected one (identity, bank, money, status, tombstone), or
  every differing field when a change is unexplained by dots, takes the provisional winner's value (later ``updated_at``, then the higher content
  hash) and only those fields go to the conflict queue;
- either way the result carries the pointwise maximum of both vectors, so it supersedes both and
  a copy of either arriving later is recognised as old.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import orjson


def compare(a: dict, b: dict) -> str:
    """'eq', 'lt' (a before b), 'gt' (a after b) or 'cc' (concurrent)."""
    less = greater = False
    for k in a.keys() | b.keys():
        x, y = a.get(k, 0), b.get(k, 0)
        if x < y:
            less = True
        elif x > y:
            greater = True
        if less and greater:
            return "cc"
    return "lt" if less else "gt" if greater else "eq"


def vv_max(a: dict, b: dict) -> dict:
    out = dict(a)
    for k, v in b.items():
        if v > out.get(k, 0):
            out[k] = v
    return out


def content_key(row: list, i_updated: int) -> tuple:
    return (row[i_updated] or "", hashlib.sha256(orjson.dumps(row)).hexdigest())


def _unexplained(vv_side: dict, vv_other: dict, dots: dict) -> bool:
    """A change this side has and the other has not, which no field dot accounts for (a bulk
    update or a concurrent creation): which fields it set is unknown."""
    stamped = {(d[0], d[1]) for d in dots.values()}
    return any(vv_other.get(dev, 0) < c and (dev, c) not in stamped for dev, c in vv_side.items())


@dataclass
class Merged:
    auto: bool
    row: list
    dots: dict
    winner: str  # "local" | "remote"
    fields: list[str] = field(default_factory=list)  # in conflict (queued) / taken (auto)
    taken: list[str] = field(default_factory=list)  # changed on one side only, taken from it


def merge(codec, local: list, remote: list, lvv: dict, rvv: dict, ldots: dict,
          rdots: dict) -> Merged:
    cols, idx = codec.columns, codec.index
    i_upd = idx["updated_at"]
    winner = "remote" if content_key(remote, i_upd) > content_key(local, i_upd) else "local"
    w = remote if winner == "remote" else local
    wdots, odots = (rdots, ldots) if winner == "remote" else (ldots, rdots)
    unknown = _unexplained(lvv, rvv, ldots) or _unexplained(rvv, lvv, rdots)
    row = list(w)
    dots = dict(odots) | dict(wdots)
    conflict, taken = [], []
    for i in codec.user_idx:
        if local[i] == remote[i]:
            continue
        key = cols[i]
        rd, ld = rdots.get(key), ldots.get(key)
        r_changed = rd is not None and lvv.get(rd[0], 0) < rd[1]
        l_changed = ld is not None and rvv.get(ld[0], 0) < ld[1]
        if unknown or r_changed == l_changed or key in codec.protected:
            conflict.append(key)
            continue
        src, src_dots = (remote, rdots) if r_changed else (local, ldots)
        row[i] = src[i]
        dots[key] = src_dots[key]
        taken.append(key)
    for key in conflict:  # the winner's value, and the dot that set it
        if key in wdots:
            dots[key] = wdots[key]
        else:
            dots.pop(key, None)
    if taken and conflict:
        from app.sync.shapes import rederive

        rederive(codec, row)
    merged_vv = vv_max(lvv, rvv)
    row[idx["vv"]] = orjson.dumps(dict(sorted(merged_vv.items()))).decode()
    row[idx["revision"]] = max(local[idx["revision"]], remote[idx["revision"]])
    if conflict:
        return Merged(False, row, dots, winner, conflict, taken)
    return Merged(True, row, dots, winner, taken, taken)
