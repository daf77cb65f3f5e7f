"""Sanity checks for the code tables in resources/codes/ (plain CSV, no Qt) and the areas'
declarations of them (``app.areas``: each table's name and standard, and which area brings it)."""

from __future__ import annotations

import csv
import pathlib
import re

import pytest

CODES_DIR = pathlib.Path(__file__).resolve().parents[2] / "resources" / "codes"
CODE_PATTERN = re.compile(r"[0-9A-Za-z_]+")
TABLE_PATTERN = re.compile(r"[a-z][a-z0-9_]*")


def read_rows(path: pathlib.Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), f"{path.name} must be UTF-8 without BOM"
    text = raw.decode("utf-8")
    reader = csv.DictReader(text.splitlines())
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def indexed_tables() -> list[str]:
    from app.areas import code_tables

    return list(code_tables())


def test_each_table_is_declared_once_by_one_area():
    from app.areas import AREAS

    declared = [c for a in AREAS for c in a.codes]
    keys = [c.key for c in declared]
    assert keys and len(keys) == len(set(keys)), "a code table declared twice"
    for c in declared:
        assert TABLE_PATTERN.fullmatch(c.key), c
        assert c.name.strip() and c.standard.strip(), c


def test_every_csv_in_the_folder_is_declared():
    on_disk = {p.stem for p in CODES_DIR.glob("*.csv")}
    assert on_disk == set(indexed_tables())


def test_every_coded_field_names_a_declared_table():
    from app.fields.registry import all_specs

    tables = set(indexed_tables())
    missing = {(s.key, f.key, f.code_table) for s in all_specs() for f in s.fields
               if f.code_table and f.code_table not in tables}
    assert missing == set()


def test_required_tables_are_present():
    required = {
        "gender", "ethnicity", "political_status", "education", "marital_status", "member_status",
        "unit_kind", "unit_nature", "industry", "hardship_category", "health_status",
        "disability_category", "disability_grade", "work_status", "model_worker_type",
        "housing_type", "housing_area_band", "hukou_type", "medical_insurance", "hardship_cause",
        "key_group", "four_batches", "family_relation", "person_identity", "contract_term",
        "enterprise_status", "relief_kind", "fund_source", "goods_kind",
    }
    assert required <= set(indexed_tables())


@pytest.mark.parametrize("table", indexed_tables())
def test_table_file(table):
    path = CODES_DIR / f"{table}.csv"
    assert path.is_file(), f"{path.name} is declared in app.areas but missing"
    header, rows = read_rows(path)
    assert header in (["code", "label"], ["code", "label", "parent"]), header
    assert rows, f"{path.name} has no rows"
    codes = [row["code"] for row in rows]
    labels = [row["label"] for row in rows]
    for row in rows:
        assert None not in row, f"{path.name}: extra column in {row}"
        assert row["code"] and row["code"] == row["code"].strip(), row
        assert CODE_PATTERN.fullmatch(row["code"]), f"{path.name}: non-ASCII code {row['code']!r}"
        assert row["label"] and row["label"] == row["label"].strip(), row
    assert len(codes) == len(set(codes)), f"{path.name}: duplicate codes"
    assert len(labels) == len(set(labels)), f"{path.name}: duplicate labels"
    if "parent" in header:
        for row in rows:
            assert row["parent"] in ("", *codes), f"{path.name}: unknown parent {row['parent']!r}"
            assert row["parent"] != row["code"]


def load(table: str) -> dict[str, str]:
    _, rows = read_rows(CODES_DIR / f"{table}.csv")
    return {row["code"]: row["label"] for row in rows}


def test_spot_check_standard_values():
    assert load("gender")["1"] == "男" and load("gender")["2"] == "女"
    ethnicity = load("ethnicity")
    assert len(ethnicity) == 58
    assert ethnicity["01"] == "汉族" and ethnicity["56"] == "基诺族" and ethnicity["98"] == "外国血统中国籍人士"
    assert load("political_status")["13"] == "群众"
    assert load("marital_status")["40"] == "离婚"
    industry = load("industry")
    assert list(industry) == [chr(c) for c in range(ord("A"), ord("T") + 1)]
    assert industry["S"] == "公共管理、社会保障和社会组织"
    causes = load("hardship_cause")
    assert list(causes) == [str(i) for i in range(1, 11)]
    assert causes["6"] == "患重特大疾病" and causes["10"] == "其他"
    assert len(load("health_status")) == 20
