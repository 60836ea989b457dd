"""Security headers on every response; no caching of anything but static files."""

from __future__ import annotations

from flask import Flask, Response, current_app, request

API_CSP = "default-src 'none'; frame-ancestors 'none'"
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def add_security_headers(response: Response) -> Response:
    """Set the headers a view has not set itself.

    Pages get ``CONTENT_SECURITY_POLICY`` from the config (default PAGE_CSP); a view may also
    set its own Content-Security-Policy header, which is kept.
    """
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith("/api/"):
        policy = API_CSP
    else:
        policy = current_app.config.get("CONTENT_SECURITY_POLICY") or PAGE_CSP
    response.headers.setdefault("Content-Security-Policy", policy)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if not (request.endpoint or "").endswith("static") and "Cache-Control" not in response.headers:
        # Case data and personal data must not stay in shared or browser caches.
        response.headers["Cache-Control"] = "no-store"
    return response


def init_security(app: Flask) -> None:
    """Install the headers on the app."""
    app.after_request(add_security_headers)
