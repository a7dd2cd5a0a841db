"""Tag filters and saved segments as the population of any metric (siyu.db.scope, siyu.engine.population,
siyu.segments), on the tiny analytics brand of tests/metrics/analytics_db.py plus four tags."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from siyu.db import reading, writing
from siyu.db.scope import Scope, apply_scope, split_tag, tag_value
from siyu.engine.catalog import run_metric
from siyu.engine.population import apply_population, split_params
from siyu.errors import SiyuError
from siyu.segments import (
    RFM_CLASSIC,
    RFM_CN,
    SegmentError,
    SegmentRules,
    check_name,
    check_rules,
    delete_segment,
    list_segments,
    parse_rules,
    save_segment,
)
from tests.metrics import analytics_db

TAGS = [(1, "孩子年龄", "7岁"), (3, "孩子年龄", "7岁"), (2, "孩子年龄", "8岁"), (1, "", "高意向"), (4, "", "10:00场")]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = analytics_db.build(tmp_path / "a.duckdb")
    with writing(path) as con:
        con.executemany("INSERT INTO member_tags (member_id, tag_group, tag, batch_id) VALUES (?, ?, ?, 1)", TAGS)
    return path


def _kpis(db: Path, scope: Scope) -> dict:
    with reading(db) as con:
        apply_population(con, scope)
        return run_metric(con, "kpis", {})[1].row(0, named=True)


def test_split_tag_and_its_inverse() -> None:
    assert split_tag("孩子年龄:7岁") == ("孩子年龄", "7岁")
    assert split_tag("孩子年龄：7岁") == ("孩子年龄", "7岁")  # a full-width colon, as typed on a Chinese keyboard
    assert split_tag("7岁") == (None, "7岁")
    assert split_tag(":10:00场") == ("", "10:00场")
    for group, tag in (("孩子年龄", "7岁"), ("", "高意向"), ("", "10:00场")):
        assert split_tag(tag_value(group, tag)) == ((None if group == "" and ":" not in tag else group), tag)


def test_tag_filter_restricts_every_figure(db: Path) -> None:
    # Members 1 and 3 carry 孩子年龄:7岁: orders o1 100 + o2 50 (member 1), o4 0 + o5 80 (member 3).
    got = _kpis(db, Scope(tag="孩子年龄:7岁"))
    assert (got["members"], got["buyers"], got["orders"], got["gmv"]) == (2, 2, 4, 230.0)
    assert _kpis(db, Scope(tag="孩子年龄:8岁"))["gmv"] == 150.0  # member 2: 200 paid - 50 refunded
    assert _kpis(db, Scope(tag="兴趣:7岁"))["members"] == 0      # the right tag in another group matches nothing
    assert _kpis(db, Scope(tag="7岁"))["members"] == 2           # a bare tag: any group
    assert _kpis(db, Scope(tag=":10:00场"))["members"] == 1
    with reading(db) as con:
        options = run_options(con)
    assert options == [(":10:00场", 1), ("孩子年龄:7岁", 2), ("孩子年龄:8岁", 1), ("高意向", 1)]


def run_options(con) -> list[tuple[str, int]]:
    from siyu.db import query

    frame = query(con, "pg_scope_options").filter(pl.col("kind") == "tag")
    return sorted(zip(frame["value"], frame["n"], strict=True))


def test_saved_segment_is_the_population_of_any_metric(db: Path) -> None:
    save_segment(db, "七岁妈妈", SegmentRules(tag="孩子年龄:7岁"), by="tester")
    assert _kpis(db, Scope(segment="七岁妈妈")) == _kpis(db, Scope(tag="孩子年龄:7岁"))
    # With another filter on top, both apply: 孩子年龄:7岁 and channel 包裹卡 is member 1 alone.
    got = _kpis(db, Scope(segment="七岁妈妈", channel="包裹卡"))
    assert (got["members"], got["gmv"]) == (1, 150.0)
    # Saved again with other rules: the same name now means the new population.
    save_segment(db, "七岁妈妈", SegmentRules(channel="门店"), by="tester")
    assert _kpis(db, Scope(segment="七岁妈妈"))["members"] == 1
    with reading(db) as con:
        assert list_segments(con)["name"].to_list() == ["七岁妈妈"]
    delete_segment(db, "七岁妈妈", by="tester")
    with pytest.raises(SegmentError, match="没有名为"):
        _kpis(db, Scope(segment="七岁妈妈"))


def test_segment_with_an_rfm_segment_matches_segment_members(db: Path) -> None:
    with reading(db) as con:
        rfm = run_metric(con, "rfm_segments", {})[1]
    # Buyers 1 (2 days, 150), 2 (1 day, 150), 3 (2 days, 80): means r, f = 5/3, m = 126.67.
    label = rfm.filter(pl.col("member_id") == "1")["cn_segment"].item()
    wanted = sorted(int(m) for m in rfm.filter(pl.col("cn_segment") == label)["member_id"])
    save_segment(db, "核心", SegmentRules(rfm_standard="cn", rfm_segment=label), by="tester")
    with reading(db) as con:
        apply_population(con, Scope(segment="核心"))
        members = run_metric(con, "kpis", {})[1].item(0, "members")
    assert members == len(wanted) and wanted == [1]
    # Rules combine: the RFM segment within the 裂变海报 channel (members 3 and 4) is empty.
    save_segment(db, "核心裂变", SegmentRules(channel="裂变海报", rfm_standard="cn", rfm_segment=label), by="tester")
    assert _kpis(db, Scope(segment="核心裂变"))["members"] == 0


def test_bad_segments_are_refused_in_words(db: Path) -> None:
    for rules, words in ((SegmentRules(), "至少需要一个条件"), (SegmentRules(rfm_standard="cn"), "同时给出"),
                         (SegmentRules(rfm_standard="cn", rfm_segment="VIP"), "没有名为 'VIP'"),
                         (SegmentRules(rfm_standard="x", rfm_segment="Lost"), "RFM 标准"),
                         (SegmentRules(tag="x" * 101), "1–100")):
        with pytest.raises(SegmentError, match=words):
            save_segment(db, "坏", rules, by="tester")
    for name in ("", "   ", "a\nb", "长" * 41, None):
        with pytest.raises(SegmentError, match="分群名称"):
            check_name(name)
    for text in ("{", "[]", '{"channel": 1}', '{"drop table": "x"}'):
        with pytest.raises(SegmentError, match="分群定义已损坏"):
            parse_rules(text)
    with reading(db) as con, pytest.raises(SiyuError, match="分群需要先解析"):
        apply_scope(con, Scope(segment="x"))  # the db layer alone never silently ignores a segment


def test_rfm_labels_are_the_metric_s(db: Path) -> None:
    from siyu.metrics import rfm_segments

    assert set(RFM_CN) == set(rfm_segments.CN.values())
    source = Path(rfm_segments.__file__).read_text(encoding="utf-8")
    assert all(f'pl.lit("{label}")' in source for label in RFM_CLASSIC)


def test_split_params_keeps_a_metric_s_own_parameter() -> None:
    assert split_params({"tag": "a:b", "start": "2024-01-01"}, {"start": ""}) == (Scope(tag="a:b"), {"start": "2024-01-01"})
    # segment_members has its own `segment` (the RFM segment); saved_segment names a saved one for it.
    scope, rest = split_params({"segment": "Lost", "saved_segment": "七岁妈妈"}, {"segment": ""})
    assert (scope, rest) == (Scope(segment="七岁妈妈"), {"segment": "Lost"})


def test_cli_takes_the_population(db: Path) -> None:
    save_segment(db, "七岁妈妈", SegmentRules(tag="孩子年龄:7岁"), by="tester")
    assert analytics_db.run_json(db, "kpis", "segment=七岁妈妈")["gmv"] == 230.0
    assert analytics_db.run_json(db, "kpis", "tag=孩子年龄:8岁")["gmv"] == 150.0
    code, text = analytics_db.run_cli(db, "kpis", "segment=没有")
    assert code == 1


GROUPS = [  # group_id, group_name, group_type (stated) — layers: g_mass 大群 (rule), g_core core (stated),
    ("g_mass", "妈妈交流大群", None),   # g_vip super (rule 超级 comes before 大群), g_chat other (no rule)
    ("g_core", "核心群A", "core"), ("g_vip", "超级用户大群", None), ("g_chat", "随便聊", None)]
LAYER_RULES = [(1, "超级", "super"), (2, "大群", "mass")]
MEMBERSHIPS = [  # group_id, member_id, joined_at, left_at — the data's last day is 2024-04-10 (the latest leave)
    ("g_mass", 1, "2024-01-05 10:00", None),
    ("g_mass", 2, "2024-01-21 10:00", "2024-02-01 10:00"),   # left: not in 大群 now
    ("g_mass", 3, "2024-02-02 10:00", None),
    ("g_core", 3, "2024-03-01 10:00", "2024-04-10 12:00"),   # left on the last day: not in 核心群 at its end
    ("g_core", 4, "2024-02-16 10:00", None),
    ("g_core", 2, "2024-01-25 10:00", "2024-01-30 10:00"),   # left, then ...
    ("g_core", 2, "2024-03-05 10:00", None),                 # ... back: in 核心群 now
    ("g_vip", 1, "2024-03-10 10:00", None),
    ("g_chat", 5, "2024-03-01 10:00", None),
]


@pytest.fixture()
def grouped(db: Path) -> Path:
    with writing(db) as con:
        con.executemany("INSERT INTO groups (group_id, group_name, group_type, batch_id) VALUES (?, ?, ?, 1)", GROUPS)
        con.executemany("INSERT INTO group_layer_rules (position, pattern, layer) VALUES (?, ?, ?)", LAYER_RULES)
        con.executemany("INSERT INTO group_memberships (group_id, member_id, joined_at, left_at, batch_id) "
                        "VALUES (?, ?, ?, ?, 1)", MEMBERSHIPS)
    return db


def test_layer_and_group_rules_select_members_in_groups_now(grouped: Path) -> None:
    from siyu.engine.population import rules_members

    with reading(grouped) as con:
        def ids(rules: SegmentRules) -> list[int]:
            return sorted(rules_members(con, check_rules(rules)).to_list())

        assert ids(SegmentRules(layer="mass")) == [1, 3]     # member 2 left 大群
        assert ids(SegmentRules(layer="core")) == [2, 4]     # 3 left on the last day; 2 re-joined
        assert ids(SegmentRules(layer="super")) == [1]       # 超级用户大群: the 超级 rule comes first
        assert ids(SegmentRules(layer="other")) == [5]
        assert ids(SegmentRules(group="g_core")) == [2, 4]
        assert ids(SegmentRules(group="g_core", layer="mass")) == []   # that group is not a 大群
        assert ids(SegmentRules(group="没有这个群")) == []
        assert ids(SegmentRules(layer="mass", channel="包裹卡")) == [1]
    save_segment(grouped, "大群妈妈", SegmentRules(layer="mass"), by="tester")
    got = _kpis(grouped, Scope(segment="大群妈妈"))
    assert (got["members"], got["buyers"], got["orders"], got["gmv"]) == (2, 2, 4, 230.0)  # members 1 and 3
    assert _kpis(grouped, Scope(segment="大群妈妈", channel="包裹卡"))["gmv"] == 150.0


def test_cli_kpis_with_a_saved_layer_segment(grouped: Path) -> None:
    save_segment(grouped, "核心群会员", SegmentRules(layer="core"), by="tester")
    got = analytics_db.run_json(grouped, "kpis", "saved_segment=核心群会员")
    assert (got["members"], got["gmv"]) == (2, 150.0)  # members 2 (200 paid - 50 refunded) and 4 (refunded)
    assert analytics_db.run_json(grouped, "kpis")["members"] == 5


def test_bad_layer_is_refused(db: Path) -> None:
    with pytest.raises(SegmentError, match="社群层级"):
        save_segment(db, "坏", SegmentRules(layer="大群"), by="tester")
    assert parse_rules('{"group": "g1", "layer": "core"}') == SegmentRules(layer="core", group="g1")
