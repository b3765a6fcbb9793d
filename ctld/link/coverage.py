"""`ctld links`: which entities are linked to other datasets, per class, and which not.

Linked-data maintainers need to see the gaps (which bodies lack a verified Wikidata
item, which resolutions lack their undocs.org page) before they can close them; the
counts come from the release, so they describe what was published.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from ctld.core.namespaces import shorten
from ctld.core.queryfiles import read_query_file
from ctld.core.settings import Settings
from ctld.query.engine import QueryRequest, StoreEngine
from ctld.query.packaged import packaged_query
from ctld.query.results import ValueTerm, table
from ctld.query.store import Release, memory_store

TARGETS = {
    "wikidata": "http://www.wikidata.org/entity/",
    "unbis": "http://metadata.un.org/thesaurus/",
    "undocs": "https://undocs.org/",
    "geonames": "https://sws.geonames.org/",
}


@dataclass
class ClassLinks:
    entities: set[str] = field(default_factory=set)
    linked: set[str] = field(default_factory=set)
    coded: set[str] = field(default_factory=set)  # entities with an ISO 3166 code
    targets: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def unlinked(self) -> list[str]:
        return sorted(self.entities - self.linked)


def target_kind(link: str) -> str:
    for name, prefix in TARGETS.items():
        if link.startswith(prefix):
            return name
    return "other"


def link_report(settings: Settings, release_dir: Path) -> dict[str, ClassLinks]:
    """Class IRI → its entities, the linked ones, and links per target dataset."""
    query = packaged_query(read_query_file(settings.root / "sparql" / "reports" / "links.rq"))
    text = query.bind({"inferred": f"{settings.base_iri}graph/inferred"}, settings.base_iri)
    engine = StoreEngine(memory_store(Release(release_dir)))
    _, rows = table(engine.run(QueryRequest(text, limit=10**9)).body)
    report: dict[str, ClassLinks] = defaultdict(ClassLinks)
    for entity, cls, link, iso in cast(list[list[ValueTerm | None]], rows):
        # links.rq binds ?entity and ?class in every row; ?link and ?iso may be unbound
        entity, cls = cast(ValueTerm, entity), cast(ValueTerm, cls)
        entry = report[cls.value]
        entry.entities.add(entity.value)
        if link is not None:
            entry.linked.add(entity.value)
            entry.targets[target_kind(link.value)] += 1
        if iso is not None:
            entry.linked.add(entity.value)
            entry.coded.add(entity.value)
    for entry in report.values():  # an ISO code counts once per entity, not per link row
        entry.targets = dict(entry.targets)
        if entry.coded:
            entry.targets["iso3166"] = len(entry.coded)
    return dict(sorted(report.items()))


def as_json(report: dict[str, ClassLinks]) -> dict:
    return {
        shorten(cls): {
            "entities": len(entry.entities),
            "linked": len(entry.linked),
            "unlinked": len(entry.unlinked),
            "links": dict(sorted(entry.targets.items())),
            "unlinked_entities": entry.unlinked,
        }
        for cls, entry in report.items()
    }


def as_text(report: dict[str, ClassLinks], unlinked: bool = False) -> str:
    kinds = sorted({k for entry in report.values() for k in entry.targets})
    head = f"{'class':<36}{'entities':>9}{'linked':>8}{'unlinked':>9}" + "".join(
        f"{k:>10}" for k in kinds
    )
    lines = [head]
    for cls, entry in report.items():
        counts = "".join(f"{entry.targets.get(k, 0):>10}" for k in kinds)
        lines.append(f"{shorten(cls):<36}{len(entry.entities):>9}{len(entry.linked):>8}"
                     f"{len(entry.unlinked):>9}{counts}")  # fmt: skip
        if unlinked:
            lines.extend(f"    unlinked: {iri}" for iri in entry.unlinked)
    return "\n".join(lines) + "\n"
