"""账户与审计 Accounts & audit (admins only): accounts, roles, lockouts, the audit log and the settings
(the runtime ones editable, siyu.auth.runtime_settings; the rest shown as in force). The sections are drawn
by siyu/ui/admin_sections.py from siyu/ui/views/admin.py; the words are the catalogs' adm_ keys."""

import streamlit as st

from siyu.ui import (
    admin_sections,
    auth,
    cache,
    page_text,  # noqa: F401 - registers the column labels
)
from siyu.ui.i18n import t

session = auth.require_role("admin")
settings, state = cache.page_context()

st.title(t("page_admin"))
admin_sections.accounts_section(settings, session)
admin_sections.audit_section(settings, session)
admin_sections.settings_section(settings, session)
