"""Files for people (siyu/ui/export.py): labelled columns in the reader's language, rounded values, rates
as %, BOM; XLSX with number formats. The machine CSV (siyu.output.to_csv) is unchanged."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import polars as pl
import pytest

from siyu.output import to_csv
from siyu.ui.export import people_csv, people_xlsx
from siyu.ui.i18n import LANG_KEY

FRAME = pl.DataFrame({
    "period": [dt.date(2024, 1, 1), dt.date(2024, 2, 1)],
    "gmv": [772232.0, 2587.77],
    "arpu": [1098.2666666666667, None],
    "rate": [0.123456, 1.0],
    "complete": [True, False],
    "member_id": ["=1+1", "10002"],
})


@pytest.fixture
def lang(monkeypatch):
    import streamlit as st

    def use(code: str) -> None:
        monkeypatch.setattr(st, "session_state", {LANG_KEY: code})
    return use


def test_csv_for_people_in_chinese(lang):
    lang("zh")
    body = people_csv(FRAME)
    assert body.startswith("\ufeff".encode())  # the BOM Excel needs
    assert body.decode("utf-8-sig").splitlines() == [
        "期间,GMV（净额）,ARPU（每购买者）,比例,周期已结束,会员编号",
        "2024-01-01,772232.0,1098.27,12.3%,是,'=1+1",
        "2024-02-01,2587.77,,100.0%,否,10002",
    ]


def test_csv_for_people_in_english(lang):
    lang("en")
    assert people_csv(FRAME).decode("utf-8-sig").splitlines()[0] == (
        "Period,GMV (net),ARPU (per buyer),Rate,Period finished,Member id")


def test_machine_csv_keeps_keys_and_precision():
    assert to_csv(FRAME).splitlines()[:2] == ["period,gmv,arpu,rate,complete,member_id",
                                             "2024-01-01,772232.0,1098.2666666666667,0.123456,true,'=1+1"]


def test_xlsx_has_formats(lang):
    lang("zh")
    book = openpyxl.load_workbook(io.BytesIO(people_xlsx(FRAME)))
    ws = book.active
    assert [c.value for c in ws[1]] == ["期间", "GMV（净额）", "ARPU（每购买者）", "比例", "周期已结束", "会员编号"]
    period, gmv, arpu, rate, done, member = ws[2]
    assert period.value == dt.datetime(2024, 1, 1) and period.number_format == "yyyy-mm-dd"
    assert (gmv.value, gmv.number_format) == (772232.0, "¥#,##0.00")
    assert (arpu.value, arpu.number_format) == (1098.27, "¥#,##0.00")
    assert (rate.value, rate.number_format) == (0.123456, "0.0%")
    assert (done.value, member.value) == ("是", "'=1+1")
