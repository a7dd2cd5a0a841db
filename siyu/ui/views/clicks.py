"""Clicks on category charts (segments, tiers): Streamlit's selection points are client data, so the
category a click names is accepted only when it is one the page drew."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping


def clicked_category(points: Iterable[Mapping], drawn: Collection[str]) -> str | None:
    """customdata[0] of the first point whose customdata names a drawn category, else None."""
    for point in points:
        data = point.get("customdata") if isinstance(point, Mapping) else None
        if isinstance(data, list | tuple) and data and isinstance(data[0], str) and data[0] in drawn:
            return data[0]
    return None
