"""A SPARQL endpoint's ``--store`` URL, read and checked before any request is made.

Everything a user gives about an endpoint is checked here, once: the URL (http or https, a
host, no space), the options in its fragment (``graph``, ``query``, ``update``, ``data``), the
graph IRI (from the fragment or ``--graph``: it ends up in updates, so it must be an IRI and is
kept as a pyoxigraph term), ``AUTOKG_TIMEOUT`` and ``AUTOKG_MAX_RESPONSE_MB``. Credentials in the
URL's userinfo are taken out of the URL that autokg keeps and shows; :func:`redact` hides them in
any text that names a URL that could not even be parsed.
"""

from __future__ import annotations

import math
import os
import re
import urllib.parse
from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import InputError

__all__ = ["DEFAULT_GRAPH", "DEFAULT", "EndpointURL", "parse_store_url", "graph_term", "redact",
           "split_credentials", "endpoint_timeout", "response_limit"]

#: The named graph autokg writes into, and reads as its default graph, on a remote endpoint.
DEFAULT_GRAPH = "https://w3id.org/autokg/graph"

#: ``--graph default``: the endpoint's own default graph, which plain SPARQL clients read.
DEFAULT = "default"

#: Seconds to wait for an endpoint's whole answer before giving up (AUTOKG_TIMEOUT overrides it).
DEFAULT_TIMEOUT = 30.0
MAX_TIMEOUT = 86400.0  # a day: anything longer is a typo, and socket timeouts overflow on inf

#: The largest answer read from an endpoint, in MiB (AUTOKG_MAX_RESPONSE_MB overrides it).
DEFAULT_MAX_RESPONSE_MB = 256  # a whole autokg graph is a few MB; the answer and its parse stay in memory

_OPTIONS = ("graph", "query", "update", "data")


def redact(url: str) -> str:
    """``url`` with anything that could be userinfo replaced by ``***`` (for messages).

    >>> redact("http://alice:s3cret@h:1/sparql"), redact("http://u:pa/ss@h/x"), redact("http://h/q?a=1")
    ('http://***@h:1/sparql', 'http://***@h/x', 'http://h/q?a=1')
    """
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    before_query = re.split(r"[?#]", rest, maxsplit=1)[0]
    at = before_query.rfind("@")
    return f"{scheme}://***{rest[at:]}" if at >= 0 else url


