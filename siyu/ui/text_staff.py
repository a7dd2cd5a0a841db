"""The words of the 导购 (staff) and 标签与分群 (tags & saved segments) pages, merged into siyu.ui.i18n.STRINGS on
import so `t(key)` finds them (as siyu/ui/page_text.py does). Keys: stf_ (staff), tag_ (tags), sgm_ (segments)."""

from __future__ import annotations

from siyu.ui.i18n import STRINGS

STAFF_STRINGS: dict[str, dict[str, str]] = {
    # 导购 page
    "stf_page": {"zh": "导购", "en": "Staff"},
    "stf_range_note": {"zh": "统计在所选日期内加的好友（同一导购删后再加算一位好友，从第一次添加算起）；截至日为数据的最后一天或所选结束日。",
                       "en": "Friends added in the chosen dates (a member deleted and re-added by the same staff member is one friend, "
                             "from the first add); as of the data's last day or the chosen end day."},
    "stf_none": {"zh": "还没有企业微信好友数据：导入企业微信客户列表（添加人、添加时间）后，这里按导购显示加粉、删除与转化。",
                 "en": "No WeCom friendships yet: import a WeCom customer list (添加人, 添加时间) to see adds, deletions and conversion per staff member."},
    "stf_scorecard": {"zh": "导购记分卡", "en": "Staff scorecard"},
    "stf_scorecard_note": {"zh": "删除率的分母只含加满 N 天的好友；客户删 + 导购删 ≤ 合计（导出未写明谁删的只计入合计）。GMV 为好友加上之后的有效订单净额，同一会员是两位导购的好友时两人都计。",
                           "en": "Deletion rates count only friends added at least N days ago; by customer + by staff ≤ total (a deletion whose side "
                                 "the export does not say counts in the total only). GMV: net valid orders after the add; a member who is two staff "
                                 "members' friend counts for both."},
    "stf_leaderboard": {"zh": "导购排行（7 天内删除的好友不计）", "en": "Leaderboard (friends who deleted within 7 days not credited)"},
    "stf_leaderboard_note": {"zh": "计入的好友 = 好友关系至少保持 7 天（仍是好友且已加满 7 天，或 7 天后才删除）。加得多、一周内流失多的导购排在加得少但留得住的导购之后。",
                             "en": "Credited friends = friendships that lasted at least 7 days (still open and 7+ days old, or deleted 7+ days after "
                                   "the add). A staff member who adds many who leave within a week ranks below one who adds fewer who stay."},
    "stf_deletions": {"zh": "7 天内删除：客户删 vs 导购删", "en": "Deleted within 7 days: by the customer vs by staff"},
    "stf_conversion": {"zh": "好友转化为购买人（30 / 90 天内）", "en": "Friends who became buyers (within 30 / 90 days)"},
    "col_stf_staff": {"zh": "导购", "en": "Staff"},
    "col_stf_friends": {"zh": "加好友", "en": "Friends added"},
    "col_stf_active": {"zh": "仍是好友", "en": "Still friends"},
    "col_stf_deleted_1d": {"zh": "1天内删除", "en": "Deleted <1 day"},
    "col_stf_deleted_7d": {"zh": "7天内删除", "en": "Deleted <7 days"},
    "col_stf_deleted_7d_customer": {"zh": "7天内·客户删", "en": "<7 days, by customer"},
    "col_stf_deleted_7d_staff": {"zh": "7天内·导购删", "en": "<7 days, by staff"},
    "col_stf_deleted_30d": {"zh": "30天内删除", "en": "Deleted <30 days"},
    "col_stf_deleted_30d_customer": {"zh": "30天内·客户删", "en": "<30 days, by customer"},
    "col_stf_deleted_30d_staff": {"zh": "30天内·导购删", "en": "<30 days, by staff"},
    "col_stf_buyer_30d": {"zh": "30天转化", "en": "Buyer in 30 days"},
    "col_stf_buyer_90d": {"zh": "90天转化", "en": "Buyer in 90 days"},
    "col_stf_buyers": {"zh": "购买好友", "en": "Buyers"},
    "col_stf_gmv": {"zh": "好友 GMV", "en": "Friends' GMV"},
    "col_stf_gmv_per_friend": {"zh": "每好友 GMV", "en": "GMV per friend"},
    "col_stf_repeat": {"zh": "复购率", "en": "Repeat rate"},
    "col_stf_credited": {"zh": "计入的好友", "en": "Credited friends"},
    "col_stf_credited_gmv": {"zh": "计入好友 GMV", "en": "Credited GMV"},
    "col_stf_rank": {"zh": "名次", "en": "Rank"},
    "stf_by_customer": {"zh": "客户删除导购", "en": "Customer deleted"},
    "stf_by_staff": {"zh": "导购删除客户", "en": "Staff deleted"},
    "stf_by_unknown": {"zh": "未写明谁删", "en": "Side not given"},
    "stf_share": {"zh": "占加满 7 天好友的比例", "en": "Share of friends 7+ days old"},
    "stf_groups_note": {"zh": "群主（社群数）将在社群数据导入后显示。", "en": "Groups owned appear once group data is imported."},
    # tags
    "tag_page": {"zh": "标签与分群", "en": "Tags & segments"},
    "tag_breakdown": {"zh": "标签：每个标签的会员、购买、GMV 与留存", "en": "Tags: members, buyers, GMV and retention per tag"},
    "tag_none": {"zh": "还没有标签：企业微信客户列表导出里每个标签组是一列（列名即标签组，如“孩子年龄”），导入后这里按标签组拆分。",
                 "en": "No tags yet: a WeCom customer export has one column per tag group (its header, e.g. 孩子年龄); import it to see this breakdown."},
    "tag_group_pick": {"zh": "标签组", "en": "Tag group"},
    "tag_ungrouped": {"zh": "（未分组标签）", "en": "(tags without a group)"},
    "tag_note": {"zh": "订单为所选日期内的有效订单；好友留存 = 有好友关系的会员中截至日仍是好友的比例。一位会员可以有同组的多个标签。点某行的标签可在“更多筛选 → 标签”里把所有页面限定到它。",
                 "en": "Orders: valid orders in the chosen dates; friend retention = share of the tag's members with a friendship who are still "
                       "friends on the as-of day. A member may carry several tags of a group. Pick the tag under More filters → Tag to "
                       "restrict every page to it."},
    "tag_chart": {"zh": "各标签的购买人占比与每会员 GMV", "en": "Buyer share and GMV per member, per tag"},
    "col_tag": {"zh": "标签", "en": "Tag"},
    "col_tag_group": {"zh": "标签组", "en": "Tag group"},
    "col_tag_group_share": {"zh": "组内占比", "en": "Share of group"},
    "col_tag_buyer_share": {"zh": "购买人占比", "en": "Buyer share"},
    "col_tag_gmv_per_member": {"zh": "每会员 GMV", "en": "GMV per member"},
    "col_tag_arpu": {"zh": "ARPU", "en": "ARPU"},
    "col_tag_friends": {"zh": "好友", "en": "Friends"},
    "col_tag_retention": {"zh": "好友留存", "en": "Friend retention"},
    # saved segments
    "sgm_title": {"zh": "已存分群", "en": "Saved segments"},
    "sgm_intro": {"zh": "已存分群 = 一组条件（渠道、等级、导购、标签、RFM 分群）的名字。存好后，在任何页面的“更多筛选 → 已存分群”或网址 ?segment=名字 选它，所有数字都只算这群人；命令行用 --param segment=名字。人群随每次导入重新计算。",
                  "en": "A saved segment is a name for a set of rules (channel, tier, staff, tag, RFM segment). Once saved, pick it under "
                        "More filters → Saved segment on any page, or ?segment=NAME, and every figure counts only these members; on the "
                        "command line --param segment=NAME. The members are recomputed after every import."},
    "sgm_save_title": {"zh": "把当前筛选存为分群", "en": "Save the current filters as a segment"},
    "sgm_save_from": {"zh": "当前筛选：{what}", "en": "Current filters: {what}"},
    "sgm_save_none": {"zh": "当前没有筛选（可在上方“更多筛选”里选渠道、标签等，或只选 RFM 分群）。",
                      "en": "No filter is on (pick a channel, tag … under More filters above, or only an RFM segment)."},
    "sgm_store_left_out": {"zh": "下单门店只限定订单、不限定人群，不存入分群。", "en": "The store filter restricts orders, not people: it is not saved."},
    "sgm_segment_left_out": {"zh": "正在使用的已存分群“{name}”不会嵌套进新分群：只保存上面列出的条件。",
                             "en": "The saved segment in use, “{name}”, is not nested into the new one: only the rules listed above are saved."},
    "sgm_name": {"zh": "分群名称", "en": "Segment name"},
    "sgm_rfm_standard": {"zh": "RFM 标准（可选）", "en": "RFM standard (optional)"},
    "sgm_rfm_none": {"zh": "不限 RFM", "en": "No RFM rule"},
    "sgm_rfm_cn": {"zh": "八大类", "en": "Chinese 8-way"},
    "sgm_rfm_classic": {"zh": "经典网格", "en": "Classic grid"},
    "sgm_rfm_segment": {"zh": "RFM 分群", "en": "RFM segment"},
    "sgm_save": {"zh": "保存分群", "en": "Save segment"},
    "sgm_saved": {"zh": "已保存分群“{name}”。", "en": "Saved the segment “{name}”."},
    "sgm_list": {"zh": "已存的分群", "en": "Saved segments"},
    "sgm_empty": {"zh": "还没有已存分群。", "en": "No saved segment yet."},
    "sgm_rules": {"zh": "条件", "en": "Rules"},
    "sgm_by": {"zh": "创建人", "en": "Created by"},
    "sgm_updated": {"zh": "更新时间", "en": "Updated"},
    "sgm_use": {"zh": "在所有页面使用“{name}”", "en": "Use “{name}” on every page"},
    "sgm_delete": {"zh": "删除分群", "en": "Delete segment"},
    "sgm_deleted": {"zh": "已删除分群“{name}”。", "en": "Deleted the segment “{name}”."},
    "sgm_pick": {"zh": "选择分群", "en": "Pick a segment"},
    "sgm_export_title": {"zh": "导出企业微信名单（打标签 / 群发）", "en": "Export a WeCom list (tagging / mass messages)"},
    "sgm_export_note": {"zh": "一行 = 一段仍有效的好友关系（客户 × 导购）：企业微信“通过表格管理成员”打标签按外部联系人 ID 匹配，群发工具按添加人账号 + 客户匹配。导出没有外部联系人 ID 时该列为空，可按客户名称 + 添加人账号匹配。",
                        "en": "One row per open friendship (customer × staff): WeCom's tag import (通过表格管理成员) matches the external "
                              "userid; 群发 tools match the staff account + customer. Without an exported external id the column is "
                              "empty; match on customer name + staff account."},
    "sgm_export_count": {"zh": "“{name}”：{n} 段好友关系可触达", "en": "“{name}”: {n} friendships reachable"},
    "sgm_rule_channel": {"zh": "渠道", "en": "Channel"},
    "sgm_rule_tier": {"zh": "等级", "en": "Tier"},
    "sgm_rule_staff": {"zh": "导购", "en": "Staff"},
    "sgm_rule_tag": {"zh": "标签", "en": "Tag"},
    "sgm_rule_rfm_standard": {"zh": "RFM 标准", "en": "RFM standard"},
    "sgm_rule_rfm_segment": {"zh": "RFM 分群", "en": "RFM segment"},
    "col_sgm_customer": {"zh": "客户名称", "en": "客户名称 Customer"},
    "col_sgm_external_userid": {"zh": "外部联系人ID", "en": "外部联系人ID External userid"},
    "col_sgm_userid": {"zh": "添加人账号", "en": "添加人账号 Staff account"},
    "col_sgm_staff": {"zh": "添加人", "en": "添加人 Staff"},
    "col_sgm_phone": {"zh": "手机", "en": "手机 Phone"},
    "col_sgm_tag_group": {"zh": "标签组", "en": "标签组 Tag group"},
    "col_sgm_tag": {"zh": "标签", "en": "标签 Tag"},
}

STRINGS.update(STAFF_STRINGS)
