"""Union units: the installation's own federation at the root and the unions under it."""

from __future__ import annotations

import uuid
from functools import lru_cache

from sqlalchemy import and_, func, literal, or_, select
from sqlalchemy.orm import Session

from app.errors import AppError, PermissionDenied
from app.fields.units import UNIT
from app.kit.register import Card, Item, Register
from app.models import Member, Unit
from app.security.roles import Perm

# Which kinds of unit may sit under which (the county/city federation is the root).
ALLOWED_PARENTS = {
    "county": {"city"},
    "township": {"county", "city"},
    "street": {"county", "city"},
    "system": {"county", "city"},
    "grassroots": {"county", "city", "township", "street", "system"},
    "federation": {"county", "city", "township", "street", "system"},
    "city": set(),
}
KIND_LABELS = {"city": "市总工会", "county": "县(区)总工会", "township": "乡镇工会",
               "street": "街道工会", "system": "系统工会", "grassroots": "基层工会",
               "federation": "联合基层工会"}
MEMBER_UNIT_KINDS = ("grassroots", "federation")


def holds_members(kind: str) -> bool:
    """Whether members are registered directly in a unit of this kind (a grassroots union)."""
    return kind in MEMBER_UNIT_KINDS


def parent_problem(session: Session, unit: Unit | None, kind: str, parent_id: str | None) -> str | None:
    """Why ``parent_id`` cannot be the parent of a unit of ``kind`` (None when it can)."""
    if parent_id is None:
        return "必填"
    parent = session.get(Unit, parent_id)
    if parent is None or parent.deleted:
        return "上级单位不存在或已作废"
    allowed = ALLOWED_PARENTS.get(kind, set())
    if parent.kind not in allowed:
        names = "、".join(KIND_LABELS[k] for k in sorted(allowed)) or "无"
        return (f"{KIND_LABELS.get(kind, kind)}的上级应为{names},"
                f"不能是{KIND_LABELS.get(parent.kind, parent.kind)}")
    node = parent
    while unit is not None and node is not None:  # no cycles
        if node.id == unit.id:
            return "不能把单位设为自己下级的下级"
        node = session.get(Unit, node.parent_id) if node.parent_id else None
    return None


def _rule(session: Session, items: list[Item]) -> dict[int, dict[str, str]]:
    """Where a unit may sit in the tree, that the installation's own federation keeps its place,
    that a unit with members stays a union that takes members, and one live unit of a name under
    one parent (a spreadsheet names a unit by its name)."""
    errors: dict[int, dict[str, str]] = {}
    named = [it for it in items if it.touches("name", "parent_id") and it.values.get("name")]
    own = {it.record.id for it in items if it.record is not None}
    taken = set(session.execute(select(Unit.parent_id, Unit.name).where(
        Unit.name.in_({it.values["name"] for it in named}), Unit.deleted.is_(False),
        Unit.id.notin_(own))).all()) if named else set()
    seen: dict[tuple, int] = {}
    for i, it in enumerate(items):
        v, unit, e = it.values, it.record, {}
        if unit is None and v.get("kind") in ("city", "county"):
            e["kind"] = "本级总工会在初始化时建立,不能再新增"
        elif unit is not None and unit.parent_id is None:  # the root keeps its kind and has no parent
            if v.get("kind") != unit.kind or v.get("parent_id"):
                e["kind"] = "本级总工会的类型和上级不能修改"
        elif it.touches("kind", "parent_id"):
            if msg := parent_problem(session, unit, v.get("kind"), v.get("parent_id")):
                e["parent_id"] = msg
            elif unit is not None and v.get("kind") not in MEMBER_UNIT_KINDS \
                    and live_member_count(session, unit.id):
                e["kind"] = "该单位下登记有会员,只能是基层工会或联合基层工会"
        place = (v.get("parent_id"), v.get("name"))
        if it.touches("name", "parent_id") and place[1]:
            if place in taken:
                e["name"] = f"同一上级单位下已有名为“{place[1]}”的单位"
            elif place in seen:
                e["name"] = f"与{items[seen[place]].where or '前面'}的“{place[1]}”重名"
            else:
                seen[place] = i
        if e:
            errors[i] = e
    return errors


