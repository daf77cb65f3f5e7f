"""One name works in both faces of the CLI: ``record`` names a register ("hardship_archive"),
``excel`` a spreadsheet kind ("archives"); each also takes the other's name and the Chinese title."""

import pytest

from app.errors import InvalidInput
from app.excel.registry import all_kinds, kind
from app.kit.register import lookup


def test_every_excel_kind_and_its_register_answer_to_each_others_names():
    pairs = 0
    for k in all_kinds():
        reg = lookup(k.key)  # the excel name, read by ``record``
        assert reg.spec.model is k.spec.model
        assert kind(reg.key) is k and kind(k.title) is k
        pairs += 1
    assert pairs > 10
    assert kind("hardship_archive").key == "archives" and lookup("relief").key == "relief_entry"


def test_an_unknown_name_lists_the_known_ones():
    with pytest.raises(InvalidInput, match="archives"):
        kind("nosuch")
    with pytest.raises(InvalidInput, match="hardship_archive"):
        lookup("nosuch")
