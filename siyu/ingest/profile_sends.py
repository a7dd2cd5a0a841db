"""The campaign-sends profile: what a recall campaign actually sent (短信 / 企微 / 群发 / 朋友圈), one row per
message, or per member deliberately not sent (arm = holdout).

Rows -> campaign, member_ref (a member id as exports or siyu's downloads write it), phone (normalised; keyed
with SIYU_PEPPER by the pipeline), ext_id (WeCom external id), sent_at, channel, variant, arm, cost_cents,
delivered. A row needs the campaign, the send time and one of member id / phone / external id. A row whose
发送状态 says it failed (失败, fail, failed) is read but not stored: a message that never arrived is not a send.
Members are matched to siyu's members when loaded (siyu.ingest.load_sends).
"""

from __future__ import annotations

import polars as pl

from siyu.errors import IngestError
from siyu.ingest.canonical import Canonical, Schema, frame, phone_cells
from siyu.ingest.cells import Cells

SEND_SCHEMA: Schema = {"row_no": pl.Int64, "campaign": pl.Utf8, "member_ref": pl.Utf8, "phone": pl.Utf8, "ext_id": pl.Utf8,
               "sent_at": pl.Datetime("us"), "channel": pl.Utf8, "variant": pl.Utf8, "arm": pl.Utf8,
               "cost_cents": pl.Int64, "delivered": pl.Boolean}
CHANNELS = {"短信": "短信", "sms": "短信", "短信召回": "短信", "企微": "企微", "企业微信": "企微", "wecom": "企微",
            "私聊": "企微", "群发": "群发", "客户群发": "群发", "group": "群发", "朋友圈": "朋友圈", "moments": "朋友圈"}
ARMS = {"send": "send", "发送": "send", "发送组": "send", "实验组": "send", "sent": "send",
        "holdout": "holdout", "对照": "holdout", "对照组": "holdout", "留出": "holdout", "留出组": "holdout",
        "不发送": "holdout", "control": "holdout"}
FAILED = ("失败", "发送失败", "fail", "failed", "failure")
MSG_CHANNEL = "无法识别的渠道：只接受 短信 / 企微 / 群发 / 朋友圈 / unknown channel: use 短信, 企微, 群发 or 朋友圈"
MSG_ARM = "无法识别的分组：只接受 send（发送）或 holdout（对照）/ unknown arm: use send or holdout"
MSG_MASKED = ("打码的手机号（138****8000）无法对应到会员：请导出完整号码，或用会员编号/外部联系人ID"
              " / a masked phone cannot identify a member: export full numbers, or use member ids")
MSG_NO_MEMBER = "需要会员编号、手机号或外部联系人ID之一 / needs a member id, a phone or a WeCom external id"


def _mapped(c: Cells, field: str, table: dict[str, str], message: str) -> pl.Series:
    raw = c.text(field)
    key = raw.str.strip_chars().str.to_lowercase()
    mapped = key.replace_strict(table, default=None, return_dtype=pl.Utf8)
    c.error(field, raw.is_not_null() & mapped.is_null(), message)
    return mapped


def campaign_sends(c: Cells) -> Canonical:
    if not (c.has("member_id") or c.has("phone") or c.has("external_id")):
        raise IngestError("发送记录需要一列会员：会员编号、手机号 或 外部联系人ID。"
                          " / A send file needs a member column: member_id, 手机号 (phone) or 外部联系人ID.")
    campaign = c.required("campaign")
    sent_at = c.datetime("sent_at", required=True)
    member_ref, ext_id = c.text("member_id"), c.text("external_id")
    phones = phone_cells(c, "phone")
    phone = phones["phone"]
    where = "phone" if c.has("phone") else "member_id" if c.has("member_id") else "external_id"
    nothing = member_ref.is_null() & ext_id.is_null() & phone.is_null()
    c.error(where, nothing & phones["phone_masked"].is_not_null(), MSG_MASKED)
    c.error(where, nothing & phones["phone_masked"].is_null(), MSG_NO_MEMBER)
    channel = _mapped(c, "channel", CHANNELS, MSG_CHANNEL) if c.has("channel") else None
    arm = _mapped(c, "arm", ARMS, MSG_ARM).fill_null("send") if c.has("arm") else "send"
    status = c.text("status").str.strip_chars().str.to_lowercase()
    delivered = ~status.is_in(list(FAILED)).fill_null(False)
    rows = frame(c.n, SEND_SCHEMA, row_no=c.rows, campaign=campaign, member_ref=member_ref, phone=phone, ext_id=ext_id,
                 sent_at=sent_at, channel=channel, variant=c.text("variant").fill_null(""), arm=arm,
                 cost_cents=c.cents("cost"), delivered=delivered)
    return Canonical("campaign_sends", rows, c.errors())
