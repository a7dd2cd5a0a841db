"""Every metric the CLI and the pages can ask for by name, with the parameters it accepts.

The catalog is built from the explicit `SPECS` tuples of the domain modules (cohorts, members, referrals,
channels, value); none of them imports this module, so there is no registration by import side effect and
no import cycle. Each spec names its typed parameter class (`parse`: the `--param` strings, from the CLI or
a page's cached loader, are parsed and checked once, before any data is read); its runner takes the run's
read context (siyu.engine.context: connection, data version, scope) and that parsed instance, fetches the
narrow inputs it needs (siyu.engine.inputs) and calls the pure metric function (siyu.metrics). How to add a
metric: siyu/engine/spec.py.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import polars as pl

from siyu.db.frame_store import Version
from siyu.db.scope import Scope
from siyu.engine import (
    campaigns,
    channels,
    cohorts,
    groups,
    members,
    points,
    referrals,
    relations,
    tier_economics,
    value,
)
from siyu.engine.context import data_version, read_context
from siyu.engine.params import resolve_range
from siyu.engine.scoping import scoped_context
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
                                          channels.SPECS, relations.SPECS, groups.SPECS, campaigns.SPECS,
                                          points.SPECS, tier_economics.SPECS)
REGISTRY = CATALOG
"""The name the CLI and the tests have always used."""


def run_metric(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, str],
               *, version: Version | None = None, scope: Scope | None = None) -> tuple[MetricSpec, pl.DataFrame]:
    """Look the metric up, check its parameters, run it on `con` (global filters applied, when any).
    `version`: the data version of the file, when the caller has just read it (else it is read here).
    `scope`: the global filters as a value (siyu.engine.scoping), on a connection not scoped yet; without
    it, the filters a caller applied to `con` itself (siyu.db.scope.apply_scope) are read back from it."""
    spec = CATALOG.get(name)
    if spec is None:
        raise MetricError(f"没有名为 {name!r} 的指标；可用：{', '.join(sorted(CATALOG))} / unknown metric")
    unknown = sorted(set(params) - set(spec.params))
    if unknown:
        raise MetricError(
            f"指标 {name} 不接受参数 {unknown}；可用参数：{sorted(spec.params)} / unknown parameter(s)")
    parsed = spec.parse_params(params)  # every refusal before any data is read
    if scope is None:
        ctx = read_context(con, version)  # the data version and the scope, read once per run
    else:
        ctx = scoped_context(con, data_version(con) if version is None else version, scope)
    return spec, spec.run(ctx, parsed)


__all__ = ["CATALOG", "REGISTRY", "MetricSpec", "Runner", "resolve_range", "run_metric"]
