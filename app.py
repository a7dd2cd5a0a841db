"""siyu dashboard entry point: `python -m siyu serve` (or `python -m streamlit run app.py`).

Page config, language, the login gate, demo banner, and the router. Every page is registered explicitly
(siyu/ui/auth.py PAGES), and only the pages the logged-in role may open are registered at all.
"""

import streamlit as st

from siyu.errors import SiyuError
from siyu.ui import auth, banner, cache, filters
from siyu.ui.i18n import init_language, language_switch, t
from siyu.ui.literal import literal

try:
    settings = cache.current_settings()
except SiyuError as exc:  # a bad SIYU_* variable: say which, stop
    st.error(literal(exc))
    st.stop()

init_language(settings.lang)
# An emoji favicon is drawn locally (a data: URL); a Material-icon one would be fetched from a font CDN.
st.set_page_config(page_title=t("app_title"), page_icon="📊", layout="wide")

try:
    state = banner.demo_state(settings)
    cache.warm_up(settings, state)  # the order frame and heavy imports, in the background, once per data state
    session = auth.gate(settings, state)
except SiyuError as exc:  # locked database, bad data: the message, never a traceback
    st.error(literal(exc))
    st.stop()

if session is None:
    # Every page is registered (hidden) so the requested page and filters stay in the URL for after the
    # login; none of them runs.
    st.navigation(auth.pages_for("admin"), position="hidden")
    auth.login_form(settings)
    st.stop()
if session.must_change:
    st.navigation(auth.pages_for(session.role), position="hidden")
    auth.password_form(settings, session, forced=True)
    st.stop()

# expanded: with 13 pages Streamlit would fold the list after 10 ("View 3 more"), hiding 导入 and 账户与审计
page = st.navigation(auth.pages_for(session.role), expanded=True)
filters.keep_in_url()  # the global filters follow the user onto every page, its URL and share link
language_switch()
auth.account_sidebar(settings, session)

try:
    banner.demo_banner(settings, state, can_clear=auth.has_role("admin"), open_demo=session.via == "demo",
                       user=session.username)
    cache.remember_run(settings, state)
    page.run()
except SiyuError as exc:  # locked database, bad data: the message, never a traceback
    st.error(literal(exc))
