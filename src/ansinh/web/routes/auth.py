"""Signing in and out, and switching the language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from ansinh.store import accounts
from ansinh.web import security
from ansinh.web.deps import DbEngine, MaybeViewer, PageViewer
from ansinh.web.i18n import LANG_COOKIE, LANGUAGES
from ansinh.web.security import LOGIN_COOKIE, SESSION_COOKIE
from ansinh.web.templating import render

router = APIRouter(include_in_schema=False)


def _login_form(request: Request, next_path: str, error: str | None, status: int) -> Response:
    secret = security.new_secret()
    response = render(
        request, "login.html", None, status_code=status, login_csrf=secret, next=next_path,
        error=error,
    )  # fmt: skip
    security.set_cookie(response, request, LOGIN_COOKIE, secret, max_age=3600)
    return response


@router.get("/login")
def login_page(request: Request, viewer: MaybeViewer, next: str = "/") -> Response:
    if viewer is not None:
        return RedirectResponse(security.local_path(next), status_code=303)
    return _login_form(request, security.local_path(next), None, 200)


@router.post("/login")
def login(
    request: Request,
    engine: DbEngine,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    login_csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    target = security.local_path(next)
    if not security.same_secret(login_csrf, request.cookies.get(LOGIN_COOKIE)):
        return _login_form(request, target, "login.expired", 400)
    attempt = security.sign_in(engine, request, username, password)
    if attempt.throttled:
        return _login_form(request, target, "login.throttled", 429)
    account = attempt.account
    if account is None:
        return _login_form(request, target, "login.failed", 401)
    with engine.begin() as connection:
        accounts.purge_expired(connection)
        issued = accounts.issue_token(connection, account.id, "session", security.SESSION_LIFETIME)
    response = RedirectResponse(target, status_code=303)
    lifetime = int(security.SESSION_LIFETIME.total_seconds())
    security.set_cookie(response, request, SESSION_COOKIE, issued.token, max_age=lifetime)
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.post("/logout")
def logout(
    request: Request,
    engine: DbEngine,
    viewer: PageViewer,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    if not security.same_secret(csrf_token, viewer.csrf):
        raise HTTPException(403)
    with engine.begin() as connection:
        accounts.revoke_token(connection, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/lang/{code}")
def switch_language(request: Request, code: str, next: str = "/") -> Response:
    if code not in LANGUAGES:
        raise HTTPException(404)
    response = RedirectResponse(security.local_path(next), status_code=303)
    response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", path="/")
    return response
