"""Counts of the article graphs' fragment nodes (Web Annotations, targets, selectors),
taken while the release streams them.

The build's store leaves those nodes out (ctld.core.dataset.load_parts): they are nearly
nine triples in ten of an article graph and nothing queries them during a build. The
release still publishes them, so its VoID description must count them: each graph's
fragment triples are tallied as the dumps are written, and added to the statistics of
the store. A fragment node belongs to one article (its IRI is the article's own), so
counting its type triples counts distinct instances.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import cast

import pyoxigraph as ox

from ctld.build.dumps.pieces import Counts
from ctld.build.statistics import DatasetStatistics, vocabularies
from ctld.core.dataset import is_fragment

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass
class FragmentTally:
    triples: int = 0
    subjects: int = 0
    graphs: Counter[str] = field(default_factory=Counter)
    properties: Counter[str] = field(default_factory=Counter)
    classes: Counter[str] = field(default_factory=Counter)

    def add(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        subjects = set()
        for triple in triples:
            # the stub lets a subject be a Triple; pyoxigraph 0.5 (RDF 1.2) makes none
            if not is_fragment(triple.subject):  # type: ignore[arg-type]
                continue
            predicate = triple.predicate.value
            self.triples += 1
            self.graphs[graph] += 1
            self.properties[predicate] += 1
            subjects.add(triple.subject.value)  # type: ignore[union-attr]  # as above
            if predicate == RDF_TYPE:
                # ctld's sources hold no triple terms: an rdf:type object is never a Triple
                self.classes[cast(ox.NamedNode | ox.BlankNode, triple.object).value] += 1
        self.subjects += len(subjects)

    def merge(self, graph: str, counts: Counts) -> None:
        """Counts a worker took from a graph's N-Triples lines (ctld.build.dumps.pieces)."""
        if not counts.triples:
            return
        self.triples += counts.triples
        self.subjects += counts.subjects
        self.graphs[graph] += counts.triples
        self.properties.update(counts.properties)
        self.classes.update(counts.classes)

    def tallied(
        self, graphs: Iterable[tuple[str, list[ox.Triple]]]
    ) -> Iterator[tuple[str, list[ox.Triple]]]:
        """The graphs, unchanged, each counted on its way through."""
        for graph, triples in graphs:
            self.add(graph, triples)
            yield graph, triples


def with_fragments(stats: DatasetStatistics, tally: FragmentTally) -> DatasetStatistics:
    """The store's statistics plus the fragment nodes it did not hold."""
    classes = _added(stats.classes, tally.classes)
    properties = _added(stats.properties, tally.properties)
    return dataclasses.replace(
        stats,
        triples=stats.triples + tally.triples,
        distinct_subjects=stats.distinct_subjects + tally.subjects,
        classes=classes,
        properties=properties,
        graphs=_added(stats.graphs, tally.graphs),
        vocabularies=vocabularies([*classes, *properties]),
    )


def _added(base: dict[str, int], more: Counter[str]) -> dict[str, int]:
    merged = Counter(base)
    merged.update(more)
    return dict(sorted(merged.items()))
