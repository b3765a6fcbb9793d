"""Guessing an article's language when its front matter does not say.

lingua-language-detector is used because it is accurate on short texts (it tells
Portuguese from Spanish in a headline) and needs no network or model download. The
detector is built on first use and restricted to the languages ctld has lexicons or
stemmers for, which keeps it fast and its answers in the set the extractor handles.
"""

from __future__ import annotations

from lingua import IsoCode639_1, LanguageDetector, LanguageDetectorBuilder

LANGUAGES = ("en", "fr", "es", "pt", "ru", "ar", "de", "it", "nl", "tr", "uk", "zh")


class LanguageGuesser:
    def __init__(self, languages: tuple[str, ...] = LANGUAGES) -> None:
        self._codes = [getattr(IsoCode639_1, code.upper()) for code in languages]
        self._detector: LanguageDetector | None = None

    def __call__(self, text: str) -> str | None:
        if not text.strip():
            return None
        if self._detector is None:
            self._detector = LanguageDetectorBuilder.from_iso_codes_639_1(*self._codes).build()
        language = self._detector.detect_language_of(text[:5000])
        return language.iso_code_639_1.name.lower() if language is not None else None
