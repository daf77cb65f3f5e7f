"""Built-in reference rows (code tables, the holiday calendar) are seeded as one version on every
installation, so the first bundle between two offices carries them without a line of noise
(issue 16, point 6: 500 lines of “[自动合并] 代码项 男 … 已自动合并:” with nothing listed)."""


def test_built_in_code_items_travel_without_noise(net):
    a1, a2, c = net["a1"], net["a2"], net["c"]
    for report in (a2.recv(a1.send(a2)), a1.recv(c.send(a1))):
        codes = next(t for t in report.tables if t.table == "code_items")
        assert codes.unchanged > 300 and (codes.new, codes.updated, codes.conflicts) == (0, 0, 0)
        assert not [i for i in report.items if i.table in ("code_items", "work_calendar_days")]
