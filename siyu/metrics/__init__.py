"""Metrics: pure Polars functions, one module each; `registry` maps names to runners."""
