"""Every word-splitting pattern of propscope, in one place.

Each featurizer (and the duplicate detector, the boilerplate marker) picks the pattern that its
model was trained with; changing one changes that model's features, so they are named by what
they keep rather than by who uses them.
"""

from __future__ import annotations

import re
import unicodedata

#: Runs of word characters.
WORDS = re.compile(r"\w+")
#: Whole words plus the marks that carry tone in paragraphs (exclamation, question, quotes).
WORDS_AND_MARKS = re.compile(r"\b\w+\b|[!?\"«»“”]")
#: Words and every single other non-space character (the evidence tagger's tokens).
WORDS_AND_PUNCTUATION = re.compile(r"\w+|[^\w\s]")
#: A sentence ends after . ! ? … (and closing quotes or brackets) followed by a space.
SENTENCE_END = re.compile(r"[.!?…]+[\"'»”’)\]]*(?=\s)")

_DIGIT = re.compile(r"\d")


def normalise(text: str) -> str:
    """NFKC, lower case, every digit ``0``: the paragraph tf-idf's view of a text."""
    return _DIGIT.sub("0", unicodedata.normalize("NFKC", text).lower())
