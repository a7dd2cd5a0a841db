"""Send lists in the layouts the tools that send accept (docs/campaigns.md "Send lists").

- `sms`: 手机号, 姓名, 文案版本 — the batch-upload layout of SMS platforms (阿里云/腾讯云 短信 批量发送: one
  phone per row, template variables after it). Members without a full phone (only a masked one, or none)
  cannot be texted and are left out; `SendList.left_out` counts them.
- `wecom`: 外部联系人ID, 客户名称, 添加人, 添加人账号, 文案版本 — for WeCom 群发 (客户群发 by 外部联系人 through the
  API or an SCRM tool's import): members who are still a friend of some staff member, through the staff
  member of their newest friendship.
Only the plan's send arm is listed, never the holdout. Phones are full here: the caller decides who may take
the file (siyu.auth.exports.member_file on the page; `--full-phones` and the audit log on the command line).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from siyu.db import query
from siyu.errors import SiyuError

LAYOUTS = ("sms", "wecom")
PHONE_COLUMNS = {"sms": ("手机号",), "wecom": ()}


@dataclass(frozen=True)
class SendList:
    layout: str
    frame: pl.DataFrame
    left_out: int


def send_list(con: duckdb.DuckDBPyConnection, campaign: str, layout: str) -> SendList:
    if layout not in LAYOUTS:
        raise SiyuError(f"名单格式只能是 {'/'.join(LAYOUTS)}，收到 {layout!r} / layout must be sms or wecom")
    rows = query(con, "cmp_send_list", {"campaign": campaign})
    if rows.is_empty():
        raise SiyuError(f"活动 {campaign!r} 没有发送组成员（它是 siyu 规划的吗？）/ campaign {campaign!r} has no send group")
    if layout == "sms":
        ok = rows.filter(pl.col("phone").is_not_null() & pl.col("phone").str.contains(r"^(1\d{10}|\+\d{6,15})$"))
        frame = ok.select(pl.col("phone").alias("手机号"), pl.col("display_name").alias("姓名"),
                          pl.col("variant").alias("文案版本"))
    else:
        ok = rows.filter(pl.col("wecom_external_id").is_not_null() & pl.col("staff_id").is_not_null())
        frame = ok.select(pl.col("wecom_external_id").alias("外部联系人ID"), pl.col("display_name").alias("客户名称"),
                          pl.col("staff_name").alias("添加人"), pl.col("staff_id").alias("添加人账号"),
                          pl.col("variant").alias("文案版本"))
    return SendList(layout, frame, rows.height - ok.height)
