"""From an Extraction to the Turtle of its article's named graph.

Every fact an article yields lives in its graph (graph/article/{id}), which
prov:wasDerivedFrom the article. Every mention, event, instrument and tenure carries
evidence as a W3C Web Annotation: the exact quote (oa:TextQuoteSelector) and its
character offsets in the article text (oa:TextPositionSelector, counted in Unicode code
points, as the Web Annotation model requires). The quote has no oa:prefix / oa:suffix:
they exist to re-anchor a quote in a document that may change, while ours is stored as
published and the offsets locate it; they were a third of an article graph's bytes.
Nodes have IRIs derived from the article and the offsets, never blank nodes, so a
re-run writes the same bytes. ctld.core.turtle writes the text.
"""

from __future__ import annotations

import hashlib

from ctld.core.identifiers import article_iri, undocs_page
from ctld.core.namespaces import CTLD, GRAPH, ORG, PREFIXES, SERIALIZE_PREFIXES
from ctld.core.turtle import Triple, Writer, literal
from ctld.core.version import VERSION
from ctld.extract.hits import AgreementHit, EntityHit, EventHit, PostHit
from ctld.extract.result import Extraction
from ctld.extract.spans import Span

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = PREFIXES["skos"]
DCT = PREFIXES["dcterms"]
PROV = PREFIXES["prov"]
OA = PREFIXES["oa"]
SCHEMA = PREFIXES["schema"]
FOAF = PREFIXES["foaf"]
_C = str(CTLD)  # plain strings: an rdflib Namespace attribute builds a URIRef each time
_LINKS = {"topic": "topic", "resolution": "references", "instrument": "references"}
NON_NEGATIVE = XSD + "nonNegativeInteger"
EVENT_NAMES = {
    "Signing": "Signing", "Conference": "Conference", "Meeting": "Meeting",
    "SideEvent": "Side event", "Talks": "Talks", "Session": "Session", "Workshop": "Workshop",
    "Operation": "Operation", "Event": "Event",
}  # fmt: skip
THIS = "this"  # the prefix of the article's own fragments: annotations, targets, selectors


class _Triples:
    """Triples as plain strings: cheap to collect, hash, sort and write; the quoted
    spans (start, end) -> exact text, whose target and selector nodes are written
    straight from a template."""

    def __init__(self) -> None:
        self.items: set[Triple] = set()
        self.spans: dict[tuple[int, int], str] = {}
        self.annotations: dict[str, tuple[set[str], set[tuple[int, int]]]] = {}

    def add(self, s: str, p: str, o: str) -> None:
        self.items.add((s, p, ("iri", o, "")))

    def text(self, s: str, p: str, value: str, language: str | None = None) -> None:
        self.items.add((s, p, ("text", value, language or "")))

    def typed(self, s: str, p: str, value: str, datatype: str) -> None:
        self.items.add((s, p, ("typed", value, XSD + datatype)))


def graph_iri(article_id: str) -> str:
    return f"{GRAPH}article/{article_id}"


def article_triples(extraction: Extraction) -> _Triples:
    article = extraction.article
    t = _Triples()
    doc = article_iri(article.id)
    lang = article.language
    graph = graph_iri(article.id)
    t.add(graph, RDF_TYPE, PROV + "Entity")
    t.add(graph, PROV + "wasDerivedFrom", doc)
    t.text(graph, DCT + "creator", f"ctld {VERSION} (ctld extract)")
    t.add(doc, RDF_TYPE, _C + "NewsArticle")
    t.text(doc, DCT + "title", article.title or _first_line(article.text), lang)
    t.text(doc, SCHEMA + "inLanguage", lang)
    if article.published:
        t.typed(doc, SCHEMA + "datePublished", article.published.isoformat(), "date")
    if article.url:
        t.add(doc, SCHEMA + "url", article.url)
    if article.publisher:
        t.text(doc, DCT + "publisher", article.publisher)
    if article.origin:
        t.text(doc, DCT + "source", article.origin)
    for hit in extraction.entities.values():
        _entity(t, doc, hit, lang)
    for post in extraction.posts:
        _post(t, doc, post, extraction, lang)
    for agreement in extraction.agreements:
        _agreement(t, doc, agreement, lang)
    labels = _event_labels(extraction)
    for event in extraction.events:
        _event(t, doc, event, extraction, labels[event.iri])
    return t


def serialize(extraction: Extraction) -> bytes:
    article_id = extraction.article.id
    header = (
        f"# Graph <{graph_iri(article_id)}>: the facts of article "
        f"{article_id}, written by `ctld extract`. Do not edit: re-run it.\n"
    ).encode()
    doc = article_iri(article_id)
    # The annotations, targets and selectors of this article are named in its own
    # fragment space: "this:t-103-112" rather than the full IRI, each time.
    writer = Writer({**SERIALIZE_PREFIXES, THIS: f"{doc}#"})
    t = article_triples(extraction)
    nodes = _targets(writer, doc, t.spans) + _annotations(writer, doc, t)
    return header + writer.write(t.items, nodes).encode("utf-8")


