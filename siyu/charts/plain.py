"""Data strings in a Plotly figure, drawn as text: Plotly renders a subset of HTML in every label, tick,
legend entry and hover text (`<a href=…>` becomes a live link, `<b>`, `<span style>`, `&…;` entities).

`plain_figure(fig)` escapes `&` and `<` in the data-bearing attributes of every trace and in the axes'
category lists, so an imported channel named `<a href="http://evil.example">x</a>` is drawn as those
characters. Line breaks the project's own code builds into hover texts (`<br>`) are kept: a data value
containing `<br>` can only break a line. Templates (hovertemplate, texttemplate) are the code's own and
are left alone.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

_TRACE_ATTRS = ("x", "y", "z", "text", "hovertext", "labels", "ids", "parents", "customdata", "name",
                "legendgroup")
_NESTED = (("node", "label"), ("link", "label"), ("header", "values"), ("cells", "values"))
_AXIS_ATTRS = ("categoryarray", "ticktext")
_TAG = re.compile(r"<(?!br\s*/?>)", re.IGNORECASE)


def plain_text(value: str) -> str:
    return _TAG.sub("&lt;", value.replace("&", "&amp;"))


def _plain(value):
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in {"U", "O"}:  # numpy arrays of text
        return [_plain(v) for v in value.tolist()]
    return value


def plain_figure(fig: go.Figure) -> go.Figure:
    """A copy of `fig` with its data strings escaped (a copy: escaping twice would show `&amp;lt;`)."""
    fig = go.Figure(fig)
    for trace in fig.data:
        for attr in _TRACE_ATTRS:
            if attr in trace and trace[attr] is not None:
                trace[attr] = _plain(trace[attr])
        for outer, inner in _NESTED:
            if outer in trace and trace[outer] is not None and inner in trace[outer]:
                value = trace[outer][inner]
                if value is not None:
                    trace[outer][inner] = _plain(value)
    for key in list(fig.layout):
        if key.startswith(("xaxis", "yaxis")):
            axis = fig.layout[key]
            for attr in _AXIS_ATTRS:
                if axis[attr] is not None:
                    axis[attr] = _plain(axis[attr])
    return fig
