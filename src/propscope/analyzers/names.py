"""Names in running text: words, capitalised runs, and the normalised form that groups mentions.

Shared by the quotes and entities analyzers. Everything here is a single left-to-right pass.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .speech_lexicon import DETERMINERS, NON_PERSON, OF_WORDS, ROLES, TITLES, word_set

# Words, with inner hyphens and dots of initials kept ("Royaume-Uni", "a-t-elle", "J.").
WORD = re.compile(r"\w+(?:[-‐]\w+)*\.?", re.UNICODE)


class Token:
    """A word with its offsets; ``lower`` without a trailing dot, ``capitalised`` by its first
    letter. A plain class with slots: articles have thousands of words."""

    __slots__ = ("text", "start", "end", "lower", "capitalised")

    def __init__(self, text: str, start: int, end: int):
        self.text = text  # without a trailing dot unless it is an initial ("J.")
        self.start = start
        self.end = end
        self.lower = text.lower().rstrip(".")
        self.capitalised = text[0].isupper()

    def __len__(self) -> int:
        return self.end - self.start

    def __repr__(self) -> str:
        return f"Token({self.text!r}, {self.start}, {self.end})"


def tokens(text: str, offset: int = 0, end: int | None = None) -> list[Token]:
    """Words of ``text[offset:end]`` with absolute offsets; a trailing dot is kept only on
    initials and titles ("J.", "M.", "Dr.")."""
    result = []
    for match in WORD.finditer(text, offset, len(text) if end is None else end):
        word, start, stop = match.group(), match.start(), match.end()
        if word.endswith(".") and len(word) > 3 and word[:-1].lower() not in TITLES:
            word, stop = word[:-1], stop - 1
        result.append(Token(word, start, stop))
    return result


# German compounds name a role or a body in one capitalised word ("Kremlsprecher",
# "BASF-Chef", "Außenministeriums"): they are not part of a person's name.
_ROLE_ENDINGS = (
    "sprecher", "sprecherin", "minister", "ministerin", "chef", "chefin", "politiker",
    "politikerin", "wissenschaftler", "wissenschaftlerin", "trainer", "trainerin", "landrat",
    "präsident", "präsidentin", "kanzler", "kanzlerin", "vorsitzende", "vorsitzender", "experte",
    "expertin", "ärztin", "arzt", "führer", "leiter", "leiterin", "direktor", "direktorin",
)
_BODY_PARTS = ("ministeri", "regierung", "partei", "amtes", "kommission", "zeitung")
_LONG_BODIES = tuple(w for w in NON_PERSON if len(w) >= 5) + ("госдум",)
_FRONT = word_set("laut selon según secondo według zdaniem")


def is_role_word(token: Token) -> bool:
    lower = token.lower
    return lower in TITLES or lower in ROLES or lower.endswith(_ROLE_ENDINGS)


def is_body_word(token: Token) -> bool:
    return _is_body(token.text)


@lru_cache(maxsize=16384)
def _is_body(word: str) -> bool:
    lower = word.lower().rstrip(".")
    return (
        lower in NON_PERSON
        or any(part in lower for part in _BODY_PARTS)
        or (len(word) >= 2 and word.isupper())
        or lower.startswith(_LONG_BODIES)
    )


def _is_place_or_body(token: Token) -> bool:
    return is_body_word(token) or is_place(token.text)


@lru_cache(maxsize=8192)
def is_place(word: str) -> bool:
    """A listed place, a case ending allowed in place of the last letter ("России")."""
    from .places import PLACES

    return word in PLACES or any(
        (word.startswith(place[:-1]) and word[len(place) - 1 :] in _CASE_ENDINGS)
        or (word.startswith(place) and word[len(place) :] in _CASE_ENDINGS)
        for place in _places_starting(word[:3])
    )


# What may replace a place's last letter in another case ("Moskwie", "России", "Москву"), and
# no more: "Francis" is not "France"
_CASE_ENDINGS = word_set(
    "a e i o u y ą ę ie ii iu ji ją em om у ю е и ы а я ой ом ей ем ии ию ия ью ее ая ую"
)


@lru_cache(maxsize=4096)
def _places_starting(prefix: str) -> tuple[str, ...]:
    from .places import PLACES

    return tuple(p for p in PLACES if p.startswith(prefix))


def _strip_front(run: list[Token]) -> list[Token]:
    # "Ukrainian President Volodymyr Zelensky": the name starts after the last title
    last_title = max((i for i, t in enumerate(run[:-1]) if is_role_word(t)), default=-1)
    if last_title >= 0 and len(run) - last_title - 1 >= 1:
        run = run[last_title + 1 :]
    while run and (is_role_word(run[0]) or run[0].lower in DETERMINERS or run[0].lower in _FRONT):
        run = run[1:]
    return run


def name_runs(words: list[Token], text: str, persons_only: bool = False) -> list[list[Token]]:
    """Runs of adjacent capitalised words, titles dropped from the front.

    Two words are adjacent when only spaces separate them. With ``persons_only`` runs made
    only of words for bodies and places ("Ministry", "Kremlin") or that follow "of/de/von"
    are left out: they complement a role, they do not name the speaker.
    """
    runs: list[list[Token]] = []
    current: list[Token] = []
    previous: Token | None = None
    for token in words:
        adjacent = (
            current and previous is not None and not text[previous.end : token.start].strip()
        )
        if token.capitalised and (adjacent or not current):
            current.append(token)
        else:
            if current:
                runs.append(current)
            current = [token] if token.capitalised else []
        previous = token
    if current:
        runs.append(current)
    result = []
    index = {id(t): i for i, t in enumerate(words)}
    for run in runs:
        first = index[id(run[0])]
        after_of = first > 0 and words[first - 1].lower in OF_WORDS
        if persons_only and len(run) >= 3:
            # "rzecznik Kremla Dmitrij Pieskow", "МИД России Мария Захарова": a body or place
            # completing the role, then the person
            cut = max((i for i, t in enumerate(run[:-1]) if _is_place_or_body(t)), default=-1)
            if cut >= 0:
                run, after_of = run[cut + 1 :], False
            elif after_of:
                run, after_of = run[1:], False
        run = _strip_front(run)
        if not run:
            continue
        if persons_only and (after_of or any(is_body_word(t) for t in run)):
            continue
        result.append(run)
    return result


def fold(text: str) -> str:
    """Lower case without accents, punctuation reduced to single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", plain))


