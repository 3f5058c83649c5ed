"""HTTP for SPARQL endpoints: each request within one deadline and a size limit, with credentials
(digest or basic, as the server asks), and every failure as one line that never shows a password.

This is the one place where HTTP, socket and protocol errors become autokg's errors
(:class:`~autokg.errors.EndpointError`, or :class:`~autokg.errors.QueryError` for a request the
endpoint rejects). Only http and https are spoken (no file:, ftp: or data: URLs), and redirects
are reported, not followed: a redirected POST would lose its query, and the credentials must not
follow a redirect to another host.

Credentials come from the URL's userinfo (:func:`autokg.endpoint_url.split_credentials` takes them
out of the URL that autokg keeps and shows) or from ``AUTOKG_SPARQL_USER`` and
``AUTOKG_SPARQL_PASSWORD``.
"""

from __future__ import annotations

import base64
import functools
import http.client
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from typing import IO, Any

from .endpoint_url import redact
from .errors import EndpointError, QueryError

__all__ = ["credentials_for", "HttpClient", "printable"]

_CHUNK = 1 << 16
_ERROR_BODY = 1 << 16  # the most read of an error answer: its first line goes into the message


class _Credentials:
    """A user and password for an endpoint, sent as the server's 401 challenge asks: HTTP digest
    (RFC 7616, urllib's implementation) or basic. Never part of a URL, a message or a repr.

    ``preemptive`` (credentials from the URL's userinfo): send basic authentication from the first
    request, as curl and browsers do with ``user:password@host``, until a challenge asks for digest.
    Credentials from the environment wait for a challenge: they are not tied to one host.
    """

    def __init__(self, user: str, password: str, *, preemptive: bool = False):
        self.user, self._password, self.preemptive = user, password, preemptive
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
        """The ``Authorization`` header for a request: as the server's challenge asks, or basic
        before any challenge for the URL's credentials; None for others before a challenge."""
        if self._challenge is None and not self.preemptive:
            return None
        scheme, params = self._challenge or ("basic", {})
        if scheme == "basic":
            return "Basic " + base64.b64encode(f"{self.user}:{self._password}".encode()).decode("ascii")
        value = self._digest.get_authorization(request, params)
        return f"Digest {value}" if value else None


def credentials_for(user: str | None, password: str | None) -> _Credentials | None:
    """The endpoint's credentials: from the URL's userinfo (sent from the first request), else
    AUTOKG_SPARQL_USER and AUTOKG_SPARQL_PASSWORD (sent once a server asks)."""
    if user is not None:
        return _Credentials(user, password or "", preemptive=True) if user else None
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


class _Deadline:
    """One request's time budget. When it runs out, the connection's socket is shut, which ends a
    connect, write or read in progress: a per-read socket timeout alone would let an endpoint that
    sends one byte a second go on for ever."""

    def __init__(self, seconds: float):
        self._at = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return max(self._at - time.monotonic(), 0.001)

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:  # the plain socket's shutdown, also under TLS: it wakes the thread blocked on it
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


class _Watched:
    """A connection that connects within what is left of the deadline and hands it its socket."""

    def __init__(self, *args: Any, deadline: _Deadline, **kwargs: Any):
        self._deadline = deadline
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]

    def connect(self) -> None:
        self.timeout = min(self.timeout or self._deadline.remaining(), self._deadline.remaining())
        super().connect()  # type: ignore[misc]
        self._deadline.watch(self.sock)  # type: ignore[attr-defined]


class _WatchedHTTP(_Watched, http.client.HTTPConnection):
    pass


class _WatchedHTTPS(_Watched, http.client.HTTPSConnection):
    pass


class _DeadlineHandler:
    """Opens the connections of urllib's HTTP(S) handlers as :class:`_Watched` ones."""

    deadline: _Deadline
    watched: type

    def do_open(self, http_class: Any, req: Any, **kwargs: Any) -> Any:
        return super().do_open(functools.partial(self.watched, deadline=self.deadline), req,  # type: ignore[misc]
                               **kwargs)


class _HTTPHandler(_DeadlineHandler, urllib.request.HTTPHandler):
    watched = _WatchedHTTP


class _HTTPSHandler(_DeadlineHandler, urllib.request.HTTPSHandler):
    watched = _WatchedHTTPS


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """http and https only, redirects not followed (a 3xx is an HTTPError), the environment's proxies."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), _HTTPHandler(), _HTTPSHandler(), urllib.request.UnknownHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), urllib.request.HTTPErrorProcessor()):
        if isinstance(handler, _DeadlineHandler):
            handler.deadline = deadline
        opener.add_handler(handler)
    return opener


def printable(text: str, most: int = 300) -> str:
    """A server's text made fit for a one-line message (no control characters, at most ``most``)."""
    return "".join(ch if ch.isprintable() else " " for ch in text)[:most]


