"""What a resource's HTML page shows, gathered from the page queries.

Kept apart from the routes so the page's content can be tested without HTTP, and so
the same view can later be written to static files.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ctld.core.errors import CtldError
from ctld.core.namespaces import shorten
from ctld.extract.articles import read_article
from ctld.query.engine import QueryRequest
from ctld.query.results import table
from ctld.serve.state import AppState

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABELS = {
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
}
EXTERNAL = {
    "http://www.w3.org/2002/07/owl#sameAs",
    "http://www.w3.org/2004/02/skos/core#exactMatch",
    "http://www.w3.org/2004/02/skos/core#closeMatch",
    "http://www.w3.org/2000/01/rdf-schema#seeAlso",
    "http://xmlns.com/foaf/0.1/page",
    "https://schema.org/url",
    "https://schema.org/sameAs",
}
SCHEMA_TYPES = {
    "Person": "Person",
    "IntergovernmentalOrganization": "GovernmentOrganization",
    "GovernmentAgency": "GovernmentOrganization",
    "State": "Country",
    "Organization": "Organization",
    "Resolution": "Legislation",
    "Instrument": "Legislation",
    "Event": "Event",
    "City": "City",
    "Country": "Country",
    "Place": "Place",
    "NewsArticle": "NewsArticle",
    "Topic": "DefinedTerm",
}
CTLD = "https://w3id.org/ctld/ontology#"


@dataclass
class Term:
    text: str
    href: str | None = None
    iri: str | None = None
    language: str = ""
    datatype: str = ""
    inferred: bool = False


@dataclass
class ResourceView:
    iri: str
    kind: str
    slug: str
    title: str
    labels: list[tuple[str, str, str]] = field(default_factory=list)  # text, language, property
    types: list[Term] = field(default_factory=list)
    properties: list[tuple[Term, Term]] = field(default_factory=list)
    incoming: list[tuple[Term, Term]] = field(default_factory=list)
    posts: list[dict[str, Term | None]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    external: list[Term] = field(default_factory=list)
    jsonld: str = ""
    text_html: str = ""


def _rows(ctx: AppState, name: str, **values: str) -> list[dict[str, Any]]:
    text = ctx.pages[name].bind(values, ctx.base_iri)
    names, rows = table(ctx.engine.run(QueryRequest(text, limit=10_000)).body)
    return [dict(zip(names, row, strict=True)) for row in rows]


def _term(ctx: AppState, value: object, label: object = None) -> Term:
    if isinstance(value, ox.NamedNode):
        local = ctx.local_path(value.value)
        name = label.value if isinstance(label, ox.Literal) else None
        name = name or ctx.labels.name(value.value) or shorten(value.value)
        return Term(name, href=local or value.value, iri=value.value)
    if isinstance(value, ox.Literal):
        datatype = "" if value.language else shorten(value.datatype.value)
        if datatype == "xsd:string":
            datatype = ""
        return Term(value.value, language=value.language or "", datatype=datatype)
    return Term(str(value))


def resource_view(ctx: AppState, iri: str, kind: str, slug: str) -> ResourceView | None:
    properties = _rows(ctx, "properties", resource=iri,
                       inferred_graph=f"{ctx.base_iri}graph/inferred")  # fmt: skip
    incoming = _rows(ctx, "incoming", resource=iri)
    if not properties and not incoming:
        return None
    view = ResourceView(iri, kind, slug, ctx.labels.name(iri) or slug)
    for row in properties:
        prop, value = row["property"], row["value"]
        inferred = isinstance(row["inferred"], ox.Literal) and row["inferred"].value == "true"
        if prop.value in LABELS and isinstance(value, ox.Literal):
            view.labels.append((value.value, value.language or "", shorten(prop.value)))
            continue
        term = _term(ctx, value, row["label"])
        term.inferred = inferred
        if prop.value == RDF_TYPE:
            view.types.append(term)
        elif prop.value in EXTERNAL and isinstance(value, ox.NamedNode) and not \
                value.value.startswith(ctx.base_iri):  # fmt: skip
            view.external.append(Term(value.value, href=value.value, iri=value.value))
        else:
            view.properties.append((_term(ctx, prop), term))
    view.labels.sort(key=lambda x: (x[2], x[1], x[0]))
    for row in incoming:
        source = _term(ctx, row["subject"], row["label"])
        view.incoming.append((source, _term(ctx, row["property"])))
    for row in _rows(ctx, "posts", resource=iri):
        view.posts.append({
            key: (_term(ctx, row[key], row.get(f"{key}Label")) if row[key] is not None else None)
            for key in ("membership", "member", "organization", "post", "role")
        })  # fmt: skip
    for row in _rows(ctx, "events", resource=iri):
        view.events.append({
            "event": _term(ctx, row["event"], row["label"]),
            "start": row["start"].value if row["start"] is not None else "",
            "end": row["end"].value if row["end"] is not None else "",
            "role": shorten(row["role"].value),
        })  # fmt: skip
    for row in _rows(ctx, "evidence", resource=iri):
        article = row["article"].value
        start, end = row["start"].value, row["end"].value
        local = ctx.local_path(article) or article
        view.evidence.append({
            "article": _term(ctx, row["article"], row["title"]),
            "quote": row["exact"].value,
            "start": start,
            "end": end,
            "href": f"{local}#t-{start}-{end}",
        })  # fmt: skip
    view.jsonld = schema_org(view)
    if kind == "article":
        view.text_html = marked_text(ctx, slug) or ""
    return view


def schema_org(view: ResourceView) -> str:
    """The schema.org description search engines read from the page."""
    kinds = [t.iri.removeprefix(CTLD) for t in view.types if t.iri and t.iri.startswith(CTLD)]
    schema_type = next((SCHEMA_TYPES[k] for k in SCHEMA_TYPES if k in kinds), "Thing")
    names = [text for text, _, prop in view.labels if prop == "skos:prefLabel"]
    alternates = [text for text, _, prop in view.labels if prop == "skos:altLabel"]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": schema_type,
        "@id": view.iri,
        "name": view.title,
    }
    if alternates or len(names) > 1:
        data["alternateName"] = sorted(set(names + alternates) - {view.title})
    if view.external:
        data["sameAs"] = [t.iri for t in view.external]
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("</", "<\\/")


def article_text(ctx: AppState, article_id: str) -> str | None:
    """The body of an article as stored (the text every evidence offset points into)."""

    path = ctx.settings.project.articles_dir / f"{article_id}.txt"
    if not path.is_file():
        return None
    try:
        return read_article(path).text
    except CtldError:
        return None


def marked_text(ctx: AppState, article_id: str) -> str | None:
    """The article as HTML with an anchor `t-{start}-{end}` at every quoted span, so a
    quote's link lands on its place in the text."""
    text = article_text(ctx, article_id)
    if text is None:
        return None
    rows = _rows(ctx, "evidence-spans", article=f"{ctx.base_iri}id/article/{article_id}")
    spans = sorted({(int(r["start"].value), int(r["end"].value)) for r in rows})
    inserts: list[tuple[int, int, str]] = []  # position, order (closing first), markup
    covered = 0
    for start, end in spans:
        if end > len(text) or start > end:
            continue
        inserts.append((start, 2, f'<span id="t-{start}-{end}"></span>'))
        if start >= covered:
            inserts.append((start, 1, "<mark>"))
            inserts.append((end, 0, "</mark>"))
            covered = end
    out: list[str] = []
    at = 0
    for position, _, markup in sorted(inserts):
        out.append(html.escape(text[at:position]))
        out.append(markup)
        at = position
    out.append(html.escape(text[at:]))
    return "".join(out)
