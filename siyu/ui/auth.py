"""The login gate: who is looking, with which role, and what they may open.

app.py calls `gate()` before anything with data is drawn. With no valid session it draws the login form
(built-in accounts, or st.login when `[auth]` is configured) and the script stops; otherwise it returns the
session, and `pages_for(role)` decides which pages exist for it. Pages call `require_role()` again, and
member-level downloads check the role once more (siyu/ui/downloads.py).

The session lives in st.session_state (a browser tab's websocket session) and, behind an HttpOnly cookie, in
the database (siyu/ui/session_cookie.py), so a reload or a new tab of the same browser stays logged in;
nothing about the login is put in the URL, and a copied link asks for the login first, then opens the same
view.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import threading
import time
from dataclasses import dataclass

import streamlit as st

from siyu.auth import ROLES, AuthError, accounts, allows, audit, client
from siyu.auth.runtime_settings import effective
from siyu.auth.sso import role_for_email
from siyu.config import Settings
from siyu.ui import routes, session_cookie
from siyu.ui.i18n import language_switch, t
from siyu.ui.literal import literal

SESSION_KEY = "_siyu_auth"
_NOTICE = "_siyu_auth_notice"
LOOPBACK = client.LOOPBACK
# The password-free demo looks and never writes: the viewer's pages, masked phones, no member files, no
# accounts, settings, imports, undo or clearing (an anonymous visitor once got admin here and kept it).
DEMO_ROLE = "viewer"

# (script, url path, title key, icon, lowest role that sees it)
PAGES = [
    ("app_pages/overview.py", "overview", "page_overview", ":material/dashboard:", "viewer"),
    ("app_pages/retention.py", "retention", "page_retention", ":material/grid_on:", "viewer"),
    ("app_pages/members.py", "members", "page_members", ":material/workspace_premium:", "viewer"),
    ("app_pages/membership.py", "membership", "page_membership", ":material/loyalty:", "viewer"),
    ("app_pages/referrals.py", "referrals", "page_referrals", ":material/share:", "viewer"),
    ("app_pages/channels.py", "channels", "page_channels", ":material/campaign:", "viewer"),
    ("app_pages/groups.py", "groups", "page_groups", ":material/groups:", "viewer"),
    ("app_pages/segments.py", "segments", "page_segments", ":material/donut_small:", "operator"),
    ("app_pages/staff.py", "staff", "stf_page", ":material/support_agent:", "viewer"),
    ("app_pages/audience.py", "audience", "tag_page", ":material/sell:", "viewer"),
    ("app_pages/campaigns.py", "campaigns", "page_campaigns", ":material/send:", "viewer"),
    ("app_pages/import_data.py", "import", "page_import", ":material/upload_file:", "operator"),
    ("app_pages/admin.py", "admin", "page_admin", ":material/admin_panel_settings:", "admin"),
]


@dataclass(frozen=True)
class Session:
    username: str
    role: str
    via: str  # password | sso | demo
    last_seen: float
    must_change: bool = False


def role_name(role: str | None) -> str:
    return t(f"role_{role}") if role in ROLES else "?"


def current() -> Session | None:
    raw = st.session_state.get(SESSION_KEY)
    return Session(**raw) if isinstance(raw, dict) else None


def _store(session: Session | None) -> None:
    if session is None:
        st.session_state.pop(SESSION_KEY, None)
    else:
        st.session_state[SESSION_KEY] = dict(session.__dict__)


def current_role() -> str | None:
    session = current()
    return session.role if session else None


def current_user() -> str:
    session = current()
    return session.username if session else "anonymous"


def has_role(minimum: str) -> bool:
    return allows(current_role(), minimum)


def require_role(minimum: str) -> Session:
    """The first line of a page: stop with a message unless the session's role reaches `minimum`."""
    session = current()
    if session is None or not allows(session.role, minimum):
        st.error(t("forbidden", role=role_name(session.role if session else None)))
        st.stop()
    return session


def pages_for(role: str) -> list[st.Page]:
    """The pages `role` may open; a page that is not listed does not exist for that session (its URL
    falls back to the overview)."""
    pages = [st.Page(path, title=t(title), icon=icon, default=(url == "overview"),
                     url_path=routes.HOME_PATH if url == "overview" else url)  # /overview: a hidden alias
             for path, url, title, icon, minimum in PAGES if allows(role, minimum)]
    return routes.with_aliases(pages)


def role_now(settings: Settings, session: Session) -> str | None:
    """The session's role as the database says it now, without Streamlit state (deferred downloads run
    outside the script thread): an account disabled or demoted, or an SSO rule removed, since a button
    was drawn gets None or its new role."""
    if session.via == "password":
        row = accounts.get_account(settings.db, session.username, settings.lock_timeout)
        return None if row is None or row["disabled"] else row["role"]
    if session.via == "sso":
        return role_for_email(session.username, effective(settings, fresh=True).sso_roles)
    return session.role  # the localhost demo: nothing to look up


