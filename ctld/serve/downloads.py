"""The release files: `/dumps/` with their checksums, `/.well-known/void`, `/ontology`.

Only files named in the release's SHA256SUMS are served, so no request path can reach
anything else on the disk.
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ctld.serve.caching import cached
from ctld.serve.negotiation import negotiate, negotiate_rdf
from ctld.serve.state import app_state

MEDIA_TYPES = {
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".jsonld": "application/ld+json",
    ".owl": "application/rdf+xml",
    ".html": "text/html",
    ".json": "application/json",
    ".gz": "application/gzip",
}
ONTOLOGY = {
    "text/html": "ontology.html",
    "text/turtle": "ontology.ttl",
    "application/rdf+xml": "ontology.owl",
    "application/ld+json": "ontology.jsonld",
}


def checksums(release_dir: Path) -> dict[str, str]:
    """File name → SHA-256, as published in SHA256SUMS."""
    sums: dict[str, str] = {}
    for line in (release_dir / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        if name:
            sums[name.lstrip("*")] = digest
    return sums


def _file(request: Request, name: str) -> Response:
    ctx = app_state(request)
    path = ctx.settings.release_dir / name
    media_type = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
    if media_type.startswith("text/") or "json" in media_type:
        media_type += "; charset=utf-8"
    response = FileResponse(path, media_type=media_type)
    return cached(request, f"file {name}", response)


async def listing(request: Request) -> Response:
    ctx = app_state(request)
    sums = checksums(ctx.settings.release_dir)
    files = [
        {"name": name, "sha256": digest, "bytes": (ctx.settings.release_dir / name).stat().st_size,
         "href": f"/dumps/{name}"} for name, digest in sorted(sums.items())
    ]  # fmt: skip
    wanted = negotiate(request.headers.get("accept"), ["text/html", "application/json",
                                                       "text/plain"])  # fmt: skip
    if wanted == "application/json":
        return JSONResponse({"files": files})
    if wanted == "text/plain":
        text = (ctx.settings.release_dir / "SHA256SUMS").read_text(encoding="utf-8")
        return PlainTextResponse(text)
    return ctx.templates.TemplateResponse(request, "dumps.html", {"files": files})


async def dump(request: Request) -> Response:
    ctx = app_state(request)
    name = request.path_params["name"]
    if name == "SHA256SUMS":
        return _file(request, name)
    if name not in checksums(ctx.settings.release_dir):
        return PlainTextResponse(f"no release file {name}\n", status_code=404)
    return _file(request, name)


async def void(request: Request) -> Response:
    return _file(request, "void.ttl")


async def ontology(request: Request) -> Response:
    suffix = request.path_params.get("suffix")
    if suffix:
        name = f"ontology.{suffix}"
        if name not in ONTOLOGY.values():
            return PlainTextResponse(f"no ontology file {name}\n", status_code=404)
    else:
        wanted = negotiate_rdf(request.headers.get("accept"), list(ONTOLOGY))
        if wanted is None:
            offers = ", ".join(ONTOLOGY)
            return PlainTextResponse(f"not acceptable; offered: {offers}\n", status_code=406)
        name = ONTOLOGY[wanted]
    response = _file(request, name)
    response.headers["Vary"] = "Accept"
    return response


def routes() -> list[Route]:
    return [
        Route("/dumps/", listing, name="dumps"),
        Route("/dumps/{name}", dump, name="dump"),
        Route("/.well-known/void", void, name="void"),
        Route("/ontology", ontology, name="ontology"),
        Route("/ontology.{suffix}", ontology, name="ontology-file"),
    ]
