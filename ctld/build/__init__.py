"""`ctld build`: from articles to a validated, reasoned, deterministic release in dist/.

`pipeline.build` runs the stages; `run.py` holds its options, result and report types;
`release.py` writes everything dist/ holds; `dumps/` has every writer of the dumps
(N-Quads, TriG, Turtle, N-Triples, JSON-LD, compression, canonical order).
"""
