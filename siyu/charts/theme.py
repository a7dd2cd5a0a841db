"""The charts' one theme: font, colours, the categorical palette and the layout every chart starts from.
Every chart module takes its look from here (a colour or font changed here changes it on every page and
in the HTML report)."""

from __future__ import annotations

import plotly.graph_objects as go

FONT = "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"
BLUE, ORANGE, GREEN, RED, GREY = "#2f6fde", "#f28e2b", "#59a14f", "#d62728", "#b8c2cc"
PALETTE = ["#2f6fde", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
"""One colour per series (channels, cohorts), in order."""
INK, OUTLINE = "#1f2a37", "#111827"  # text on light bars; a picked cell's frame
MUTED_FILL, MUTED_TEXT, RULE, NOTE_TEXT = "#e5e7eb", "#6b7280", "#9ca3af", "#4b5563"  # unfinished cells, notes
LEGEND = {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}  # above the plot, left-aligned


def style(fig: go.Figure, *, height: int | None = 360, legend: bool | None = True, top: int = 30,
          **layout: object) -> go.Figure:
    """The common layout: the CJK font, "." decimals and "," thousands, tight margins (`top` above the plot),
    the legend above it; `height` and `legend` (showlegend) are left to Plotly when None; `layout` adds to it."""
    fig.update_layout(font={"family": FONT}, separators=".,", margin={"l": 10, "r": 10, "t": top, "b": 10},
                      legend=LEGEND, **({"height": height} if height is not None else {}),
                      **({"showlegend": legend} if legend is not None else {}), **layout)
    return fig


def translucent(colour: str, alpha: float) -> str:
    """"#59a14f", 0.45 -> "rgba(89,161,79,0.45)": a theme colour as a fill under other marks."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:.2f})"
