"""The version of ctld, in one place: the package metadata, the build report and the
provenance of every article graph read it from here."""

VERSION = "0.1.0"
