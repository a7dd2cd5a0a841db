"""The login cookie on the page side: resume a session on a reload or a new tab, hold it on every run, end it.

- `resume` (no session in this tab yet): the browser sent `siyu_session` on the websocket's request
  (st.context.cookies); if siyu.auth.sessions.check accepts its token, the visitor is logged in again, and
  no login is audited (nobody typed a password).
- `hold` (every run of a logged-in tab): the first run after a login issues the server-side session and
  hands its token to the browser (siyu/ui/session_route.py); later runs check it against the clock and the
  account, and move its idle clock at most once a minute.
- `end` (logout) revokes it, clears the cookie and forgets this tab's per-login state (an upload waiting
  to be imported, its preview); `renew` (own password change) ends every other browser's session too.

Demo sessions have no cookie: they exist only while the demo is open on localhost.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import streamlit as st
from streamlit import config

from siyu.auth import sessions
from siyu.config import Settings
from siyu.ui import session_route
from siyu.ui.i18n import LANG_KEY

_HASH = "_siyu_session_hash"      # the token hash of this tab's session (the token itself is not kept)
_CODE = "_siyu_session_code"      # a one-time code the browser has yet to exchange for the cookie
_CLEAR = "_siyu_session_clear"    # the cookie must be deleted (logout, or a token that no longer stands)
_GEN = "_siyu_login_generation"   # per-login widget keys: a new login gets fresh upload widgets
# The cookie this tab's websocket arrived with is spent once the tab logged out or its session ended:
# st.context.cookies keeps showing it until the next page load.
_SPENT = "_siyu_cookie_spent"
KEEP_ON_LOGOUT = (LANG_KEY, "_siyu_filters", _GEN, _SPENT)  # the language and filters are not the user's secrets
NOTICES = {"expired": "login_expired", "password_changed": "login_password_changed", "disabled": "login_ended",
           "revoked": "login_ended"}


@dataclass(frozen=True)
class Resumed:
    username: str
    role: str | None   # None for SSO: the caller applies the e-mail rules
    via: str
    must_change: bool


def _now() -> dt.datetime:
    return dt.datetime.now()


def _ttl(settings: Settings) -> dt.timedelta:
    return dt.timedelta(minutes=settings.session_ttl_minutes)


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(session_route.COOKIE)
    except Exception:  # no browser context (AppTest, bare mode)
        return None
    return value if isinstance(value, str) and 0 < len(value) <= 200 else None


def per_login_key(name: str) -> str:
    """A widget key that changes with each logout, so nothing a user left in a widget greets the next one."""
    return f"{name}_{st.session_state.get(_GEN, 0)}"


def resume(settings: Settings) -> tuple[Resumed | None, str | None]:
    """The session the browser's cookie stands for, or None and (when there was a cookie) the reason."""
    token = _cookie()
    if token is None or st.session_state.get(_SPENT):
        return None, None
    hashed = sessions.token_hash(token)
    found = sessions.check(settings.db, hashed, ttl=_ttl(settings), now=_now(), timeout=settings.lock_timeout)
    if not found.ok:
        st.session_state[_CLEAR] = st.session_state[_SPENT] = True
        return None, found.reason if found.reason in NOTICES else None
    st.session_state[_HASH] = hashed
    sessions.touch(settings.db, found, now=_now(), timeout=settings.lock_timeout)
    return Resumed(found.username, found.role, found.via, found.must_change), None


def hold(settings: Settings, username: str, via: str) -> str | None:
    """Keep this tab's server-side session: None while it stands, else why it ended (for the notice)."""
    if via not in ("password", "sso"):
        return None
    state = st.session_state
    hashed = state.get(_HASH)
    if hashed is None:  # the first run after a login: a session, and its cookie
        token = sessions.issue(settings.db, username, via, now=_now(), timeout=settings.lock_timeout)
        state[_HASH] = sessions.token_hash(token)
        state[_CODE] = session_route.offer(token)
        return None
    found = sessions.check(settings.db, hashed, ttl=_ttl(settings), now=_now(), timeout=settings.lock_timeout)
    if not found.ok or found.username != username:
        state.pop(_HASH, None)
        state[_CLEAR] = state[_SPENT] = True
        return found.reason if not found.ok else "revoked"
    sessions.touch(settings.db, found, now=_now(), timeout=settings.lock_timeout)
    return None


def forget() -> None:
    """This tab has no login (any more): drop its session hash and any code still waiting, so that the next
    login issues a session of its own instead of being judged by the old one."""
    st.session_state.pop(_HASH, None)
    st.session_state.pop(_CODE, None)


def renew(settings: Settings, username: str, via: str) -> None:
    """After the user changed their own password: every session of theirs ends, this tab gets a new one."""
    sessions.revoke_user(settings.db, username, why="password_changed", now=_now(), timeout=settings.lock_timeout)
    st.session_state.pop(_HASH, None)
    hold(settings, username, via)


def end(settings: Settings) -> None:
    """Logout: revoke the session, clear the cookie, forget everything this tab held for the user."""
    state = st.session_state
    hashed = state.get(_HASH)
    if hashed:
        sessions.revoke(settings.db, hashed, why="logout", now=_now(), timeout=settings.lock_timeout)
    generation = int(state.get(_GEN, 0)) + 1
    for key in list(state.keys()):
        if key not in KEEP_ON_LOGOUT:
            del state[key]
    state[_GEN] = generation
    state[_CLEAR] = state[_SPENT] = True


def render() -> None:
    """The JavaScript that moves the cookie, when there is something to move: set it from a waiting one-time
    code, or delete it. It fetches this server's own route; nothing leaves the machine."""
    state = st.session_state
    url = session_route.route_path(str(config.get_option("server.baseUrlPath") or ""))
    code = state.get(_CODE)
    if code is not None and not session_route.pending(code):
        state.pop(_CODE, None)  # claimed (or expired): done
        code = None
    if code is not None:
        body = json.dumps({"code": code})
        script = (f"fetch({json.dumps(url)}, {{method: 'POST', credentials: 'same-origin', "
                  f"headers: {{'Content-Type': 'application/json'}}, body: {json.dumps(body)}}});")
    elif state.pop(_CLEAR, False):
        script = f"fetch({json.dumps(url)}, {{method: 'DELETE', credentials: 'same-origin'}});"
    else:
        return
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