def _targets(writer: Writer, doc: str, spans: dict[tuple[int, int], str]) -> list[tuple[str, str]]:
    """For each quoted span: the oa:SpecificResource and its two selectors, rendered
    directly (their shape is fixed), predicates in the order the sorted path uses."""
    nodes = []
    source, xsd_type = writer.iri(doc), writer.iri(NON_NEGATIVE)
    a_target, a_quote, a_position = (
        writer.iri(OA + name)
        for name in ("SpecificResource", "TextQuoteSelector", "TextPositionSelector")
    )
    selector, has_source, exact_p = OA + "hasSelector", OA + "hasSource", OA + "exact"
    start_p, end_p = OA + "start", OA + "end"
    for (start, end), exact in spans.items():
        where = f"-{start}-{end}"
        q, p = f"{THIS}:q{where}", f"{THIS}:p{where}"
        nodes.append((f"{doc}#t{where}", writer.node(f"{THIS}:t{where}", [
            (RDF_TYPE, a_target), (selector, f"{p} , {q}"), (has_source, source),
        ])))  # fmt: skip
        nodes.append((f"{doc}#q{where}", writer.node(q, [
            (RDF_TYPE, a_quote), (exact_p, literal(exact)),
        ])))  # fmt: skip
        nodes.append((f"{doc}#p{where}", writer.node(p, [
            (RDF_TYPE, a_position), (end_p, f'"{end}"^^{xsd_type}'),
            (start_p, f'"{start}"^^{xsd_type}'),
        ])))  # fmt: skip
    return nodes


def _entity(t: _Triples, doc: str, hit: EntityHit, lang: str) -> None:
    t.add(doc, _C + _LINKS.get(hit.category, "mentions"), hit.iri)
    if hit.candidate:
        _candidate(t, hit, lang)
    for span in hit.mentions:
        _annotate(t, doc, hit.iri, span, OA + "identifying")


def _candidate(t: _Triples, hit: EntityHit, lang: str) -> None:
    t.add(hit.iri, RDF_TYPE, _C + "Candidate")
    for cls in hit.types:
        t.add(hit.iri, RDF_TYPE, cls)
    if hit.category == "resolution" and hit.symbol:
        sc = hit.symbol.startswith("S/")
        body = "security-council" if sc else "general-assembly"
        t.text(hit.iri, SKOS + "prefLabel", _resolution_label(hit.symbol), "en")
        t.text(hit.iri, _C + "symbol", hit.symbol)
        t.add(hit.iri, _C + "adoptedBy", f"https://w3id.org/ctld/id/organization/un-{body}")
        t.add(hit.iri, FOAF + "page", undocs_page(hit.symbol))
        if sc:
            t.typed(hit.iri, _C + "adoptionDate", hit.symbol[-5:-1], "gYear")
        return
    t.text(hit.iri, SKOS + "prefLabel", hit.label, lang)


def _resolution_label(symbol: str) -> str:
    if symbol.startswith("S/RES/"):
        return f"Security Council resolution {symbol[len('S/RES/') :]}"
    return f"General Assembly resolution {symbol[len('A/RES/') :]}"


def _post(t: _Triples, doc: str, post: PostHit, extraction: Extraction, lang: str) -> None:
    t.add(doc, _C + "reports", post.membership)
    t.add(post.person, _C + "holdsPost", post.post)
    m = post.membership
    t.add(m, RDF_TYPE, _C + "Membership")
    t.add(m, str(ORG.member), post.person)
    if post.organization:
        t.add(m, str(ORG.organization), post.organization)
    t.add(m, _C + "post", post.post)
    if post.role:
        t.add(m, str(ORG.role), post.role)
    if post.role_minted and post.role:
        t.add(post.role, RDF_TYPE, _C + "Role")
        t.add(post.role, RDF_TYPE, _C + "Candidate")
        t.text(post.role, SKOS + "prefLabel", post.role_label.casefold(), lang)
    if post.minted:
        t.add(post.post, RDF_TYPE, _C + "Post")
        t.add(post.post, RDF_TYPE, _C + "Candidate")
        org = extraction.label(post.organization) if post.organization else ""
        t.text(post.post, SKOS + "prefLabel", f"{post.role_label.casefold()} ({org})", lang)
        if post.organization:
            t.add(post.post, _C + "postIn", post.organization)
        if post.role:
            t.add(post.post, str(ORG.role), post.role)
    _annotate(t, doc, m, post.evidence, OA + "describing")


