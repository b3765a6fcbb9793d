"""HTTP caching of what a release serves: ETag and Last-Modified, and 304 Not Modified.

A release never changes while it is served, so its fingerprint and release date fix
every page's validators: caches and crawlers revalidate instead of downloading again.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from ctld.serve.state import AppState, app_state


def validators(ctx: AppState, key: str) -> dict[str, str]:
    """ETag and Last-Modified: the release fingerprint fixes every page's content."""
    tag = hashlib.sha256(f"{ctx.fingerprint}\n{key}".encode()).hexdigest()[:32]
    date = ctx.report.get("release_date", "1970-01-01")
    modified = datetime.fromisoformat(date).replace(tzinfo=UTC)
    return {"ETag": f'"{tag}"', "Last-Modified": format_datetime(modified, usegmt=True)}


def not_modified(request: Request, headers: dict[str, str]) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return headers["ETag"] in tags or "*" in tags
    since = request.headers.get("if-modified-since")
    if since:
        try:
            return parsedate_to_datetime(headers["Last-Modified"]) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def cached(request: Request, key: str, response: Response) -> Response:
    headers = validators(app_state(request), key)
    if not_modified(request, headers):
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return response
