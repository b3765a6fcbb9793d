"""`ctld serve`: the HTTP face of a release.

`app.create_app` is the factory; the routes (endpoint, API, pages, downloads,
reconciliation) read the shared state from `state.py` and never import the factory.
`site.py` writes the same pages as a static site; `commands.py` runs the serving
commands of the command line.
"""
