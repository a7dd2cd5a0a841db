"""CSV/JSON writers: full precision, ISO dates, formula-like text neutralised without losing it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import polars as pl

from siyu.output import safe_cell, to_csv, to_json


def test_formula_like_text_gets_a_quote_and_keeps_its_text() -> None:
    assert safe_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert safe_cell("+86 138") == "'+86 138"
    assert safe_cell("-1") == "'-1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("\tx") == "'\tx"
    assert safe_cell("张三") == "张三"


def test_numbers_are_never_neutralised_or_rounded() -> None:
    assert safe_cell(-1.5) == "-1.5"
    assert safe_cell(1 / 3) == "0.3333333333333333"
    assert safe_cell(123456789.12345679) == "123456789.12345679"
    assert safe_cell(-7) == "-7"
    assert safe_cell(float("nan")) == ""


def test_csv_round_trip() -> None:
    frame = pl.DataFrame({"name": ["=1+1", "王五, 北京"], "day": [dt.date(2024, 3, 5), None], "rate": [0.1, 2 / 3]})
    rows = list(csv.reader(io.StringIO(to_csv(frame))))
    assert rows == [["name", "day", "rate"], ["'=1+1", "2024-03-05", "0.1"], ["王五, 北京", "", "0.6666666666666666"]]


def test_json_single_row_is_an_object_and_lists_are_lists() -> None:
    frame = pl.DataFrame({"a": [1], "when": [dt.datetime(2024, 3, 5, 14, 5)]})
    assert json.loads(to_json(frame, single_row=True)) == {"a": 1, "when": "2024-03-05 14:05:00"}
    assert json.loads(to_json(frame)) == [{"a": 1, "when": "2024-03-05 14:05:00"}]
    assert json.loads(to_json(frame.clear(), single_row=True)) == []
