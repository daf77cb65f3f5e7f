"""The city sees its counties (issue 16, point 4): the unit tree 市 → 县(区) → 乡镇 → 基层, a 县(区)
column and filter for every list, townships named with their county, a county × figure table on
the declared figures naming who has not reported, and home figures and 待办 fit for the city."""

from datetime import date

from sqlalchemy import text

from app.clock import today
from app.kit.figures import area_stats, periods
from app.services import dashboard, listing
from app.services.city import counties, county_choices, county_table
from app.services.listing import ListQuery
from app.services.units import root_unit_id


def _city_with_two_counties(net):
    a, b, c = net["a1"], net["b"], net["c"]
    c.recv(a.send(c))
    c.recv(b.send(c))
    return a, b, c


def test_the_city_tree_holds_each_county_and_its_unions(net):
    a, b, c = _city_with_two_counties(net)
    with c.db.read_session() as s:
        rows = listing.unit_tree(s)
        assert rows[0][1] == "示例市总工会" and rows[0][3] == 0
        depth = {name: d for _id, name, _kind, d in rows}
        assert depth["示例县总工会"] == depth["邻县总工会"] == 1
        assert depth["a1镇工会"] == 2 and depth["a1机械厂工会"] == 3
        everyone = ListQuery.of("member", unit=c.db.root_unit_id)  # the city's subtree: all
        assert listing.count(s, c.clerk, everyone) == 6
        county_a = ListQuery.of("member", unit=root_unit_id("341122"))
        assert listing.count(s, c.clerk, county_a) == 3
    with a.db.read_session() as s:  # a county's own tree is unchanged: its federation at the top
        assert listing.unit_tree(s)[0][1:] == ("示例县总工会", "county", 0)


def test_every_list_filters_by_county(net):
    _a, _b, c = _city_with_two_counties(net)
    with c.db.read_session() as s:
        for spec_key in ("member", "unit"):
            q = ListQuery.of(spec_key, filters={listing.COUNTY.key: root_unit_id("341124")})
            rows = listing.fetch_page(s, c.clerk, q, columns=[listing.county_column()]).rows
            assert rows and {r.texts[0] for r in rows} == {"邻县总工会"}
        assert [name for _id, name in county_choices(s)] == ["示例县总工会", "邻县总工会"]


def test_townships_are_named_with_their_county_at_the_city(net):
    from app.services import records
    from app.services.hardship.list_filters import township_choices

    a, b, c = net["a1"], net["b"], net["c"]
    for node in (a, b):  # two counties, each with a 东城街道
        with node.db.session(node.admin) as s:
            records.create(s, node.admin, "unit", {"name": "东城街道工会", "kind": "street",
                                                   "parent_id": node.db.root_unit_id})
        c.recv(node.send(c))
    with c.db.read_session() as s:
        names = [name for _id, name in township_choices(s) if name.startswith("东城")]
    assert names == ["东城街道工会(示例县)", "东城街道工会(邻县)"]
    with a.db.read_session() as s:
        assert "东城街道工会" in [name for _id, name in township_choices(s)]


def test_a_county_by_figure_table_names_who_has_not_reported(net):
    a, b, c = _city_with_two_counties(net)
    d0, d1 = date(today().year, 1, 1), date(today().year, 12, 31)
    with c.db.session(c.admin) as s:  # 邻县's bundles arrived long ago
        s.execute(text("UPDATE sync_bundles SET at = '2020-01-01 00:00:00' WHERE peer_id IN "
                       "(SELECT id FROM sync_peers WHERE unit_code = '341124')"))
    with c.db.read_session() as s:
        table = county_table(s, c.clerk, d0, d1, areas=["organisation", "hardship"])
        assert [r.county.name for r in table.rows] == ["示例县总工会", "邻县总工会"]
        assert [cty.name for cty in table.silent] == ["邻县总工会"]
        members = next(col for col in table.columns if col.key == "members")
        for row in table.rows:  # each cell is the area's declared figure for that county
            own = area_stats(s, c.clerk, "organisation", d0, d1, row.county.id).figure("members")
            assert table.value(row, members).value == own.value == 3
        assert any(col.area == "hardship" for col in table.columns)
        todos = [t.text for t in dashboard.todos(s, c.clerk)]
        _label, since, _ = periods(today())[0]
        assert f"邻县总工会本期({since:%Y-%m-%d} 起)尚未报送数据包" in todos
        assert not [t for t in todos if "示例县总工会本期" in t]
    with a.db.read_session() as s:
        assert county_table(s, a.clerk, d0, d1).rows == [] and counties(s) == []


def test_the_city_home_counts_its_counties(net):
    a, _b, c = _city_with_two_counties(net)
    with c.db.read_session() as s:
        cards = {f.label: f.value for f in dashboard.figures(s, c.clerk)}
        assert cards["县(区)总工会"] == 2
        assert dashboard.county_table(s, c.clerk) is not None
    with a.db.read_session() as s:
        assert "县(区)总工会" not in {f.label for f in dashboard.figures(s, a.clerk)}
        assert dashboard.county_table(s, a.clerk) is None
