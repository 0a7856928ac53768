"""Who is asking: the client's address and scheme, read from a reverse proxy's headers only
when the proxy is one the operator named (ANSINH_TRUSTED_PROXIES); anyone can send the headers."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Proxies:
    """The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed."""

    networks: tuple[Network, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Proxies:
        """From addresses or networks separated by commas, e.g. `127.0.0.1,10.0.0.0/8`."""
        parts = [p.strip() for p in text.split(",") if p.strip()]
        return cls(tuple(ipaddress.ip_network(p, strict=False) for p in parts))

    def trusts(self, host: str) -> bool:
        address = _address(host)
        return address is not None and any(address in n for n in self.networks)


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _proxies(request: Request) -> Proxies:
    return getattr(request.app.state, "proxies", Proxies())


def _peer(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def client_address(request: Request) -> str:
    """The address the request came from: the peer, or, if the peer is a trusted proxy, the
    nearest address in X-Forwarded-For that is not one (each proxy appends the one it saw)."""
    peer = _peer(request)
    proxies = _proxies(request)
    if not proxies.trusts(peer):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",")]
    for hop in reversed(hops):
        if _address(hop) is None:
            return peer  # a header that is not a list of addresses tells nothing
        if not proxies.trusts(hop):
            return hop
    return peer


def served_over_https(request: Request) -> bool:
    """Whether the client reached us over TLS: directly, or through a trusted proxy saying so."""
    if request.url.scheme == "https":
        return True
    if not _proxies(request).trusts(_peer(request)):
        return False
    proto = request.headers.get("x-forwarded-proto", "").split(",")[-1].strip().lower()
    return proto == "https"