def audit_event(settings: Settings, action: str, *, detail: str | None = None, rows: int | None = None) -> None:
    """An audit row for the current user (pages call this after an import or an undo)."""
    audit.record_event(settings.db, current_user(), action, role=current_role(), detail=detail, rows=rows,
                       timeout=settings.lock_timeout)


# ---- first start -------------------------------------------------------------------------------------------
_BOOT_LOCK = threading.Lock()
_BOOTED: set[str] = set()


def bootstrap(settings: Settings) -> None:
    """Once per process and database: with no account at all, create `admin` (SIYU_ADMIN_PASSWORD or a
    one-time password printed here, on the server's console, and nowhere else)."""
    key = str(settings.db)
    if key in _BOOTED:
        return
    with _BOOT_LOCK:
        if key in _BOOTED:
            return
        one_time = accounts.ensure_first_admin(settings.db, settings)
        if one_time:
            print(f"\n==> siyu: created the admin account `admin` with the one-time password: {one_time}\n"
                  "    (change it at the first login; set SIYU_ADMIN_PASSWORD to choose it instead)\n",
                  file=sys.stderr, flush=True)
        _BOOTED.add(key)


# ---- who is this -------------------------------------------------------------------------------------------
def demo_open(settings: Settings, state) -> bool:
    """The demo may be looked at without a password: only on demo data, only while Streamlit listens on
    localhost, not through a proxy (which would bring other machines in) and not when SIYU_TRUSTED_PROXIES
    says there is one."""
    if not settings.demo_login or not state.is_demo or state.real_batches or client.trusted_set(settings.trusted_proxies):
        return False
    return bound_address() in LOOPBACK and not request_from_elsewhere()


def bound_address() -> str:
    return str(st.get_option("server.address") or "")  # unset means every interface


def request_from_elsewhere() -> bool:
    """Any proxy-ish header (siyu.auth.client: no forwarding header is trusted), or a client address
    that is not this machine."""
    try:
        headers = st.context.headers
        if client.through_proxy(headers):
            return True
        ip = st.context.ip_address
    except Exception:  # no request context (bare mode, AppTest)
        return False
    return not client.is_loopback(ip)


def client_of(settings: Settings) -> str | None:
    """The address the login throttle counts this browser under (siyu.auth.client.client_address)."""
    try:
        return client.client_address(st.context.ip_address, st.context.headers,
                                      client.trusted_set(settings.trusted_proxies))
    except Exception:  # no request context (bare mode, AppTest)
        return "127.0.0.1"


def sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets.toml
        return False


def sso_email() -> str | None:
    """The e-mail of the st.login user of this browser session, or None. An address the identity provider
    says it has not verified (`email_verified: false`) is not taken: anyone could have typed it."""
    if not sso_configured():
        return None
    try:
        if not st.user.get("is_logged_in", False) or st.user.get("email_verified") is False:
            return None
        return str(st.user.get("email") or "") or None
    except Exception:  # st.user unavailable (no auth set up in this runtime)
        return None


def sso_signed_in_at() -> float | None:
    """When this browser last signed in at the identity provider (the id_token's auth_time, else iat), or
    None when the provider does not say."""
    try:
        value = st.user.get("auth_time") or st.user.get("iat")
        return float(value) if value is not None else None
    except Exception:  # st.user unavailable, or a claim that is not a number
        return None


def _revalidate(settings: Settings, session: Session, state) -> Session | None:
    """Still allowed? Accounts can be disabled or change role while someone is logged in."""
    if session.via == "demo":
        return Session("demo", DEMO_ROLE, "demo", session.last_seen) if demo_open(settings, state) else None
    if session.via == "sso":
        email = sso_email()
        role = role_for_email(email, settings.sso_roles) if email else None
        return Session(session.username, role, "sso", session.last_seen) if role and email.lower() == session.username else None
    row = accounts.get_account(settings.db, session.username, settings.lock_timeout)
    if row is None or row["disabled"]:
        return None
    return Session(session.username, row["role"], session.via, session.last_seen, bool(row["must_change"]))


