"""Keys the code builds at run time, declared for the catalog test (siyu/locales/check.py).

The test reads t(...)/text(...)/tr(...) calls statically; a built key such as t(f"grain_{g}") or
tr("f_" + k, lang) cannot be read that way. Declare each such template here, written as in the code with
{} for the variable part, with every value it can take (a tuple of values per key when the template has
several {}: "{}_{}": (("ret", "mode"), ...)): the test then checks those keys exist in every language, and
fails on a template built in a t() call but missing here. Add the value when you add a choice.
"""

from __future__ import annotations

SETTINGS_FIELDS = ("db", "lock_timeout", "lang", "demo_members", "demo_seed", "autodemo", "timezone", "earliest_year",
                   "max_upload_mb", "session_ttl_minutes", "max_login_failures", "lockout_minutes", "admin_password",
                   "demo_login", "trusted_proxies", "sso_roles", "pepper", "webhook_url", "base_url")
"""siyu.config.Settings' fields, listed here because this module imports nothing of siyu."""

DYNAMIC_KEYS: dict[str, tuple[str, ...] | tuple[tuple[str, ...], ...]] = {
    # siyu/ui: filters, scope, KPI cards, empty states, downloads, models, roles, audit
    "grain_{}": ("month", "week", "day"),
    "compare_{}": ("previous", "year"),
    "preset_{}": ("custom", "last7", "last30", "this_month", "last_month", "this_quarter", "this_year", "all"),
    "scope_{}": ("channel", "tier", "store", "staff", "tag", "segment"),
    "thing_{}": ("members", "orders"),
    "{}_help": ("kpi_members", "kpi_valid", "kpi_buyers", "kpi_orders", "kpi_gmv", "kpi_arpu", "kpi_repurchase",
                "kpi_deleted"),
    "download_member_{}": ("csv", "xlsx"),
    "model_state_{}": ("fitted", "fallback", "too_little"),
    "model_short_{}": ("fallback", "too_little"),
    "role_{}": ("viewer", "operator", "admin"),
    "audit_action_{}": ("login", "login_failed", "login_locked", "locked", "logout", "expired", "sso_login",
                        "sso_refused", "import", "undo", "demo_cleared", "download", "report", "account_created",
                        "password_changed", "role_changed", "account_disabled", "account_enabled", "unlocked",
                        "audit_export", "setting_changed"),
    # table columns labelled {column: f"col_a_{column}"} (accounts, audit log) and f"col_i_{column}" (batches)
    "col_a_{}": ("action", "at", "created_at", "created_by", "detail", "disabled", "failed_logins", "last_login_at",
                 "locked_until", "must_change", "role", "rows", "username", "name", "meaning"),
    "col_i_{}": ("batch_id", "encoding", "file_name", "imported_at", "imported_by", "note", "on_error", "profile",
                 "rows_duplicate", "rows_inserted", "rows_linked", "rows_read", "rows_rejected", "rows_updated",
                 "snapshot_date", "status"),
    "imp_status_{}": ("committed", "undone"),  # siyu/ui/views/import_data.STATUSES
    # siyu/ui/views/import_data.batches_shown: every siyu.ingest.PROFILES name and BATCH_KINDS (tests/ui pin both)
    "imp_format_{}": ("wecom_customers", "wecom_lost", "youzan_customers", "youzan_orders", "shopify_orders",
                      "generic_orders", "generic_members", "generic_referrals", "youzan_points", "points_ledger",
                      "paid_members", "channel_costs", "wecom_groups", "wecom_group_members", "wecom_group_daily",
                      "generic_group_members", "campaign_sends", "undo", "demo", "demo_cleared"),
    # app_pages
    "ch_by_{}": ("member", "friend_channel", "add_way"),
    # siyu/ui/page_filters.url_pick(prefix, name, options): t(f"{prefix}_{name}"), t(f"{prefix}_{name}_{option}")
    "{}_{}": (("ret", "cohort"), ("ret", "measure"), ("ret", "mode")),
    "{}_{}_{}": (("ret", "cohort", "first_order"), ("ret", "cohort", "joined"), ("ret", "cohort", "channel"),
                 ("ret", "measure", "members"), ("ret", "measure", "revenue"), ("ret", "mode", "on"),
                 ("ret", "mode", "on_or_after")),
    "seg_standard_{}": ("classic", "cn"),
    "seg_{}": ("r_cut", "f_cut", "m_cut"),
    "imp_stage_{}": ("read", "transform", "load", "commit", "done"),
    "imp_count_{}": ("rows_read", "inserted", "updated", "duplicates", "rejected", "linked"),
    "sgm_rule_{}": ("channel", "tier", "staff", "tag", "rfm_segment", "rfm_standard", "layer", "group"),
    "sgm_rfm_{}": ("none", "cn", "classic"),
    "grp_layer_{}": ("mass", "core", "super", "other"),
    "grp_measure_{}": ("joined", "members_now", "left_7d", "left_30d", "buyers", "buyers_30d", "buyers_90d"),
    "cmp_download_{}": ("sms", "wecom"),
    "cmp_what_{}": ("sms", "wecom"),
    # siyu/ui/admin_sections.w(key): the view's words; s_<field>, s_<field>_help: a setting's name and meaning
    "adm_{}": ("default", "pinned", "secret_set", "secret_unset", "stored_by",
               *(f"s_{name}" for name in SETTINGS_FIELDS), *(f"s_{name}_help" for name in SETTINGS_FIELDS)),
    "adm_f_{}": ("session_ttl_minutes", "max_login_failures", "lockout_minutes", "sso_roles", "webhook_url"),
    # siyu/report
    "report_grain_{}": ("month", "week", "day"),
    "report_f_{}": ("channel", "tier", "store", "staff", "tag", "segment"),
}
