"""Who is on the other end of a dashboard connection: proxy detection and the client address.

No Streamlit here: siyu/ui/auth.py hands in the peer address and the request headers.

- `through_proxy(headers)`: the names of the headers a proxy, CDN or load balancer adds. Any one of them
  means the request did not come straight from this machine, whatever the peer address says (every proxy
  on the same host connects from 127.0.0.1). The password-free demo trusts none of them: it is open only
  to a direct loopback connection without any such header (docs/deploy.md).
- `client_address(peer, headers, trusted)`: the address the login throttle counts under. Forwarding
  headers are believed only when the peer is one of the proxies named in SIYU_TRUSTED_PROXIES; then the
  client is the right-most X-Forwarded-For entry that is not itself a trusted proxy. Through a proxy that
  is not named, every visitor would share the proxy's address (and one guesser would slow everybody):
  then there is no address to count under (None) and only the per-name waits apply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

# Lower-cased. The pattern check below also catches vendor variants (X-Forwarded-Port, X-Original-Forwarded-For…).
PROXY_HEADERS = frozenset({
    "forwarded", "via", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port",
    "x-forwarded-server", "x-forwarded-prefix", "x-forwarded-ssl", "x-real-ip", "x-client-ip", "true-client-ip",
    "cf-connecting-ip", "cf-ipcountry", "cf-ray", "cf-visitor", "x-cluster-client-ip", "fastly-client-ip",
    "x-envoy-external-address", "x-original-forwarded-for", "x-proxyuser-ip", "x-appengine-user-ip",
    "x-azure-clientip", "x-azure-socketip", "akamai-client-ip", "x-remote-ip", "x-remote-addr",
    "x-originating-ip", "client-ip", "x-url-scheme", "front-end-https",
})
_PATTERNS = ("forwarded", "client-ip", "clientip", "real-ip", "connecting-ip", "remote-addr", "remote-ip",
             "originating-ip")


def is_proxy_header(name: str) -> bool:
    low = name.strip().lower().replace("_", "-")
    return low in PROXY_HEADERS or any(p in low for p in _PATTERNS)


def through_proxy(headers: Mapping[str, str] | Iterable[str]) -> list[str]:
    """The proxy-ish header names present (empty: nothing says a proxy is in between)."""
    return sorted(name for name in headers if is_proxy_header(str(name)))


def is_loopback(address: str | None) -> bool:
    """None is what Streamlit reports for a loopback peer (st.context.ip_address)."""
    return address is None or address in LOOPBACK or address.startswith("127.")


def trusted_set(text: str) -> frozenset[str]:
    return frozenset(p.strip() for p in (text or "").split(",") if p.strip())


def client_address(peer: str | None, headers: Mapping[str, str], trusted: frozenset[str]) -> str | None:
    """The address to count login attempts under, or None (see the module docstring)."""
    address = "127.0.0.1" if peer is None else peer
    if address not in trusted and not (is_loopback(peer) and trusted & LOOPBACK):
        return None if through_proxy(headers) else address
    chain = [part.strip() for value in _all(headers, "X-Forwarded-For") for part in value.split(",") if part.strip()]
    for hop in reversed(chain):
        if hop not in trusted:
            return hop
    return address


def _all(headers: Mapping[str, str], name: str) -> list[str]:
    getter = getattr(headers, "get_all", None)
    if getter is not None:
        return list(getter(name))
    value = next((v for k, v in headers.items() if k.lower() == name.lower()), None)
    return [value] if value else []