def _before_void(session: Session, unit: Unit) -> None:
    """作废 only a unit with no live sub-units and no members; the root never."""
    if unit.parent_id is None:
        raise AppError("本级总工会不能作废")
    children = session.scalar(select(func.count()).select_from(Unit).where(
        Unit.parent_id == unit.id, Unit.deleted.is_(False)))
    if children:
        raise AppError(f"“{unit.name}”下还有 {children} 个下级单位,请先调整或作废它们")
    if n := live_member_count(session, unit.id):
        raise AppError(f"“{unit.name}”下还登记有 {n} 名会员,请先转出会员")


def _sample(session: Session, rng, values: dict) -> dict:
    """A grassroots union of the generated enterprise under a township, street or system union
    (a branch when the name is taken there), no region code of its own, and counts that add up."""
    parents = list(session.scalars(select(Unit.id).where(
        Unit.deleted.is_(False), Unit.kind.in_(("township", "street", "system"))).order_by(Unit.id)))
    parent = rng.choice(parents) if parents else values.get("parent_id")
    enterprise = values.get("enterprise_name") or "县属企业"
    taken = set(session.scalars(select(Unit.name).where(Unit.parent_id == parent, Unit.deleted.is_(False))))
    for branch in ("", "第二分公司", "第三分公司", "第四分公司"):
        if f"{enterprise}{branch}工会" not in taken:
            break
    workers = rng.randint(20, 800)
    return {**values, "kind": "grassroots", "parent_id": parent, "code": None,
            "name": f"{enterprise}{branch}工会", "enterprise_name": enterprise + branch,
            "worker_count": workers, "female_worker_count": int(workers * rng.uniform(0.2, 0.6)),
            "migrant_worker_count": int(workers * rng.uniform(0, 0.4)),
            "reported_member_count": int(workers * rng.uniform(0.7, 1.0))}


REGISTER = Register(UNIT, write=Perm.MANAGE_UNITS, rule=_rule, before_void=_before_void,
                    sample=_sample, tag_columns=("active",), search_hint="单位名称 / 企业名称 / 主席姓名",
                    excel_key="units", named_by=("name", "code", "enterprise_name"),
                    card=Card(("填报工会意见", "上级工会审核意见"), title="工会组织基本信息采集表",
                              notes=("本表由信息采集员填写,工会主席审核签字并加盖工会公章后报上级工会。",)))


ROOT_NAMESPACE = uuid.UUID("0b7e4c1e-5a61-4f0e-9d3c-6a2b8f1d4e70")


def root_unit_id(code: str) -> str:
    return str(uuid.uuid5(ROOT_NAMESPACE, f"unit:{code}"))


def create_root(session: Session, name: str, code: str, level: str) -> Unit:
    """The installation's own federation (called once, at set-up)."""
    # The same id on every installation of this unit (office PCs, a re-installed county), so the
    # records it owns have one owner everywhere (app.sync).
    root = Unit(id=root_unit_id(code), name=name, kind=level, code=code, active=True, sort_order=0)
    session.add(root)
    session.flush()
    return root


def live_member_count(session: Session, unit_id: str) -> int:
    return session.scalar(select(func.count()).select_from(Member).where(
        Member.union_id == unit_id, Member.deleted.is_(False))) or 0


def member_counts(session: Session) -> dict[str, int]:
    """Registered (live) members per union id."""
    rows = session.execute(select(Member.union_id, func.count()).where(Member.deleted.is_(False))
                           .group_by(Member.union_id))
    return dict(rows.all())


def _unit(session: Session, unit_id: str) -> Unit | None:
    """``session.get`` for units that stay loaded: the identity map holds objects weakly, so a unit
    no one else references would be read again on every look-up (a 10,000-row import checks
    each row's union, its township and the root). Held in ``session.info``, they are the session's
    own objects and see its changes; a commit expires them as usual."""
    held = session.info.setdefault("held_units", {})
    unit = held.get(unit_id)
    if unit is None or unit not in session:  # never one a rollback or an expunge took away
        unit = session.get(Unit, unit_id)
        if unit is not None:
            held[unit_id] = unit
        else:
            held.pop(unit_id, None)
    return unit


def root_unit(session: Session) -> Unit | None:
    root_id = session.info.get("root_unit_id")
    return _unit(session, root_id) if root_id else None


def city_root_id(session: Session) -> str | None:
    """This installation's root when it is a city (市总工会), else None."""
    root = root_unit(session)
    return root.id if root is not None and root.kind == "city" else None


