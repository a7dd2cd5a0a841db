"""siyu dashboard entry point: `python -m streamlit run app.py`.

Page config, language, demo banner, and the router. Every page is registered here explicitly.
"""

import streamlit as st

from siyu.errors import SiyuError
from siyu.ui import banner, cache
from siyu.ui.i18n import init_language, language_switch, t

try:
    settings = cache.current_settings()
except SiyuError as exc:  # a bad SIYU_* variable: say which, stop
    st.error(str(exc))
    st.stop()

init_language(settings.lang)
# An emoji favicon is drawn locally (a data: URL); a Material-icon one would be fetched from a font CDN.
st.set_page_config(page_title=t("app_title"), page_icon="📊", layout="wide")

PAGES = [
    ("app_pages/overview.py", "overview", "page_overview", ":material/dashboard:"),
    ("app_pages/retention.py", "retention", "page_retention", ":material/grid_on:"),
    ("app_pages/members.py", "members", "page_members", ":material/workspace_premium:"),
    ("app_pages/referrals.py", "referrals", "page_referrals", ":material/share:"),
    ("app_pages/channels.py", "channels", "page_channels", ":material/campaign:"),
    ("app_pages/segments.py", "segments", "page_segments", ":material/donut_small:"),
    ("app_pages/import_data.py", "import", "page_import", ":material/upload_file:"),
]
page = st.navigation([
    st.Page(path, title=t(title), icon=icon, url_path=url, default=(url == "overview"))
    for path, url, title, icon in PAGES
])
language_switch()

try:
    cache.remember_run(settings, banner.demo_guard(settings))
    page.run()
except SiyuError as exc:  # locked database, bad data: the message, never a traceback
    st.error(str(exc))
