"""Requests bounded before they are handled: a declared body size over the bound is refused at
once, a body sent without one (chunked) is cut off where it passes the bound, and a NUL in the
path, the query or a form is refused (PostgreSQL refuses it in text: a 500 on 11 routes)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ansinh.io.limits import MIB, UPLOAD_LIMITS
from ansinh.web.errors import error_page

# Forms (sign-in, an edited household, a decision) are a few kilobytes.
FORM_BYTES = MIB
# The routes that take a file, with room for the form's other fields and the multipart framing.
UPLOAD_BYTES = (UPLOAD_LIMITS.max_bytes or 0) + 64 * 1024
UPLOAD_ROUTES = frozenset({"/import", "/monitoring/load", "/review/stage"})


class BodyTooLarge(Exception):
    """The body passed its bound while it was read."""


class NulInForm(Exception):
    """A form's body holds a NUL."""


FORM_TYPE = b"application/x-www-form-urlencoded"
NUL_ESCAPED = b"%00"


def body_bound(path: str) -> int:
    return UPLOAD_BYTES if path in UPLOAD_ROUTES else FORM_BYTES


class RequestLimits:
    """Middleware: 413 for a Content-Length over the route's bound, before any byte is read;
    `BodyTooLarge` from `receive` once more than the bound has come without one; 400 for a NUL
    in the path or the query, or in a form as it is read."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if _has_nul(scope):
            await _refuse(scope, receive, send, 400)
            return
        bound = body_bound(scope["path"])
        form = dict(scope["headers"]).get(b"content-type", b"").startswith(FORM_TYPE)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > bound):
            await _refuse(scope, receive, send)
            return
        received = 0
        started = False
        tail = b""  # the end of the last chunk: '%00' may straddle two

        async def counted() -> Message:
            nonlocal received, tail
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > bound:
                    raise BodyTooLarge()
                body = tail + message.get("body", b"").lower()
                if form and (NUL_ESCAPED in body or b"\x00" in body):
                    raise NulInForm()
                tail = body[-2:]
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge:
            if not started:
                await _refuse(scope, receive, send)
        except NulInForm:
            if not started:
                await _refuse(scope, receive, send, 400)


def _has_nul(scope: Scope) -> bool:
    query = scope.get("query_string", b"").lower()
    return "\x00" in scope["path"] or NUL_ESCAPED in query or b"\x00" in query


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int = 413) -> None:
    response = await error_page(Request(scope), status, signed_in=False)
    response.headers["connection"] = "close"  # the rest of the body is not read
    await response(scope, receive, send)
