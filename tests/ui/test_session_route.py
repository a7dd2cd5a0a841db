"""The login-cookie route (siyu/ui/session_route.py): one-time codes with an injected clock, and the
Set-Cookie it answers with, through Starlette's test client."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from siyu.ui import session_route

ORIGIN = {"Origin": "http://testserver", "Content-Type": "application/json"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_code_gives_its_token_once_and_only_for_two_minutes():
    clock = Clock()
    code = session_route.offer("tok-1", clock=clock)
    assert session_route.pending(code, clock=clock)
    assert session_route.claim(code, clock=clock) == "tok-1"
    assert session_route.claim(code, clock=clock) is None  # used
    late = session_route.offer("tok-2", clock=clock)
    clock.now += 120.5
    assert not session_route.pending(late, clock=clock)
    assert session_route.claim(late, clock=clock) is None  # expired
    assert session_route.claim("x" * 101) is None and session_route.claim(None) is None


@pytest.fixture
def client():
    app = Starlette(routes=session_route.routes("", max_age_seconds=86400))
    return TestClient(app)


def test_post_sets_an_httponly_strict_cookie_and_delete_clears_it(client):
    code = session_route.offer("the-token")
    response = client.post("/siyu/session", json={"code": code}, headers=ORIGIN)
    assert response.status_code == 204
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("siyu_session=the-token;")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie and "Max-Age=86400" in cookie
    assert "Secure" not in cookie  # plain http on localhost
    assert client.post("/siyu/session", json={"code": code}, headers=ORIGIN).status_code == 403  # used
    gone = client.delete("/siyu/session", headers=ORIGIN)
    assert gone.status_code == 204 and 'siyu_session="";' in gone.headers["set-cookie"]


def test_secure_behind_https(client):
    code = session_route.offer("t")
    response = client.post("/siyu/session", json={"code": code}, headers={**ORIGIN, "X-Forwarded-Proto": "https"})
    assert "Secure" in response.headers["set-cookie"]


@pytest.mark.parametrize("headers", [
    {"Content-Type": "application/json"},                                         # no Origin
    {"Origin": "http://evil.example", "Content-Type": "application/json"},        # another site
])
def test_other_origins_are_refused(client, headers):
    code = session_route.offer("t")
    response = client.post("/siyu/session", json={"code": code}, headers=headers)
    assert response.status_code == 403 and "set-cookie" not in response.headers
    assert session_route.pending(code)  # not spent by a refused request


def test_a_proxy_that_drops_the_port_from_host_is_still_same_origin(client):
    code = session_route.offer("t")
    headers = {"Origin": "https://intranet.example.cn:8443", "Host": "intranet.example.cn",
               "Content-Type": "application/json"}
    assert client.post("/siyu/session", json={"code": code}, headers=headers).status_code == 204


def test_bad_bodies_are_refused(client):
    assert client.post("/siyu/session", content=b"code=1", headers={**ORIGIN, "Content-Type": "text/plain"}).status_code == 415
    assert client.post("/siyu/session", content=b"{", headers=ORIGIN).status_code == 400
    assert client.post("/siyu/session", content=b"[1]", headers=ORIGIN).status_code == 400
    assert client.post("/siyu/session", content=b"x" * 2000, headers=ORIGIN).status_code == 413
    assert client.get("/siyu/session").status_code == 405


def test_under_a_base_path():
    assert session_route.route_path("/dash/") == "/dash/siyu/session"
    app = Starlette(routes=session_route.routes("dash", max_age_seconds=60))
    response = TestClient(app).post("/dash/siyu/session", json={"code": session_route.offer("t")}, headers=ORIGIN)
    assert "Path=/dash" in response.headers["set-cookie"]
