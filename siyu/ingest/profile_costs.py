"""The channel-cost profile: what a channel cost over a month, a day or a date range (the 无效私域 view).

Rows -> channel, period_start, period_end (dates, both inclusive), cost_cents, note. The period comes from
start + end when the file has both columns, else from a month column (`2024-03`, `2024年3月`, `2024/3`,
`202403`, or any date of the month), else from a date column (a day; a month written there, such as
`2024-03`, is taken as the month). Channels are trimmed like members.channel, so they match the
scorecard's groups exactly. Within one file, two rows of one channel whose periods overlap without being
the same period are row errors (rows of the very same channel and period are summed when loaded).
"""

from __future__ import annotations

import polars as pl

from siyu.errors import IngestError
from siyu.ingest import parsers
from siyu.ingest.canonical import Canonical, frame
from siyu.ingest.cells import MSG_DATE, MSG_REQUIRED, Cells

COST_SCHEMA = {"row_no": pl.Int64, "channel": pl.Utf8, "period_start": pl.Date, "period_end": pl.Date,
               "cost_cents": pl.Int64, "note": pl.Utf8}
MSG_MONTH = "无法识别的月份，请用 2024-03 或 2024年3月 这类写法 / unrecognised month (write 2024-03)"
MSG_END_BEFORE = "结束日期早于开始日期 / the end date is before the start date"
MSG_OVERLAP = "同一渠道的期间与本文件另一行重叠（同一期间可以多行，会相加；不同期间不能重叠）/ overlaps another period of this channel in the file"
_MONTH_RE = r"^((?:19|20)\d{2})(?:[-/._年])?(\d{1,2})月?$"


def month_starts(raw: pl.Series, tz: str) -> pl.Series:
    """Text -> the first day of the month it names: `2024-03`, `2024年3月`, `2024/3`, `202403`, or a date
    (`2024-03-05`, an Excel serial) whose month is taken. Unrecognised -> null."""
    text = parsers.clean_text(raw).str.replace_all(r"\s", "")
    parts = pl.DataFrame({"v": text}).select(pl.col("v").str.extract_groups(_MONTH_RE)).unnest("v")
    parts.columns = ["y", "m"]
    month = parts.select(
        pl.when(pl.col("m").cast(pl.Int32).is_between(1, 12))
        .then(pl.date(pl.col("y").cast(pl.Int32), pl.col("m").cast(pl.Int32), 1))).to_series()
    as_date = parsers.parse_datetimes(raw, tz).dt.date().dt.month_start()
    return pl.select(pl.coalesce(month, as_date)).to_series().alias(raw.name)


def _month_end(starts: pl.Series) -> pl.Series:
    return starts.dt.month_end()


def _looks_like_month(raw: pl.Series) -> pl.Series:
    return parsers.clean_text(raw).str.replace_all(r"\s", "").str.contains(_MONTH_RE).fill_null(False)


def _periods(c: Cells) -> tuple[pl.Series, pl.Series]:
    if c.has("start") and c.has("end"):
        start = c.datetime("start", required=True).dt.date()
        end = c.datetime("end", required=True).dt.date()
        c.error("end", start.is_not_null() & end.is_not_null() & (end < start), MSG_END_BEFORE)
        return start, end
    if c.has("month"):
        raw = c.text("month")
        start = month_starts(raw, c.tz)
        c.error("month", raw.is_null(), MSG_REQUIRED)
        c.error("month", raw.is_not_null() & start.is_null(), MSG_MONTH)
        c.too_early("month", start)
        return start, _month_end(start)
    if c.has("date"):
        raw = c.text("date")
        as_month = _looks_like_month(raw)
        day = parsers.parse_datetimes(raw, c.tz).dt.date()
        month = month_starts(raw, c.tz)
        start = pl.select(pl.when(as_month).then(month).otherwise(day)).to_series()
        end = pl.select(pl.when(as_month).then(_month_end(month)).otherwise(day)).to_series()
        c.error("date", raw.is_null(), MSG_REQUIRED)
        c.error("date", raw.is_not_null() & start.is_null(), MSG_DATE)
        c.too_early("date", start)
        return start, end
    raise IngestError(
        "渠道成本文件需要一列期间：月份（2024-03）、日期，或开始日期 + 结束日期。"
        " / A channel-cost file needs a period column: 月份 (month), 日期 (date), or 开始日期 + 结束日期 (start + end).")


def _overlaps(rows: pl.DataFrame) -> pl.Series:
    """row_no of rows whose channel has another, different period overlapping theirs."""
    keys = rows.filter(pl.col("channel").is_not_null() & pl.col("period_start").is_not_null()
                       & pl.col("period_end").is_not_null()).select("channel", "period_start", "period_end").unique()
    pairs = keys.join(keys, on="channel", suffix="_o").filter(
        ((pl.col("period_start") != pl.col("period_start_o")) | (pl.col("period_end") != pl.col("period_end_o")))
        & (pl.col("period_start") <= pl.col("period_end_o")) & (pl.col("period_start_o") <= pl.col("period_end")))
    bad = pairs.select("channel", "period_start", "period_end").unique()
    return rows.join(bad, on=["channel", "period_start", "period_end"], how="semi")["row_no"]


def channel_costs(c: Cells) -> Canonical:
    channel = c.required("channel")
    start, end = _periods(c)
    cost = c.cents("cost", required=True)
    rows = frame(c.n, COST_SCHEMA, row_no=c.rows, channel=channel, period_start=start, period_end=end,
                 cost_cents=cost, note=c.text("note"))
    overlap = rows["row_no"].is_in(_overlaps(rows).implode())
    c.error("channel", overlap, MSG_OVERLAP)
    return Canonical("channel_costs", rows, c.errors())