def gate(settings: Settings, state) -> Session | None:
    """The session of this run, refreshed; None when the visitor must log in first."""
    bootstrap(settings)
    session, now = current(), time.time()
    if session is None:  # a reload or a new tab: the login cookie, if any (siyu/ui/session_cookie.py)
        found, why = session_cookie.resume(settings)
        if why:
            st.session_state[_NOTICE] = session_cookie.NOTICES[why]
        session = Session(found.username, found.role or "viewer", found.via, now, found.must_change) if found else None
    if session is not None and now - session.last_seen > settings.session_ttl_minutes * 60:
        if session.via != "demo":  # the demo writes nothing
            audit.record_event(settings.db, session.username, "expired", role=session.role, timeout=settings.lock_timeout)
        st.session_state[_NOTICE] = "login_expired"
        session = None
    if session is not None:
        session = _revalidate(settings, session, state)
    # One spelling for the session, the role rules and the audit log (IdPs keep the case people typed)
    email = ((sso_email() or "").strip().lower() or None) if session is None else None
    signed_in = sso_signed_in_at() if email else None
    if email is not None and signed_in is not None and now - signed_in > settings.session_ttl_minutes * 60:
        # Streamlit keeps the identity cookie for 30 days; a new siyu session from it only within the idle
        # limit, like a password login (else the session expiry would mean nothing for SSO users).
        st.session_state[_NOTICE] = "sso_again"
        email = None
    if email is not None:
        role = role_for_email(email, settings.sso_roles)
        if role or not st.session_state.get("_siyu_sso_refused"):  # audit a refusal once per session
            at_idp = (f"signed in at the identity provider {dt.datetime.fromtimestamp(signed_in):%Y-%m-%d %H:%M:%S}"
                      if signed_in is not None else None)
            audit.record_event(settings.db, email, "sso_login" if role else "sso_refused", role=role,
                               detail=at_idp, timeout=settings.lock_timeout)
        st.session_state["_siyu_sso_refused"] = role is None
        if role:
            session = Session(email, role, "sso", now)
    if session is None and demo_open(settings, state):
        session = Session("demo", DEMO_ROLE, "demo", now)
    if session is not None:
        session = Session(session.username, session.role, session.via, now, session.must_change)
        ended = session_cookie.hold(settings, session.username, session.via)  # revoked, expired, disabled…
        if ended:
            st.session_state[_NOTICE] = session_cookie.NOTICES.get(ended, "login_ended")
            session = None
    if session is None:
        session_cookie.forget()  # the next login in this tab starts a session of its own
    _store(session)
    session_cookie.render()
    return session


def clock() -> dt.datetime:
    """The login form's "now" (local wall time, as siyu.auth.accounts.login keeps it). One function, so a test
    holds time still instead of racing the throttle's one-second wait (tests/pages/test_admin_settings.py)."""
    return dt.datetime.now()


def login_form(settings: Settings) -> None:
    """The only thing an anonymous visitor gets. The URL (page and filters) is left alone, so after the
    login the same view opens."""
    language_switch()
    st.title(t("login_title"))
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.info(t(notice))
    if sso_configured():
        email = (sso_email() or "").strip().lower()
        if email and role_for_email(email, settings.sso_roles) is None:
            st.error(t("sso_refused", email=literal(email)))
            if st.button(t("logout")):
                st.logout()
        else:
            st.button(t("login_sso"), on_click=st.login, type="primary")
    st.caption(t("login_intro"))
    with st.form("siyu_login", enter_to_submit=True):
        username = st.text_input(t("login_user"), max_chars=accounts.MAX_NAME, key="login_user")
        password = st.text_input(t("login_password"), type="password", max_chars=1024, key="login_password")
        submitted = st.form_submit_button(t("login_submit"), type="primary")
    if submitted:
        now = clock()
        result = accounts.login(settings.db, username, password, settings, now=now, client=client_of(settings))
        if result.ok:
            _store(Session(result.username, result.role, "password", time.time(), result.must_change))
            st.rerun()
        elif result.reason == "locked":
            left = (result.locked_until - now).total_seconds() if result.locked_until else 1
            st.error(t("login_locked", seconds=max(1, math.ceil(left))))
        else:
            st.error(t("login_bad"))
    st.caption(t("login_first_admin"))


def password_form(settings: Settings, session: Session, *, forced: bool) -> None:
    if forced:
        st.title(t("change_password"))
        st.warning(t("must_change"))
    with st.form("siyu_password"):
        old = st.text_input(t("old_password"), type="password")
        new = st.text_input(t("new_password"), type="password")
        again = st.text_input(t("new_password2"), type="password")
        if st.form_submit_button(t("save")):
            if new != again:
                st.error(t("password_mismatch"))
            else:
                try:
                    accounts.change_own_password(settings.db, session.username, old, new, settings)
                    session_cookie.renew(settings, session.username, session.via)  # other browsers: log in again
                    _store(Session(session.username, session.role, session.via, time.time(), False))
                    st.success(t("password_changed"))
                    if forced:
                        st.rerun()
                except AuthError as exc:
                    st.error(literal(exc))


def account_sidebar(settings: Settings, session: Session) -> None:
    """Who is logged in, a logout button and (for built-in accounts) a password change."""
    with st.sidebar:
        if session.via == "demo":
            return
        st.markdown(t("signed_in_as", user=literal(session.username), role=role_name(session.role)))
        if st.button(t("logout"), key="siyu_logout"):
            audit.record_event(settings.db, session.username, "logout", role=session.role,
                               timeout=settings.lock_timeout)
            session_cookie.end(settings)  # revoke, clear the cookie and this tab's per-login state
            _store(None)
            if session.via == "sso":
                # st.logout queues a redirect to the provider's end_session; a rerun now would start a new
                # script run, which clears the messages not yet sent and so, at times, the redirect.
                st.logout()
                st.stop()
            st.rerun()
        if session.via == "password":
            with st.expander(t("change_password")):
                password_form(settings, session, forced=False)
