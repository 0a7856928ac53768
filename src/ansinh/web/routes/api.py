"""The JSON API under /api/v1: tokens, households, units, search and the audit log, by scope."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.security import OAuth2PasswordRequestForm

from ansinh.store import accounts
from ansinh.store.dashboard import UnitFigures, unit_figures
from ansinh.store.history import AuditFilter
from ansinh.store.households import HouseholdRow, get_household, household_reviews, members_of
from ansinh.store.households import list_households as list_page
from ansinh.store.review import current_run
from ansinh.store.search import search_people
from ansinh.web import security
from ansinh.web.deps import (
    ApiViewer,
    Db,
    DbEngine,
    bearer,
    require_household,
    require_unit,
)
from ansinh.web.schemas import (
    AuditPublic,
    HouseholdDetail,
    HouseholdPublic,
    MemberPublic,
    MePublic,
    Paged,
    PersonFound,
    ReviewPublic,
    TokenPublic,
    UnitFiguresPublic,
    UnitPublic,
)

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Chưa đăng nhập / no valid session or token"},
    403: {"description": "Ngoài phạm vi / outside the caller's units or role"},
    404: {"description": "Không tìm thấy / not found, or outside the caller's units"},
}
router = APIRouter(prefix="/api/v1", responses=_ERRORS)
PageNo = Annotated[int, Query(ge=1, le=100_000)]
PageSize = Annotated[int, Query(ge=1, le=500)]
Code = Annotated[str | None, Query(max_length=20)]
Text = Annotated[str, Query(max_length=100)]
HouseholdId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post(
    "/auth/token",
    response_model=TokenPublic,
    responses={429: {"description": "Thử quá nhiều lần / too many failed attempts"}},
)
def token(
    request: Request, engine: DbEngine, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> TokenPublic:
    """OAuth2 password flow: a bearer token for `Authorization: Bearer TOKEN`."""
    attempt = security.sign_in(engine, request, form.username, form.password)
    if attempt.throttled:
        raise HTTPException(429, "Thử quá nhiều lần / too many attempts, wait 15 minutes")
    account = attempt.account
    if account is None:
        raise HTTPException(
            401,
            "Sai tên đăng nhập hoặc mật khẩu / wrong username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    with engine.begin() as connection:
        issued = accounts.issue_token(connection, account.id, "api", security.API_TOKEN_LIFETIME)
    return TokenPublic(access_token=issued.token, expires_at=issued.expires_at)


@router.delete("/auth/token", status_code=204)
def revoke(
    engine: DbEngine, viewer: ApiViewer, given: Annotated[str | None, Depends(bearer)]
) -> None:
    """Revoke the bearer token of the call."""
    if given and viewer.csrf is None:
        with engine.begin() as connection:
            accounts.revoke_token(connection, given)


@router.get("/me", response_model=MePublic)
def me(viewer: ApiViewer) -> MePublic:
    account = viewer.account
    return MePublic(username=account.username, role=account.role, units=list(account.units))


def _public(row: HouseholdRow) -> dict[str, Any]:
    found = asdict(row)
    found["members"] = found.pop("member_count")
    return found


@router.get("/households", response_model=Paged[HouseholdPublic])
def households(
    connection: Db,
    viewer: ApiViewer,
    commune: Code = None,
    village: Code = None,
    page: PageNo = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    """Households in the caller's units; 403 for a commune or village outside them."""
    for code in (commune, village):
        if code is not None:
            require_unit(connection, viewer, code)
    run = current_run(connection)
    found = list_page(
        connection, viewer.scope, commune=commune, village=village, page=page,
        page_size=page_size, run_id=run.id if run else None,
    )  # fmt: skip
    items = [_public(h) for h in found.items]
    return {"items": items, "total": found.total, "page": page, "page_size": page_size}


@router.get("/households/{household_id}", response_model=HouseholdDetail)
def household(connection: Db, viewer: ApiViewer, household_id: HouseholdId) -> dict[str, Any]:
    """One household with its members and reviews; 404 outside the caller's units."""
    require_household(connection, viewer, household_id)
    run = current_run(connection)
    found = get_household(connection, household_id, run.id if run else None)
    if found is None:
        raise HTTPException(404)
    members = [
        MemberPublic(**(asdict(m) | {"citizen_id": viewer.citizen_id(m.citizen_id)}))
        for m in members_of(connection, [household_id])[household_id]
    ]
    reviews = [ReviewPublic(**asdict(r)) for r in household_reviews(connection, household_id)]
    return _public(found) | {"member_list": members, "reviews": reviews}


def _figures(figures: UnitFigures) -> UnitFiguresPublic:
    values = asdict(figures) | {
        "poor_rate": figures.poor_rate,
        "near_poor_rate": figures.near_poor_rate,
    }
    return UnitFiguresPublic(**values)


@router.get("/units/{code}", response_model=UnitPublic)
def unit(
    connection: Db, viewer: ApiViewer, code: Annotated[str, Path(max_length=20)]
) -> UnitPublic:
    """A unit's review figures and its children's; 403 outside the caller's units."""
    require_unit(connection, viewer, code)
    run = current_run(connection)
    own, children = unit_figures(connection, run.id if run else None, code)
    return UnitPublic(
        year=run.year if run else None,
        standard_id=run.standard_id if run else None,
        unit=None if own is None else _figures(own),
        children=[_figures(c) for c in children],
    )


@router.get("/search", response_model=Paged[PersonFound])
def search(
    connection: Db,
    viewer: ApiViewer,
    q: Annotated[str, Query(max_length=200)],
    page: Annotated[int, Query(ge=1, le=20)] = 1,
    page_size: PageSize = 50,
) -> dict[str, Any]:
    """People whose name holds every word of `q`, ignoring diacritics and case (total capped)."""
    found = search_people(
        connection, viewer.scope, q, by_citizen_id=viewer.role.sees_citizen_ids,
        limit=page_size, offset=(page - 1) * page_size,
    )  # fmt: skip
    items = [asdict(p) | {"citizen_id": viewer.citizen_id(p.citizen_id)} for p in found.items]
    return {"items": items, "total": found.total, "page": page, "page_size": page_size}


@router.get("/audit", response_model=Paged[AuditPublic])
def audit(
    connection: Db,
    viewer: ApiViewer,
    actor: Text = "",
    entity: Text = "",
    key: Text = "",
    action: Text = "",
    page: PageNo = 1,
    page_size: PageSize = 100,
) -> dict[str, Any]:
    """The audit log, newest first; 403 for roles that do not read it."""
    where = AuditFilter(actor, entity, key, action)
    entries, total = viewer.audit_entries(connection, where, page, page_size)
    return {"items": [asdict(e) for e in entries], "total": total, "page": page,
            "page_size": page_size}  # fmt: skip
