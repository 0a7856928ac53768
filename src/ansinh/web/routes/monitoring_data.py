"""Monitoring data entry: upload a file of a kind, add one disbursement, evaluate a commune."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy import Engine

from ansinh.domain.monitoring import catalog
from ansinh.domain.monitoring.finance import CAPITAL_TYPES
from ansinh.errors import InputError
from ansinh.io.limits import UPLOAD_LIMITS
from ansinh.web.deps import DbEngine, PageViewer, Viewer, require_csrf
from ansinh.web.monitoring_forms import (
    add_disbursement,
    communes_of,
    evaluation_of,
    load_upload,
    save_evaluation,
)
from ansinh.web.templating import render
from ansinh.workflows.monitoring_kinds import kinds_for

router = APIRouter(include_in_schema=False)
Csrf = Annotated[str, Form(max_length=100)]


def _kinds(viewer: Viewer) -> list[str]:
    kinds = [k.name for k in kinds_for(viewer.role.code)]
    if not kinds:
        raise HTTPException(403)
    return kinds


@router.get("/monitoring/load")
def load_page(request: Request, viewer: PageViewer, kind: str = "") -> Response:
    kinds = _kinds(viewer)
    return render(
        request, "monitoring_load.html", viewer, kinds=kinds, kind=kind or kinds[0],
        result=None, problems=[], dry_run=False,
    )  # fmt: skip


@router.post("/monitoring/load")
async def load_post(
    request: Request,
    engine: DbEngine,
    viewer: PageViewer,
    file: UploadFile,
    kind: Annotated[str, Form(max_length=40)],
    csrf_token: Csrf = "",
    dry_run: Annotated[bool, Form()] = False,
) -> Response:
    kinds = _kinds(viewer)
    require_csrf(viewer, csrf_token)
    content = await file.read((UPLOAD_LIMITS.max_bytes or 0) + 1)
    context: dict[str, Any] = {"kinds": kinds, "kind": kind, "dry_run": dry_run}
    try:
        result = load_upload(engine, viewer, kind, file.filename or "", content, dry_run)
    except InputError as error:
        return render(
            request, "monitoring_load.html", viewer, status_code=400, result=None,
            problems=error.problems, **context,
        )  # fmt: skip
    return render(request, "monitoring_load.html", viewer, result=result, problems=[], **context)


def _disbursement_page(
    request: Request, viewer: Viewer, status: int = 200, **context: object
) -> Response:
    if "disbursements" not in _kinds(viewer):
        raise HTTPException(403)
    today = date.today()
    programmes = [p for p in catalog.programmes() if p.in_force_during(today.year - 1, today.year)]
    defaults: dict[str, object] = {"result": None, "problems": [], "fields": {}}
    return render(
        request, "monitoring_disbursement.html", viewer, status_code=status,
        programmes=programmes, capital_types=CAPITAL_TYPES, today=today,
        home=sorted(viewer.scope.roots or [""])[0], **(defaults | context),
    )  # fmt: skip


@router.get("/monitoring/disbursements/new")
def disbursement_page(request: Request, viewer: PageViewer) -> Response:
    return _disbursement_page(request, viewer)


@router.post("/monitoring/disbursements/new")
def disbursement_post(
    request: Request,
    engine: DbEngine,
    viewer: PageViewer,
    programme: Annotated[str, Form(max_length=40)],
    capital_type: Annotated[str, Form(max_length=20)],
    plan_year: Annotated[str, Form(max_length=4)],
    unit_code: Annotated[str, Form(max_length=20)],
    date_: Annotated[str, Form(alias="date", max_length=10)],
    amount_vnd: Annotated[str, Form(max_length=20)],
    project: Annotated[str, Form(max_length=80)] = "",
    csrf_token: Csrf = "",
) -> Response:
    if "disbursements" not in _kinds(viewer):
        raise HTTPException(403)
    require_csrf(viewer, csrf_token)
    fields = {
        "programme": programme, "capital_type": capital_type, "plan_year": plan_year,
        "unit_code": unit_code, "date": date_, "amount_vnd": amount_vnd, "project": project,
    }  # fmt: skip
    try:
        result = add_disbursement(engine, viewer, fields)
    except InputError as error:
        return _disbursement_page(request, viewer, 400, problems=error.problems, fields=fields)
    return _disbursement_page(request, viewer, result=result)


def _evaluation_page(
    request: Request, engine: Engine, viewer: Viewer, commune: str, year: int,
    status: int = 200, **context: object,
) -> Response:  # fmt: skip
    if "ntm-evaluations" not in _kinds(viewer):
        raise HTTPException(403)
    with engine.connect() as connection:  # after a save, read what it stored
        communes = communes_of(connection, viewer)
        chosen = commune or (communes[0][0] if communes else "")
        try:
            evaluation = evaluation_of(connection, chosen, year)
        except InputError as error:
            evaluation, context = None, {"problems": error.problems} | context
    defaults: dict[str, object] = {"result": None, "problems": []}
    return render(
        request, "monitoring_evaluation.html", viewer, status_code=status, communes=communes,
        commune=chosen, year=year, evaluation=evaluation, **(defaults | context),
    )  # fmt: skip


@router.get("/monitoring/ntm/evaluate")
def evaluation_page(
    request: Request, engine: DbEngine, viewer: PageViewer, commune: str = "", year: int = 0
) -> Response:
    return _evaluation_page(request, engine, viewer, commune, year or date.today().year)


@router.post("/monitoring/ntm/evaluate")
async def evaluation_post(request: Request, engine: DbEngine, viewer: PageViewer) -> Response:
    form = await request.form()
    if "ntm-evaluations" not in _kinds(viewer):
        raise HTTPException(403)
    require_csrf(viewer, str(form.get("csrf_token", "")))
    commune, year_text = str(form.get("commune", "")), str(form.get("year", ""))
    if not year_text.isdigit() or len(year_text) != 4:
        raise HTTPException(400)
    year = int(year_text)
    met = {int(str(v)) for v in form.getlist("met") if str(v).isdigit()}
    try:
        result = save_evaluation(engine, viewer, commune, year, met)
    except InputError as error:
        return _evaluation_page(
            request, engine, viewer, commune, year, 400, problems=error.problems
        )
    return _evaluation_page(request, engine, viewer, commune, year, result=result)
