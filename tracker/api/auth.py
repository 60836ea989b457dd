"""Bearer-token authentication for every API route but the public ones, and the token routes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g, request

from tracker.api.blueprint import ApiBlueprint as Blueprint
from tracker.api.openapi import errors
from tracker.extensions import limiter
from tracker.models import User
from tracker.schemas.misc import TokenRequestSchema, TokenSchema
from tracker.services.tokens import NotAuthenticated, issue_token, revoke_token, user_for_token

View = TypeVar("View", bound=Callable[..., Any])
PUBLIC_ATTRIBUTE = "api_public"
DOC_ENDPOINTS = frozenset({"api-docs.openapi_json"})
NO_AUTH: list[dict[str, list[str]]] = []  # "security: []": this operation needs no token

blp = Blueprint(
    "auth", __name__, url_prefix="/api/v1/auth", description="Exchange credentials for a token."
)


def public(view: View) -> View:
    """Mark a view as reachable without a token (the token endpoint, the public lookup)."""
    setattr(view, PUBLIC_ATTRIBUTE, True)
    return view


def is_public_endpoint(endpoint: str | None) -> bool:
    """Tell whether the endpoint answers without a token (unknown endpoints 404 anyway)."""
    if endpoint is None or endpoint in DOC_ENDPOINTS:
        return True
    view = current_app.view_functions.get(endpoint)
    return view is None or bool(getattr(view, PUBLIC_ATTRIBUTE, False))


def bearer_token() -> str | None:
    """The token of an ``Authorization: Bearer …`` header, if any."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def authenticate_request() -> None:
    """Find the actor of this API request, or refuse it with 401."""
    if is_public_endpoint(request.endpoint):
        return
    token = bearer_token()
    actor = user_for_token(token) if token else None
    if actor is None:
        raise NotAuthenticated("A valid bearer token is required.")
    g.api_actor = actor


def current_actor() -> User:
    """The authenticated user of this API request."""
    return g.api_actor


def _token_limit() -> str:
    return current_app.config["API_TOKEN_RATE_LIMIT"]


@blp.route("/token", methods=["POST"])
@public
@limiter.limit(_token_limit)
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@errors(blp, 401, 415, 429)
@blp.doc(security=NO_AUTH)
def create_token(credentials: dict[str, str]) -> dict[str, Any]:
    """Exchange email and password for a bearer token.

    Wrong credentials answer 401 without saying which part was wrong.
    """
    issued = issue_token(
        credentials["email"],
        credentials["password"],
        lifetime=current_app.config["API_TOKEN_LIFETIME"],
        ip=request.remote_addr,
    )
    return {"token": issued.token, "token_type": "Bearer", "expires_at": issued.expires_at}


@blp.route("/token", methods=["DELETE"])
@blp.response(204)
@errors(blp, 401)
def delete_token() -> None:
    """Revoke the bearer token this request carries."""
    revoke_token(bearer_token() or "", actor=current_actor(), ip=request.remote_addr)
