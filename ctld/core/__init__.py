"""The ground floor: what every stage shares and nothing of ctld's own sits under.

Errors, explicit settings, namespaces and the prefixes every writer uses, identifiers,
the project's RDF source and data files, query files, the dataset's named graphs,
atomic output and directory swaps, and the worker pools of the build. Nothing here
imports another ctld subpackage.
"""
