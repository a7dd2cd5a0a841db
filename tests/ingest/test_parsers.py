"""Cell parsers: every form FORMATS.md lists, written out literally."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from siyu.ingest.parsers import (
    normalise_emails,
    normalise_phones,
    parse_amounts,
    parse_cents,
    parse_datetimes,
    parse_ints,
    split_tags,
)

D = dt.datetime


def test_dates_in_every_form() -> None:
    cells = ["2024/3/5 14:05", "2024-03-05 14:05:00", "2024年3月5日", "2024年3月5日 14:05", "2024.3.5",
             "45356", "45356.5", "20240305", "2024-03-05T14:05:00", "2024-03-05 14:05:00.250", "2024/03/05"]
    assert parse_datetimes(pl.Series(cells)).to_list() == [
        D(2024, 3, 5, 14, 5), D(2024, 3, 5, 14, 5), D(2024, 3, 5), D(2024, 3, 5, 14, 5), D(2024, 3, 5),
        D(2024, 3, 5), D(2024, 3, 5, 12), D(2024, 3, 5), D(2024, 3, 5, 14, 5), D(2024, 3, 5, 14, 5, 0, 250000),
        D(2024, 3, 5)]


def test_offsets_are_converted_to_the_brand_zone_and_naive_times_are_local() -> None:
    cells = ["2024-03-05T06:05:00Z", "2024-03-05 14:05:00 +0800", "2024-03-04T22:05:00-08:00",
             "2024-03-05T00:30:00+00:00", "2024-03-05 14:05"]
    assert parse_datetimes(pl.Series(cells), "Asia/Shanghai").to_list() == [
        D(2024, 3, 5, 14, 5), D(2024, 3, 5, 14, 5), D(2024, 3, 5, 14, 5), D(2024, 3, 5, 8, 30), D(2024, 3, 5, 14, 5)]
    # The same instant lands on another day in another brand zone (bucketing happens after conversion).
    assert parse_datetimes(pl.Series(["2024-03-05T00:30:00+00:00"]), "America/Los_Angeles").to_list() == [
        D(2024, 3, 4, 16, 30)]


def test_unparseable_dates_are_null_not_guesses() -> None:
    cells = ["next tuesday", "2024-02-30", "2024-13-01", "12", "", None, "45356abc"]
    assert parse_datetimes(pl.Series(cells)).to_list() == [None] * 7


def test_fast_path_whole_column() -> None:
    s = pl.Series(["2024-03-05 14:05:00", None, "2024-12-31 23:59:59"])
    assert parse_datetimes(s).to_list() == [D(2024, 3, 5, 14, 5), None, D(2024, 12, 31, 23, 59, 59)]


def test_amounts_to_cents() -> None:
    cells = ["¥1,299.00", "1299", "1,299.00元", "￥ 0.5", "RMB 12.5", "0", "0.00", "-3.00", "(3.00)", "1.500",
             "12.3.4", "abc", "", None, "$19.99", "(¥3.00)", "12,345,678.90"]
    assert parse_cents(pl.Series(cells)).to_list() == [
        129900, 129900, 129900, 50, 1250, 0, 0, -300, -300, 150, None, None, None, None, 1999, -300, 1234567890]


def test_amounts_in_no_export_form_are_not_read_as_some_other_number() -> None:
    # Before: `1,2,3` -> 123.00 (commas dropped anywhere), `1.234,56` -> 1.23, `1.005` -> 1.01 (rounded),
    # 184467440737095516.16 -> 0.00 (Int64 wrapped). Now they are null, and the last is flagged too long.
    cells = ["1,2,3", "1.234,56", "1.005", "12,34", "1,2345.00", ".5", "12.", "184467440737095516.16", "1234567890123456"]
    amounts = parse_amounts(pl.Series(cells))
    assert amounts["cents"].to_list() == [None] * 9
    assert amounts["too_long"].to_list() == [False] * 7 + [True, True]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_cents_round_trip_through_every_spelling(cents: int) -> None:
    yuan, fen = divmod(cents, 100)
    spellings = [f"{yuan}.{fen:02d}", f"¥{yuan:,}.{fen:02d}", f"{yuan:,}.{fen:02d}元", f"￥{yuan}.{fen:02d}"]
    assert parse_cents(pl.Series(spellings)).to_list() == [cents] * 4


def test_points_are_whole_numbers() -> None:
    assert parse_ints(pl.Series(["1,200", "1200.0", "12.5", "x", None])).to_list() == [1200, 1200, None, None, None]


def test_phones_normalised_and_masked_kept_apart() -> None:
    cells = ["13800138000", "+86 138-0013-8000", "138 0013 8000", "0086 13800138000", "8613800138000",
             "(+86)138.0013.8000", "13800138000.0", "138****8000", "186******05", "12345", "010-88886666",
             "13900139000，13800138000", "+1 415 555 0100", None]
    frame = normalise_phones(pl.Series(cells))
    assert frame["phone"].to_list() == [
        "13800138000", "13800138000", "13800138000", "13800138000", "13800138000", "13800138000", "13800138000",
        None, None, None, None, "13900139000", "+14155550100", None]
    assert frame["phone_masked"].to_list() == [None] * 7 + ["138****8000", "186******05"] + [None] * 5


def test_emails_and_tags() -> None:
    assert normalise_emails(pl.Series([" Li.Na@Example.COM ", "not-an-email", None])).to_list() == [
        "li.na@example.com", None, None]
    assert split_tags(pl.Series(["高价值,复购，宝妈", "a|b、c", "", None])).to_list() == [
        ["高价值", "复购", "宝妈"], ["a", "b", "c"], None, None]
