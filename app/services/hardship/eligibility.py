"""The eligibility engine: which grade of hardship a household's figures give, and the working.

    家庭月人均可支配收入 = (家庭年可支配收入 − 准予扣除的刚性支出) ÷ 12 ÷ 家庭人口
    < 1 × 低保标准 → 深度困难;  < 2 × 低保标准 → 相对困难;
    意外致困: a member injured, disabled or killed in a disaster, accident, epidemic or public-security
    event, or the year's accident/illness costs above ``accident_ratio_pct`` % (80) of the
    household's annual income.

Arithmetic is exact: every comparison is made on integers of fen (``net < 低保 × 12 × 人口``), so
the boundaries hold to the fen; the per-capita figure is shown rounded half-up to the fen. Income
grades take precedence over 意外致困 (a household that qualifies both ways is graded by income, and
the working says it also meets the accident rule). An exclusion of the year's parameters, or an
age outside the year's limits, makes the proposal "不符合建档条件". This module is pure: no
database, so the form can call it on every keystroke.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from app.validation import format_yuan

DEEP, RELATIVE, ACCIDENT = "1", "2", "3"
CATEGORY_LABELS = {DEEP: "深度困难职工家庭", RELATIVE: "相对困难职工家庭", ACCIDENT: "意外致困职工家庭"}
NOT_ELIGIBLE = "不符合建档条件"


@dataclass(frozen=True)
class Params:
    """The year's parameters (a ``HardshipParams`` row, as plain values)."""

    year: int
    dibao_monthly_fen: int
    rigid_items: frozenset[str] = frozenset()
    accident_ratio_pct: int = 80
    exclusions: frozenset[str] = frozenset()
    min_age: int | None = None
    max_age: int | None = None
    id: str | None = None
    county_name: str = ""


@dataclass(frozen=True)
class Household:
    head_monthly_fen: int
    members_monthly_fen: Sequence[int] = ()
    other_annual_fen: int = 0
    expenses: Sequence[tuple[str, int]] = ()  # (rigid_expense code, annual fen)
    accident_event: bool = False
    accident_costs_fen: int = 0
    exclusions: Sequence[str] = ()  # hardship_exclusion codes ticked on the archive
    head_age: int | None = None

    @property
    def size(self) -> int:
        return 1 + len(self.members_monthly_fen)

    @property
    def annual_income_fen(self) -> int:
        return (self.head_monthly_fen + sum(self.members_monthly_fen)) * 12 + self.other_annual_fen


@dataclass(frozen=True)
class Assessment:
    category: str | None  # hardship_category code, None = not eligible
    annual_income_fen: int
    allowed_expense_fen: int
    per_capita_fen: int  # rounded half-up to the fen
    per_capita_exact: Decimal  # in yuan, for reference (comparisons use integers)
    meets_accident_rule: bool
    excluded: tuple[str, ...]
    lines: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self.category] if self.category else NOT_ELIGIBLE

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _y(fen: int) -> str:
    return format_yuan(fen)


