"""HTTP for `--endpoint` and `publish`: httpx with Digest or Basic auth, timeouts, a size cap, one-line errors.

Why httpx: it does Digest and Basic auth, timeouts per phase and streaming
itself (the urllib client before it needed a hand-made Digest
pre-authorisation).  This module adds what bilateral needs on top:

* credentials go only to the URLs `allow` names, and only once a server
  asks for them (HTTP 401), in the scheme it asks for (Virtuoso's
  /sparql-graph-crud-auth wants Digest, others Basic).  Once a scheme is
  known, later requests carry credentials up front (httpx's DigestAuth
  reuses the last challenge), so a large PUT after `check_access` is
  uploaded once;
* an answer is read as a stream and refused past `MAX_ANSWER_BYTES`, an
  error answer past its first 64 KiB;
* every failure is one of the library's errors (graph.errors), with a
  message that names the URL without its query string and says what to do.
"""

from __future__ import annotations

import functools
import re
import ssl
import urllib.parse
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass

import httpx

from bilateral.graph.errors import (
    AuthFailed,
    BadInput,
    BilateralError,
    NoSuchEndpoint,
    QueryTimeout,
    RemoteError,
    Unreachable,
)

__all__ = ["MAX_ANSWER_BYTES", "Http", "Response", "check_endpoint", "first_line", "short_url"]

#: The largest answer read from a server (a whole graph of a million triples as SPARQL JSON is ~300 MB).
MAX_ANSWER_BYTES = 1 << 30
#: How much of an error answer is read (its first line goes into the message).
_ERROR_BYTES = 64 * 1024
#: Upload chunk: progress is reported after each.
_CHUNK = 256 * 1024

Progress = Callable[[int, int], None]


@dataclass
class Response:
    """A server's answer, read whole (within the cap)."""

    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type, lower-cased, without parameters."""
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def check_endpoint(url: str, what: str = "endpoint") -> str:
    """The URL, stripped, when it is an http(s) URL with a host; BadInput otherwise."""
    url = (url or "").strip()
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadInput(f"{what} {url!r} is not an http:// or https:// URL")
    try:
        parts.port  # noqa: B018 - validates the port
    except ValueError:
        raise BadInput(f"{what} {url!r} has an invalid port") from None
    return url


def short_url(url: str | httpx.URL) -> str:
    """A URL without its query string (which may hold a whole query), for messages."""
    parts = urllib.parse.urlsplit(str(url))
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def first_line(body: bytes, limit: int = 300) -> str:
    """The first meaningful line of a server's answer (HTML tags dropped), for an error message."""
    text = body.decode("utf-8", "replace")
    text = re.sub(r"<[^>]+>", " ", text)
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line[:limit]
    return ""


class _Upload(httpx.SyncByteStream):
    """A request body that reports progress and can be sent again (after an auth challenge)."""

    def __init__(self, data: bytes, report: Progress | None):
        self.data = data
        self.report = report

    def __iter__(self) -> Iterator[bytes]:
        size = len(self.data)
        for start in range(0, size, _CHUNK):
            chunk = self.data[start : start + _CHUNK]
            yield chunk
            if self.report:
                self.report(start + len(chunk), size)


class _ChallengeAuth(httpx.Auth):
    """Digest or Basic, whichever the server's first 401 asks for; nothing is offered before, or elsewhere."""

    def __init__(self, user: str, password: str, allowed: list[str]):
        self._digest = httpx.DigestAuth(user, password)
        self._basic = httpx.BasicAuth(user, password)
        self._allowed = allowed
        self._scheme: str | None = None

    def _may_offer(self, url: httpx.URL) -> bool:
        target = short_url(url)
        return any(target == base or target.startswith(base.rstrip("/") + "/") for base in self._allowed)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Send plainly until a 401 names a scheme; from then on authenticate in that scheme."""
        if not self._may_offer(request.url):
            yield request
            return
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        schemes = {h.split(" ", 1)[0].lower() for h in response.headers.get_list("www-authenticate")}
        if "digest" in schemes:
            self._scheme = "digest"
            flow = self._digest.auth_flow(request)
            next(flow)  # no challenge known yet: the request unchanged
            try:
                retry = flow.send(response)  # DigestAuth reads the challenge already in hand
                while True:
                    retry = flow.send((yield retry))
            except StopIteration:
                return
        elif "basic" in schemes:
            self._scheme = "basic"
            yield from self._basic.auth_flow(request)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The default certificate check of httpx (its CA bundle, SSL_CERT_FILE honoured), built once per process.

    Reading the CA bundle costs ~40 ms; every command and every test opens a
    client, most of them to plain-HTTP servers that never use it.
    """
    return httpx.create_ssl_context()


