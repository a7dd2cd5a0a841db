"""Points ledgers (有赞 积分明细 and a generic layout) and paid memberships (付费会员): text cells -> canonical rows.

Ledger rows: phone / ext_id (who), occurred_at, delta (signed points), kind, balance_after, order_id, reason.
The kind comes from the type column, else from the reason, by the words 有赞 and most CRMs use (KIND_WORDS,
first match wins, so 「订单退款扣除积分」 is an adjustment and not a purchase). Redemptions and expiries are
deductions whatever sign the export writes (some list them unsigned); a 收支 column saying 支出 makes any
change negative. A row that names no member by a full phone or a member id cannot be attached to anyone and
is a row error (a masked phone never links: docs/import.md, "Identity").
"""

from __future__ import annotations

import polars as pl

from siyu.ingest.canonical import Canonical, Schema, frame, phone_cells
from siyu.ingest.cells import MSG_REQUIRED, Cells

KINDS = ("purchase", "checkin", "share", "review", "redeem", "expire", "adjust", "other")
# (pattern, kind) in priority order; matched against the type text, then the reason.
KIND_WORDS: tuple[tuple[str, str], ...] = (
    (r"过期|失效|清零|(?i:^expir)", "expire"),
    (r"退款|退货|撤销|扣回|(?i:^(adjust|refund))", "adjust"),
    (r"兑换|抵扣|抵现|消耗|使用|(?i:^rede)", "redeem"),
    (r"签到|(?i:^check.?in)", "checkin"),
    (r"分享|邀请|转发|(?i:^share)", "share"),
    (r"评价|晒单|(?i:^review)", "review"),
    (r"消费|购物|下单|订单|购买|支付|(?i:^purchase)", "purchase"),
    (r"调整|手动|后台|赠送|补发|系统", "adjust"),
)
POINTS_SCHEMA: Schema = {"row_no": pl.Int64, "phone": pl.Utf8, "phone_masked": pl.Utf8, "ext_id": pl.Utf8,
                 "display_name": pl.Utf8, "occurred_at": pl.Datetime("us"), "delta": pl.Int64, "kind": pl.Utf8,
                 "balance_after": pl.Int64, "order_id": pl.Utf8, "reason": pl.Utf8}
PAID_SCHEMA: Schema = {"row_no": pl.Int64, "phone": pl.Utf8, "phone_masked": pl.Utf8, "ext_id": pl.Utf8,
               "started_at": pl.Datetime("us"), "expires_at": pl.Datetime("us"), "fee_cents": pl.Int64, "plan": pl.Utf8}
MSG_WHO = ("这一行没有可用的会员标识（手机号为空或被打码、没有会员编号），无法归到任何会员"
           " / the row names no member (no full phone, no member id): it cannot be attached to anyone")
MSG_ZERO = "积分变动为 0 / the change is zero"
MSG_EXPIRES = "到期时间早于开卡时间 / the expiry is before the start"


def kind_of(text: pl.Series) -> pl.Series:
    """Type or reason text -> one of KINDS (null when no word matches)."""
    expr: pl.Expr = pl.lit(None, dtype=pl.Utf8)
    for pattern, kind in reversed(KIND_WORDS):
        expr = pl.when(pl.col("t").str.contains(pattern)).then(pl.lit(kind)).otherwise(expr)
    return pl.DataFrame({"t": text}).select(expr.alias("kind"))["kind"]


def _who(c: Cells) -> tuple[pl.DataFrame, pl.Series]:
    phones = phone_cells(c, "phone")
    ext = c.text("member_id")
    c.error("phone" if c.has("phone") else "member_id", phones["phone"].is_null() & ext.is_null(), MSG_WHO)
    return phones, ext


def points(c: Cells) -> Canonical:
    phones, ext = _who(c)
    at = c.datetime("occurred_at", required=True)
    raw = c.text("delta")
    delta = c.integer("delta")
    c.error("delta", raw.is_null(), MSG_REQUIRED)
    c.error("delta", delta == 0, MSG_ZERO)
    kind = pl.select(pl.coalesce(kind_of(c.text("kind")), kind_of(c.text("reason")),
                                 pl.lit("other"))).to_series()
    spent = c.text("direction").str.contains("支出|扣减|减少|(?i:out|debit)").fill_null(False)
    deduction = kind.is_in(["redeem", "expire"]) | spent
    signed = pl.select(pl.when(deduction).then(-delta.abs()).otherwise(delta)).to_series()
    name = c.text("nickname")
    rows = frame(c.n, POINTS_SCHEMA, row_no=c.rows, phone=phones["phone"], phone_masked=phones["phone_masked"],
                 ext_id=ext, display_name=name, occurred_at=at, delta=signed, kind=kind,
                 balance_after=c.integer("balance_after"), order_id=c.text("order_id"), reason=c.text("reason"))
    return Canonical("points_ledger", rows, c.errors())


def paid_members(c: Cells) -> Canonical:
    phones, ext = _who(c)
    start = c.datetime("started_at", required=True)
    end = c.datetime("expires_at", required=True)
    c.error("expires_at", start.is_not_null() & end.is_not_null() & (end < start), MSG_EXPIRES)
    rows = frame(c.n, PAID_SCHEMA, row_no=c.rows, phone=phones["phone"], phone_masked=phones["phone_masked"],
                 ext_id=ext, started_at=start, expires_at=end, fee_cents=c.cents("fee", required=True),
                 plan=c.text("plan"))
    return Canonical("paid_memberships", rows, c.errors())
