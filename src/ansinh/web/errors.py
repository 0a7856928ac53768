"""Errors as pages (Vietnamese, English) or JSON, never a traceback; logs hold no personal data."""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ansinh.web.deps import LoginRequired, Viewer, get_engine, optional_viewer
from ansinh.web.security import SESSION_COOKIE
from ansinh.web.templating import render

log = logging.getLogger("ansinh.web")
API_PREFIX = "/api/"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or request.url.path == "/openapi.json"


async def error_page(
    request: Request, status: int, reference: str | None = None, *, signed_in: bool = True
) -> Response:
    """The error as JSON for the API, else as a page with the menu and the signed-in user
    (unless `signed_in` is False: a refused body, say, is answered before any lookup)."""
    if _is_api(request):
        body: dict[str, Any] = {"detail": _API_DETAIL.get(status, "error")}
        if reference:
            body["reference"] = reference
        return JSONResponse(body, status_code=status)
    viewer = await run_in_threadpool(_viewer_of, request) if signed_in else None
    return render(
        request, "error.html", viewer, status_code=status, status=status, reference=reference
    )


def _viewer_of(request: Request) -> Viewer | None:
    """Who is signed in, if that can be told: an error page must not fail in turn (a 500 may
    come of a database that does not answer)."""
    if SESSION_COOKIE not in request.cookies:
        return None
    try:
        with get_engine(request).connect() as connection:
            return optional_viewer(request, connection)
    except Exception as error:
        log.info("error page without its viewer: %s", type(error).__name__)
        return None


_API_DETAIL = {
    400: "Yêu cầu không hợp lệ / bad request",
    401: "Chưa đăng nhập / not authenticated",
    403: "Không có quyền / forbidden",
    404: "Không tìm thấy / not found",
    405: "Phương thức không được phép / method not allowed",
    413: "Tệp quá lớn / file too large",
    429: "Thử quá nhiều lần / too many attempts",
    500: "Lỗi máy chủ / internal error",
}


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if _is_api(request):
        detail = (
            exc.detail if isinstance(exc.detail, str) and exc.status_code in (401, 429) else None
        )
        body = {"detail": detail or _API_DETAIL.get(exc.status_code, "error")}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)
    return await error_page(request, exc.status_code)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        # The parameter names and messages, never the values sent (they may be personal data).
        errors = [{"loc": e["loc"], "msg": e["msg"], "type": e["type"]} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)
    return await error_page(request, 400)


async def _login_required(request: Request, exc: Exception) -> Response:
    target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    return RedirectResponse(f"/login?next={target}", status_code=303)


def install_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(LoginRequired, _login_required)


def is_crash(error: BaseException) -> bool:
    """An error to show as a 500 page: an exception, or a panic of a Rust library (polars,
    calamine), which Python sees as a BaseException of that library's own class."""
    return isinstance(error, Exception) or type(error).__name__ == "PanicException"


class Guard:
    """Outermost middleware: logs each request without its query, turns a crash into a page."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500, "sent": False}

        async def tracking_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["sent"] = True
                message.setdefault("headers", [])
                message["headers"] += _SECURITY_HEADERS
                if not scope["path"].startswith(STATIC_PREFIX):
                    # Pages, API answers and exports carry personal data: kept by no cache.
                    message["headers"] = _no_store(message["headers"])
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except BaseException as exc:
            if not is_crash(exc):
                raise
            reference = secrets.token_hex(4)
            # The class only: messages of database errors carry the values of the row.
            log.error("error %s on %s %s: %s", reference, scope["method"], scope["path"],
                      type(exc).__name__)  # fmt: skip
            if not status["sent"]:
                response = await error_page(Request(scope), 500, reference)
                await response(scope, receive, tracking_send)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            log.info("%s %s %s %.0f ms", scope["method"], scope["path"], status["code"], elapsed)


STATIC_PREFIX = "/static/"


def _no_store(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in headers if k.lower() not in (b"cache-control", b"pragma")]
    return [*kept, (b"cache-control", b"no-store"), (b"pragma", b"no-cache")]


_SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
    ),
]
