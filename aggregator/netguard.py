"""No request reaches an address it must not: loopback, private, link-local, multicast,
reserved or otherwise non-global addresses, IPv4 or IPv6, unless it is the one mirror host
and port an operator named (`aggregator crawl --base-url URL --allow-private`) or a demo site.

The check runs on the resolved address the connection will use, inside the resolver Scrapy
installs on the reactor (settings: TWISTED_DNS_RESOLVER = "aggregator.netguard.GuardedResolver"), so a
name that resolves to a private address, first or after a change of its DNS answer
(rebinding), never gets a connection: the address that was checked is the one connected to.

    refusal(ip) -> str | None        why an address is refused ("loopback address 127.0.0.1")
    allow_private(host, port)        let one host:port through (a mirror, a demo site)
    allowed(host, port) -> bool      whether that host:port was let through
    host_port(url) -> (host, port)   what a URL connects to
    refused_host(host) -> str | None the refusal recorded for a host this process refused
    refused_target(host, port)       the refusal of a request before it connects, if any
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from twisted.internet.interfaces import IHostnameResolver, IResolutionReceiver
from zope.interface import implementer, provider

from scrapy.resolver import CachingHostnameResolver

# host:port pairs allowed although private (the mirror of this crawl, the demo sites)
_ALLOWED: set[tuple[str, int]] = set()
# host -> why its addresses were refused, for the reject row of the request that failed
_REFUSED: dict[str, str] = {}


def refusal(ip: str) -> str | None:
    """Why this address must not be connected to, or None for a global address."""
    try:
        address = ipaddress.ip_address(ip.split("%")[0])
    except ValueError:
        return f"not an IP address {ip!r}"
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    # the most specific name first: Python counts link-local, reserved and 0.0.0.0 as private too
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(address, f"is_{kind}"):
            return f"{kind.replace('_', '-')} address {address}"
    if not address.is_global:
        return f"non-global address {address}"
    return None


def host_port(url: str) -> tuple[str, int]:
    """(host, port) a URL connects to: the scheme's default port when none is given."""
    parts = urlsplit(url)
    return (parts.hostname or ""), parts.port or (443 if parts.scheme == "https" else 80)


def allow_private(host: str, port: int) -> None:
    _ALLOWED.add(((host or "").lower(), int(port)))


def allowed(host: str, port: int) -> bool:
    return ((host or "").lower().strip("[]"), int(port)) in _ALLOWED


def refused_host(host: str) -> str | None:
    return _REFUSED.get((host or "").lower())


def refused_target(host: str, port: int) -> str | None:
    """Why a request to host:port is refused before any connection: an address literal
    outside the policy, or a name the resolver refused earlier in this process."""
    host = (host or "").lower().strip("[]")
    if (host, int(port)) in _ALLOWED:
        return None
    try:
        ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return _REFUSED.get(host)
    return refusal(host)


def refused_reason(why: str) -> str:
    """The reject reason for a refused target."""
    return f"refused: {why} (--allow-private lets a mirror through)"


@provider(IResolutionReceiver)
class _Guard:
    """Passes on the addresses the policy allows; the others are recorded and dropped, so a
    name with none left fails to connect."""

    def __init__(self, receiver, host: str, port: int):
        self.receiver, self.host, self.port = receiver, (host or "").lower(), port

    def resolutionBegan(self, resolution):
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address):
        why = refusal(getattr(address, "host", ""))
        if why and (self.host, self.port) not in _ALLOWED:
            _REFUSED[self.host] = why
            return
        self.receiver.addressResolved(address)

    def resolutionComplete(self):
        self.receiver.resolutionComplete()


@implementer(IHostnameResolver)
class GuardedResolver(CachingHostnameResolver):
    """Scrapy's caching hostname resolver (IPv4 and IPv6) with the address policy applied to
    every answer, cached or not."""

    def resolveHostName(self, resolutionReceiver, hostName, portNumber=0, addressTypes=None,
                        transportSemantics="TCP"):
        return super().resolveHostName(_Guard(resolutionReceiver, hostName, portNumber), hostName,
                                       portNumber, addressTypes, transportSemantics)
