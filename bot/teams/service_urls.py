"""Which Bot Framework service URLs the bot may call: Microsoft's channel hosts, and named loopback ones.

An activity names the `serviceUrl` its replies, member lookups and later proactive messages
go to. Calling whatever it names would let anyone point the bot at their own server (and
at internal addresses), so only Microsoft's Teams and Bot Framework hosts over HTTPS are
called, plus loopback addresses a deployment names itself (the demo's Direct Line
stand-in, a test's fake Connector).

Microsoft's documented Teams service URLs: https://smba.trafficmanager.net/{region}/ in the
public cloud, https://smba.infra.gcc.teams.microsoft.com/ (GCC),
https://smba.infra.gov.teams.microsoft.us/ (GCC High), https://smba.infra.dod.teams.microsoft.us/
(DoD); other Bot Framework channels are served from *.botframework.com.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

#: Hosts Teams' service URLs use, exactly.
TEAMS_HOSTS = frozenset({
    "smba.trafficmanager.net",
    "smba.infra.gcc.teams.microsoft.com",
    "smba.infra.gov.teams.microsoft.us",
    "smba.infra.dod.teams.microsoft.us",
})
#: Bot Framework's own channels (Web Chat, Direct Line) live under this domain.
BOT_FRAMEWORK_DOMAIN = "botframework.com"


def is_loopback_url(url: str) -> bool:
    """True for http(s) URLs on 127.0.0.0/8, ::1 or localhost."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.scheme.lower(), parts.hostname.lower(), port


class ServiceUrlPolicy:
    """Decides whether a service URL may be called; loopback ones only when named here."""

    def __init__(self, loopback_urls: Iterable[str] = ()) -> None:
        self._loopback: set[tuple[str, str, int | None]] = set()
        for url in loopback_urls:
            self.allow_loopback(url)

    def allow_loopback(self, url: str) -> None:
        """Also allow this loopback address (scheme, host and port); anything else is refused."""
        origin = _origin(url)
        if origin is None or not is_loopback_url(url):
            raise ValueError(f"{url!r} is not a loopback address (only 127.0.0.1, ::1 or localhost can be named)")
        self._loopback.add(origin)

    def allows(self, url: str | None) -> bool:
        """True when the bot may send requests to `url`."""
        if not isinstance(url, str) or not url:
            return False
        origin = _origin(url)
        if origin is None:
            return False
        scheme, host, port = origin
        if origin in self._loopback:
            return True
        if scheme != "https" or port not in (None, 443):
            return False
        if "@" in (urlsplit(url).netloc or ""):
            return False  # user-info tricks: https://smba.trafficmanager.net@evil/
        return host in TEAMS_HOSTS or host.endswith("." + BOT_FRAMEWORK_DOMAIN)
