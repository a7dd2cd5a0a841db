"""Money axes a Chinese reader reads at a glance: ¥150万 and ¥1.2亿 instead of ¥1,500,000 (English: ¥1.5M).

Plotly's d3 formats know SI prefixes (k, M) but not 万/亿, so the ticks are placed here: a "nice" step
(1, 2, 2.5 or 5 × 10^k) giving about `count` ticks over the data, each labelled by `money_tick`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable


def money_tick(value: float, lang: str = "zh") -> str:
    """¥0, ¥800, ¥2.5万, ¥150万, ¥1.2亿 (zh); ¥800, ¥25K, ¥1.5M, ¥1.2B (en)."""
    sign, size = ("-" if value < 0 else ""), abs(value)
    steps = ((1e8, "亿"), (1e4, "万")) if lang == "zh" else ((1e9, "B"), (1e6, "M"), (1e3, "K"))
    for limit, suffix in steps:
        if size >= limit:
            return f"{sign}¥{round(size / limit, 4):g}{suffix}"
    if not float(size).is_integer() and size < 100:  # a small axis (ARPU of a few yuan): keep the fen
        return f"{sign}¥{round(size, 2):g}"
    return f"{sign}¥{size:,.0f}"


def nice_step(span: float, count: int = 5) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k that splits `span` into at most `count` steps."""
    if span <= 0:
        return 1.0
    raw = span / count
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def money_axis(values: Iterable[float | None], lang: str = "zh", *, count: int = 5) -> dict:
    """Plotly axis settings: tickvals/ticktext over the data's range (from 0), and that range."""
    present = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    lo, hi = min([0.0, *present]), max([0.0, *present])
    if hi == lo:
        hi = lo + 1.0
    step = nice_step(hi - lo, count)
    first, last = math.floor(lo / step), math.ceil(hi / step)
    ticks = [round(i * step, 6) for i in range(first, last + 1)]
    return {"tickmode": "array", "tickvals": ticks, "ticktext": [money_tick(v, lang) for v in ticks],
            "range": [ticks[0], ticks[-1] * 1.02 if ticks[-1] > 0 else ticks[-1]]}
