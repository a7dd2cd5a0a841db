"""A minimal OpenID Connect provider for the single sign-on tests, served on 127.0.0.1.

It follows the parts of OpenID Connect Core 1.0 / RFC 6749 / RFC 7636 that a relying party such as
Streamlit's st.login (Authlib) uses, and checks what a real provider checks:

- `GET  /.well-known/openid-configuration`  discovery document (issuer, endpoints, RS256, PKCE S256);
- `GET  /authorize`   the authorization-code request: client_id, registered redirect_uri, response_type=code,
                      scope with `openid`; answers with a sign-in page listing the test users (one button
                      each, like an IdP's account chooser); a bad request gets a 400 page, never a redirect;
- `POST /authorize`   the chosen user signs in: a one-time code, redirect to redirect_uri?code=&state=;
- `POST /token`       grant_type=authorization_code with client_secret_basic or client_secret_post, the same
                      redirect_uri, the PKCE code_verifier; returns an access token and an RS256 id_token
                      (iss, sub, aud, exp, iat, auth_time, nonce, email, email_verified, name);
- `GET  /jwks`        the public key (kid, RS256);
- `GET  /userinfo`    the claims for a Bearer access token;
- `GET  /logout`      end_session_endpoint: forgets the user and redirects to post_logout_redirect_uri.

`provider.events` records what happened (sign-ins, token exchanges, logouts) for the tests to assert on.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


@dataclass
class Grant:
    client_id: str
    redirect_uri: str
    email: str
    nonce: str | None
    challenge: str | None
    method: str | None
    issued: float = field(default_factory=time.time)


class OIDCProvider:
    """Start with `with OIDCProvider(client_id, client_secret, redirect_uris, users) as idp: ...`."""

    def __init__(self, client_id: str, client_secret: str, redirect_uris: list[str], users: dict[str, str]) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.redirect_uris = list(redirect_uris)
        self.users = dict(users)  # e-mail -> display name
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "siyu-test-" + secrets.token_hex(4)
        self.codes: dict[str, Grant] = {}
        self.tokens: dict[str, str] = {}  # access token -> e-mail
        self.events: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> OIDCProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    # ---- documents ---------------------------------------------------------------------------------------
    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "end_session_endpoint": f"{self.issuer}/logout",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "email",
                                 "email_verified", "name"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        numbers = self.key.public_key().public_numbers()
        return {"keys": [{"kty": "RSA", "use": "sig", "alg": "RS256", "kid": self.kid,
                          "n": b64url(_int_bytes(numbers.n)), "e": b64url(_int_bytes(numbers.e))}]}

    def claims(self, email: str) -> dict:
        return {"sub": hashlib.sha256(email.encode()).hexdigest()[:24], "email": email, "email_verified": True,
                "name": self.users.get(email, email)}

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        payload = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300,
                   "auth_time": int(grant.issued), **self.claims(grant.email)}
        if grant.nonce:
            payload["nonce"] = grant.nonce
        header = {"alg": "RS256", "typ": "JWT", "kid": self.kid}
        signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(payload).encode())).encode()
        signature = self.key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
        return signing_input.decode() + "." + b64url(signature)

    # ---- the HTTP side -----------------------------------------------------------------------------------
    def _handler(self) -> type[BaseHTTPRequestHandler]:
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _send(self, status: int, body: str | bytes, ctype: str = "application/json",
                      headers: dict[str, str] | None = None) -> None:
                data = body.encode() if isinstance(body, str) else body
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Cache-Control", "no-store")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _json(self, status: int, doc: dict, headers: dict[str, str] | None = None) -> None:
                self._send(status, json.dumps(doc), headers=headers)

            def _redirect(self, url: str) -> None:
                self._send(302, b"", "text/plain", {"Location": url})

            def _form(self) -> dict[str, str]:
                size = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(size).decode()
                return {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}

            def do_GET(self) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(200, idp.discovery())
                elif url.path == "/jwks":
                    self._json(200, idp.jwks())
                elif url.path == "/authorize":
                    self._authorize_page(query)
                elif url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ").strip()
                    email = idp.tokens.get(token)
                    if email is None:
                        self._json(401, {"error": "invalid_token"}, {"WWW-Authenticate": "Bearer"})
                    else:
                        self._json(200, idp.claims(email))
                elif url.path == "/logout":
                    idp.events.append(("logout", query.get("client_id", "")))
                    target = query.get("post_logout_redirect_uri")
                    if target in idp.redirect_uris:
                        self._redirect(target)
                    else:
                        self._send(200, "<p>signed out</p>", "text/html; charset=utf-8")
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                path = urlparse(self.path).path
                if path == "/authorize":
                    self._sign_in(self._form())
                elif path == "/token":
                    self._token(self._form())
                else:
                    self._json(404, {"error": "not_found"})

            def _check_request(self, q: dict[str, str]) -> str | None:
                if q.get("client_id") != idp.client_id:
                    return "unknown client_id"
                if q.get("redirect_uri") not in idp.redirect_uris:
                    return "redirect_uri is not registered"
                if q.get("response_type") != "code":
                    return "response_type must be code"
                if "openid" not in q.get("scope", "").split():
                    return "scope must include openid"
                if q.get("code_challenge") and q.get("code_challenge_method") != "S256":
                    return "only S256 PKCE"
                return None

            def _authorize_page(self, q: dict[str, str]) -> None:
                problem = self._check_request(q)
                if problem:
                    self._send(400, f"<h1>invalid_request</h1><p>{html.escape(problem)}</p>", "text/html; charset=utf-8")
                    return
                idp.events.append(("authorize", q.get("prompt", "")))
                hidden = "".join(f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                                 for k, v in q.items())
                buttons = "".join(f'<button name="login_as" value="{html.escape(e)}">{html.escape(e)}</button>'
                                  for e in idp.users)
                page = (f"<!doctype html><title>Test IdP</title><h1>Test IdP: choose an account</h1>"
                        f'<form method="post" action="/authorize">{hidden}{buttons}</form>')
                self._send(200, page, "text/html; charset=utf-8")

            def _sign_in(self, form: dict[str, str]) -> None:
                problem = self._check_request(form)
                email = form.get("login_as", "")
                if problem or email not in idp.users:
                    self._send(400, "<h1>invalid_request</h1>", "text/html; charset=utf-8")
                    return
                code = secrets.token_urlsafe(24)
                with idp._lock:
                    idp.codes[code] = Grant(idp.client_id, form["redirect_uri"], email, form.get("nonce"),
                                            form.get("code_challenge"), form.get("code_challenge_method"))
                idp.events.append(("sign_in", email))
                params = {"code": code, **({"state": form["state"]} if form.get("state") else {})}
                self._redirect(f"{form['redirect_uri']}?{urlencode(params)}")

            def _client_ok(self, form: dict[str, str]) -> bool:
                auth = self.headers.get("Authorization", "")
                if auth.startswith("Basic "):
                    try:
                        cid, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                    except ValueError:
                        return False
                    from urllib.parse import unquote_plus

                    cid, secret = unquote_plus(cid), unquote_plus(secret)
                else:
                    cid, secret = form.get("client_id", ""), form.get("client_secret", "")
                return cid == idp.client_id and secrets.compare_digest(secret, idp.client_secret)

            def _token(self, form: dict[str, str]) -> None:
                if not self._client_ok(form):
                    self._json(401, {"error": "invalid_client"}, {"WWW-Authenticate": "Basic"})
                    return
                if form.get("grant_type") != "authorization_code":
                    self._json(400, {"error": "unsupported_grant_type"})
                    return
                with idp._lock:
                    grant = idp.codes.pop(form.get("code", ""), None)  # single use
                if grant is None or time.time() - grant.issued > 60:
                    self._json(400, {"error": "invalid_grant"})
                    return
                if form.get("redirect_uri") != grant.redirect_uri:
                    self._json(400, {"error": "invalid_grant", "error_description": "redirect_uri differs"})
                    return
                if grant.challenge:
                    verifier = form.get("code_verifier", "")
                    if b64url(hashlib.sha256(verifier.encode()).digest()) != grant.challenge:
                        self._json(400, {"error": "invalid_grant", "error_description": "PKCE verification failed"})
                        return
                access = secrets.token_urlsafe(24)
                idp.tokens[access] = grant.email
                idp.events.append(("token", grant.email + (" pkce" if grant.challenge else "")))
                self._json(200, {"access_token": access, "token_type": "Bearer", "expires_in": 300,
                                 "scope": "openid email profile", "id_token": idp.id_token(grant)})

        return Handler