def parent_of(unit_id: str, parent_id: str | None, kind: str, city_root: str | None) -> str | None:
    """A unit's place in the tree. A county's own federation has no parent (its PCs hold it as
    their root); at the city it sits under the city: 市 → 县(区) → 乡镇 → 基层."""
    if parent_id is None and kind == "county" and city_root is not None and unit_id != city_root:
        return city_root
    return parent_id


def with_county(session: Session, rows) -> list[tuple[str, str]]:
    """(id, name) choices from (id, name, owning unit's name) rows: at the city the name carries
    its county — 东城街道(示例县) — where three counties may each have one."""
    if city_root_id(session) is None:
        return [(i, name) for i, name, _owner in rows]
    return [(i, f"{name}({owner.removesuffix('总工会')})" if owner else name) for i, name, owner in rows]


def tree(session: Session, *, include_grassroots: bool = True) -> list[tuple[Unit, int]]:
    """Live units in tree order as (unit, depth), the root first."""
    q = select(Unit).where(Unit.deleted.is_(False))
    if not include_grassroots:
        q = q.where(Unit.kind.notin_(MEMBER_UNIT_KINDS))
    units = list(session.scalars(q.order_by(Unit.sort_order, Unit.name)))
    by_parent: dict[str | None, list[Unit]] = {}
    ids = {u.id for u in units}
    city = city_root_id(session)
    for u in units:
        parent = parent_of(u.id, u.parent_id, u.kind, city)
        by_parent.setdefault(parent if parent in ids else None, []).append(u)
    out: list[tuple[Unit, int]] = []

    def walk(parent_id, depth):
        for u in by_parent.get(parent_id, []):
            out.append((u, depth))
            walk(u.id, depth + 1)

    walk(None, 0)
    return out


def find_by_code(session: Session, code: str) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.code == code, Unit.deleted.is_(False))
                          .order_by(Unit.parent_id.is_not(None)).limit(1))


def find_unit(session: Session, text: str) -> Unit:
    """A live unit given by its id, region code or exact name."""
    text = text.strip()
    rows = session.scalars(select(Unit).where(Unit.deleted.is_(False), or_(
        Unit.id == text, Unit.code == text, Unit.name == text))).all()
    if not rows:
        raise AppError(f"找不到单位“{text}”(可写单位名称、区划代码或编号)")
    if len(rows) > 1:
        raise AppError(f"“{text}”对应多个单位,请改用单位编号")
    return rows[0]


# -- the tree and the scope a user may act in (every register with a unit uses these) -------------
def unit_chain(session: Session, unit_id: str) -> list[Unit]:
    """The unit and its ancestors, nearest first (at the city, a county's chain ends at the city)."""
    chain, seen = [], set()
    city = city_root_id(session)
    node = _unit(session, unit_id)
    while node is not None and node.id not in seen:
        chain.append(node)
        seen.add(node.id)
        parent = parent_of(node.id, node.parent_id, node.kind, city)
        node = _unit(session, parent) if parent else None
    if not chain:
        raise AppError("所属工会不存在")
    return chain


def actor_unit_id(session: Session, actor) -> str | None:
    """The unit a user belongs to (this installation's own federation when unset)."""
    return actor.unit_id or session.info.get("root_unit_id")


def require_in_chain(session: Session, actor, union_id: str, what: str) -> list[Unit]:
    """Refuse a user whose unit is neither the union nor above it."""
    chain = unit_chain(session, union_id)
    mine = actor_unit_id(session, actor)
    if actor.role != "system" and mine not in {u.id for u in chain}:
        raise PermissionDenied(f"您所在的单位不是“{chain[0].name}”或其上级工会,无权{what}")
    return chain


@lru_cache(maxsize=256)
def subtree_ids(unit_id: str):
    """A SELECT of the unit's id and every live or voided id below it (recursive CTE), for
    ``IN (...)``: the one way the app narrows records to a unit's subtree. At the city, the
    city's subtree holds every county's (``parent_of``). The same object for the same unit, so a
    statement narrowing twice (a figure and its subquery) names one CTE."""
    from app.models import Installation

    city = select(Installation.root_unit_id).where(Installation.level == "city").scalar_subquery()
    county = and_(Unit.parent_id.is_(None), Unit.kind == "county", literal(unit_id) == city)
    tree = select(Unit.id.label("id")).where(or_(Unit.id == unit_id, county)).cte(
        "unit_tree", recursive=True)
    tree = tree.union_all(select(Unit.id).where(Unit.parent_id == tree.c.id))
    return select(tree.c.id)
