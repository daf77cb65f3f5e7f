"""The eligibility engine at its boundaries (pure: no database)."""

from decimal import Decimal

import pytest

from app.services.hardship.eligibility import ACCIDENT, DEEP, RELATIVE, Household, Params, assess, per_capita

DIBAO = 72_000  # 720.00 元/月
P = Params(year=2026, dibao_monthly_fen=DIBAO, rigid_items=frozenset({"1", "2"}),
           exclusions=frozenset({"1"}), min_age=16, max_age=60, county_name="示例县")
LABELS = {"rigid_expense": {"1": "医疗自付费用", "2": "子女教育支出", "9": "其他刚性支出"},
          "hardship_exclusion": {"1": "子女就读高收费私立学校"}}


def household(net_annual_fen: int, size: int = 3, **kw) -> Household:
    """A household whose disposable income minus rigid expenses is exactly ``net_annual_fen``."""
    return Household(head_monthly_fen=0, members_monthly_fen=[0] * (size - 1),
                     other_annual_fen=net_annual_fen, **kw)


def test_the_worked_example_of_the_form():
    h = Household(head_monthly_fen=150_000, members_monthly_fen=[60_000, 0], other_annual_fen=120_000 + 480_000,
                  expenses=[("1", 800_000), ("2", 115_000), ("9", 50_000)])
    r = assess(h, P, LABELS)
    assert r.annual_income_fen == 3_120_000 and r.allowed_expense_fen == 915_000
    assert r.per_capita_fen == 61_250 and r.category == DEEP
    assert "家庭月人均可支配收入 = (31,200.00 − 9,150.00) ÷ 12 ÷ 3 = 612.50 元" in r.text
    assert "准予扣除的刚性支出 = 医疗自付费用 8,000.00 + 子女教育支出 1,150.00 = 9,150.00 元" in r.text
    assert "不予扣除:其他刚性支出 500.00 元" in r.text
    assert "612.50 < 720.00(1 倍低保标准)→ 深度困难职工家庭" in r.text
    assert r.text.endswith("认定结果:深度困难职工家庭")


@pytest.mark.parametrize("net, expected", [
    (DIBAO * 12 * 3 - 1, DEEP),       # one fen below 1× 低保 per person and month
    (DIBAO * 12 * 3, RELATIVE),       # exactly 1×: not below it
    (2 * DIBAO * 12 * 3 - 1, RELATIVE),
    (2 * DIBAO * 12 * 3, None),       # exactly 2×: not below it
])
def test_income_boundaries_are_exact_to_the_fen(net, expected):
    r = assess(household(net), P, LABELS)
    assert r.category == expected
    if net == DIBAO * 12 * 3:
        assert r.per_capita_fen == DIBAO and "720.00 ≤ 720.00 < 1,440.00" in r.text


def test_per_capita_is_rounded_half_up_but_compared_exactly():
    assert per_capita(18, 3) == (Decimal("0.005"), 1)  # 0.5 fen rounds up
    assert per_capita(100, 3)[1] == 3  # 2.78 fen
    # 719.995 元 shows as 720.00 yet is below 1× 低保
    r = assess(household(DIBAO * 36 - 18, 3), P, LABELS)
    assert r.per_capita_fen == DIBAO and r.category == DEEP


def test_the_80_percent_accident_rule():
    income = 5_400_000  # per capita 1,500.00 ≥ 2× 低保
    at = household(income, 3, accident_costs_fen=income * 80 // 100)
    above = household(income, 3, accident_costs_fen=income * 80 // 100 + 1)
    assert assess(at, P, LABELS).category is None
    assert "≤ 家庭年收入 54,000.00 × 80% = 43,200.00 元,不构成意外致困" in assess(at, P, LABELS).text
    r = assess(above, P, LABELS)
    assert r.category == ACCIDENT and r.meets_accident_rule
    assert "43,200.01 元 > 家庭年收入 54,000.00 × 80%" in r.text


def test_accident_event_alone_qualifies_and_income_grades_take_precedence():
    assert assess(household(5_400_000, accident_event=True), P, LABELS).category == ACCIDENT
    both = assess(household(1_000_000, accident_event=True), P, LABELS)
    assert both.category == DEEP and "同时符合意外致困条件,按收入认定" in both.text


def test_ratio_comes_from_the_parameters():
    p = Params(**{**P.__dict__, "accident_ratio_pct": 50})
    assert assess(household(5_400_000, accident_costs_fen=2_700_001), p, LABELS).category == ACCIDENT


def test_exclusions_and_age_limits():
    r = assess(household(100_000, exclusions=["1", "3"]), P, LABELS)
    assert r.category is None and "不予建档情形:子女就读高收费私立学校" in r.text
    assert r.text.endswith("认定结果:不符合建档条件")
    assert assess(household(100_000, head_age=61), P, LABELS).category is None
    assert assess(household(100_000, head_age=60), P, LABELS).category == DEEP
    assert "低于建档最低年龄 16 岁" in assess(household(100_000, head_age=15), P, LABELS).text


def test_rigid_expenses_larger_than_income_give_a_negative_figure():
    h = Household(head_monthly_fen=10_000, expenses=[("1", 500_000)])
    r = assess(h, P, LABELS)
    assert r.per_capita_fen < 0 and r.category == DEEP
