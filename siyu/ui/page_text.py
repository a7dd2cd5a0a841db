"""The words of the analysis pages (Members, Retention, Referrals, Channels, Segments), merged into
siyu.ui.i18n.STRINGS on import so `t(key)` finds them. Keys are prefixed by page."""

from __future__ import annotations

from siyu.ui.i18n import STRINGS

PAGE_STRINGS: dict[str, dict[str, str]] = {
    # shared column labels
    "col_tier": {"zh": "等级", "en": "Tier"},
    "col_members": {"zh": "会员数", "en": "Members"},
    "col_share": {"zh": "会员占比", "en": "Share of members"},
    "col_buyers": {"zh": "购买人数", "en": "Buyers"},
    "col_gmv": {"zh": "GMV（净额）", "en": "GMV (net)"},
    "col_gmv_share": {"zh": "GMV 占比", "en": "Share of GMV"},
    "col_arpu": {"zh": "ARPU（每购买者）", "en": "ARPU (per buyer)"},
    "col_gmv_per_member": {"zh": "每会员 GMV", "en": "GMV per member"},
    "col_member_id": {"zh": "会员编号", "en": "Member id"},
    "col_name": {"zh": "昵称", "en": "Name"},
    "col_phone": {"zh": "手机号", "en": "Phone"},
    "col_last_order": {"zh": "最近下单", "en": "Last order"},
    "col_spend": {"zh": "净消费", "en": "Net spend"},
    "col_purchase_days": {"zh": "购买天数（高复购）", "en": "Purchase days (repeat)"},
    "col_referrals": {"zh": "推荐人数（高分享）", "en": "Referrals (sharing)"},
    "col_referee_gmv": {"zh": "被推荐人消费", "en": "Referees' spend"},
    "col_early_buys": {"zh": "新品尝鲜次数", "en": "Early buys of new products"},
    "col_score": {"zh": "四高得分", "en": "Four-highs score"},
    "col_rank": {"zh": "排名", "en": "Rank"},
    "col_spend_vs_median": {"zh": "消费 ÷ 中位数", "en": "Spend ÷ median"},
    "col_p_alive": {"zh": "存活概率", "en": "P(alive)"},
    "col_p_alive_before": {"zh": "90 天前存活概率", "en": "P(alive) 90 days earlier"},
    "col_expected_90d": {"zh": "预测 90 天购买次数", "en": "Predicted purchases, 90 days"},
    "col_clv": {"zh": "预测 12 个月价值", "en": "Predicted 12-month value"},
    "col_days_since": {"zh": "距上次购买天数", "en": "Days since last purchase"},
    "col_buyer_share": {"zh": "头部买家", "en": "Top buyers"},
    "col_layer": {"zh": "层级", "en": "Layer"},
    "col_avg_spend": {"zh": "人均消费", "en": "Average spend"},
    "col_spend_share": {"zh": "消费占比", "en": "Share of spend"},
    "col_from": {"zh": "原等级", "en": "From tier"},
    "col_to": {"zh": "新等级", "en": "To tier"},
    "col_share_of_from": {"zh": "占原等级", "en": "Share of from-tier"},
    "col_direction": {"zh": "方向", "en": "Direction"},
    "model_failed": {"zh": "模型没有拟合成功（{message}），预测值不可用。通常是购买者太少或历史太短：导入更多订单后再看。",
                     "en": "The model did not fit ({message}); predictions are unavailable. Usually too few buyers or too "
                           "short a history: import more orders."},
    # members page
    "mem_range_note": {"zh": "等级分布、集中度与超级用户按所选期间的有效订单计算；等级取截至结束日的最近一次会员导出。",
                       "en": "Tiers, concentration and super users use the valid orders of the chosen range; the tier is "
                             "the latest member export on or before the end day."},
    "mem_tiers": {"zh": "等级分布与 ARPU", "en": "Tier distribution and ARPU"},
    "mem_no_tiers": {"zh": "还没有会员等级：导入一份**会员导出**（有赞客户导出等，含等级列）后这里会显示各等级人数与 ARPU。",
                     "en": "No tiers yet: import a **member export** (e.g. Youzan customers, with a tier column) to see "
                           "members and ARPU per tier."},
    "mem_migration": {"zh": "等级迁移（两次会员导出之间）", "en": "Tier migration between two member exports"},
    "mem_migration_need_two": {"zh": "等级迁移需要至少两次会员导出（不同日期）。目前有 {n} 次；再导入一份较新的会员导出即可。",
                               "en": "Tier migration needs member exports from at least two dates; there are {n}. "
                                     "Import a newer member export."},
    "mem_from": {"zh": "从（快照日期）", "en": "From (snapshot date)"},
    "mem_to": {"zh": "到（快照日期）", "en": "To (snapshot date)"},
    "mem_from_after_to": {"zh": "「从」的日期晚于「到」，已对调。", "en": "The from date was after the to date; swapped."},
    "mem_migration_caption": {"zh": "升级 {up} 人，降级 {down} 人，不变 {same} 人，退出（之后不在会员导出里）{exit} 人。绿色为升级，红色为降级。",
                              "en": "Up {up}, down {down}, unchanged {same}, left the export {exit}. Green: up; red: down."},
    "mem_concentration": {"zh": "GMV 集中度：洛伦兹曲线", "en": "GMV concentration: the Lorenz curve"},
    "mem_gini": {"zh": "基尼系数 {gini}：前 1% 的买家贡献了 {top1} 的 GMV，前 20% 贡献了 {top20}。",
                 "en": "Gini {gini}: the top 1% of buyers bring {top1} of GMV, the top 20% bring {top20}."},
    "mem_no_orders": {"zh": "所选期间没有有效订单：导入**订单导出**（有赞、Shopify 或通用 CSV/XLSX）后这里会显示集中度与超级用户。",
                      "en": "No valid orders in the range: import an **order export** (Youzan, Shopify or a generic "
                            "CSV/XLSX) to see concentration and super users."},
    "mem_pyramid": {"zh": "三层社群：大众 → 核心 → 超级用户", "en": "Three layers: mass → core → super users"},
    "mem_pyramid_note": {"zh": "按「四高」得分排序：高复购、高消费、高分享（推荐人数与被推荐人消费）、新品尝鲜。前 1% 为超级用户，接下来到 10% 为核心用户。",
                         "en": "Ranked by the four-highs score: repeat purchases, spend, sharing (referrals and their "
                               "spend), early buying of new products. Top 1% = super, up to 10% = core."},
    "mem_super_list": {"zh": "超级用户名单（四高明细与预测）", "en": "Super users: the four highs and predictions"},
    "mem_at_risk": {"zh": "流失风险的高价值会员（召回名单）", "en": "Valuable members at risk (recall list)"},
    "mem_at_risk_note": {"zh": "净消费前 20% 的买家中，存活概率低于 50% 且比 90 天前下降的会员，按预测价值排序。共 {n} 人。",
                         "en": "Buyers in the top 20% by net spend whose P(alive) is below 50% and lower than 90 days "
                               "earlier, by predicted value. {n} members."},
    "mem_at_risk_none": {"zh": "没有处于流失风险的高价值会员。", "en": "No valuable member is at risk."},
    "mem_model": {"zh": "预测模型检验（BG/NBD，留出期对比）", "en": "Model check (BG/NBD against a holdout)"},
    "mem_model_note": {"zh": "用 {cal} 之前的订单拟合模型，预测 {cal} 之后到 {end} 的复购次数，再与实际对比。柱子越接近，预测越可信。",
                       "en": "The model is fitted on orders up to {cal}, predicts repeat purchases from then to {end}, "
                             "and is compared with what happened. The closer the bars, the more the predictions can be trusted."},
    "mem_model_totals": {"zh": "留出期合计：实际 {actual} 次，预测 {predicted} 次（{error}）。",
                         "en": "Holdout total: {actual} actual purchases, {predicted} predicted ({error})."},
    "mem_model_short": {"zh": "订单历史不足 360 天，无法留出 180 天检验模型。", "en": "Less than 360 days of orders: no 180-day holdout possible."},
    "mem_holdout_chart": {"zh": "留出期：预测 vs 实际复购", "en": "Holdout: predicted vs actual repeat purchases"},
    "mem_params": {"zh": "模型参数", "en": "Fitted parameters"},
    "layer_super": {"zh": "超级用户", "en": "Super"},
    "layer_core": {"zh": "核心用户", "en": "Core"},
    "layer_mass": {"zh": "大众用户", "en": "Mass"},
    "dir_up": {"zh": "升级", "en": "up"},
    "dir_down": {"zh": "降级", "en": "down"},
    "dir_same": {"zh": "不变", "en": "same"},
    "dir_exit": {"zh": "退出", "en": "left"},
    "dir_enter": {"zh": "新进入", "en": "entered"},
}

STRINGS.update(PAGE_STRINGS)
