"""Request bodies bounded before they are read: a declared size over the bound is refused at once,
a body sent without one (chunked) is cut off where it passes the bound."""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ansinh.io.limits import MIB, UPLOAD_LIMITS
from ansinh.web.errors import error_page

# Forms (sign-in, an edited household, a decision) are a few kilobytes.
FORM_BYTES = MIB
# The routes that take a file, with room for the form's other fields and the multipart framing.
UPLOAD_BYTES = (UPLOAD_LIMITS.max_bytes or 0) + 64 * 1024
UPLOAD_ROUTES = frozenset({"/import"})


class BodyTooLarge(Exception):
    """The body passed its bound while it was read."""


def body_bound(path: str) -> int:
    return UPLOAD_BYTES if path in UPLOAD_ROUTES else FORM_BYTES


class BodyLimit:
    """Middleware: 413 for a Content-Length over the route's bound, before any byte is read;
    `BodyTooLarge` from `receive` once more than the bound has come without one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        bound = body_bound(scope["path"])
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > bound):
            await _refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > bound:
                    raise BodyTooLarge()
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


async def _refuse(scope: Scope, receive: Receive, send: Send) -> None:
    response = error_page(Request(scope), 413)
    response.headers["connection"] = "close"  # the rest of the body is not read
    await response(scope, receive, send)
