"""Checking the graph: SHACL (pyshacl, and Jena as a peer), the SPARQL quality checks,
OWL reasoning with HermiT, and the build's validation and reasoning stages.

`validation.validate` is the stable entry point over files; `dataset_validation`
validates a built dataset per article, in parallel; `inference` is the build's
reasoning stage; `hermit` and `jena` run the JVM tools.
"""
