"""Issue 12, point 8: a list's first columns are the ones a clerk reads first — the person's name
before codes, numbers and dates. For every record type whose list shows a person's name, that
name is among its first two default columns (or the record type is a documented exception)."""

from app.fields.registry import all_specs
from app.fields.spec import Kind

PERSON_LABELS = ("申请人", "咨询人", "借阅人", "候选人", "慰问对象", "领取人(户主)")
# record types whose list leads with something else on purpose, with the reason (none today: a
# 借阅会员 / 会员 reference before the typed name counts as the person, it shows the member's name)
EXCEPTIONS: dict[str, str] = {}


def person_fields(spec):
    return [f for f in spec.list_fields
            if f.kind != Kind.REF and (f.label.endswith("姓名") or f.label in PERSON_LABELS)]


def test_a_persons_name_is_among_the_first_two_list_columns():
    late = {}
    for spec in all_specs():
        people = person_fields(spec)
        if not people or spec.key in EXCEPTIONS:
            continue
        first = [f.key for f in spec.list_fields][:2]
        if people[0].key not in first:
            late[spec.key] = ([f.label for f in spec.list_fields][:3], people[0].label)
    assert not late, late


def test_the_lead_names_list_fields():
    for spec in all_specs():
        assert all(spec.has(k) for k in spec.list_lead), spec.key
        keys = [f.key for f in spec.list_fields]
        assert len(keys) == len(set(keys)), spec.key