def _agreement(t: _Triples, doc: str, agreement: AgreementHit, lang: str) -> None:
    t.add(doc, _C + "reports", agreement.iri)
    if agreement.candidate:
        t.add(agreement.iri, RDF_TYPE, _C + agreement.kind)
        t.add(agreement.iri, RDF_TYPE, _C + "Candidate")
        t.text(agreement.iri, SKOS + "prefLabel", agreement.title, lang)
        for party in agreement.parties:
            t.add(agreement.iri, _C + "party", party)
        for person in agreement.signatories:
            t.add(agreement.iri, _C + "signatory", person)
        if agreement.date is not None and agreement.date.usable:
            value, datatype = agreement.date.lexical()
            if datatype != "gMonthDay":
                t.typed(agreement.iri, _C + "adoptionDate", value, datatype)
    for span in [*agreement.mentions, *agreement.evidence]:
        _annotate(t, doc, agreement.iri, span, OA + "describing")


def _event_labels(extraction: Extraction) -> dict[str, str]:
    """ "Conference (2019-05-16, Dushanbe)"; a label that two events of one article would
    share gets the event's number in the article."""
    base = {}
    for event in extraction.events:
        parts = [event.date.begin.iso()] if event.date else ["undated"]
        if event.place:
            parts.append(extraction.label(event.place))
        base[event.iri] = f"{EVENT_NAMES.get(event.kind, 'Event')} ({', '.join(parts)})"
    counts: dict[str, int] = {}
    for label in base.values():
        counts[label] = counts.get(label, 0) + 1
    return {
        iri: label if counts[label] == 1 else f"{label} [{iri.rsplit('-', 1)[-1]}]"
        for iri, label in base.items()
    }


def _event(t: _Triples, doc: str, event: EventHit, extraction: Extraction, label: str) -> None:
    e = event.iri
    t.add(doc, _C + "reports", e)
    t.add(e, RDF_TYPE, _C + event.kind)
    date = event.date
    t.text(e, SKOS + "prefLabel", label, "en")
    if date is None:
        t.typed(e, _C + "undated", "true", "boolean")
    else:
        value, datatype = date.begin.lexical()
        t.typed(e, _C + "startDate", value, datatype)
        if date.finish is not None and date.finish.usable:
            end, end_type = date.finish.lexical()
            t.typed(e, _C + "endDate", end, end_type)
        if not event.date_from_article:
            t.text(e, _C + "dateText", date.text, extraction.article.language)
        if event.date_from_article or date.year_completed:
            t.add(e, _C + "yearCompletedFrom", doc)
    if event.place:
        t.add(e, _C + "location", event.place)
    for iri in event.organizers:
        t.add(e, _C + "organizer", iri)
    for iri in event.participants:
        t.add(e, _C + "participant", iri)
    for iri in event.instruments:
        t.add(iri, _C + "signedAt", e)
    for span in [*event.mentions, event.evidence]:
        _annotate(t, doc, e, span, OA + "describing")


def _annotate(t: _Triples, doc: str, body: str, span: Span, motivation: str) -> None:
    """The oa:Annotation of `body` gets the span as one more target (an annotation has
    one or more targets: all the places the article names or states it), each target
    with both selectors."""
    motivations, spans = t.annotations.setdefault(body, (set(), set()))
    motivations.add(motivation)
    spans.add((span.start, span.end))
    t.spans[(span.start, span.end)] = span.text


def _annotations(writer: Writer, doc: str, t: _Triples) -> list[tuple[str, str]]:
    """One oa:Annotation per body, rendered directly like the targets."""
    nodes = []
    a_annotation = writer.iri(OA + "Annotation")
    for body, (motivations, spans) in t.annotations.items():
        local = f"a-{_short(body)}"
        targets = sorted(f"t-{start}-{end}" for start, end in spans)
        nodes.append((f"{doc}#{local}", writer.node(f"{THIS}:{local}", [
            (RDF_TYPE, a_annotation),
            (OA + "hasBody", writer.iri(body)),
            (OA + "hasTarget", " , ".join(f"{THIS}:{target}" for target in targets)),
            (OA + "motivatedBy", " , ".join(writer.iri(m) for m in sorted(motivations))),
        ])))  # fmt: skip
    return nodes


def _short(iri: str) -> str:
    tail = iri.rsplit("/", 2)
    readable = "-".join(tail[-2:]) if len(tail) >= 2 else tail[-1]
    return readable.replace("_", "-")[:60] + "-" + hashlib.sha1(iri.encode()).hexdigest()[:6]


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            stripped = line.strip()
            return stripped if len(stripped) <= 160 else stripped[:159] + "…"
    return "(untitled)"