def split_credentials(url: str) -> tuple[str, str | None, str | None]:
    """A (checked) URL without its userinfo, and the user and password that were in it.

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


def _check_http_url(url: str, *, what: str) -> None:
    """Nothing if ``url`` is an http(s) URL with a host; an InputError that names it (redacted) otherwise."""
    shown = redact(url)
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise InputError(f"{what} {shown!r} is not a valid URL: it has a space or a control character "
                         "(write a space as %20)")
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018  (raises on a port that is not a number from 0 to 65535)
    except ValueError as err:
        raise InputError(f"{what} {shown} is not a valid URL: {err}") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError(f"{what} {shown} is not an http:// or https:// URL")
    if not parts.hostname:
        raise InputError(f"{what} {shown} is not a valid URL: it names no host")


def graph_term(value: str | None, *, where: str) -> ox.NamedNode | None:
    """The graph IRI as a term (None: the endpoint's default graph); an InputError if not an IRI.

    The graph goes into updates (``INSERT DATA { GRAPH <...> }``, ``CLEAR GRAPH <...>``), where it
    is written from this term, so that no text of the user's is ever pasted into SPARQL.

    >>> graph_term("urn:x:g", where="--graph"), graph_term("default", where="--graph")
    (<NamedNode value=urn:x:g>, None)
    >>> graph_term("urn:x> } ; DROP ALL", where="--graph")
    Traceback (most recent call last):
    autokg.errors.InputError: --graph: the graph 'urn:x> } ; DROP ALL' is not an IRI: Invalid IRI code point '>'
    """
    if value is None or value == DEFAULT:
        return None
    try:
        return ox.NamedNode(value)
    except ValueError as err:
        raise InputError(f"{where}: the graph {value!r} is not an IRI: {err}") from None


@dataclass(frozen=True)
class EndpointURL:
    """What a ``--store`` URL says: where queries, updates and Graph Store requests go, and the graph."""

    url: str  #: the URL as given, without credentials (what autokg shows)
    query_url: str
    update_url: str
    gsp_url: str | None  #: None: no Graph Store Protocol (loads go as INSERT DATA)
    graph: ox.NamedNode | None  #: None: the endpoint's own default graph
    user: str | None = None
    password: str | None = field(default=None, repr=False)


def parse_store_url(url: str, *, graph: str | None = None) -> EndpointURL:
    """Read a ``--store`` URL (``graph`` is ``--graph``, which wins over ``#graph=``); InputError if bad.

    >>> e = parse_store_url("http://u:p@127.0.0.1:7878#graph=urn:g")
    >>> e.url, e.query_url, e.update_url, e.gsp_url, e.graph, e.user
    ('http://127.0.0.1:7878#graph=urn:g', 'http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', \
'http://127.0.0.1:7878/store', <NamedNode value=urn:g>, 'u')
    """
    base, _, fragment = url.partition("#")
    _check_http_url(base, what="--store URL")
    shown_base = redact(base)
    base, user, password = split_credentials(base)
    pairs = urllib.parse.parse_qsl(fragment, keep_blank_values=True)
    options = dict(pairs)
    unknown = sorted({k for k, _ in pairs} - set(_OPTIONS))
    if unknown:
        raise InputError(f"--store URL {shown_base}: unknown option {unknown[0]!r} after '#' "
                         f"(known: {', '.join(_OPTIONS)})")
    query, update, gsp = _default_endpoints(urllib.parse.urlsplit(base))

    def option_url(name: str) -> str:
        target = urllib.parse.urljoin(base, options[name])
        if "@" in urllib.parse.urlsplit(target).netloc:
            raise InputError(f"--store URL {shown_base}: #{name}= must not hold credentials "
                             "(give them once, in the main URL)")
        _check_http_url(target, what=f"--store URL #{name}=")
        return target

    query = option_url("query") if "query" in options else query
    update = option_url("update") if "update" in options else update
    if "data" in options:
        gsp = option_url("data") if options["data"] else None
    chosen = graph if graph else options.get("graph", DEFAULT_GRAPH)
    where = "--graph" if graph else f"--store URL {shown_base} (#graph=)"
    return EndpointURL(base + ("#" + fragment if fragment else ""), query, update, gsp,
                       graph_term(chosen, where=where), user, password)


def _default_endpoints(parts: urllib.parse.SplitResult) -> tuple[str, str, str | None]:
    """The query, update and Graph Store URLs that a URL's path implies (see :mod:`autokg.remote`)."""
    base = urllib.parse.urlunsplit(parts._replace(fragment=""))
    path = parts.path.rstrip("/")

    def sibling(name: str) -> str:
        return urllib.parse.urlunsplit(parts._replace(path=path.rsplit("/", 1)[0] + "/" + name, fragment=""))

    if path == "":
        root = urllib.parse.urlunsplit(parts._replace(path="", fragment=""))
        return root + "/query", root + "/update", root + "/store"
    if path.endswith("/query"):
        return base, sibling("update"), sibling("store")
    if path.endswith("/sparql"):
        return base, base, None
    return base, base, base  # a dataset URL (Fuseki): everything on one URL


def _positive_number(name: str, text: str, *, most: float) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 0 < value <= most):
        raise InputError(f"{name}={text!r}: give a number above 0 and at most {most:.0f}")
    return value


def endpoint_timeout(timeout: float | None = None) -> float:
    """The seconds an endpoint has for its whole answer: ``timeout``, else AUTOKG_TIMEOUT, else 30.

    >>> endpoint_timeout(2)
    2.0
    >>> endpoint_timeout(float("inf"))
    Traceback (most recent call last):
    autokg.errors.InputError: timeout='inf': give a number above 0 and at most 86400
    """
    if timeout is not None:
        return _positive_number("timeout", repr(timeout), most=MAX_TIMEOUT)
    text = os.environ.get("AUTOKG_TIMEOUT", "").strip()  # set but empty: as if unset, as a shell user means it
    return _positive_number("AUTOKG_TIMEOUT", text, most=MAX_TIMEOUT) if text else DEFAULT_TIMEOUT


def response_limit() -> int:
    """The most bytes read from one endpoint answer (AUTOKG_MAX_RESPONSE_MB, default 256 MiB)."""
    text = os.environ.get("AUTOKG_MAX_RESPONSE_MB", "").strip()
    megabytes = _positive_number("AUTOKG_MAX_RESPONSE_MB", text, most=1 << 20) if text else DEFAULT_MAX_RESPONSE_MB
    return int(megabytes * (1 << 20))
