"""The example's manifest entry: what ``app.areas.AREAS`` would hold for a new area (the test suite
adds it through ``UNIONDESK_EXTRA_AREAS=tests.kit_example.area:AREAS``)."""

from app.areas import Area

AREAS = (
    Area("kit_example", "示例工作领域", "document",
         models=("tests.kit_example.model",),
         registers=("tests.kit_example.spec:EXAMPLE",),  # the one line a plain register costs
         figures=("tests.kit_example.spec:FIGURES",)),
)
