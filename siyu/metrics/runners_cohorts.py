"""Registry entries for the cohort metrics: retention, lifecycle, rfm, rfm_segments, concentration, tiers."""

from __future__ import annotations
