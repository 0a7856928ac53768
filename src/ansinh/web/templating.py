"""Rendering pages: Jinja2 templates with the language, the viewer and the formatting helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from ansinh.web import audit_view, i18n, labels
from ansinh.web.deps import Viewer, get_lang

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.globals["labels"] = labels
templates.env.globals["audit_view"] = audit_view
# The templates ship with the package: no need to look at every file's time on every page.
templates.env.auto_reload = False


def _helpers(lang: str) -> dict[str, Any]:
    return {
        "lang": lang,
        "t": i18n.translator(lang),
        "num": lambda value, digits=0: i18n.number(value, lang, digits),
        "pct": lambda value, digits=1: i18n.percent(value, lang, digits),
        "moment": lambda value, seconds=True: i18n.moment(value, seconds, lang),
        "day": lambda value: i18n.day(value, lang),
    }


def fragment(name: str, lang: str, **context: Any) -> Markup:
    """A part of a page that does not depend on who asks (so that it may be cached)."""
    return Markup(templates.get_template(name).render(_helpers(lang) | context))


def render(
    request: Request,
    name: str,
    viewer: Viewer | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    lang = get_lang(request)
    base = _helpers(lang) | {
        "viewer": viewer,
        "csrf": viewer.csrf if viewer else None,
        "path": request.url.path,
        "full_path": _full_path(request),
    }
    return templates.TemplateResponse(request, name, base | context, status_code=status_code)


def _full_path(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")
