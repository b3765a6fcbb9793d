"""Write data/authorities/un-member-states.ttl: the UN Member States not curated in states.ttl.

Inputs
  data/reference/un-member-states.csv       the 193 Member States (ISO alpha-3, UN English name)
  data/reference/state-name-variants.csv    widespread names the catalogues lack (alpha3,lang,label)
  data/reference/state-name-corrections.csv fixes for wrong catalogue strings, and names dropped
                                            as too ambiguous (Togo in Russian is also "of that")
  data/authorities/states.ttl               the curated states, which are skipped
  pycountry                                 ISO 3166-1 codes and names, and its gettext catalogues
                                            for the names in fr, pt, es, ru and ar

Labels of a state, per language (en fr pt es ru ar), in this order, without case-blind repeats:
  1. the common name (pycountry `common_name`, e.g. "Iran", "Syria") if pycountry has one, else the
     ISO short name; this first label is the skos:prefLabel, every later one a skos:altLabel;
  2. the official name ("Islamic Republic of Iran");
  3. the ISO short name ("Iran, Islamic Republic of" -> "Islamic Republic of Iran");
  4. in English, the UN's name from un-member-states.csv ("Iran (Islamic Republic of)");
  5. the variants from state-name-variants.csv;
  6. in Russian, each label spelt with YO (U+0451) also spelt with IE (U+0435), as news text
     mostly writes it.

Clean-up of a catalogue string, in this order:
  - Arabic vowel marks (U+064B..U+0652) and Russian stress marks (U+0301) are removed, and the
    Arabic conjunction "wa" is joined to the next word as Arabic writes it (the catalogue has
    "البوسنة و الهرسك" for "البوسنة والهرسك"): labels are shown to users as well as matched,
    and news text does not write them so;
  - a string listed in state-name-corrections.csv is replaced by its correction (an empty correction
    drops it), and the next two steps are skipped;
  - a Russian or Arabic string that still contains Latin letters is an untranslated msgid: dropped;
  - un-inversion: ISO lists some names with the qualifier after a comma. A string "HEAD, QUALIFIER"
    (Latin or Arabic comma) becomes "QUALIFIER HEAD" ("Corée, République de" -> "République de
    Corée"), joined without a space after an apostrophe ("Iran, République islamique d'" ->
    "République islamique d'Iran"), or just "QUALIFIER" when the qualifier already contains the head
    (Arabic "كوريا، جمهورية كوريا" -> "جمهورية كوريا"); then a leading English "The" is dropped
    and the first letter is capitalised ("Vénézuela, république bolivarienne du" -> "République
    bolivarienne du Vénézuela").

English names are required; a state may lack names in another language when corrections dropped
them all (Spanish and Portuguese "Granada" for Grenada, also "grenade"); the script says so.

IRI: https://w3id.org/ctld/id/state/{slug}, the slug made from the English preferred label
(lower-case ASCII, accents stripped, any other run of characters -> "-"): iran, bolivia,
united-kingdom, federated-states-of-micronesia.

The output is sorted and byte-identical on every run with the same inputs; it is written to a
temporary file, parsed with rdflib, then renamed over the old file. `--check` writes nothing and
exits 1 if the file on disk is not what the inputs give.
"""

from __future__ import annotations

import argparse
import csv
import functools
import gettext
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pycountry
from pycountry.db import Country
from rdflib import Graph, Namespace

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"
MEMBERS_CSV = REFERENCE / "un-member-states.csv"
VARIANTS_CSV = REFERENCE / "state-name-variants.csv"
CORRECTIONS_CSV = REFERENCE / "state-name-corrections.csv"
CURATED_TTL = ROOT / "data" / "authorities" / "states.ttl"
OUTPUT_TTL = ROOT / "data" / "authorities" / "un-member-states.ttl"

CTLD = Namespace("https://w3id.org/ctld/ontology#")
STATE_BASE = "https://w3id.org/ctld/id/state/"
LANGUAGES = ("en", "fr", "pt", "es", "ru", "ar")  # the order of states.ttl
NON_LATIN = ("ru", "ar")

