"""The charts' look lives in one module (siyu/charts/theme.py): no other chart module spells a colour or the
font, and the shared layout is what every chart starts from."""

from __future__ import annotations

import re
from pathlib import Path

import plotly.graph_objects as go

from siyu.charts import theme

CHARTS = Path(__file__).resolve().parents[2] / "siyu" / "charts"


def test_no_chart_module_spells_its_own_colour_or_font():
    for module in CHARTS.glob("*.py"):
        if module.name == "theme.py":
            continue
        text = module.read_text(encoding="utf-8")
        colours = re.findall(r'"#[0-9a-fA-F]{6}"|rgba?\((?!0,0,0,0\))', text)  # a transparent marker is no colour
        assert not colours, f"{module.name}: {colours}"
        assert "Noto Sans" not in text and "YaHei" not in text, module.name


def test_translucent_and_the_shared_layout():
    assert theme.translucent(theme.GREEN, 0.45) == "rgba(89,161,79,0.45)"
    assert theme.translucent(theme.BLUE, 0.12) == "rgba(47,111,222,0.12)"
    fig = theme.style(go.Figure(), height=300, legend=False)
    assert (fig.layout.font.family, fig.layout.height, fig.layout.showlegend) == (theme.FONT, 300, False)
    assert (fig.layout.margin.t, fig.layout.separators, fig.layout.legend.orientation) == (30, ".,", "h")
    bare = theme.style(go.Figure(), height=None, legend=None, top=40, title="t")
    assert (bare.layout.height, bare.layout.showlegend, bare.layout.margin.t) == (None, None, 40)
