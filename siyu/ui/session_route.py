"""The one HTTP route siyu adds to Streamlit's server: it puts the login cookie into the browser.

Streamlit talks to the browser over a websocket, which cannot set a cookie, and JavaScript cannot set an
HttpOnly one. So after a login the page script (siyu/ui/session_cookie.py) `offer`s the new session's token
under a one-time code, and a few lines of JavaScript in the page POST that code here; this route `claim`s
it and answers with `Set-Cookie: siyu_session=<token>; HttpOnly; SameSite=Strict; Path=/` (plus `Secure`
over https). The token never appears in the page, in JavaScript or in a URL; the code is useless after one
use or two minutes. DELETE clears the cookie (logout).

It is mounted by siyu_server.py (`python -m siyu serve`), Streamlit's own st.App with extra routes. The
handler only touches memory (no database, no Streamlit state): it runs on the server's event loop.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

COOKIE = "siyu_session"
PATH = "siyu/session"            # under server.baseUrlPath
HANDOFF_SECONDS = 120.0          # how long a one-time code waits for the browser
MAX_BODY = 1024
MAX_PENDING = 10_000             # codes waiting at once (a flood of logins cannot fill the memory)

_PENDING: dict[str, tuple[str, float]] = {}
_LOCK = threading.Lock()


def _key(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def offer(token: str, *, clock: Callable[[], float] = time.monotonic) -> str:
    """Keep `token` for the browser under a new one-time code; returns the code."""
    code = secrets.token_urlsafe(32)
    now = clock()
    with _LOCK:
        for key in [k for k, (_t, until) in _PENDING.items() if until < now]:
            del _PENDING[key]
        if len(_PENDING) >= MAX_PENDING:
            _PENDING.pop(next(iter(_PENDING)))
        _PENDING[_key(code)] = (token, now + HANDOFF_SECONDS)
    return code


def pending(code: str, *, clock: Callable[[], float] = time.monotonic) -> bool:
    """Is `code` still waiting for the browser?"""
    with _LOCK:
        found = _PENDING.get(_key(code))
    return found is not None and found[1] >= clock()


def claim(code: object, *, clock: Callable[[], float] = time.monotonic) -> str | None:
    """The token kept under `code`, once; None for an unknown, used or expired code."""
    if not isinstance(code, str) or not 0 < len(code) <= 100:
        return None
    with _LOCK:
        found = _PENDING.pop(_key(code), None)
    if found is None or found[1] < clock():
        return None
    return found[0]


def route_path(base_url_path: str) -> str:
    base = base_url_path.strip("/")
    return f"/{base}/{PATH}" if base else f"/{PATH}"


def _same_origin(headers) -> bool:
    """The request comes from a page of this server: the browser's Origin names the host it asked for.
    Host names only: a proxy's `Host $host` drops a non-default port the browser's Origin keeps."""
    origin = headers.get("origin")
    if not origin:
        return False
    host = (headers.get("x-forwarded-host") or headers.get("host") or "").split(",")[0].strip()
    asked = urlsplit(f"//{host}").hostname
    return asked is not None and urlsplit(origin).hostname == asked


def _https(request) -> bool:
    proto = (request.headers.get("x-forwarded-proto") or "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or proto == "https"


def routes(base_url_path: str, *, max_age_seconds: int) -> list:
    """The Starlette route (POST sets the cookie from a one-time code, DELETE clears it)."""
    from starlette.responses import Response
    from starlette.routing import Route

    cookie_path = "/" + base_url_path.strip("/") if base_url_path.strip("/") else "/"

    async def session(request) -> Response:
        if not _same_origin(request.headers):
            return Response(status_code=403)
        response = Response(status_code=204, headers={"Cache-Control": "no-store"})
        if request.method == "DELETE":
            response.delete_cookie(COOKIE, path=cookie_path, httponly=True, samesite="strict",
                                   secure=_https(request))
            return response
        if not request.headers.get("content-type", "").startswith("application/json"):
            return Response(status_code=415)
        body = await request.body()
        if len(body) > MAX_BODY:
            return Response(status_code=413)
        import json

        try:
            code = json.loads(body).get("code")
        except (ValueError, AttributeError):
            return Response(status_code=400)
        token = claim(code)
        if token is None:
            return Response(status_code=403)
        response.set_cookie(COOKIE, token, max_age=max_age_seconds, path=cookie_path, httponly=True,
                            samesite="strict", secure=_https(request))
        return response

    return [Route(route_path(base_url_path), session, methods=["POST", "DELETE"])]
