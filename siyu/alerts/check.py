"""Checking one rule against the database: the number it reads, the previous one for *_pct rules, fired or not."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import duckdb
import polars as pl

from siyu.alerts.rules import OP_WORDS, Rule
from siyu.engine import inputs
from siyu.engine.catalog import CATALOG, run_metric
from siyu.engine.context import read_context
from siyu.errors import SiyuError


@dataclass(frozen=True)
class Check:
    rule: Rule
    value: float | None
    previous: float | None
    fired: bool
    error: str | None = None


def read_value(frame: pl.DataFrame, rule: Rule) -> float | None:
    """The rule's number in a metric's output; None when the row is not there (nothing to compare)."""
    if rule.value == "rows":
        rows = frame
        for col, want in rule.where.items():
            rows = rows.filter(pl.col(col).cast(pl.String) == want)
        return float(rows.height)
    if rule.value not in frame.columns:
        raise SiyuError(f"规则 {rule.name!r}：指标 {rule.metric} 没有列 {rule.value!r}；可用：{', '.join(frame.columns)}"
                        f" / the metric has no column {rule.value!r}")
    rows = frame
    for col, want in rule.where.items():
        if col not in frame.columns:
            raise SiyuError(f"规则 {rule.name!r}：where 里的列 {col!r} 不在指标 {rule.metric} 里 / unknown where column")
        rows = rows.filter(pl.col(col).cast(pl.String) == want)
    if rows.height == 0:
        return None
    if rows.height > 1:
        raise SiyuError(f"规则 {rule.name!r}：where 选中了 {rows.height} 行，需要恰好 1 行（补充 where 条件）"
                        " / where must pick exactly one row")
    raw = rows[rule.value][0]
    if raw is None:
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise SiyuError(f"规则 {rule.name!r}：列 {rule.value!r} 不是数字 / the column is not a number") from None
    return None if math.isnan(value) else value


def fires(rule: Rule, value: float | None, previous: float | None) -> bool:
    """The rule's condition, exactly as written: strict comparisons stay strict."""
    if value is None:
        return False
    if rule.op in ("falls_pct", "rises_pct"):
        if previous is None or previous == 0:
            return False
        change = (value - previous) / abs(previous)
        return -change >= rule.threshold if rule.op == "falls_pct" else change >= rule.threshold
    return {">": value > rule.threshold, ">=": value >= rule.threshold, "<": value < rule.threshold,
            "<=": value <= rule.threshold}[rule.op]


def check_rule(con: duckdb.DuckDBPyConnection, rule: Rule) -> Check:
    """Run the rule's metric (and, for *_pct rules, again `compare_days` earlier) and compare."""
    if rule.metric not in CATALOG:
        return Check(rule, None, None, False, f"没有名为 {rule.metric!r} 的指标 / unknown metric")
    try:
        _, frame = run_metric(con, rule.metric, rule.params)
        value = read_value(frame, rule)
        previous = None
        if rule.op.endswith("_pct"):
            if "end" not in CATALOG[rule.metric].params:
                raise SiyuError(f"指标 {rule.metric} 没有 end 参数，无法做环比 / the metric has no end: no week-on-week")
            end = dt.date.fromisoformat(rule.params["end"]) if rule.params.get("end") else inputs.data_last_day(read_context(con))
            if end is None:
                return Check(rule, value, None, False)
            earlier = {**rule.params, "end": (end - dt.timedelta(days=rule.compare_days)).isoformat()}
            previous = read_value(run_metric(con, rule.metric, earlier)[1], rule)
        return Check(rule, value, previous, fires(rule, value, previous))
    except SiyuError as exc:
        return Check(rule, None, None, False, str(exc))


def figure(value: float | None, percent: bool) -> str:
    if value is None:
        return "—"
    if percent:
        return f"{value * 100:.1f}%"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def condition_text(rule: Rule, lang: str = "zh") -> str:
    words = OP_WORDS[rule.op][0 if lang == "zh" else 1]
    return f"{words} {figure(rule.threshold, rule.percent)}"
