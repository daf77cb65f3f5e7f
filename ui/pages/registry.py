"""The navigation and the page of each work area, from the manifest (``app.areas``): the areas in
the seed's order with their titles and icons, and each area's page factory named by an import path
(``Area.page``). An area on the area kit without a page of its own gets the kit's area page (its
own tabs, a tab per other register and a statistics tab: ``ui.kit.area_page``); an area not built
yet shows its plan (``placeholder``).

A page is any QWidget made by ``factory(ctx)``. Optional methods the main window uses when
present: ``activated()`` (shown again: refresh), ``open_target(tab, filters)`` (a home-page figure
opens its records), ``can_close() -> bool`` (unsaved work), ``smoke_dialogs() -> [(name,
factory)]`` (the dialogs the smoke test opens and closes), and ``visible_for(actor) -> bool`` as a
class attribute to hide the page from roles it does not serve.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from app.areas import Area, all_areas, load

PageFactory = Callable[[object], QWidget]
AREAS: tuple[Area, ...] = all_areas()


def area_page_factory(a: Area) -> PageFactory | None:
    """The page an area shows: its own, the kit's, or None (its plan)."""
    if a.page:
        return load(a.page)
    if a.registers or a.tabs:
        from ui.kit.area_page import AreaPage

        return lambda ctx: AreaPage(ctx, a)
    return None


class PageRegistry:
    def __init__(self, areas: tuple[Area, ...] = AREAS):
        self._areas = areas
        self._factories: dict[str, PageFactory] = {}

    def provide(self, key: str, factory: PageFactory) -> None:
        if key not in {a.key for a in self._areas}:
            raise KeyError(f"unknown area {key!r}: declare it in app.areas first")
        self._factories[key] = factory

    def factory(self, key: str) -> PageFactory | None:
        return self._factories.get(key)

    def is_open(self, key: str) -> bool:
        return key in self._factories

    def areas(self) -> tuple[Area, ...]:
        return self._areas


def load_registry() -> PageRegistry:
    registry = PageRegistry()
    for a in AREAS:
        if (factory := area_page_factory(a)) is not None:
            registry.provide(a.key, factory)
    return registry


def area(key: str) -> Area:
    for a in AREAS:
        if a.key == key:
            return a
    raise KeyError(key)