class Http:
    """An httpx client for one command: auth for the URLs `allow` names, a timeout, one-line errors."""

    def __init__(self, user: str | None = None, password: str | None = None, timeout: float = 120.0):
        self.user = user
        self.timeout = timeout
        self._allowed: list[str] = []
        self._auth = _ChallengeAuth(user, password or "", self._allowed) if user is not None else None
        self._client = httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True, verify=_tls_context())

    def allow(self, url: str) -> None:
        """Offer the credentials to `url` and everything below it (and nowhere else)."""
        self._allowed.append(short_url(url))

    def send(
        self,
        method: str,
        url: str,
        what: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | None = None,
        report: Progress | None = None,
        limit: int = MAX_ANSWER_BYTES,
    ) -> Response:
        """Send one request and read its answer; any failure is a BilateralError naming `what`."""
        try:
            request = self._client.build_request(method, url, headers=headers)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise BadInput(f"{short_url(url)}: {exc}") from None
        if body is not None:
            request.stream = _Upload(body, report)
            request.headers["Content-Length"] = str(len(body))
        try:
            response = self._client.send(request, auth=self._auth, stream=True)
            try:
                if response.status_code >= 400:
                    raise self._http_error(response.status_code, _read(response, _ERROR_BYTES, None), url, what)
                return Response(response.status_code, response.headers, _read(response, limit, what))
            finally:
                response.close()
        except BilateralError:
            raise
        except httpx.TimeoutException:
            raise QueryTimeout(f"{short_url(url)} did not answer within {self.timeout:g} s ({what})") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise BadInput(f"{short_url(url)}: {exc}") from None
        except httpx.ConnectError as exc:
            raise Unreachable(f"cannot reach {short_url(url)}: {_reason(exc)}") from None
        except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError) as exc:
            if body is not None:
                raise Unreachable(
                    f"{short_url(url)} closed the connection during the {what} "
                    f"({_reason(exc)}): it may have refused the request"
                ) from None
            raise Unreachable(f"connection to {short_url(url)} failed: {_reason(exc)}") from None
        except httpx.HTTPError as exc:  # proxies, redirect loops, TLS: the connection failed
            raise Unreachable(f"connection to {short_url(url)} failed: {type(exc).__name__}: {exc}") from None

    def _http_error(self, code: int, body: bytes, url: str, what: str) -> BilateralError:
        detail = first_line(body)
        tail = f": {detail}" if detail else ""
        if code in (401, 403):
            if self.user is None:
                return AuthFailed(
                    f"{short_url(url)} requires credentials (HTTP {code}){tail}; "
                    "give the user (publish --user NAME, or BILATERAL_USER for any command) "
                    "and set BILATERAL_PASSWORD"
                )
            return AuthFailed(f"{short_url(url)} refused the credentials of {self.user!r} (HTTP {code})")
        if code == 404:
            return NoSuchEndpoint(
                f"{short_url(url)}: no such endpoint (HTTP 404); check the URL "
                "(Oxigraph: /query and /store, Virtuoso: /sparql and /sparql-graph-crud-auth)"
            )
        if code in (406, 415):
            return RemoteError(f"{short_url(url)} refused the format of the {what} (HTTP {code}){tail}")
        if code == 400:
            return BadInput(f"the server refused the {what} (HTTP 400){tail}")
        if code in (408, 504):
            return QueryTimeout(f"{short_url(url)} gave up on the {what} (HTTP {code}){tail}")
        return RemoteError(f"{short_url(url)} failed on the {what} (HTTP {code}){tail}")

    def check_access(self, url: str, what: str) -> None:
        """GET `url` with the credentials: AuthFailed now rather than a broken pipe mid-upload.

        Any answer but 401/403 counts as access (404 is a graph that is not
        there yet).  It also teaches the client the server's auth scheme, so
        the uploads that follow carry their credentials up front.
        """
        try:
            self.send("GET", url, what, headers={"Accept": "application/n-triples"}, limit=_ERROR_BYTES)
        except (AuthFailed, Unreachable):
            raise
        except (NoSuchEndpoint, RemoteError):
            pass  # an answer, so access: any other failure shows in the upload itself

    def close(self) -> None:
        """Close the connections."""
        self._client.close()


def _read(response: httpx.Response, limit: int, what: str | None) -> bytes:
    """The answer's bytes, at most `limit`: an error answer is cut there, a result past it is refused."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            if what is None:
                break
            raise RemoteError(
                f"{short_url(response.request.url)} sent more than {limit:,} bytes for the {what}; "
                "narrow the query (or read the graph in parts)"
            )
    return b"".join(chunks)[:limit] if what is None else b"".join(chunks)


def _reason(exc: BaseException) -> str:
    """The operating system's words for a failed connection ("Connection refused"), else the error's own."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return seen.strerror
        seen = seen.__cause__ or seen.__context__
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] (.+)$", text)
    return match.group(1) if match else text or type(exc).__name__
