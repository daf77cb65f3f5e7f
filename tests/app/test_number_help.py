"""A number field's help text says the format the number is given in: a register's ``Numbering``
pattern, and the 档案编号 the office format of ``form_numbers`` (one format for the archives 党组审批
numbers, the demo's and every printed form's)."""

from __future__ import annotations

from app.fields.hardship import ARCHIVE
from app.kit.numbering import describe
from app.kit.register import all_registers
from app.services import form_numbers


def _help(spec, key: str) -> str:
    return next(f for f in spec.fields if f.key == key).help or ""


def test_a_registers_number_field_describes_its_pattern():
    numbered = [r for r in all_registers() if r.number is not None]
    assert numbered  # 工单号, 受理号 …
    for reg in numbered:
        assert describe(reg.number.pattern) in _help(reg.spec, reg.number.key), reg.key


def test_the_archive_number_help_describes_the_office_format():
    example = form_numbers.format_number("341122", form_numbers.ARCHIVE_KIND, 2026, 12)
    pattern = f"{{unit_code}}-{form_numbers.ARCHIVE_KIND}-{{year}}-{{seq:0{form_numbers.WIDTH}d}}"
    text = _help(ARCHIVE, "archive_no")
    assert describe(pattern, unit="县区划代码") in text and example in text
