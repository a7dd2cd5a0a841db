"""siyu/ui/views/model.py: the three model states and the parameters panel, on hand-written fit rows."""

from __future__ import annotations

import polars as pl

from siyu.ui.views.model import (
    FALLBACK,
    FITTED,
    TOO_LITTLE,
    model_status,
    near_zero,
    parameters_table,
    without_unknown_predictions,
)

BG_OK = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "loglik": -9582.4, "n_customers": 2357,
         "converged": True, "message": "ok"}
GG_OK = {"p": 6.25, "q": 3.74, "v": 15.44, "loglik": -4000.0, "n_customers": 946, "converged": True, "message": "ok"}
BG_FAILED = {**BG_OK, "a": 0.0001, "converged": False,
             "message": "BG/NBD 拟合未收敛（参数落在边界或优化器未完成），改用历史购买频率估计。 / BG/NBD fit did not converge (x); using the historical-rate fallback."}
GG_FEW = {"p": None, "q": None, "v": None, "loglik": None, "n_customers": 1, "converged": False,
          "message": "复购客户太少，无法拟合 / too few repeat buyers to fit Gamma-Gamma"}


def test_three_states():
    assert model_status({"bgnbd": BG_OK, "gamma_gamma": GG_OK}).state == FITTED
    fallback = model_status({"bgnbd": BG_FAILED, "gamma_gamma": GG_OK})
    assert (fallback.state, fallback.buyers, fallback.repeat_buyers) == (FALLBACK, 2357, 946)
    assert fallback.reason("zh") == "BG/NBD 拟合未收敛（参数落在边界或优化器未完成），改用历史购买频率估计。"
    assert fallback.reason("en") == "BG/NBD fit did not converge (x); using the historical-rate fallback."
    # Gamma-Gamma cannot fit one repeat buyer: too little data, whatever BG/NBD did
    few = model_status({"bgnbd": BG_OK, "gamma_gamma": GG_FEW})
    assert (few.state, few.reason("en")) == (TOO_LITTLE, "too few repeat buyers to fit Gamma-Gamma")
    none = model_status({"bgnbd": {**BG_FAILED, "n_customers": 0, "message": "没有购买者 / no buyers"},
                         "gamma_gamma": {**GG_FEW, "n_customers": 0}})
    assert (none.state, none.buyers, none.reason("zh")) == (TOO_LITTLE, 0, "没有购买者")
    assert model_status({"bgnbd": {**BG_FAILED, "n_customers": 9}, "gamma_gamma": GG_OK}).state == TOO_LITTLE


def test_parameters_table_shows_the_fit_used_and_the_check_side_by_side():
    table = parameters_table({"bgnbd": BG_OK, "gamma_gamma": GG_OK}, {"bgnbd": BG_FAILED, "gamma_gamma": GG_FEW}, "zh")
    rows = {r["parameter"]: (r["used"], r["holdout"]) for r in table.iter_rows(named=True)}
    assert rows["r（购买频率的形状）"] == ("0.243", "0.243")
    assert rows["a（流失概率）"] == ("0.793", "0.0001")
    assert rows["BG/NBD 对数似然"] == ("-9,582", "-9,582")
    assert rows["拟合用的购买者"] == ("2,357", "2,357")
    assert rows["BG/NBD 收敛"] == ("是", "否")
    assert rows["p（客单价）"] == ("6.25", "—")
    assert rows["Gamma-Gamma 收敛"] == ("是", "否")
    english = parameters_table({"bgnbd": BG_OK, "gamma_gamma": GG_OK}, None, "en")
    assert english.row(6) == ("BG/NBD converged", "yes", "—")


def test_near_zero_and_downloads_without_unknown_columns():
    frame = pl.DataFrame({"member_id": ["1", "2", "3"], "p_alive": [0.004, 0.5, None], "clv": [0.0, 10.0, 1.0]})
    assert near_zero(frame) == 1
    fitted = model_status({"bgnbd": BG_OK, "gamma_gamma": GG_OK})
    failed = model_status({"bgnbd": BG_FAILED, "gamma_gamma": GG_OK})
    assert without_unknown_predictions(frame, fitted).columns == ["member_id", "p_alive", "clv"]
    assert without_unknown_predictions(frame, failed).columns == ["member_id", "clv"]
