"""HTTP for SPARQL endpoints: requests with a timeout, credentials (digest or basic, as the server
asks), and one-line errors that never show a password.

Credentials come from the URL's userinfo (:func:`split_credentials` takes them out of the URL that
autokg keeps and shows) or from ``AUTOKG_SPARQL_USER`` and ``AUTOKG_SPARQL_PASSWORD``.
"""

from __future__ import annotations

import base64
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import IO, Any

from .errors import EndpointError, QueryError

__all__ = ["split_credentials", "credentials_for", "HttpClient"]


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """A URL without its userinfo, and the user and password that were in it.

    >>> split_credentials("http://dba:s%40cret@127.0.0.1:8890/sparql#graph=urn:g")
    ('http://127.0.0.1:8890/sparql#graph=urn:g', 'dba', 's@cret')
    >>> split_credentials("http://127.0.0.1:7878")
    ('http://127.0.0.1:7878', None, None)
    """
    parts = urllib.parse.urlsplit(url)
    if "@" not in parts.netloc:
        return url, None, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, colon, password = userinfo.partition(":")
    return (urllib.parse.urlunsplit(parts._replace(netloc=hostport)), urllib.parse.unquote(user),
            urllib.parse.unquote(password) if colon else None)


class _Credentials:
    """A user and password for an endpoint, sent as the server's 401 challenge asks: HTTP digest
    (RFC 7616, urllib's implementation) or basic. Never part of a URL, a message or a repr."""

    def __init__(self, user: str, password: str):
        self.user, self._password = user, password
        self._challenge: tuple[str, dict[str, str]] | None = None
        self._digest = urllib.request.AbstractDigestAuthHandler(self)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"_Credentials(user={self.user!r})"

    # urllib's password manager interface, for its digest implementation:
    def find_user_password(self, realm: str, uri: str) -> tuple[str, str]:
        return self.user, self._password

    def add_password(self, *args: Any) -> None:
        pass

    @property
    def challenged(self) -> bool:
        return self._challenge is not None

    def challenge(self, headers: Any) -> bool:
        """Take a 401 answer's ``WWW-Authenticate`` challenge (digest preferred); False if none fits."""
        offers = (headers.get_all("WWW-Authenticate") or []) if headers is not None else []
        schemes = {}
        for offer in offers:
            scheme, _, params = offer.strip().partition(" ")
            schemes[scheme.lower()] = params
        if "digest" in schemes:
            pairs = urllib.request.parse_http_list(schemes["digest"])
            self._challenge = ("digest", urllib.request.parse_keqv_list(filter(None, pairs)))
        elif "basic" in schemes:
            self._challenge = ("basic", {})
        else:
            return False
        return True

    def authorization(self, request: urllib.request.Request) -> str | None:
        """The ``Authorization`` header for a request, once the server has sent a challenge."""
        if self._challenge is None:
            return None
        scheme, params = self._challenge
        if scheme == "basic":
            return "Basic " + base64.b64encode(f"{self.user}:{self._password}".encode()).decode("ascii")
        value = self._digest.get_authorization(request, params)
        return f"Digest {value}" if value else None


def credentials_for(user: str | None, password: str | None) -> _Credentials | None:
    """The endpoint's credentials: from the URL's userinfo, else AUTOKG_SPARQL_USER and
    AUTOKG_SPARQL_PASSWORD."""
    if user is None:
        user, password = os.environ.get("AUTOKG_SPARQL_USER"), os.environ.get("AUTOKG_SPARQL_PASSWORD")
    return _Credentials(user, password or "") if user else None


class _Request(urllib.request.Request):
    """A request whose file body starts again from the top each time it is sent (after an
    authentication challenge the whole body goes again)."""

    @property  # type: ignore[override]
    def data(self) -> Any:
        body = self._data
        if hasattr(body, "seek"):
            body.seek(0)
        return body

    @data.setter
    def data(self, value: Any) -> None:
        urllib.request.Request.data.fset(self, value)  # type: ignore[attr-defined]


class HttpClient:
    """Requests to one endpoint's URLs, with its credentials and timeout."""

    def __init__(self, credentials: _Credentials | None, timeout: float):
        self.credentials, self.timeout = credentials, timeout

    def request(self, url: str, *, method: str = "GET", data: bytes | IO[bytes] | None = None,
                 headers: Mapping[str, str] | None = None, query_error: bool = False,
                 accept_status: tuple[int, ...] = ()) -> tuple[int, str, bytes]:
        where = urllib.parse.urlsplit(url)._replace(query="", fragment="").geturl()
        creds = self.credentials
        if creds is not None and not creds.challenged and data is not None and not isinstance(data, bytes):
            # Learn the server's challenge with an empty request before sending a large body: a
            # server may close the connection on a 401 before it has read the body.
            self._send(_Request(url, data=b"", method=method), where, query_error=False, accept_status=(401,))
        for attempt in range(2):
            request = _Request(url, data=data, method=method, headers=dict(headers or {}))
            auth = creds.authorization(request) if creds is not None else None
            if auth:
                request.add_unredirected_header("Authorization", auth)
            status, content_type, body, answer_headers = self._send(
                request, where, query_error=query_error, accept_status=(*accept_status, 401))
            if status != 401:
                return status, content_type, body
            if creds is None or attempt or not creds.challenge(answer_headers):
                break
        detail = "wrong user or password" if creds is not None else \
            "authentication needed (a user and password in the URL, or AUTOKG_SPARQL_USER and AUTOKG_SPARQL_PASSWORD)"
        raise EndpointError(f"SPARQL endpoint {where} refused access (HTTP 401): {detail}")

    def _send(self, request: urllib.request.Request, where: str, *, query_error: bool,
              accept_status: tuple[int, ...]) -> tuple[int, str, bytes, Any]:
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read(), response.headers
        except urllib.error.HTTPError as err:
            if err.code == 401 and self.credentials is not None and not self.credentials.challenged:
                self.credentials.challenge(err.headers)
            if err.code in accept_status:
                return err.code, "", b"", err.headers
            body = err.read().decode("utf-8", "replace").strip()
            detail = body.splitlines()[0][:300] if body else err.reason
            if query_error and 400 <= err.code < 500:
                raise QueryError(f"SPARQL endpoint {where} rejected the request (HTTP {err.code}): {detail}") from None
            raise EndpointError(f"SPARQL endpoint {where} failed: HTTP {err.code}: {detail}") from None
        except (TimeoutError, socket.timeout):
            raise EndpointError(f"SPARQL endpoint {where} did not answer within {self.timeout:g} s") from None
        except urllib.error.URLError as err:
            reason = err.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise EndpointError(f"SPARQL endpoint {where} did not answer within {self.timeout:g} s") from None
            text = reason.strerror if isinstance(reason, OSError) and reason.strerror else str(reason)
            raise EndpointError(f"cannot reach SPARQL endpoint {where}: {text}") from None
        except (ConnectionError, OSError) as err:
            raise EndpointError(f"cannot reach SPARQL endpoint {where}: {err}") from None