class HttpClient:
    """Requests to one endpoint's URLs, with its credentials, deadline and answer size limit."""

    def __init__(self, credentials: _Credentials | None, timeout: float, max_bytes: int):
        self.credentials, self.timeout, self.max_bytes = credentials, timeout, max_bytes

    def request(self, url: str, *, method: str = "GET", data: bytes | IO[bytes] | None = None,
                 headers: Mapping[str, str] | None = None, query_error: bool = False,
                 accept_status: tuple[int, ...] = ()) -> tuple[int, str, bytes]:
        where = redact(urllib.parse.urlsplit(url)._replace(query="", fragment="").geturl())
        creds = self.credentials
        if creds is not None and not creds.challenged and data is not None and not isinstance(data, bytes):
            # Learn the server's challenge with an empty request before sending a large body: a
            # server may close the connection on a 401 before it has read the body.
            status, _, _, answer_headers = self._send(_Request(url, data=b"", method=method), where,
                                                      query_error=False, accept_status=tuple(range(400, 500)))
            if status == 401:
                creds.challenge(answer_headers)
        for attempt in range(3):
            request = _Request(url, data=data, method=method, headers=dict(headers or {}))
            auth = creds.authorization(request) if creds is not None else None
            if auth:
                request.add_unredirected_header("Authorization", auth)
            status, content_type, body, answer_headers = self._send(
                request, where, query_error=query_error, accept_status=(*accept_status, 401))
            if status != 401:
                return status, content_type, body
            if creds is None or attempt == 2:
                break
            if not creds.challenge(answer_headers):
                if not (creds.preemptive and not creds.challenged):
                    break
                # Basic sent unasked was refused without a challenge (Virtuoso answers a Basic
                # header so): ask once with no credentials to learn which scheme it wants.
                creds.preemptive = False
            elif attempt == 1 and auth and auth.startswith("Digest"):
                break  # digest as asked, refused: the password is wrong
        detail = "wrong user or password" if creds is not None else \
            "authentication needed (a user and password in the URL, or AUTOKG_SPARQL_USER and AUTOKG_SPARQL_PASSWORD)"
        raise EndpointError(f"SPARQL endpoint {where} refused access (HTTP 401): {detail}")

    def _send(self, request: urllib.request.Request, where: str, *, query_error: bool,
              accept_status: tuple[int, ...]) -> tuple[int, str, bytes, Any]:
        """One request and its whole answer, within the deadline; every failure an EndpointError."""
        late = f"SPARQL endpoint {where} did not answer within {self.timeout:g} s"
        with _Deadline(self.timeout) as deadline:
            try:
                with _opener(deadline).open(request, timeout=self.timeout) as response:
                    body = self._read(response, where)
                    return response.status, response.headers.get("Content-Type", ""), body, response.headers
            except urllib.error.HTTPError as err:
                with err:
                    if err.code in accept_status:
                        return err.code, "", b"", err.headers
                    raise self._http_error(err, where, query_error=query_error) from None
            except (OSError, http.client.HTTPException, ValueError) as err:
                if deadline.expired or isinstance(err, TimeoutError) or \
                        isinstance(getattr(err, "reason", None), TimeoutError):
                    raise EndpointError(late) from None
                raise EndpointError(self._failure(err, where)) from None

    def _read(self, response: Any, where: str) -> bytes:
        """The answer's body, at most :attr:`max_bytes`, and all that its Content-Length promised."""
        declared = response.headers.get("Content-Length", "")
        expected = int(declared) if declared.strip().isdigit() else None
        too_large = (f"SPARQL endpoint {where} sent more than {self.max_bytes / (1 << 20):g} MiB "
                     "(AUTOKG_MAX_RESPONSE_MB raises the limit)")
        if expected is not None and expected > self.max_bytes:
            raise EndpointError(too_large)
        chunks, size = [], 0
        while chunk := response.read(_CHUNK):
            size += len(chunk)
            if size > self.max_bytes:
                raise EndpointError(too_large)
            chunks.append(chunk)
        if expected is not None and size < expected:
            raise http.client.IncompleteRead(b"", expected - size)
        return b"".join(chunks)

    @staticmethod
    def _http_error(err: urllib.error.HTTPError, where: str, *, query_error: bool) -> Exception:
        if 300 <= err.code < 400:
            target = printable(err.headers.get("Location", "") if err.headers else "", 200)
            location = redact(urllib.parse.urljoin(where, target)) if target else "nowhere"
            return EndpointError(f"SPARQL endpoint {where} redirects (HTTP {err.code}) to {location}: "
                                 "autokg does not follow redirects; put the final URL in --store")
        try:
            body = err.read(_ERROR_BODY).decode("utf-8", "replace").strip()
        except (OSError, http.client.HTTPException):
            body = ""
        detail = printable(body.splitlines()[0] if body else str(err.reason))
        if query_error and 400 <= err.code < 500:
            return QueryError(f"SPARQL endpoint {where} rejected the request (HTTP {err.code}): {detail}")
        return EndpointError(f"SPARQL endpoint {where} failed: HTTP {err.code}: {detail}")

    @staticmethod
    def _failure(err: BaseException, where: str) -> str:
        """The one line for a connection, protocol or URL failure."""
        reason = getattr(err, "reason", err)
        if isinstance(err, http.client.IncompleteRead):
            missing = f" ({err.expected} bytes missing)" if isinstance(err.expected, int) and err.expected else ""
            return f"SPARQL endpoint {where} sent an answer cut short{missing}"
        if isinstance(reason, http.client.HTTPException) or isinstance(err, http.client.HTTPException):
            name = type(reason).__name__
            detail = printable(str(reason)) or "no detail"
            return f"SPARQL endpoint {where} sent a broken HTTP answer ({name}: {detail})"
        if isinstance(reason, OSError):
            text = reason.strerror or str(reason) or type(reason).__name__
        else:
            text = str(reason) or type(reason).__name__
        return f"cannot reach SPARQL endpoint {where}: {printable(text)}"
