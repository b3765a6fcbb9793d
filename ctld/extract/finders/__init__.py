"""The finders: each reads the article context and adds one kind of fact.

Names (persons, organizations beyond the gazetteer), posts, instruments, events,
resolution citations, and the phrase helpers the event and instrument finders share.
A finder imports the context and hit types, never the extractor that calls it.
"""
