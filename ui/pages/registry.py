"""The navigation: every work area of the seed document, in its order, and the page each shows.

The order, titles and icons are fixed here (``AREAS``). An area that is not built yet shows an
honest 「尚未开放」 page listing what it will hold (``ui.pages.areas``). An area's page plugs in by
being listed in ``PAGE_MODULES``; the module has ``register(registry)`` and calls::

    registry.provide("hardship", HardshipPage)        # factory(ctx) -> QWidget

A page is any QWidget. Optional methods the main window uses when present:
``activated()`` (shown again: refresh), ``open_target(tab, filters)`` (a home-page figure opens its
records), ``can_close() -> bool`` (unsaved work), ``smoke_dialogs() -> [(name, factory)]`` (the
dialogs the smoke test opens and closes), and ``visible_for(actor) -> bool`` as a class attribute
to hide the page from roles it does not serve.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    icon: str


AREAS: tuple[Area, ...] = (
    Area("home", "首页", "home"),
    Area("epidemic", "疫情防控与复工复产", "shield"),
    Area("honours", "表彰评先", "award"),
    Area("culture", "职工文体活动", "trophy"),
    Area("workforce", "队伍建设与技能人才", "tools"),
    Area("rights", "权益保障与法律援助", "scale"),
    Area("hardship", "困难职工帮扶", "heart_hand"),
    Area("organisation", "基层组织建设", "org"),
    Area("poverty", "精准扶贫", "village"),
    Area("office", "党风廉政与机关管理", "building"),
    Area("plans", "工作计划与总结", "document"),
    Area("reports", "统计报表", "chart"),
    Area("exchange", "数据交换", "exchange"),
    Area("system", "系统管理", "gear"),
)

# Modules that provide pages (each has ``register(registry)``); later areas add theirs here.
PAGE_MODULES = ("ui.pages.home", "ui.pages.hardship", "ui.pages.organisation", "ui.pages.system",
                "ui.pages.exchange")

PageFactory = Callable[[object], QWidget]


class PageRegistry:
    def __init__(self):
        self._factories: dict[str, PageFactory] = {}

    def provide(self, key: str, factory: PageFactory) -> None:
        if key not in {a.key for a in AREAS}:
            raise KeyError(f"unknown area {key!r}: add it to AREAS first")
        self._factories[key] = factory

    def factory(self, key: str) -> PageFactory | None:
        return self._factories.get(key)

    def is_open(self, key: str) -> bool:
        return key in self._factories

    def areas(self) -> tuple[Area, ...]:
        return AREAS


def load_registry(modules: tuple[str, ...] = PAGE_MODULES) -> PageRegistry:
    registry = PageRegistry()
    for name in modules:
        importlib.import_module(name).register(registry)
    return registry


def area(key: str) -> Area:
    for a in AREAS:
        if a.key == key:
            return a
    raise KeyError(key)
