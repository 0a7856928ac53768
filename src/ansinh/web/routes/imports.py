"""The import page: upload a template file, check it (dry run) or import it, see every error."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import Response

from ansinh.errors import InputError
from ansinh.web.deps import DbEngine, PageViewer, require_csrf, require_edits
from ansinh.web.templating import render
from ansinh.web.uploads import MAX_BYTES, import_upload

router = APIRouter(include_in_schema=False)


@router.get("/import")
def import_page(request: Request, viewer: PageViewer) -> Response:
    require_edits(viewer)
    return render(request, "import.html", viewer, result=None, problems=[], dry_run=True)


@router.post("/import")
async def import_post(
    request: Request,
    engine: DbEngine,
    viewer: PageViewer,
    file: UploadFile,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    require_edits(viewer)
    require_csrf(viewer, csrf_token)
    content = await file.read(MAX_BYTES + 1)
    try:
        result = import_upload(
            engine, viewer.scope, file.filename or "", content, actor=viewer.username,
            dry_run=dry_run,
        )  # fmt: skip
    except InputError as error:
        return render(
            request, "import.html", viewer, status_code=400, result=None,
            problems=error.problems, dry_run=dry_run, filename=file.filename,
        )  # fmt: skip
    return render(
        request, "import.html", viewer, result=result, problems=[], dry_run=dry_run,
        filename=file.filename,
    )  # fmt: skip