ARABIC_MARKS = re.compile("[\u064b-\u0652]")
ARABIC_AND = re.compile("(?<= )\u0648 +")  # a detached conjunction "wa" between two words
RUSSIAN_STRESS = "\u0301"
YO_TO_IE = str.maketrans("\u0451\u0401", "\u0435\u0415")  # Russian yo -> ie
LATIN_LETTER = re.compile("[A-Za-z]")
INVERTED = re.compile(r"^(?P<head>[^,\u060c]+)[,\u060c]\s*(?P<qualifier>[^,\u060c]+)$")
LEADING_THE = re.compile(r"^[Tt]he ")

Key = tuple[str, str]  # (alpha3, language)


@dataclass
class Inputs:
    members: dict[str, str]  # alpha3 -> UN English name
    variants: dict[Key, list[str]]
    corrections: dict[tuple[str, str, str], str]  # (alpha3, language, catalogue) -> label
    curated: set[str]  # alpha3 codes of the states in states.ttl
    used_corrections: set[tuple[str, str, str]] = field(default_factory=set)


@dataclass
class State:
    slug: str
    alpha2: str
    alpha3: str
    labels: dict[str, list[str]]  # language -> [prefLabel, altLabel, ...]


def read_csv(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a CSV file whose leading '#' lines are comments."""
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    yield from csv.DictReader(lines)


def read_inputs() -> Inputs:
    members = {row["alpha3"]: row["name"] for row in read_csv(MEMBERS_CSV)}
    variants: dict[Key, list[str]] = {}
    for row in read_csv(VARIANTS_CSV):
        variants.setdefault((row["alpha3"], row["lang"]), []).append(row["label"])
    corrections = {
        (row["alpha3"], row["lang"], row["catalogue"]): row["label"]
        for row in read_csv(CORRECTIONS_CSV)
    }
    graph = Graph().parse(CURATED_TTL, format="turtle")
    curated = {str(code) for code in graph.objects(None, CTLD.iso3166Alpha3)}
    inputs = Inputs(members, variants, corrections, curated)
    check_inputs(inputs)
    return inputs


def check_inputs(inputs: Inputs) -> None:
    """Fail on input mistakes: a wrong count, unknown codes, rows for curated states."""
    if len(inputs.members) != 193:
        sys.exit(f"{MEMBERS_CSV.name}: {len(inputs.members)} states, expected 193")
    listed = [(code, "variant") for code, _ in inputs.variants]
    listed += [(code, "correction") for code, _, _ in inputs.corrections]
    for code, kind in listed:
        if code not in inputs.members or code in inputs.curated:
            sys.exit(f"{kind} for {code}: not a Member State, or curated in states.ttl")
    languages = {lang for _, lang in inputs.variants} | {lang for _, lang, _ in inputs.corrections}
    if not languages <= set(LANGUAGES):
        sys.exit(f"unknown language in variants or corrections: {languages - set(LANGUAGES)}")


def natural_order(name: str) -> str:
    """Un-invert an ISO catalogue name (the rule is in the module docstring)."""
    match = INVERTED.match(name)
    if match is not None:
        head, qualifier = match["head"].strip(), match["qualifier"].strip()
        if head.casefold() in qualifier.casefold():
            name = qualifier
        elif qualifier.endswith(("'", "\u2019")):
            name = qualifier + head
        else:
            name = f"{qualifier} {head}"
    name = LEADING_THE.sub("", name)
    return name[:1].upper() + name[1:]


def clean(text: str, lang: str) -> str:
    text = unicodedata.normalize("NFC", text.strip())
    if lang == "ar":
        text = ARABIC_AND.sub("\u0648", ARABIC_MARKS.sub("", text))
    if lang == "ru":
        text = text.replace(RUSSIAN_STRESS, "")
    return text


def localised(inputs: Inputs, alpha3: str, lang: str, msgid: str) -> str | None:
    """The name msgid in language lang, cleaned, corrected and un-inverted; None if unusable."""
    catalogue = catalogues()[lang]
    text = clean(catalogue.gettext(msgid), lang)
    key = (alpha3, lang, text)
    if key in inputs.corrections:
        inputs.used_corrections.add(key)
        return inputs.corrections[key] or None
    if lang in NON_LATIN and LATIN_LETTER.search(text):
        return None
    return natural_order(text)


@functools.cache
def catalogues() -> dict[str, gettext.NullTranslations]:
    """pycountry's ISO 3166-1 catalogue per language; English names are the msgids themselves."""
    result = {"en": gettext.NullTranslations()}
    for lang in LANGUAGES[1:]:
        result[lang] = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    return result


def unique(labels: list[str | None]) -> list[str]:
    """Labels in order, without empty ones and without case-insensitive repeats."""
    seen: set[str] = set()
    result = []
    for label in labels:
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            result.append(label)
    return result


def state_labels(inputs: Inputs, country: Country, lang: str) -> list[str]:
    alpha3 = country.alpha_3
    common = getattr(country, "common_name", None)
    msgids = [common or country.name, getattr(country, "official_name", None), country.name]
    labels: list[str | None] = [localised(inputs, alpha3, lang, m) for m in msgids if m]
    if lang == "en":
        labels.append(inputs.members[alpha3])
    labels += inputs.variants.get((alpha3, lang), [])
    if lang == "ru":
        labels += [label.translate(YO_TO_IE) for label in labels if label]
    return unique(labels)


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def build_states(inputs: Inputs) -> list[State]:
    states = []
    for alpha3 in sorted(set(inputs.members) - inputs.curated):
        country = pycountry.countries.get(alpha_3=alpha3)
        if country is None:
            sys.exit(f"{alpha3}: not in pycountry {version('pycountry')}")
        labels = {lang: state_labels(inputs, country, lang) for lang in LANGUAGES}
        if not labels["en"]:
            sys.exit(f"{alpha3}: no English name")
        missing = [lang for lang, names in labels.items() if not names]
        if missing:  # every name in these languages was dropped by a correction
            print(f"note: {alpha3} has no name in {', '.join(missing)}")
        states.append(State(slugify(labels["en"][0]), country.alpha_2, alpha3, labels))
    unused = set(inputs.corrections) - inputs.used_corrections
    if unused:
        sys.exit(f"corrections that match no catalogue string: {sorted(unused)}")
    slugs = [state.slug for state in states]
    if len(set(slugs)) != len(slugs):
        sys.exit("two states have the same slug")
    return sorted(states, key=lambda state: state.slug)


def literal(text: str, lang: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{lang}'


def state_turtle(state: State) -> str:
    prefs = [literal(names[0], lang) for lang, names in state.labels.items() if names]
    lines = [f"st:{state.slug}", "    a ctld:State ;"]
    lines.append("    skos:prefLabel " + " ,\n        ".join(prefs) + " ;")
    alt_lines = [
        " , ".join(literal(name, lang) for name in names[1:])
        for lang, names in state.labels.items()
        if len(names) > 1
    ]
    if alt_lines:
        lines.append("    skos:altLabel " + " ,\n        ".join(alt_lines) + " ;")
    lines.append(f'    ctld:iso3166Alpha2 "{state.alpha2}" ;')
    lines.append(f'    ctld:iso3166Alpha3 "{state.alpha3}" .')
    return "\n".join(lines) + "\n"


def document(states: list[State]) -> str:
    header = [
        "# ctld authorities: the UN Member States not curated in states.ttl.",
        f"# generated by tools/build_states.py from pycountry {version('pycountry')} and "
        "data/reference/un-member-states.csv; do not edit by hand; the curated states are in "
        "states.ttl",
        "# Names from pycountry's ISO 3166-1 catalogues (un-inverted, see the script), "
        "data/reference/state-name-variants.csv",
        "# and data/reference/state-name-corrections.csv. "
        f"{len(states)} states; with the {193 - len(states)} in states.ttl, "
        "the 193 Member States of the United Nations.",
        "",
        "@prefix ctld: <https://w3id.org/ctld/ontology#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        f"@prefix st:   <{STATE_BASE}> .",
        "",
    ]
    return "\n".join(header) + "\n" + "\n".join(state_turtle(state) for state in states)


def write_atomically(path: Path, text: str) -> None:
    """Write text to a temporary file beside path, check that it parses, then rename it."""
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="\n", dir=path.parent, suffix=".tmp", delete=False
    ) as handle:
        handle.write(text)
    try:
        Graph().parse(handle.name, format="turtle")
        os.chmod(handle.name, 0o644)  # a temporary file is created private
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the output file is out of date"
    )
    args = parser.parse_args()
    text = document(build_states(read_inputs()))
    if args.check:
        current = OUTPUT_TTL.read_text(encoding="utf-8") if OUTPUT_TTL.exists() else ""
        if current != text:
            print(f"{OUTPUT_TTL.relative_to(ROOT)} is out of date", file=sys.stderr)
            return 1
        return 0
    write_atomically(OUTPUT_TTL, text)
    print(f"wrote {OUTPUT_TTL.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
