"""Plausible values for any register's fields, from the declaration alone, as a county office's
records read: person names from the demo's name pools (one person per "学生姓名 / 学生身份证号"
pair, so a name, a sex and an ID number agree), valid ID numbers unique within a run, mobile
numbers, dates inside a period and in their declared order (``Field.not_before``), codes from the
code tables at their usual frequencies, counts and amounts in ranges fitting the label and
``min_value`` / ``max_value``, texts shorter than ``max_len`` that fit the label (活动名称,
地址, 工作单位 …), and references to existing records (honouring ``ref_filter``).

A register adds realistic business content with its ``sample`` hook (an archived household for a
金秋助学 application). The demo's generic step and the contract tests take records from here, so
every declared register can be filled and saved without code of its own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.demo import names as N
from app.demo.generator import mobile, person_name, uscc
from app.fields.spec import Field, Kind, offered_choices

SAMPLE_REGION = "341122"  # ID numbers' region when the installation's own code is unknown
# Sequence numbers of generated ID numbers: above any the member generator reaches (it counts up
# from 001 per birth date and sex), so a sampled person is never an existing member by accident.
_SEQ = range(601, 1000)


@dataclass
class Person:
    name: str
    male: bool
    birth: date
    id_number: str


@dataclass
class SampleRun:
    """What the records generated in one go share: the period, the installation's region and
    county name, the live ids a reference may take, and the ID numbers handed out so far."""

    session: Any
    rng: random.Random
    start: date
    end: date
    codes: Any
    region: str = SAMPLE_REGION
    county: str = "本县"
    refs: dict = field(default_factory=dict)
    issued: set = field(default_factory=set)

    @classmethod
    def open(cls, session, rng=None, *, start: date | None = None, end: date | None = None):
        """A run over ``start``–``end`` (default this year to today)."""
        from app.clock import today
        from app.models import Unit
        from app.services.records import codebook

        end = end or today()
        run = cls(session, rng or random.Random(), start or date(end.year, 1, 1), end,
                  codebook(session))
        root = session.get(Unit, session.info.get("root_unit_id") or "")
        if root is not None:
            run.county = root.name.removesuffix("总工会") or root.name
            if (root.code or "")[:6].isdigit() and len(root.code) >= 6:
                run.region = root.code[:6]
        return run

    def day(self, first: date | None = None) -> date:
        first = max(first or self.start, self.start)
        return first + timedelta(days=self.rng.randint(0, max((self.end - first).days, 0)))

    def person(self, people: dict, label: str) -> Person:
        """The record's person a field names (``_person_key``), made on first use: a student is
        16–22, anyone else 22–60; the ID number is new in this run."""
        key = _person_key(label)
        if key not in people:
            rng, male = self.rng, self.rng.random() < 0.55
            low, high = (16, 22) if "学生" in key else (22, 60)
            while True:
                born = self.end - timedelta(days=rng.randint(low * 365, high * 365))
                number = id_number(rng, born, male, self.region)
                if number not in self.issued:
                    break
            self.issued.add(number)
            people[key] = Person(person_name(rng, male)[0], male, born, number)
        return people[key]

    def ref_ids(self, f: Field) -> list[str]:
        """Live records a reference may point at (at most 200, in a stable order)."""
        from app.fields.registry import spec as spec_by_key

        key = (f.ref, repr(sorted((f.ref_filter or {}).items())))
        if key not in self.refs:
            table = spec_by_key(f.ref).model.__table__
            q = select(table.c.id)
            if "deleted" in table.c:
                q = q.where(table.c.deleted.is_(False))
            for column, allowed in (f.ref_filter or {}).items():
                q = q.where(table.c[column].in_(allowed))
            self.refs[key] = list(self.session.scalars(q.order_by(table.c.id).limit(200)))
        return self.refs[key]


def _base(label: str) -> str:
    return label.split("(")[0]


def _person_key(label: str) -> str:
    """Fields naming one person share a key: 学生姓名, 学生身份证号 and 学生性别 → 学生; any
    other name (经办人, 慰问领导) is a person of its own."""
    base = _base(label)
    for suffix in ("姓名", "身份证号", "性别", "出生日期"):
        if base.endswith(suffix):
            return base.removesuffix(suffix)
    return label


def _event(run: SampleRun, f: Field) -> str:
    rng = run.rng
    prefix = rng.choice(("", f"{run.end.year}年", rng.choice(N.TOWNSHIPS + N.STREETS), run.county))
    return prefix + rng.choice(N.EVENT_TOPICS)


def _enterprise(run: SampleRun, f: Field) -> str:
    short = run.county.removesuffix("县").removesuffix("区")
    trade, _ = run.rng.choice(N.TRADES)
    return f"{short}{run.rng.choice(N.BRAND)}{trade}{run.rng.choice(N.SUFFIX)}"


def _address(run: SampleRun, f: Field) -> str:
    rng, town = run.rng, run.rng.choice(N.TOWNSHIPS)
    if "地点" in f.label or "场所" in f.label:
        return rng.choice((f"{run.county}{rng.choice(N.VENUES)}", f"{town}文化站",
                           f"{_enterprise(run, f)}会议室"))
    if rng.random() < 0.6:
        return f"{run.county}{town}{rng.choice(N.ROADS)}{rng.randint(1, 300)}号"
    return f"{run.county}{town}{rng.choice(N.VILLAGES)}{rng.randint(1, 12)}组"


def _pick(pool):
    return lambda run, f: run.rng.choice(pool)


# Texts by what the label ends with (parenthesised notes dropped), tried in order: "责任人单位"
# is a unit, not a person; "单位名称" a unit, not an event.
_TEXTS = (
    (("单位名称", "企业名称", "工作单位", "单位", "企业", "公司"), _enterprise),
    (("院校", "学校"), _pick(N.SCHOOLS)),
    (("专业",), _pick(N.MAJORS)),
    (("支行名称", "支行"), lambda run, f: f"{run.county}{run.rng.choice(N.TOWNSHIPS)[:2]}支行"),
    (("银行",), _pick(N.BANKS)),
    (("地址", "住址", "地点", "场所"), _address),
    (("职务",), _pick(N.TITLES)),
    (("部门",), _pick(N.DEPARTMENTS)),
    (("岗位", "工种"), _pick(N.POSTS)),
    (("文号",), lambda run, f: f"{run.county[:1]}工〔{run.end.year}〕{run.rng.randint(1, 60)}号"),
    (("批次",), lambda run, f: f"{run.end.year}年第{run.rng.randint(1, 4)}批"),
    (("编号", "证号", "考生号"), lambda run, f: f"{run.end.year}{run.rng.randint(1, 9999):04d}"),
    (("名称", "主题", "活动", "项目", "内容"), _event),
    (("关系",), _pick(N.RELATIONS)),
    (("结果", "意见"), _pick(N.OPINIONS)),
    (("原因", "事由", "分析"), _pick(N.REASONS)),
    (("联系方式", "电话"), lambda run, f: mobile(run.rng)),
    (("区划", "区划代码"), lambda run, f: run.region),
    (("邮政编码", "邮编"), lambda run, f: f"2{run.rng.randint(30000, 49999)}"),
    (("姓名", "人", "领导", "主席", "户名", "对象", "代表"), None),  # a person: see _text
)


def _text(run: SampleRun, f: Field, people: dict) -> str:
    base = _base(f.label)
    for endings, make in _TEXTS:
        if base.endswith(endings):
            return make(run, f) if make is not None else run.person(people, f.label).name
    if f.kind == Kind.TEXTAREA:
        return run.rng.choice(N.NOTES)
    return run.rng.choice(N.NOTES).rstrip("。")


def _fit(run: SampleRun, f: Field, people: dict) -> str:
    """A text for ``f`` no longer than its ``max_len`` (a few tries, then cut)."""
    for _ in range(5):
        text = _text(run, f, people)
        if not f.max_len or len(text) <= f.max_len:
            return text
    return text[: f.max_len]


# (label contains, low, high): counts and amounts a county record plausibly holds.
_COUNTS = ((("人次", "人数", "名"), 10, 300), (("份",), 50, 2000), (("面积",), 20, 150),
           (("年龄",), 20, 60), (("年",), 1, 5), (("排序", "序号"), 1, 99),
           (("场", "次", "期", "个", "支", "家"), 1, 20), (("天", "日"), 1, 30), ((), 1, 100))
_YUAN = ((("学费",), 3000, 8000, 100), (("年收入",), 10000, 60000, 100),
         (("收入", "工资"), 1500, 6000, 100), (("经费", "预算", "支出", "费用"), 500, 20000, 100),
         ((), 100, 2000, 10))


def _within(f: Field, table, scale: int = 1) -> tuple:
    """The first range of ``table`` the label matches, narrowed to the field's min / max (given
    in stored units: fen for money, hence ``scale``)."""
    _, low, high, *step = next(row for row in table if not row[0] or any(h in f.label for h in row[0]))
    lo = low if f.min_value is None else max(low, int(f.min_value) // scale)
    hi = high if f.max_value is None else min(high, int(f.max_value) // scale)
    if lo > hi:  # the label's range lies outside the declared one: stay near its lower end
        lo = int(f.min_value or 0) // scale
        hi = lo + (high - low) if f.max_value is None else min(int(f.max_value) // scale, lo + high - low)
    return (lo, hi, *step)


def _code(run: SampleRun, f: Field, people: dict) -> str | None:
    choices = [c for c, _ in offered_choices(f, run.codes)]
    if not choices:
        return None
    if f.code_table == "gender":
        return "1" if run.person(people, f.label).male else "2"
    weights = dict(N.CODE_WEIGHTS.get(f.code_table or "", ()))
    if any(weights.get(c) for c in choices):
        return run.rng.choices(choices, [weights.get(c, 0) for c in choices])[0]
    return run.rng.choice(choices)


def field_value(run: SampleRun, f: Field, values: dict, people: dict) -> Any:
    """One plausible raw value (as a form or a spreadsheet gives it) for field ``f``; ``values``
    holds the record's values so far (dates in order), ``people`` its persons by key."""
    rng, k = run.rng, f.kind
    if k in (Kind.TEXT, Kind.TEXTAREA):
        text = _fit(run, f, people)
        if f.check is not None and f.check(text):
            return None  # a format of the area's own (a region code): the register's sample fills it
        return text
    if k == Kind.INT:
        lo, hi = _within(f, _COUNTS)
        return str(rng.randint(lo, hi))
    if k == Kind.DECIMAL:
        lo, hi = _within(f, _COUNTS)
        return str(Decimal(rng.randint(lo * 10, hi * 10)) / 10)
    if k == Kind.MONEY:  # whole tens or hundreds of yuan
        lo, hi, step = _within(f, _YUAN, 100)
        return str(max(lo, min(hi, rng.randint(lo // step, hi // step) * step)))
    if k == Kind.DATE:
        if _base(f.label).endswith("出生日期"):
            return run.person(people, f.label).birth.isoformat()
        first = values.get(f.not_before) if f.not_before else None
        return run.day(date.fromisoformat(first) if first else None).isoformat()
    if k == Kind.YEAR:
        return None  # after the dates: see sample_values
    if k == Kind.BOOL:
        return f.default if f.default is not None and rng.random() < 0.9 else rng.random() < 0.2
    if k == Kind.CODE:
        return _code(run, f, people)
    if k == Kind.CODES:
        choices = [c for c, _ in offered_choices(f, run.codes)]
        return ",".join(sorted(rng.sample(choices, min(len(choices), rng.choice((1, 1, 2)))))) or None
    if k == Kind.ID_NUMBER:
        return run.person(people, f.label).id_number
    if k in (Kind.PHONE, Kind.MOBILE):
        return mobile(rng)
    if k == Kind.USCC:  # a union's code is registered by the union (81…), an enterprise's 91…
        return uscc(rng, run.region, "8" if "工会" in f.label else "9", "1")
    if k == Kind.BANK_ACCOUNT:
        return "62" + "".join(str(rng.randrange(10)) for _ in range(17))
    if k == Kind.REF:
        ids = run.ref_ids(f)
        return rng.choice(ids) if ids else None
    return None


def _in_order(fields) -> list[Field]:
    """Fields with a declared ``not_before`` after the field they follow."""
    done, out, rest = set(), [], list(fields)
    while rest:
        ready = [f for f in rest if f.not_before is None or f.not_before in done]
        if not ready:  # an order among fields the sampler does not fill: keep the declared order
            ready = rest
        for f in ready:
            out.append(f)
            done.add(f.key)
        rest = [f for f in rest if f.key not in done]
    return out


def sample_values(session, reg, rng: random.Random | None = None, *, start: date | None = None,
                  end: date | None = None, run: SampleRun | None = None) -> dict[str, Any]:
    """Raw values for one new record of the register: every editable field a plausible value
    (optional ones too), dates inside ``start``–``end`` (default this year to today), then the
    register's own ``sample`` hook for what the generic values cannot know. Records generated
    together share one ``run`` (see ``SampleRun.open``)."""
    run = run or SampleRun.open(session, rng, start=start, end=end)
    values, people = {}, {}
    fields = _in_order(reg.spec.editable_fields)
    for f in fields:
        value = field_value(run, f, values, people)
        if value is not None:
            values[f.key] = value
    for f in fields:  # a year is the year of the record's date
        if f.kind == Kind.YEAR:
            when = values.get(reg.spec.period_key or "")
            values[f.key] = str(date.fromisoformat(when).year if when else run.day().year)
    if reg.sample is not None:
        values = reg.sample(session, run.rng, values) or values
    return values


def id_number(rng: random.Random, born: date, male: bool | None = None,
              region: str = SAMPLE_REGION) -> str:
    """A valid ID number of someone born on ``born`` (for a register's ``sample`` hook)."""
    from app.validation.idcard import id_check_char

    male = rng.random() < 0.5 if male is None else male
    body = f"{region}{born:%Y%m%d}{rng.choice(_SEQ[::2] if male else _SEQ[1::2]):03d}"
    return body + id_check_char(body)