@lru_cache(maxsize=4096)
def normalise_name(text: str) -> str:
    """The comparable form of a name or speaker: folded, titles and determiners dropped
    ("M. Wang" -> "wang", "la porte-parole Hua Chunying" -> "hua chunying")."""
    words = fold(text).split()
    while words and (words[0] in TITLES or words[0] in DETERMINERS or words[0] in ROLES):
        words = words[1:]
    return " ".join(words)


def same_word(a: str, b: str) -> bool:
    """Equal, or the same stem with a case ending ("Пескова" / "Песков", "Tuska" / "Tusk")."""
    if a == b:
        return True
    shorter = min(len(a), len(b))
    if shorter < 4 or abs(len(a) - len(b)) > 3:
        return False
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= max(4, shorter - 2)


def same_name(a: str | None, b: str | None) -> bool:
    """Whether two names denote the same speaker after normalisation (word by word)."""
    if not a or not b:
        return False
    left, right = normalise_name(a).split(), normalise_name(b).split()
    if len(left) != len(right):
        return False
    return all(same_word(x, y) for x, y in zip(left, right, strict=True))


class NameBook:
    """Full names met so far in one article, so that "Wang" or "M. Wang" finds "Wang Wenbin"."""

    LIMIT = 200

    def __init__(self) -> None:
        self.full: list[tuple[str, list[str]]] = []  # the name, its normalised words

    def canonical(self, name: str) -> str:
        words = normalise_name(name).split()
        if not words:
            return name
        for full, known in reversed(self.full):
            if len(words) == len(known) and all(
                same_word(a, b) for a, b in zip(words, known, strict=True)
            ):
                return full
            if len(words) == 1 and any(same_word(words[0], w) for w in known):
                return full
        if len(words) >= 2:
            self.full.append((name, words))
            if len(self.full) > self.LIMIT:  # bounded, so long texts stay linear
                del self.full[: self.LIMIT // 2]
        return name

    def add(self, name: str) -> None:
        if len(normalise_name(name).split()) >= 2:
            self.canonical(name)
