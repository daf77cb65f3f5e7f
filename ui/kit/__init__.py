"""The page kit: an area's page, statistics tab and figure drill-down, from its declaration."""
