"""Alert rules and firings in the database (tables alert_rules, alert_firings of migration 010).

A rule's options beyond the table's columns (compare_days, percent, page, link) travel as a JSON object in the
`link` column, so the table did not need a column per option."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import polars as pl

from siyu.alerts.rules import Rule, rule_from
from siyu.db import query, reading, writing
from siyu.ingest.sqlrun import run


def save_rule(db: Path, rule: Rule, *, by: str, timeout: float = 30.0) -> None:
    extra = {"compare_days": rule.compare_days, "percent": rule.percent, "page": rule.page, "link": rule.link}
    with writing(db, timeout) as con:
        run(con, "alr_rule_save", {"name": rule.name, "metric": rule.metric, "params": json.dumps(rule.params, ensure_ascii=False),
                                   "value_col": rule.value, "row_filter": json.dumps(rule.where, ensure_ascii=False),
                                   "op": rule.op, "threshold": rule.threshold,
                                   "link": json.dumps(extra, ensure_ascii=False), "enabled": rule.enabled,
                                   "created_by": by})


def delete_rule(db: Path, name: str, *, timeout: float = 30.0) -> None:
    with writing(db, timeout) as con:
        run(con, "alr_rule_delete", {"name": name})


def stored_rules(db: Path, *, timeout: float = 30.0) -> list[Rule]:
    with reading(db, timeout) as con:
        rows = query(con, "alr_rules")
    rules = []
    for r in rows.iter_rows(named=True):
        extra: dict[str, Any] = json.loads(r["link"] or "{}")
        rules.append(rule_from({"name": r["name"], "metric": r["metric"], "value": r["value_col"], "op": r["op"],
                                "threshold": r["threshold"], "params": json.loads(r["params"]),
                                "where": json.loads(r["row_filter"]), "enabled": r["enabled"], **extra}))
    return rules


def record_firing(db: Path, *, name: str, fired_at: dt.datetime, value: float | None, previous: float | None,
                  threshold: float, message: str, posted: bool, error: str | None, timeout: float = 30.0) -> None:
    with writing(db, timeout) as con:
        run(con, "alr_firing_write", {"name": name, "fired_at": fired_at, "value": value, "previous": previous,
                                      "threshold": threshold, "message": message, "posted": posted, "error": error})


def firings(db: Path, since: dt.datetime | None = None, *, timeout: float = 30.0) -> pl.DataFrame:
    with reading(db, timeout) as con:
        return query(con, "alr_firings", {"since": since})
