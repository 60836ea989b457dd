"""Users, agencies, organisations and forums: any signed-in user reads, admins write."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import request
from marshmallow import Schema

from tracker.api.auth import current_actor
from tracker.api.blueprint import ApiBlueprint as Blueprint
from tracker.api.openapi import errors
from tracker.models import Agency, Forum, Organisation, User
from tracker.schemas import directory as schemas
from tracker.schemas.common import PageArgsSchema, page_body
from tracker.services import admin, user_admin
from tracker.services.listings import get_record, page_of, register_user, user_view

ID_PATH = "/<int(min=1, max=2147483647):record_id>"


@dataclass(frozen=True)
class Resource:
    """One collection: its model, schemas and the admin services that write it."""

    name: str
    label: str
    model: type
    schema: type[Schema]
    page: type[Schema]
    create_schema: type[Schema]
    create: Callable[..., Any]  # (actor, data, *, ip)
    update_schema: type[Schema] | None = None
    update: Callable[..., Any] | None = None  # (actor, record_id, data, *, ip)
    view: Callable[[User, Any], Any] = lambda actor, record: record


def _documented(func: Callable, doc: str) -> Callable:
    func.__doc__ = doc
    return func


def resource_blueprint(res: Resource) -> Blueprint:
    """Build the list, create, read (and update) routes of one collection."""
    blp = Blueprint(
        res.name,
        __name__,
        url_prefix=f"/api/v1/{res.name}",
        description=f"{res.name.title()}: signed-in users read, admins write.",
    )
    _add_read_routes(blp, res)
    _add_create_route(blp, res)
    if res.update is not None and res.update_schema is not None:
        _add_update_route(blp, res)
    return blp


def _add_read_routes(blp: Blueprint, res: Resource) -> None:
    def list_records(args: dict[str, Any]) -> dict[str, Any]:
        page = page_of(res.model, page=args["page"], per_page=args["per_page"])
        return page_body(page, [res.view(current_actor(), r) for r in page.items])

    def get_one(record_id: int) -> Any:
        return res.view(current_actor(), get_record(res.model, record_id, res.label))

    blp.route("", methods=["GET"])(
        blp.arguments(PageArgsSchema, location="query")(
            blp.response(200, res.page)(
                errors(blp, 401)(_documented(list_records, f"List {res.name}."))
            )
        )
    )
    blp.route(ID_PATH, methods=["GET"])(
        blp.response(200, res.schema)(
            errors(blp, 401, 404)(_documented(get_one, f"Read one {res.label}."))
        )
    )


def _add_create_route(blp: Blueprint, res: Resource) -> None:
    def create_record(data: dict[str, Any]) -> Any:
        created = res.create(current_actor(), data, ip=request.remote_addr)
        return res.view(current_actor(), created)

    blp.route("", methods=["POST"])(
        blp.arguments(res.create_schema)(
            blp.response(201, res.schema)(
                errors(blp, 401, 403, 415)(
                    _documented(create_record, f"Create a {res.label} (admins only).")
                )
            )
        )
    )


def _add_update_route(blp: Blueprint, res: Resource) -> None:
    update = res.update

    def update_record(data: dict[str, Any], record_id: int) -> Any:
        updated = update(current_actor(), record_id, data, ip=request.remote_addr)
        return res.view(current_actor(), updated)

    blp.route(ID_PATH, methods=["PATCH"])(
        blp.arguments(res.update_schema)(
            blp.response(200, res.schema)(
                errors(blp, 401, 403, 404, 415)(
                    _documented(update_record, f"Change a {res.label} (admins only).")
                )
            )
        )
    )


RESOURCES = (
    Resource(
        "users",
        "user",
        User,
        schemas.UserSchema,
        schemas.UserPageSchema,
        schemas.UserCreateSchema,
        register_user,
        schemas.UserUpdateSchema,
        user_admin.update_user,
        view=user_view,
    ),
    Resource(
        "agencies",
        "agency",
        Agency,
        schemas.AgencySchema,
        schemas.AgencyPageSchema,
        schemas.AgencyCreateSchema,
        admin.create_agency,
        schemas.AgencyUpdateSchema,
        admin.update_agency,
    ),
    Resource(
        "organisations",
        "organisation",
        Organisation,
        schemas.OrganisationSchema,
        schemas.OrganisationPageSchema,
        schemas.OrganisationCreateSchema,
        admin.create_organisation,
        schemas.OrganisationUpdateSchema,
        admin.update_organisation,
    ),
    Resource(
        "forums",
        "forum",
        Forum,
        schemas.ForumSchema,
        schemas.ForumPageSchema,
        schemas.ForumCreateSchema,
        admin.create_forum,
        schemas.ForumUpdateSchema,
        admin.update_forum,
    ),
)
BLUEPRINTS = tuple(resource_blueprint(resource) for resource in RESOURCES)
