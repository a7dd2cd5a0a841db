"""The dashboard as Streamlit's own ASGI app (st.App) with siyu's one extra route: the login cookie.

`python -m siyu serve` runs `streamlit run siyu_server.py`; Streamlit finds `app` below and serves app.py
exactly as `streamlit run app.py` would, plus POST/DELETE /siyu/session (siyu/ui/session_route.py), which
is what lets a login survive a reload (F5) and a new tab. Started as plain `streamlit run app.py`, the
dashboard works the same, but a reload asks for the password again.
"""

import streamlit as st
from streamlit import config

from siyu.auth.sessions import MAX_AGE
from siyu.ui.session_route import routes

app = st.App("app.py", routes=routes(str(config.get_option("server.baseUrlPath") or ""),
                                     max_age_seconds=int(MAX_AGE.total_seconds())))
