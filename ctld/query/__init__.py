"""Running SPARQL: the embedded pyoxigraph store or a remote endpoint, the worker pool
that enforces time limits, the join planner, the packaged queries, the result formats,
and the Graph Store Protocol client that publishes a release into another store."""