def per_capita(net_fen: int, size: int) -> tuple[Decimal, int]:
    """(exact yuan, fen rounded half-up) of ``net_fen ÷ 12 ÷ size``."""
    exact = Decimal(net_fen) / Decimal(12 * size)  # fen per person per month
    return exact / 100, int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def assess(h: Household, p: Params, labels: Mapping[str, Mapping[str, str]] | None = None) -> Assessment:
    """Grade one household with one year's parameters; ``labels`` maps code table → code → label
    (for ``rigid_expense`` and ``hardship_exclusion``) so the working names the items."""
    labels = labels or {}
    item_label = labels.get("rigid_expense", {})
    excl_label = labels.get("hardship_exclusion", {})
    lines: list[str] = []
    income = h.annual_income_fen
    members = sum(h.members_monthly_fen)
    lines.append(
        f"家庭年可支配收入 = 本人月收入 {_y(h.head_monthly_fen)} × 12"
        + (f" + 家庭成员月收入合计 {_y(members)} × 12" if h.members_monthly_fen else "")
        + f" + 家庭其他年收入 {_y(h.other_annual_fen)} = {_y(income)} 元")
    items = sorted(h.expenses)  # by item code, so the working reads the same however entered
    allowed = [(c, f) for c, f in items if c in p.rigid_items and f]
    refused = [(c, f) for c, f in items if c not in p.rigid_items and f]
    rigid = sum(f for _, f in allowed)
    if allowed:
        parts = " + ".join(f"{item_label.get(c, c)} {_y(f)}" for c, f in allowed)
        lines.append(f"准予扣除的刚性支出 = {parts} = {_y(rigid)} 元")
    else:
        lines.append("准予扣除的刚性支出 = 0.00 元")
    if refused:
        parts = "、".join(f"{item_label.get(c, c)} {_y(f)} 元" for c, f in refused)
        lines.append(f"(不予扣除:{parts},不在 {p.year} 年准予扣除的项目内)")
    net, size = income - rigid, h.size
    exact, pc_fen = per_capita(net, size)
    lines.append(f"家庭月人均可支配收入 = ({_y(income)} − {_y(rigid)}) ÷ 12 ÷ {size} = {_y(pc_fen)} 元"
                 "(四舍五入到分,比较按精确值)")
    dibao = p.dibao_monthly_fen
    where = f"{p.county_name}{p.year}年" if p.county_name else f"{p.year}年"
    lines.append(f"{where}城市低保标准 {_y(dibao)} 元/月,2 倍为 {_y(2 * dibao)} 元/月")
    # exact comparisons on integers: net / (12·size) < k·dibao  ⇔  net < k·dibao·12·size
    below_1 = net < dibao * 12 * size
    below_2 = net < 2 * dibao * 12 * size
    if below_1:
        lines.append(f"{_y(pc_fen)} < {_y(dibao)}(1 倍低保标准)→ {CATEGORY_LABELS[DEEP]}")
    elif below_2:
        lines.append(f"{_y(dibao)} ≤ {_y(pc_fen)} < {_y(2 * dibao)}(2 倍低保标准)"
                     f"→ {CATEGORY_LABELS[RELATIVE]}")
    else:
        lines.append(f"{_y(pc_fen)} ≥ {_y(2 * dibao)}(2 倍低保标准),按收入不属于深度或相对困难")
    accident = h.accident_event
    if h.accident_event:
        lines.append("家庭成员因灾、事故、疫情等伤残或死亡 → 符合意外致困条件")
    costs = h.accident_costs_fen or 0
    if costs:
        limit_text = f"家庭年收入 {_y(income)} × {p.accident_ratio_pct}%"
        shown = int((Decimal(income * p.accident_ratio_pct) / 100).to_integral_value(ROUND_HALF_UP))
        # costs > income × pct / 100  ⇔  costs × 100 > income × pct
        if costs * 100 > income * p.accident_ratio_pct:
            accident = True
            lines.append(f"年度意外或重病支出 {_y(costs)} 元 > {limit_text} = {_y(shown)} 元"
                         " → 符合意外致困条件")
        else:
            lines.append(f"年度意外或重病支出 {_y(costs)} 元 ≤ {limit_text} = {_y(shown)} 元,"
                         "不构成意外致困")
    category = DEEP if below_1 else RELATIVE if below_2 else ACCIDENT if accident else None
    if category in (DEEP, RELATIVE) and accident:
        lines.append("(同时符合意外致困条件,按收入认定)")
    excluded = tuple(c for c in h.exclusions if c in p.exclusions)
    reasons = [f"不予建档情形:{excl_label.get(c, c)}" for c in excluded]
    if h.head_age is not None and p.min_age is not None and h.head_age < p.min_age:
        reasons.append(f"户主年龄 {h.head_age} 岁,低于建档最低年龄 {p.min_age} 岁")
    if h.head_age is not None and p.max_age is not None and h.head_age > p.max_age:
        reasons.append(f"户主年龄 {h.head_age} 岁,高于建档最高年龄 {p.max_age} 岁")
    if reasons:
        lines.extend(reasons)
        category = None
    lines.append(f"认定结果:{CATEGORY_LABELS[category] if category else NOT_ELIGIBLE}")
    return Assessment(category, income, rigid, pc_fen, exact, accident,
                      tuple(excluded) + (("age",) if len(reasons) > len(excluded) else ()),
                      tuple(lines))
