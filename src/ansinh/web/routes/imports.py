"""The import page: upload a template file, check it (dry run) or import it, see every error."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException

from ansinh.errors import InputError, Problem
from ansinh.io.limits import UPLOAD_LIMITS
from ansinh.web.deps import DbEngine, PageViewer, Viewer, require_csrf, require_edits
from ansinh.web.request_limits import BodyTooLarge
from ansinh.web.templating import render
from ansinh.web.uploads import import_upload

router = APIRouter(include_in_schema=False)
TRUE = {"true", "on", "1"}


@router.get("/import")
def import_page(request: Request, viewer: PageViewer) -> Response:
    require_edits(viewer)
    return render(request, "import.html", viewer, result=None, problems=[], dry_run=True)


@router.post("/import")
async def import_post(request: Request, engine: DbEngine, viewer: PageViewer) -> Response:
    """The route takes no form parameter, which FastAPI would read before any dependency: the
    body is read only once the viewer is known to be signed in and to import (RequestLimits in
    web/request_limits.py has bounded it before), and the import runs off the event loop."""
    require_edits(viewer)
    try:
        form = await request.form(max_files=1, max_fields=8)
    except BodyTooLarge:
        return _problem(request, viewer, "", *UPLOAD_LIMITS.too_large(), status=413)
    except MultiPartException:
        return _problem(request, viewer, "", "Biểu mẫu không hợp lệ", "A malformed form")
    try:
        return await _import(request, engine, viewer, form)
    finally:
        await form.close()


async def _import(request: Request, engine: DbEngine, viewer: Viewer, form: FormData) -> Response:
    csrf = form.get("csrf_token")
    require_csrf(viewer, csrf if isinstance(csrf, str) else "")
    dry_run = str(form.get("dry_run", "")).lower() in TRUE
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return _problem(request, viewer, "", "Chưa chọn tệp", "No file chosen", dry_run=dry_run)
    name = upload.filename or ""
    content = await upload.read()
    try:
        result = await run_in_threadpool(
            import_upload, engine, viewer.scope, name, content, actor=viewer.username,
            dry_run=dry_run,
        )  # fmt: skip
    except InputError as error:
        return _page(request, viewer, name, dry_run, problems=error.problems, status=400)
    return _page(request, viewer, name, dry_run, result=result)


def _problem(
    request: Request, viewer: Viewer, name: str, vi: str, en: str, *, status: int = 400,
    dry_run: bool = False,
) -> Response:  # fmt: skip
    problem = Problem(name or "upload", vi, en)
    return _page(request, viewer, name, dry_run, problems=[problem], status=status)


def _page(
    request: Request, viewer: Viewer, name: str, dry_run: bool, *, result: object = None,
    problems: list[Problem] | None = None, status: int = 200,
) -> Response:  # fmt: skip
    return render(
        request, "import.html", viewer, status_code=status, result=result,
        problems=problems or [], dry_run=dry_run, filename=name,
    )  # fmt: skip
