"""A span of article text: where a fact's words are, and the words themselves.

Every hit carries spans, and every span becomes the evidence of a fact in the graph
(an exact quote with its code-point offsets), so it is the type everything else in
extraction shares.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
