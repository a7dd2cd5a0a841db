"""Every metric the CLI and the pages can ask for by name, with the parameters it accepts.

The catalog is built from the explicit `SPECS` tuples of the domain modules (cohorts, members, referrals,
channels, value); none of them imports this module, so there is no registration by import side effect and
no import cycle. A runner takes the run's read context (siyu.engine.context: connection, data version,
scope) and the parameters as strings, fetches the narrow inputs it needs (siyu.engine.inputs) and calls the
pure metric function (siyu.metrics).
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import polars as pl

from siyu.db.frame_store import Version
from siyu.engine import channels, cohorts, members, points, referrals, tier_economics, value
from siyu.engine.context import read_context
from siyu.engine.params import resolve_range
from siyu.engine.spec import MetricSpec, Runner
from siyu.errors import MetricError


def _catalog(*groups: tuple[MetricSpec, ...]) -> dict[str, MetricSpec]:
    found: dict[str, MetricSpec] = {}
    for spec in (s for group in groups for s in group):
        if spec.name in found:
            raise ValueError(f"metric {spec.name!r} is in the catalog twice")
        found[spec.name] = spec
    return found


CATALOG: dict[str, MetricSpec] = _catalog(value.SPECS, cohorts.SPECS, members.SPECS, referrals.SPECS,
                                          channels.SPECS, points.SPECS,
                                          tier_economics.SPECS)
REGISTRY = CATALOG
"""The name the CLI and the tests have always used."""


def run_metric(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, str],
               *, version: Version | None = None) -> tuple[MetricSpec, pl.DataFrame]:
    """Look the metric up, check its parameters, run it on `con` (global filters applied, when any).
    `version`: the data version of the file, when the caller has just read it (else it is read here)."""
    spec = CATALOG.get(name)
    if spec is None:
        raise MetricError(f"没有名为 {name!r} 的指标；可用：{', '.join(sorted(CATALOG))} / unknown metric")
    unknown = sorted(set(params) - set(spec.params))
    if unknown:
        raise MetricError(
            f"指标 {name} 不接受参数 {unknown}；可用参数：{sorted(spec.params)} / unknown parameter(s)")
    ctx = read_context(con, version)  # the data version and the scope, read once per run
    return spec, spec.run(ctx, {**spec.defaults, **params})


__all__ = ["CATALOG", "REGISTRY", "MetricSpec", "Runner", "resolve_range", "run_metric"]
