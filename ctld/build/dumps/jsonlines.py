"""JSON-LD node objects written straight from sorted N-Triples lines, for the union dump.

Making a Python term for each of ten million triples, and a dict for each node, cost
2.4 µs a triple in ctld.build.dumps.jsonld's NodeWriter: a tenth of a 10,000-article build's CPU.
pyoxigraph's N-Triples lines already hold what a node object needs: an IRI between < >,
and a literal's quoted text, which is its JSON string as it stands, since the escapes
N-Triples writes (\\" \\\\ \\n \\r \\t \\b \\f) are JSON's too. A subject whose lines
break that rule (a \\u escape, a blank node, a base direction) goes to NodeWriter, whose
bytes these are in every case: keys sorted, values sorted by the same keys, the same
JSON settings. tests/test_jsonlines.py holds the two writers to that.
"""

from __future__ import annotations

import json
import re

import pyoxigraph as ox

from ctld.build.dumps.jsonld import ENCODE_JSON as _ENCODE  # NodeWriter's settings: the same bytes
from ctld.build.dumps.jsonld import RDF_TYPE, XSD_STRING, NodeWriter

_TYPE = f"<{RDF_TYPE}>".encode()
_IRI, _QUOTE, _AT = ord("<"), ord('"'), ord("@")
_STRING_SUFFIX = f"^^<{XSD_STRING}>".encode()
_PLAIN = re.compile(rb"[A-Za-z0-9_-]+").fullmatch  # holds no namespace end
_Refs = dict[bytes, tuple[str, str]]  # an IRI term -> its short form, and that as JSON


class LineNodes:
    """Node objects for one context, from chunks of sorted, unique N-Triples lines."""

    def __init__(self, writer: NodeWriter) -> None:
        self._writer = writer
        self._keys: dict[bytes, tuple[str, str, str]] = {}  # predicate -> key, as JSON, coercion
        self._ends = [end.encode() for end in writer.ends]
        self._stems: dict[bytes, str] = {}  # "<" + IRI up to its last possible namespace end
        self._id = _ENCODE(writer.id_key)
        self._type = _ENCODE(writer.type_key)

    def texts(self, chunk: bytes) -> list[str]:
        """One node object per run of lines with the same subject. One loop, no call per
        line but on a new IRI or predicate: this runs ten million times a build."""
        refs: _Refs = {}  # for one chunk: a chunk's fragment IRIs are not seen again
        keys, writer = self._keys, self._writer
        id_key, bare_strings = self._id, writer.bare_strings
        lines = chunk.split(b"\n")
        if lines and not lines[-1]:
            lines.pop()
        nodes: list[str] = []
        subject, start, unusual = b"", 0, False
        types: dict[str, str] = {}
        values: dict[tuple[str, str], dict[tuple[str, str, str], str]] = {}
        for index, line in enumerate(lines):
            head, predicate, obj = line.split(b" ", 2)
            if head != subject:
                if index:
                    nodes.append(self._slow(lines[start:index]) if unusual
                                 else self._close(subject, types, values, refs))  # fmt: skip
                subject, start, types, values = head, index, {}, {}
                unusual = head[:1] != b"<"  # a blank node
            if unusual:
                continue
            obj = obj[:-2]  # " ."
            first = obj[0]
            if first == _IRI:
                found = refs.get(obj)
                if found is None:
                    found = refs[obj] = self._ref(obj)
                if predicate == _TYPE:
                    types[found[0]] = found[1]
                    continue
                entry = keys.get(predicate) or self._key(predicate)
                value = found[1] if entry[2] == "@id" else "{" + id_key + ":" + found[1] + "}"
                values.setdefault(entry[:2], {})[("0", found[0], "")] = value
                continue
            if first != _QUOTE:
                unusual = True  # a blank node
                continue
            entry = keys.get(predicate) or self._key(predicate)
            end = obj.rindex(b'"')
            lexical, suffix = obj[1:end], obj[end + 1 :]
            if b"\\" in lexical:
                if b"\\u" in lexical or b"\\U" in lexical:
                    unusual = True  # JSON has no \U, and writes \u escapes in lower case
                    continue
                text = '"' + lexical.decode("utf-8") + '"'
                plain = json.loads(text)
            else:
                plain = lexical.decode("utf-8")
                text = '"' + plain + '"'
            if not suffix or suffix == _STRING_SUFFIX:
                sort_key = ("1", plain, "")
                value = text if entry[2] == "" and bare_strings else '{"@value":' + text + "}"
            elif suffix[0] == _AT:
                language = suffix[1:].decode("ascii")
                if "--" in language:
                    unusual = True  # a base direction
                    continue
                sort_key = ("2", language, plain)
                value = '{"@value":' + text + ',"@language":"' + language + '"}'
            else:
                datatype = suffix[3:-1].decode("utf-8")
                sort_key = ("3", plain, datatype)
                if datatype == entry[2]:
                    value = text
                else:
                    value = (
                        '{"@value":' + text + ',"@type":' + _short(writer.iri(datatype))[1] + "}"
                    )
            values.setdefault(entry[:2], {})[sort_key] = value
        if lines:
            nodes.append(self._slow(lines[start:]) if unusual
                         else self._close(subject, types, values, refs))  # fmt: skip
        return nodes

    def _ref(self, term: bytes) -> tuple[str, str]:
        """NodeWriter.iri's short form of an IRI term, and its JSON. Most IRIs end in a
        plain name after their last possible namespace end (`#t-1-2`): for those, the
        part before is looked up once and the name appended, as NodeWriter does."""
        cut = max([term.rfind(end) for end in self._ends], default=-1) + 1
        rest = term[cut:-1]
        if cut > 1 and _PLAIN(rest):
            stem = term[:cut]
            written = self._stems.get(stem)
            if written is None:
                whole = stem[1:].decode("utf-8") + "x"
                short = self._writer.iri(whole)
                written = self._stems[stem] = short[:-1] if short != whole else ""
            if written:
                return _short(written + rest.decode("ascii"))
        return _short(self._writer.iri(term[1:-1].decode("utf-8")))

    def _key(self, predicate: bytes) -> tuple[str, str, str]:
        key, coercion = self._writer.key(predicate[1:-1].decode("utf-8"))
        found = self._keys[predicate] = (key, _ENCODE(key), coercion)
        return found

    def _close(self, subject: bytes, types: dict[str, str],
               values: dict[tuple[str, str], dict[tuple[str, str, str], str]],
               refs: _Refs) -> str:  # fmt: skip
        found = refs.get(subject)
        if found is None:
            found = self._ref(subject)
        text = "{" + self._id + ":" + found[1]
        if types:
            if len(types) > 1:
                text += "," + self._type + ":[" + ",".join(types[t] for t in sorted(types)) + "]"
            else:
                text += "," + self._type + ":" + next(iter(types.values()))
        for key in sorted(values):
            found_values = values[key]
            if len(found_values) > 1:
                text += (
                    ","
                    + key[1]
                    + ":["
                    + ",".join(found_values[k] for k in sorted(found_values))
                    + "]"
                )
            else:
                text += "," + key[1] + ":" + next(iter(found_values.values()))
        return text + "}"

    def _slow(self, lines: list[bytes]) -> str:
        triples = list(ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_TRIPLES))
        return self._writer.node(triples[0].subject, [(t.predicate, t.object) for t in triples])


def _short(short: str) -> tuple[str, str]:
    """A short form and its JSON string; valid IRIs hold no character JSON escapes."""
    if short.isprintable() and '"' not in short and "\\" not in short:
        return short, '"' + short + '"'
    return short, _ENCODE(short)
