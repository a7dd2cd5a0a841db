"""The engine: what lies between the database (siyu.db) and the pure metrics (siyu.metrics).

- catalog: every metric the CLI and the pages ask for by name (`run_metric`), collected from the
  domain modules' `SPECS` tuples: cohorts, members, referrals, channels, value.
- context: the read context of one run (connection, data version, scope), built once by `run_metric` and
  passed explicitly to every runner, input and cache look-up (no ContextVar, no re-reading).
- spec: what the catalog knows of one metric, and how to add one; each domain module holds its metrics'
  frozen parameter classes (parsed once from the `--param` strings, before any data is read).
- params: parameter parsing and validation helpers (the messages the CLI and the pages show).
- scoping: the global filters as a value applied to the frames in memory (docs/architecture.md measures it).
- lookups: the pages' lookups (member contacts, snapshot dates) on tuples of member ids.
- inputs: the narrow frames the metrics read, fetched through siyu.db.query.
- frame_cache: the one in-process cache of those frames and of results computed from them, keyed on the
  data version (siyu.db.frame_store.data_version), with the files siyu.db.frame_store keeps on disk.

Imports run one way: siyu.db and siyu.metrics below, the engine above them, siyu.ui and siyu.cli above it.
"""
