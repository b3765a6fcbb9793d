"""The dumps: every named graph and their union, in each RDF syntax, gzipped, in a
canonical order, so that two builds of the same inputs give the same bytes."""
