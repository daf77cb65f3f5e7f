"""The manifest is the one list: every area's entries resolve, every register, kind, form, figure and
page is found through it, and nothing is registered outside it."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from app.areas import AREAS, all_areas, load

ROOT = Path(__file__).resolve().parents[2]


def test_areas_follow_the_seed_and_keys_are_unique():
    titles = [a.title for a in AREAS]
    assert titles[:10] == ["首页", "疫情防控与复工复产", "表彰评先", "职工文体活动", "队伍建设与技能人才",
                           "权益保障与法律援助", "困难职工帮扶", "基层组织建设", "精准扶贫", "党风廉政与机关管理"]
    keys = [a.key for a in all_areas()]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("area", [a.key for a in AREAS])
def test_every_entry_of_an_area_resolves(area):
    from app.areas import area as area_of

    a = area_of(area)
    for module in (*a.models, *a.specs, *a.excel, *a.forms, *a.filters):
        importlib.import_module(module)
    for module in a.specs:
        assert importlib.import_module(module).SPECS
    for module in a.excel:
        assert importlib.import_module(module).KINDS
    for module in a.forms:
        assert importlib.import_module(module).FORMS
    for path in (*a.registers, *a.figures, *a.todos, *a.demo, *a.settings):
        assert load(path) is not None, path
    for name in a.cli:
        assert hasattr(importlib.import_module(f"app.cli.cmd_{name}"), "register")
    if a.page:
        assert callable(load(a.page))
    from app.kit.register import registers_of

    own = {r.key for r in registers_of(a)}
    for tab in a.tabs:  # the area page's own tabs: a factory, listing the area's own registers
        assert callable(load(tab.page)), tab.page
        assert set(tab.registers) <= own, tab.key
    assert len({t.key for t in a.tabs}) == len(a.tabs)
    assert a.built or a.plan is not None, f"{a.key}: neither built nor planned"


def test_every_register_spec_kind_form_and_figure_is_found(register_key):
    from app.fields.registry import spec
    from app.kit.register import area_of, register

    reg = register(register_key)
    assert spec(register_key) is reg.spec
    assert area_of(register_key).key in {a.key for a in all_areas()}


def test_figures_name_their_registers_and_fields(figure_key):
    from app.fields.registry import spec
    from app.kit.figures import Distinct, Sum, all_figures

    area, key = figure_key.split(".", 1)
    fig = next(f for a, f in all_figures() if a == area and f.key == key)
    s = spec(fig.spec)
    table = s.model.__table__
    keys = fig.measure.keys if isinstance(fig.measure, (Sum, Distinct)) else ()
    assert all(k in table.c for k in keys), keys
    assert not fig.period or s.period_key, f"{key}: a period figure over a spec without a period"


def _modules(folder: str) -> list[tuple[str, ast.Module]]:
    out = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        out.append((name.removesuffix(".__init__"), ast.parse(path.read_text(encoding="utf-8"))))
    return out


def _assigns(body: list, name: str) -> bool:
    return any(isinstance(n, (ast.Assign, ast.AnnAssign)) and any(
        isinstance(t, ast.Name) and t.id == name for t in (n.targets if isinstance(n, ast.Assign) else [n.target]))
        for n in body)


def _declares(tree: ast.Module, marker: str) -> bool:
    """A module assigns ``marker`` at its top (SPECS, KINDS, FORMS) or, for models, in a class."""
    if marker == "__tablename__":
        return any(isinstance(n, ast.ClassDef) and _assigns(n.body, marker) for n in tree.body)
    return _assigns(tree.body, marker)


def test_nothing_is_registered_outside_the_manifest():
    from app.areas import entries

    named = {e.partition(":")[0] for attr in ("specs", "excel", "forms", "filters", "figures",
                                               "registers", "models") for e in entries(attr)}
    outside = []
    for folder, marker in (("app/fields", "SPECS"), ("app/excel/kinds", "KINDS"),
                           ("app/printing/forms", "FORMS"), ("app/models", "__tablename__")):
        for name, tree in _modules(folder):
            if _declares(tree, marker) and name not in named:
                outside.append(name)
    for name, tree in _modules("app/services"):
        if "register_filter(" in ast.unparse(tree) and name not in named and name != "app.services.listing":
            outside.append(name)
    assert outside == [], "declare these in app/areas.py"


def test_the_old_registration_lists_are_gone():
    """Each registry reads the manifest: none keeps a list of modules of its own."""
    text = "\n".join(p.read_text(encoding="utf-8") for folder in ("app", "ui")
                     for p in (ROOT / folder).rglob("*.py"))
    for name in ("SPEC_MODULES", "KIND_MODULES", "FORM_MODULES", "_FILTER_MODULES", "PAGE_MODULES",
                 "COMMAND_MODULES", "STEPS.append", "FIGURES: list", "TODOS: list"):
        assert name not in text, name
    assert not (ROOT / "resources" / "codes" / "index.csv").exists()
