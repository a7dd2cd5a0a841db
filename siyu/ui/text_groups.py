"""The words of the 社群 page (customer groups), merged into siyu.ui.i18n.STRINGS on import so `t(key)` finds
them. Keys are prefixed `grp_` (the page title is `page_groups`)."""

from __future__ import annotations

from siyu.ui.i18n import STRINGS

GROUP_STRINGS: dict[str, dict[str, str]] = {
    "page_groups": {"zh": "社群", "en": "Groups"},
    "grp_layer_mass": {"zh": "大群", "en": "Mass groups"},
    "grp_layer_core": {"zh": "核心群", "en": "Core groups"},
    "grp_layer_super": {"zh": "超级用户群", "en": "Super-user groups"},
    "grp_layer_other": {"zh": "其他", "en": "Other"},
    "grp_none": {"zh": "还没有社群数据。在**导入**页上传企业微信的「客户群列表」「客户群成员」或「客户群统计」导出"
                       "（CSV 或 Excel），或其他工具写出的通用社群成员文件（列名见导入说明）。",
                 "en": "No group data yet. Upload WeCom's 客户群列表 (group list), 客户群成员 (group members) or 客户群统计 "
                       "(daily statistic) export (CSV or Excel) on the **Import** page, or the generic group-members file "
                       "other tools write (its columns are in the import guide)."},
    "grp_as_of": {"zh": "截至数据的最后一天（含社群数据）。同一人多次入同一个群只算一次，从第一次入群算起。",
                  "en": "As of the data's last day (group data included). A member who joined a group twice counts once, "
                        "from the first join."},
    "grp_pyramid": {"zh": "社群分层金字塔", "en": "The group pyramid"},
    "grp_pyramid_note": {"zh": "每层按群名规则（或导入时写明的群类型）归类；每人每层只算一次。ARPU = 入群后 GMV ÷ 入群人数；"
                               "GMV 占比 = 这一层的人入群后的 GMV ÷ 全部 GMV（同一人可在多层，占比之和可超过 100%）。",
                         "en": "Layers come from the name rules (or the type an import stated); a member counts once per "
                               "layer. ARPU = GMV since joining ÷ members; share of GMV = the layer's members' GMV since "
                               "joining ÷ all GMV (one person may be in several layers, so shares can add up past 100%)."},
    "grp_layer_table": {"zh": "各层明细（点一行查看会员）", "en": "Per layer (click a row for its members)"},
    "grp_scorecard": {"zh": "社群记分卡（点一行查看会员）", "en": "Group scorecard (click a row for its members)"},
    "grp_scorecard_note": {"zh": "退群 7/30 天：第一次在群时长不足 7/30 天；入群后 30/90 天购买：入群起 30/90 天内有有效订单。"
                                 "比例只算窗口已满的人（入群满 7/30/90 天）。90 天 GMV 前/后：入群前后各 90 天的人均净额。",
                           "en": "Left within 7/30 days: the first stay lasted under 7/30 days; bought within 30/90 days: a "
                                 "valid order within 30/90 days of joining. Shares count only members whose window has "
                                 "closed. 90-day GMV before/after: net spend per member in the 90 days before and after joining."},
    "grp_pick_measure": {"zh": "看哪一部分人", "en": "Which members"},
    "grp_measure_joined": {"zh": "入过群", "en": "Ever joined"},
    "grp_measure_members_now": {"zh": "现在在群", "en": "In the group now"},
    "grp_measure_left_7d": {"zh": "7 天内退群", "en": "Left within 7 days"},
    "grp_measure_left_30d": {"zh": "30 天内退群", "en": "Left within 30 days"},
    "grp_measure_buyers_30d": {"zh": "入群 30 天内购买", "en": "Bought within 30 days"},
    "grp_measure_buyers_90d": {"zh": "入群 90 天内购买", "en": "Bought within 90 days"},
    "grp_measure_buyers": {"zh": "入群后购买过", "en": "Bought since joining"},
    "grp_members_count": {"zh": "{what} · {measure}：{n} 人", "en": "{what} · {measure}: {n} members"},
    "grp_click_row": {"zh": "点表格中的一行，查看这一行数字背后的会员。", "en": "Click a row to see the members behind its numbers."},
    "grp_moves": {"zh": "分层流动（每月）", "en": "Moves between layers (per month)"},
    "grp_moves_note": {"zh": "每人每月末所在的最高一层；与上月末不同即算一次流动。向上的流动就是「邀请她加入核心群」的成效。",
                       "en": "Each member's highest layer at the end of each month; a change from the month before is a "
                             "move. Upward moves are the 'invite her into the core group' work paying off."},
    "grp_daily": {"zh": "社群每日活跃趋势", "en": "Daily group activity"},
    "grp_daily_note": {"zh": "来自企业微信「客户群统计」导出（各群主合计）。企业微信只保留 180 天，siyu 保存的是长期历史。",
                       "en": "From WeCom's daily group statistic (all owners summed). WeCom keeps only 180 days; siyu keeps the history."},
    "grp_daily_none": {"zh": "还没有导入「客户群统计」（按天）；导入后这里显示每天的群成员总数、发言人数和消息数。",
                       "en": "No daily group statistic imported yet; once it is, this shows members, active members and messages per day."},
    "grp_rules": {"zh": "群分层规则", "en": "Layer rules"},
    "grp_rules_help": {"zh": "按顺序匹配：群名包含关键词（不分大小写）即归入该层，先匹配到的规则优先；都不匹配的群归为「其他」。"
                             "导入时已写明群类型的群不受规则影响。",
                       "en": "Tried in order: a group whose name contains the pattern (ignoring case) gets that layer; the "
                             "first matching rule wins; a group no rule matches is Other. Groups whose import stated a type "
                             "keep it."},
    "grp_rules_none": {"zh": "还没有保存分层规则，所有群都算「其他」。可以从下面的建议开始，再按本品牌的群名修改。",
                       "en": "No layer rules saved yet: every group counts as Other. Start from the suggestion below and "
                             "adapt it to the brand's group names."},
    "grp_rule_pattern": {"zh": "群名关键词", "en": "Name pattern"},
    "grp_rule_layer": {"zh": "分层", "en": "Layer"},
    "grp_rules_save": {"zh": "保存规则", "en": "Save the rules"},
    "grp_rules_saved": {"zh": "已保存 {n} 条规则。", "en": "{n} rule(s) saved."},
    "grp_rules_viewer": {"zh": "运营及以上角色可以修改分层规则。", "en": "Operators and admins can edit the layer rules."},
    "grp_col_group": {"zh": "群名称", "en": "Group"},
    "grp_col_layer": {"zh": "分层", "en": "Layer"},
    "grp_col_groups": {"zh": "群数", "en": "Groups"},
    "grp_col_joined": {"zh": "入过群", "en": "Ever joined"},
    "grp_col_members_now": {"zh": "现在在群", "en": "In now"},
    "grp_col_left_7d": {"zh": "7 天内退群", "en": "Left < 7 d"},
    "grp_col_left_30d": {"zh": "30 天内退群", "en": "Left < 30 d"},
    "grp_col_buyers_30d": {"zh": "30 天内购买", "en": "Bought < 30 d"},
    "grp_col_buyers_90d": {"zh": "90 天内购买", "en": "Bought < 90 d"},
    "grp_col_left_7d_share": {"zh": "7 天退群率", "en": "Left < 7 d (share)"},
    "grp_col_buyers_30d_share": {"zh": "30 天购买率", "en": "Bought < 30 d (share)"},
    "grp_col_buyers_90d_share": {"zh": "90 天购买率", "en": "Bought < 90 d (share)"},
    "grp_col_gmv_after": {"zh": "入群后 90 天人均 GMV", "en": "GMV per member, 90 d after"},
    "grp_col_gmv_before": {"zh": "入群前 90 天人均 GMV", "en": "GMV per member, 90 d before"},
    "grp_col_repeat": {"zh": "复购率", "en": "Repeat rate"},
    "grp_col_members": {"zh": "入过群", "en": "Members"},
    "grp_col_buyers": {"zh": "入群后购买", "en": "Buyers since joining"},
    "grp_col_buyer_share": {"zh": "购买率", "en": "Buyer share"},
    "grp_col_gmv": {"zh": "入群后 GMV", "en": "GMV since joining"},
    "grp_col_gmv_share": {"zh": "GMV 占比", "en": "Share of GMV"},
    "grp_col_arpu": {"zh": "ARPU（每入群人）", "en": "ARPU (per member)"},
    "grp_col_retained": {"zh": "仍在群比例", "en": "Still in a group"},
    "grp_col_first_join": {"zh": "首次入群", "en": "First joined"},
    "grp_col_first_left": {"zh": "首次退群", "en": "First left"},
    "grp_col_in_now": {"zh": "现在在群", "en": "In now"},
}

STRINGS.update(GROUP_STRINGS)
