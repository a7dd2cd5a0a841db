"""Metrics: pure Polars functions, one module each (frames in, frame out; no DuckDB, no Streamlit, no cache).

The engine (siyu.engine) fetches their inputs and runs them by name (siyu.engine.catalog)."""
