"""Extraction: one article in, its entities, events, agreements and posts out, each with
the exact spans of text that state it, and the article's named graph from them.

The extractor (`extractor.py`) tokenizes once, matches the gazetteer once and hands a
shared context (`context.py`) to the finders (`finders/`); the types they exchange
live in `spans.py`, `hits.py` and `result.py`, below both. `graph.py` writes the Turtle
of an article graph, `report.py` the JSON report, `corpus.py` runs many articles and
`evaluation.py` scores the result against gold annotations.
"""
