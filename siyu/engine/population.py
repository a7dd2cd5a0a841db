"""The population of a run: the global filters plus, when one is named, a saved segment (siyu.segments).

A saved segment's rules include an RFM segment, which only the metrics can compute, so siyu.db.scope cannot
resolve it on its own: here the segment's own filters are applied on a second cursor of the same file (its
temp catalog is separate, so the caller's scope is untouched), its RFM segment is computed there with the
catalog's own runner, and the member ids are handed to apply_scope, which intersects them with the
filters of the run. Kept apart from siyu.db.scope on purpose: the rest of the scope machinery is unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import polars as pl

from siyu.db import query
from siyu.db.scope import FILTERS, Scope, apply_scope
from siyu.segments import SegmentRules, get_rules

SCOPE_PARAMS = FILTERS
"""The run parameters that are global filters rather than a metric's own (`--param tag=孩子年龄:7岁`)."""


def split_params(params: Mapping[str, str], own: Mapping[str, str]) -> tuple[Scope, dict[str, str]]:
    """The global filters among a metric's parameters, and the rest. A metric that declares a parameter of the
    same name keeps it (segment_members' `segment` is its RFM segment); `saved_segment` names a saved segment
    for every metric."""
    rest = dict(params)
    scope = {k: rest.pop(k) for k in SCOPE_PARAMS if k not in own and rest.get(k)}
    if rest.get("saved_segment"):
        scope["segment"] = rest.pop("saved_segment")
    rest.pop("saved_segment", None)
    return Scope(**scope), rest


def group_rule_members(con: duckdb.DuckDBPyConnection, rules: SegmentRules) -> pl.Series | None:
    """The members the layer and group rules select (None when the rules have neither): members with a
    membership, open at the end of the data's last day (as the 社群 page, unfiltered), of a group of that
    layer (siyu.metrics.groups.group_layers_of: the stated group type, else the layer rules) / of that group."""
    if rules.layer is None and rules.group is None:
        return None
    from siyu.engine.context import read_context
    from siyu.engine.groups import group_as_of, groups_frame, layer_rules
    from siyu.metrics.groups import end_of, group_layers_of

    plain = con.cursor()  # unscoped: the last day and the layers are the data's own
    try:
        ctx = read_context(plain)
        day = group_as_of(ctx, None)
        if day is None:
            return pl.Series("member_id", [], pl.Int64)
        layers = group_layers_of(groups_frame(ctx), layer_rules(ctx)).collect()
        if rules.layer is not None:
            layers = layers.filter(pl.col("layer") == rules.layer)
        if rules.group is not None:
            layers = layers.filter(pl.col("group_id") == rules.group)
        ids = query(plain, "pg_group_members", {"groups": layers["group_id"].to_list(), "until": end_of(day)})
        return ids["member_id"].cast(pl.Int64)
    finally:
        plain.close()


def rules_members(con: duckdb.DuckDBPyConnection, rules: SegmentRules) -> pl.Series:
    """The member ids (siyu's integers) a segment's rules select, on a fresh cursor of `con`'s file."""
    ids = _scope_rfm_members(con, rules)
    in_groups = group_rule_members(con, rules)
    return ids if in_groups is None else ids.filter(ids.is_in(in_groups.implode()))


def _scope_rfm_members(con: duckdb.DuckDBPyConnection, rules: SegmentRules) -> pl.Series:
    """The member ids the filter and RFM rules select."""
    from siyu.engine.cohorts import SEGMENT_STANDARDS, RfmSegmentsParams, _run_rfm_segments
    from siyu.engine.context import read_context

    cur = con.cursor()
    try:
        apply_scope(cur, rules.scope())
        if rules.rfm_standard is None or rules.rfm_segment is None:
            ids = query(cur, "pg_scope_members", {"channel": None, "tier": None, "staff": None, "tag": None,
                                                  "tag_group": None})["member_id"]
        else:
            # the rfm_segments runner itself, not the catalog: the catalog resolves segments through here
            frame = _run_rfm_segments(read_context(cur), RfmSegmentsParams.parse({"view": "members"}))
            ids = frame.filter(pl.col(SEGMENT_STANDARDS[rules.rfm_standard]) == rules.rfm_segment)["member_id"]
        return ids.cast(pl.Int64)
    finally:
        cur.close()


def segment_ids(con: duckdb.DuckDBPyConnection, scope: Scope) -> pl.Series | None:
    """The members of the saved segment `scope` names (None without one)."""
    if scope.segment is None:
        return None
    plain = con.cursor()  # the segment table is read unscoped
    try:
        rules = get_rules(plain, scope.segment)
    finally:
        plain.close()
    return rules_members(con, rules)


def apply_population(con: duckdb.DuckDBPyConnection, scope: Scope) -> None:
    """apply_scope, with the saved segment named in `scope` resolved first."""
    if scope.segment is None:
        apply_scope(con, scope)
        return
    plain = con.cursor()  # the segment table is read unscoped
    try:
        rules = get_rules(plain, scope.segment)
    finally:
        plain.close()
    apply_scope(con, scope, segment_ids=rules_members(con, rules))
