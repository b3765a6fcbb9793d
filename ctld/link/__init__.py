"""Linking to other graphs: the label index, name matching and the ranking behind the
reconciliation service, and the coverage of links to Wikidata, UNBIS and undocs.org."""
