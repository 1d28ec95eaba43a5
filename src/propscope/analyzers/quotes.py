"""Who says what: direct quotes, reported speech and their speakers.

Three passes over the article, each linear in its length:

1. **Quotation marks.** One scan pairs opening and closing marks of every convention of the
   nine languages (« », » «, “ ”, „ “, „ ”, ‚ ‘, ‘ ’, ‹ ›, " "), keeping nested quotes inside
   their outer quote. A quote left open at the end of a paragraph goes on into the next one
   when that paragraph opens with the same mark again or closes it; otherwise it ends with the
   paragraph, with a lower confidence. Quoted words with no reporting cue and fewer than
   ``min_unattributed_words`` words are titles or scare quotes, not quotes.
2. **Attribution.** The reporting clause is looked for after the quote ("», a déclaré X.",
   "” he said", "“, — заявил он"), then before it ("X told reporters: «", "selon X, «"),
   then in a sentence ending with a colon just before.
3. **Reported speech.** Sentences without quotation marks are searched for "X said that ...",
   "according to X, ...", "..., a déclaré X." and their equivalents (see
   :mod:`.speech_lexicon`).

Speakers named by a pronoun, by a definite role ("the spokesman", "le diplomate") or not at all
("— dodał.") are resolved to the nearest earlier speaker (or, before any, the nearest person or
role mentioned), and left unresolved when there is none.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from dataclasses import dataclass, field

from ..document import Article, Quote
from ..features.tokenize import WORDS as _WORD
from .base import Analyzer, register_analyzer
from .names import NameBook, Token, is_role_word, name_runs, tokens
from .speech_lexicon import (
    ACCORDING_TO,
    ACCORDING_TO_AFTER,
    ADVERBS,
    AS_SAID,
    AUXILIARIES,
    BARE_VERBS,
    COORDINATORS,
    DETERMINERS,
    FIRST_PERSONS,
    INDEFINITE,
    LEADING,
    PRONOUN_ACCORDING,
    PRONOUNS,
    ROLES,
    SPEAKER_STOPS,
    THAT,
    VERBS,
    WEAK_VERBS,
    word_set,
)

# ---------------------------------------------------------------------------------------------
# 1. Quotation marks

#: Each opening mark and the marks that close it.
_CLOSERS = {
    "«": "»",
    "»": "«",  # German and Danish »...«
    "“": "”“",  # English “...”; Italian and Georgian sometimes “...“
    "”": "”",  # Swedish and Finnish ”...”
    "„": "“”",  # German, Polish, Russian inner, Georgian „...“ / Polish „...”
    "‚": "‘’",
    "‘": "’",
    "‹": "›",
    "›": "‹",
    '"': '"',
}
_MARKS = re.compile(r"[«»“”„‚‘’‹›\"]")
# Marks that open without needing to touch the next word ("« Nous" in French typography).
_SPACED_OPENERS = set("«»„‹›“‚")
_MAX_DEPTH = 4
# A quote left open is carried over at most this many paragraphs.
_MAX_CARRY = 12


def _is_word(char: str) -> bool:
    return char.isalnum()


@dataclass
class Marked:
    """A span between an opening and its closing mark (offsets of the marks themselves)."""

    open: int
    close: int  # the closing mark's offset, or the end of the text where it was never closed
    balanced: bool
    paragraphs: int = 1


def find_marked(text: str, bounds: list[tuple[int, int]]) -> list[Marked]:
    """Outermost quoted spans of ``text``; ``bounds`` are the (start, end) of its paragraphs."""
    found: list[Marked] = []
    carry: tuple[int, str, int] | None = None  # an open outer quote: offset, mark, paragraphs
    for number, (start, end) in enumerate(bounds):
        stack: list[tuple[int, str]] = []
        scan_from = start
        if carry is not None:
            first = _first_non_space(text, start, end)
            reopen = first is not None and text[first] == carry[1]
            closes = _closes_before_reopening(text, start, end, carry[1])
            if (reopen or closes) and carry[2] < _MAX_CARRY:
                stack.append((carry[0], carry[1]))
                scan_from = first + 1 if reopen else start
                carry = (carry[0], carry[1], carry[2] + 1)
            else:
                _close_open(found, text, carry[0], bounds[number - 1][1], carry[2])
                carry = None
        for match in _MARKS.finditer(text, scan_from, end):
            position, mark = match.start(), match.group()
            before = text[position - 1] if position > start else " "
            after = text[position + 1] if position + 1 < end else " "
            closing_at = _matching_opener(stack, mark, before, after)
            if closing_at is not None:
                opened_at = stack[closing_at][0]
                del stack[closing_at:]
                if not stack:
                    paragraphs = carry[2] if carry is not None else 1
                    found.append(Marked(opened_at, position, True, paragraphs))
                    carry = None
            elif _can_open(mark, before, after) and len(stack) < _MAX_DEPTH:
                stack.append((position, mark))
        if stack:
            opened_at, mark = stack[0]
            paragraphs = carry[2] if carry is not None and carry[0] == opened_at else 1
            carry = (opened_at, mark, paragraphs)
        else:
            carry = None
    if carry is not None:
        _close_open(found, text, carry[0], bounds[-1][1], carry[2])
    return found


def _first_non_space(text: str, start: int, end: int) -> int | None:
    for i in range(start, min(end, start + 8)):
        if not text[i].isspace():
            return i
    return None


def _closes_before_reopening(text: str, start: int, end: int, opener: str) -> bool:
    """Whether the paragraph closes ``opener`` before opening the same kind of quote again."""
    closers = _CLOSERS[opener]
    for match in _MARKS.finditer(text, start, end):
        mark = match.group()
        if mark in closers and mark != opener:
            return True
        if mark == opener:
            # a straight quote both opens and closes: closing when it touches the word before
            if opener == '"':
                return match.start() > start and not text[match.start() - 1].isspace()
            return False
    return False


def _close_open(found: list[Marked], text: str, opened_at: int, end: int, paragraphs: int) -> None:
    """A quote never closed ends with its paragraph, if it is long enough to be one."""
    if len(text[opened_at + 1 : end].split()) >= 3:
        found.append(Marked(opened_at, end, False, paragraphs))


def _matching_opener(stack: list[tuple[int, str]], mark: str, before: str, after: str):
    """Index in ``stack`` of the opener ``mark`` closes, or None."""
    if not stack:
        return None
    for index in range(len(stack) - 1, -1, -1):
        opener = stack[index][1]
        if mark not in _CLOSERS[opener]:
            continue
        if mark == opener and mark in "«‹“„‚‘" and opener not in "”":
            return None  # the same opening mark again: a nested quote, not a closing one
        if mark in "’'" and _is_word(after):
            return None  # an apostrophe ("it’s"), not a closing mark
        if mark == '"' and before.isspace() and _is_word(after):
            return None  # looks like a new opening straight quote
        return index
    return None


def _can_open(mark: str, before: str, after: str) -> bool:
    if mark == "’":
        return False
    if _is_word(before) and mark not in "«„":
        return False  # touches the word before it: closing or an apostrophe
    if mark in _SPACED_OPENERS:
        return not after.isspace() or mark in "«‹"
    return not after.isspace()


# ---------------------------------------------------------------------------------------------
# Sentences over the text with quote contents masked out

_MASK = "\u2063"  # invisible separator: neither a word character nor a space
_ABBREVIATIONS = word_set(
    "mr mrs ms dr prof st no nr vs etc m mme mlle jr sr gen col lt sen rep gov ca bzw dr hr"
    " sig dott ing pt ul г им т.е"
)
_BOUNDARY = re.compile(r"[.!?…]+[»”“\"’)\u2063]*\s+|[.!?…]+$")


def mask_quotes(text: str, marked: list[Marked]) -> str:
    parts, last = [], 0
    for quote in marked:
        inner_start = quote.open + 1
        parts.append(text[last:inner_start])
        parts.append(_MASK * (quote.close - inner_start))
        last = quote.close
    parts.append(text[last:])
    return "".join(parts)


def sentence_bounds(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of the sentences of ``masked[start:end]`` (one paragraph)."""
    result, begin = [], start
    for match in _BOUNDARY.finditer(masked, start, end):
        stop = match.start()
        word = re.search(r"(\w+)$", masked[max(begin, stop - 24) : stop])
        abbreviation = word and (
            word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1
        )
        if abbreviation and match.end() < end and not masked[match.end()].islower():
            continue  # "M. Wang", "Dr. Smith", "J. Doe": not the end of a sentence
        following = match.end()
        if following < end and masked[following].islower():
            continue
        result.append((begin, match.end()))
        begin = match.end()
    if begin < end and masked[begin:end].strip():
        result.append((begin, end))
    return result


# ---------------------------------------------------------------------------------------------
# 2. Speakers and cues


@dataclass
class Speaker:
    text: str
    start: int
    end: int
    kind: str  # "name", "role", "description", "pronoun", "implicit"
    name: str | None = None  # the person's name when the phrase contains one
    role: str | None = None  # the role noun, for "the spokesman"


@dataclass
class Attribution:
    speaker: Speaker
    cue: str
    confidence: float


_INVERSION = re.compile(
    r"\s*(\w+)(?:-t-|\s+t-|-t’|-)(il|elle|ils|elles|on)\b(?:\s+(\w+))?", re.IGNORECASE
)
_INVERTED_PRONOUN = re.compile(r"\w-(?:t-)?(il|elle|ils|elles|on)$", re.IGNORECASE)
_LEAD = re.compile(r"[\s,;:.!?\u2014\u2013\-\u2063)]*")


# "un maire me confiait", "er hat mir gesagt": the object, not part of the speaker
_OBJECT_PRONOUNS = word_set("me m nous lui leur mir uns ihm ihr mi ci gli mnie nam мне нам")


#: How many words back a coordinated verb ("... and promised that") looks for the verb it joins.
_MAX_COORDINATED = 40


def _is_verb(token: Token) -> bool:
    return token.lower in VERBS


def speaker_of(text: str, start: int, end: int) -> Speaker | None:
    """Describe the speaker phrase ``text[start:end]`` (already cut to the phrase)."""
    while start < end and (text[start].isspace() or text[start] in ",:;—–-\u2063"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",:;.—–-!?\u2063"):
        end -= 1
    if start >= end:
        return None
    words = tokens(text, start, end)
    if not words:
        return None
    phrase = text[start:end]
    if words[0].lower in FIRST_PERSONS and len(words) <= 2:
        return None  # "we were told": the author's voice, not a speaker
    if words[-1].lower in COORDINATORS and len(words) > 1:
        return None  # "betrayal of the workers and": the tail of a clause, not a speaker
    if len(words) == 1 and words[0].lower in PRONOUNS:
        return Speaker(phrase, start, end, "pronoun")
    runs = name_runs(words, text, persons_only=True)
    if runs:
        longest = [run for run in runs if len(run) >= 2] or runs
        run = longest[0]
        name = text[run[0].start : run[-1].end]
        return Speaker(phrase, start, end, "name", name=name)
    roles = [t.lower for t in words if t.lower in ROLES]
    if roles:
        definite = words[0].lower not in INDEFINITE
        kind = "role" if definite else "description"
        return Speaker(phrase, start, end, kind, role=roles[0])
    if words[0].lower in PRONOUNS:
        return Speaker(text[words[0].start : words[0].end], words[0].start, words[0].end, "pronoun")
    return Speaker(phrase, start, end, "description")


def _phrase_after(text: str, words: list[Token], first: int, limit: int) -> tuple[int, int] | None:
    """The speaker phrase starting at ``words[first]`` and ending before ``limit``.

    Stops at when/where words ("lors", "on Tuesday"), and at a comma unless what follows is a
    capitalised apposition naming the person ("..., Hua Chunying, lors d'un briefing").
    """
    if first >= len(words):
        return None
    start = words[first].start
    end = start
    for i in range(first, len(words)):
        token = words[i]
        if token.start >= limit or i - first >= 14:
            break
        gap = text[end : token.start] if i > first else ""
        if i > first and re.search(r"[.;:!?()\u2063«»“”„\"]", gap):
            break
        # at a comma, go on only into an apposition naming the person described so far
        if ("," in gap or "—" in gap or "–" in gap) and (
            not token.capitalised or name_runs(words[first:i], text, persons_only=True)
        ):
            break
        if i > first and token.lower in SPEAKER_STOPS and not token.capitalised:
            break
        if token.lower in THAT:
            break
        if i > first and (_is_verb(token) or token.lower in AUXILIARIES) and not token.capitalised:
            break
        end = token.end
    return (start, end) if end > start else None


def _subject_before(text: str, words: list[Token], verb: int, floor: int) -> Speaker | None:
    """The subject of ``words[verb]``: the words just before it, back to a comma or ``floor``."""
    last = verb - 1
    while last >= 0 and (
        words[last].lower in AUXILIARIES
        or words[last].lower in ADVERBS
        or words[last].lower in _OBJECT_PRONOUNS
    ):
        last -= 1
    if last < 0 or words[last].end <= floor:
        return None
    if words[last].lower in COORDINATORS:
        # "X said the plan was wrong and promised that ...": coordinated verbs share the
        # subject of the nearest reporting verb before; without one there is no speaker here
        # (looking back a bounded number of words keeps a sentence without stops linear)
        earlier = next((j for j in range(last - 1, max(-1, last - _MAX_COORDINATED), -1)
                        if words[j].start >= floor and _is_verb(words[j])), None)
        return None if earlier is None else _subject_before(text, words, earlier, floor)
    inverted = _INVERTED_PRONOUN.search(words[last].text)
    if inverted:  # "a-t-elle dit que"
        at = words[last].start + inverted.start(1)
        return Speaker(inverted.group(1), at, at + len(inverted.group(1)), "pronoun")
    first = last
    while first - 1 >= 0 and words[first - 1].start >= floor and last - first < 9:
        gap = text[words[first - 1].end : words[first].start]
        if re.search(r"[.;:!?\u2063«»“”„\"()]", gap):
            break
        # "Dmitry Peskov, the Kremlin spokesman, said": keep the name before the apposition
        if "," in gap and not (words[first - 1].capitalised and words[first].lower in DETERMINERS):
            break
        if words[first - 1].lower in THAT or words[first - 1].lower in LEADING:
            break
        if _is_verb(words[first - 1]):
            break
        first -= 1
    speaker = speaker_of(text, words[first].start, words[last].end)
    if speaker is not None and speaker.kind == "description" and last - first > 5:
        return None  # a long lowercase phrase is a clause, not a speaker
    return speaker


def attribute_after(text: str, start: int, end: int) -> Attribution | None:
    """A reporting clause at the start of ``text[start:end]`` ("», a déclaré X.")."""
    lead = _LEAD.match(text, start, end)
    clause = lead.end() if lead else start
    if clause >= end:
        return None
    inversion = _INVERSION.match(text, clause, end)
    if inversion:
        verb = inversion.group(1)
        if verb.lower() not in VERBS and inversion.group(3):
            verb = inversion.group(3)
        if verb.lower() in VERBS or verb.lower() in ("a", "avait"):
            speaker = Speaker(inversion.group(2), inversion.start(2), inversion.end(2), "pronoun")
            return Attribution(speaker, inversion.group(0).strip(), 0.85)
    words = tokens(text, clause, end)[:16]
    for i, token in enumerate(words[:6]):
        if token.lower == "so" and i == 0 and len(words) > 1:  # German ", so der Sprecher."
            phrase = _phrase_after(text, words, 1, end)
            speaker = speaker_of(text, *phrase) if phrase else None
            if speaker is not None:
                return Attribution(speaker, token.text, 0.8)
            return None
        if not _is_verb(token) or token.lower in WEAK_VERBS:
            continue
        before = [w for w in words[:i] if w.lower not in AUXILIARIES and w.lower not in ADVERBS]
        if before:
            if len(before) > 6:
                return None
            speaker = _subject_before(text, words, i, clause)
            if speaker is None:
                return None
            return Attribution(speaker, token.text, 0.9 if speaker.kind == "name" else 0.8)
        phrase = _phrase_after(text, words, i + 1, end)
        speaker = speaker_of(text, *phrase) if phrase else None
        if speaker is None:
            speaker = Speaker("", token.end, token.end, "implicit")
        return Attribution(speaker, token.text, 0.9 if speaker.kind == "name" else 0.75)
    return None


def attribute_before(text: str, start: int, end: int) -> Attribution | None:
    """A reporting clause in ``text[start:end]``, the sentence before an opening mark."""
    words = tokens(text, start, end)
    if not words:
        return None
    lowered = text[start:end].lower()
    for marker in PRONOUN_ACCORDING:
        found = lowered.rfind(marker)
        if found >= 0 and _word_bounded(lowered, found, marker):
            at = start + found
            speaker = Speaker(text[at : at + len(marker)], at, at + len(marker), "pronoun")
            return Attribution(speaker, marker, 0.75)
    for marker in ACCORDING_TO + AS_SAID:
        found = lowered.rfind(marker)
        if found >= 0 and _word_bounded(lowered, found, marker):
            following = [w for w in words if w.start >= start + found + len(marker)]
            phrase = _phrase_after(text, following, 0, end) if following else None
            speaker = speaker_of(text, *phrase) if phrase else None
            if speaker is not None:
                return Attribution(speaker, text[start + found : start + found + len(marker)], 0.8)
    for i in range(len(words) - 1, -1, -1):
        token = words[i]
        if not _is_verb(token):
            continue
        phrase = _phrase_after(text, words, i + 1, end) if i + 1 < len(words) else None
        inverted = speaker_of(text, *phrase) if phrase else None
        subject = _subject_before(text, words, i, start)
        named_after = inverted is not None and inverted.kind == "name"
        if named_after and (subject is None or subject.kind != "name"):
            return Attribution(inverted, token.text, 0.85)
        if subject is not None:
            return Attribution(subject, token.text, 0.85 if subject.kind == "name" else 0.75)
        if inverted is not None and inverted.kind in ("pronoun", "role"):
            return Attribution(inverted, token.text, 0.75)
        return Attribution(Speaker("", token.end, token.end, "implicit"), token.text, 0.6)
    stripped = text[start:end].rstrip()
    if stripped.endswith(":") and len(words) <= 6:
        # "Peskov: «...»" in titles and leads
        speaker = speaker_of(text, words[0].start, words[-1].end)
        if speaker is not None and speaker.kind == "name":
            return Attribution(speaker, ":", 0.7)
    return None


def _word_bounded(lowered: str, at: int, marker: str) -> bool:
    before_ok = at == 0 or not lowered[at - 1].isalnum()
    after = at + len(marker)
    after_ok = after >= len(lowered) or not lowered[after].isalnum()
    if marker in ("selon", "según") and re.match(r"\s+(laquelle|lequel|lesquel|la cual|el cual)",
                                                 lowered[after:after + 12]):
        return False
    return before_ok and after_ok


# ---------------------------------------------------------------------------------------------
# 3. Reported speech in one sentence


@dataclass
class Found:
    start: int
    end: int
    attribution: Attribution
    direct: bool


def reported_speech(text: str, start: int, end: int) -> Found | None:
    """Indirect speech in the sentence ``text[start:end]`` (quote contents masked)."""
    words = tokens(text, start, end)
    if len(words) < 4:
        return None
    lowered = text[start:end].lower()
    # "selon lui, ...", "according to X, ...", "как заявил X, ..."
    for markers, pronoun in ((PRONOUN_ACCORDING, True), (ACCORDING_TO + AS_SAID, False)):
        for marker in markers:
            at = lowered.find(marker)
            if at < 0 or not _word_bounded(lowered, at, marker):
                continue
            marker_start, marker_end = start + at, start + at + len(marker)
            if pronoun:
                speaker = Speaker(text[marker_start:marker_end], marker_start, marker_end,
                                  "pronoun")
                phrase_end = marker_end
            elif text[marker_end:marker_end + 2].strip().startswith(","):
                # "Jak podkreślił, ...": the speaker is the subject of earlier sentences
                speaker = Speaker("", marker_end, marker_end, "implicit")
                phrase_end = marker_end
            else:
                following = [w for w in words if w.start >= marker_end]
                phrase = _phrase_after(text, following, 0, end) if following else None
                speaker = speaker_of(text, *phrase) if phrase else None
                if speaker is None:
                    continue
                speaker = _cut_to_name(text, speaker)
                phrase_end = speaker.end
            leading = [w for w in words if w.end <= marker_start]
            attribution = Attribution(speaker, text[marker_start:marker_end], 0.7)
            if all(w.lower in LEADING for w in leading):
                content = _skip_punct(text, phrase_end, end)
                if _count_words(text, content, end) >= 3:
                    return Found(content, _trim_end(text, content, end), attribution, False)
            else:
                return Found(words[0].start, _trim_end(text, start, marker_start), attribution,
                             False)
    for marker in ACCORDING_TO_AFTER:
        at = lowered.find(marker)
        if at > 0:
            before = [w for w in words if w.end <= start + at][-4:]
            if before:
                speaker = speaker_of(text, before[0].start, before[-1].end)
                if speaker is not None:
                    content = _skip_punct(text, start + at + len(marker), end)
                    attribution = Attribution(speaker, marker.strip("-"), 0.65)
                    if _count_words(text, content, end) >= 3:
                        return Found(content, _trim_end(text, content, end), attribution, False)
    # "X said (on Tuesday) that ..."
    for i, token in enumerate(words):
        if not _is_verb(token):
            continue
        that = next(
            (j for j in range(i + 1, min(i + 5, len(words))) if words[j].lower in THAT), None
        )
        if that is None:
            continue
        if re.search(r"[.;:!?\u2063«»“”„\"]", text[token.end : words[that].start]):
            continue
        subject = _subject_before(text, words, i, start)
        if subject is None:
            phrase = _phrase_after(text, words, i + 1, words[that].start)
            subject = speaker_of(text, *phrase) if phrase else None
        if subject is None:
            subject = Speaker("", token.end, token.end, "implicit")
        relative = subject.kind == "description" and words[that].lower in ("que", "che", "что")
        if relative and subject.start > start and text[subject.start - 1] != " ":
            continue  # a relative clause, not a speaker
        content = words[that].end
        if _count_words(text, content, end) < 3:
            continue
        confidence = 0.75 if subject.kind == "name" else 0.65
        return Found(_skip_punct(text, content, end), _trim_end(text, content, end),
                     Attribution(subject, token.text, confidence), False)
    # "X erklärte, ohne das Gesetz seien ..." and "Wang said Beijing would ..."
    for i, token in enumerate(words[:-4]):
        if not _is_verb(token):
            continue
        bare = token.lower in BARE_VERBS and not words[i + 1].capitalised
        nxt = next((j for j in range(i + 1, min(i + 4, len(words)))
                    if "," in text[words[j - 1].end : words[j].start]), None)
        if not bare and (nxt is None or re.search(r"[.;:!?\u2063«»“”„\"]",
                                                 text[token.end : words[nxt].start])):
            continue
        subject = _subject_before(text, words, i, start)
        if subject is None or subject.kind == "description" and len(subject.text.split()) > 5:
            continue
        content = words[i + 1].start if bare else words[nxt].start
        if _count_words(text, content, end) < 4:
            continue
        confidence = 0.65 if subject.kind == "name" else 0.55
        return Found(content, _trim_end(text, content, end),
                     Attribution(subject, token.text, confidence), False)
    # "..., a déclaré X." / "..., dit-il." / "..., he said." at the end, or as an incise
    for comma in _clause_commas(text, start, end):
        attribution = attribute_after(text, comma, end)
        if attribution is None:
            continue
        content_end = _trim_end(text, start, comma)
        if _count_words(text, start, content_end) < 4:
            continue
        if text[content_end - 1] in "»”“\"\u2063":
            return None  # the clause of a direct quote, handled with it
        clause_words = [w for w in words if w.start > comma]
        spoken = attribution.speaker
        rest = [w for w in clause_words if w.start >= max(spoken.end, comma)]
        incise = len(rest) > 3 and spoken.kind == "pronoun"
        attribution.confidence -= 0.1
        return Found(words[0].start, end if incise else content_end, attribution, False)
    return None


def _cut_to_name(text: str, speaker: Speaker) -> Speaker:
    """"Laut Peskow gibt es ..." (no comma after the name): the speaker ends with the name."""
    if speaker.kind != "name" or not speaker.name:
        return speaker
    at = text.find(speaker.name, speaker.start, speaker.end)
    if at < 0 or text[speaker.start : at].count(" ") > 2:
        return speaker
    end = at + len(speaker.name)
    return Speaker(text[speaker.start : end], speaker.start, end, "name", name=speaker.name)


def _clause_commas(text: str, start: int, end: int) -> list[int]:
    return [start + m.start() for m in re.finditer(r",|\s[—–]\s", text[start:end])]


def _ends_with_colon(text: str, position: int) -> bool:
    """Whether the last non-space character before ``position`` is a colon (looks back a
    little only, so that many quotes in a long text stay linear)."""
    at = position - 1
    while at >= 0 and position - at < 200 and text[at].isspace():
        at -= 1
    return at >= 0 and text[at] == ":"


def _count_words(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def _skip_punct(text: str, start: int, end: int) -> int:
    while start < end and (text[start].isspace() or text[start] in ",:;—–-"):
        start += 1
    return start


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.!?—–-"):
        end -= 1
    return end


# ---------------------------------------------------------------------------------------------
# Resolution


@dataclass
class _Antecedent:
    position: int
    paragraph: int
    name: str
    roles: set[str] = field(default_factory=set)
    spoke: bool = False


def _mentions(text: str, masked: str, start: int, end: int, paragraph: int) -> list[_Antecedent]:
    """People and roles named in a sentence, as fall-back antecedents of pronouns."""
    words = tokens(masked, start, end)
    found = []
    index = {id(t): i for i, t in enumerate(words)}
    for run in name_runs(words, masked, persons_only=True):
        at = index[id(run[0])]
        # "Pope Francis", "M. Wang" (and not "Senator Warns")
        titled = at > 0 and is_role_word(words[at - 1]) and not _is_verb(run[0])
        if len(run) >= 2 or titled:
            found.append(_Antecedent(run[0].start, paragraph, text[run[0].start : run[-1].end]))
    for i, token in enumerate(words):
        if token.lower in ROLES and i > 0 and words[i - 1].lower in DETERMINERS:
            phrase = _phrase_after(masked, words, i, end)
            if phrase:
                # "le porte-parole ..., Wang Wenbin": the role stands for the person it names
                described = speaker_of(masked, *phrase)
                name = text[phrase[0] : phrase[1]]
                if described is not None and described.kind == "name" and described.name:
                    name = described.name
                found.append(_Antecedent(token.start, paragraph, name, {token.lower}))
    return found


def _strip_determiner(phrase: str) -> str:
    words = phrase.split()
    while words and words[0].lower().strip("’'") in DETERMINERS:
        words = words[1:]
    if words and re.match(r"^[lLdD][’']", words[0]):
        words[0] = words[0][2:]
    return " ".join(words)


class _Memory:
    """Antecedents recent enough to point back to, kept small so that resolution stays linear:
    speakers of the last paragraphs, people and roles just mentioned, the latest speaker of
    the whole article and the latest holder of each role."""

    SPOKEN_PARAGRAPHS = 3
    MENTIONED_PARAGRAPHS = 2

    def __init__(self) -> None:
        self.spoken: deque[_Antecedent] = deque()
        self.mentioned: deque[_Antecedent] = deque()
        self.last_spoken: _Antecedent | None = None
        self.by_role: dict[str, _Antecedent] = {}

    def forget_before(self, paragraph: int) -> None:
        while self.spoken and paragraph - self.spoken[0].paragraph > self.SPOKEN_PARAGRAPHS:
            self.spoken.popleft()
        while (
            self.mentioned
            and paragraph - self.mentioned[0].paragraph > self.MENTIONED_PARAGRAPHS
        ):
            self.mentioned.popleft()

    def remember(self, antecedent: _Antecedent) -> None:
        (self.spoken if antecedent.spoke else self.mentioned).append(antecedent)
        if antecedent.spoke:
            self.last_spoken = antecedent
        for role in antecedent.roles:
            self.by_role[role] = antecedent


def _resolve(speaker: Speaker, paragraph: int, memory: _Memory, book: NameBook) -> str | None:
    """The name a speaker phrase stands for, or None when the article does not make it clear."""
    if speaker.kind == "name":
        return book.canonical(speaker.name or speaker.text)
    if speaker.kind == "description":
        return _strip_determiner(speaker.text)
    memory.forget_before(paragraph)
    spoken, mentioned = memory.spoken, memory.mentioned
    if speaker.kind == "role":
        same_role = memory.by_role.get(speaker.role or "")
        if same_role is not None:
            return same_role.name
        short = len(speaker.text.split()) <= 4
        if short and spoken:
            return spoken[-1].name
        if short and mentioned:
            return mentioned[-1].name
        if not short:
            return _strip_determiner(speaker.text)
        return None
    if spoken:
        return spoken[-1].name
    if mentioned:
        return mentioned[-1].name
    if memory.last_spoken is not None:
        return memory.last_spoken.name
    return None


# ---------------------------------------------------------------------------------------------
# The analyzer


def find_quotes(article: Article, min_unattributed_words: int = 5) -> list[Quote]:
    """Every direct and reported quote of ``article``, in text order, speakers resolved."""
    text = article.text
    paragraphs = [p for p in article.paragraphs if not p.boilerplate]
    if not paragraphs:
        return []
    bounds = [(p.start, p.end) for p in paragraphs]
    marked = find_marked(text, bounds)
    masked = mask_quotes(text, marked)
    sentences: list[tuple[int, int, int]] = []  # start, end, paragraph index
    for index, (start, end) in enumerate(bounds):
        sentences.extend((s, e, index) for s, e in sentence_bounds(masked, start, end))
    starts = [s for s, _, _ in sentences]

    def sentence_at(position: int) -> int:
        return max(0, bisect.bisect_right(starts, position) - 1)

    found: list[Found] = []
    quoted_sentences: set[int] = set()
    for quote in marked:
        first, last = sentence_at(quote.open), sentence_at(quote.close)
        quoted_sentences.update((first, last))
        content_start = _skip_space(text, quote.open + 1, quote.close)
        content_end = _trim_space(text, content_start, quote.close)
        if content_end <= content_start:
            continue
        after_end = sentences[last][1]
        attribution = attribute_after(masked, quote.close + 1, after_end)
        before_start = sentences[first][0]
        pre_words = _count_words(masked, before_start, quote.open)
        if attribution is not None:
            if pre_words >= 3 and attribute_before(masked, before_start, quote.open) is None:
                # "..., the thief's cry "Stop thief!", he went on": the whole sentence is his
                first_word = _skip_punct(masked, before_start, quote.open)
                found.append(Found(first_word, quote.close + 1, attribution, False))
                continue
        else:
            attribution = attribute_before(masked, before_start, quote.open)
        if attribution is None and first > 0 and _ends_with_colon(masked, quote.open):
            previous = sentences[first - 1] if not pre_words else sentences[first]
            attribution = attribute_before(masked, previous[0], previous[1])
        if attribution is None and found and found[-1].direct and first > 0:
            previous_end = found[-1].end
            here, there = sentences[first][2], sentences[sentence_at(previous_end)][2]
            # the same paragraph, or a paragraph that is only this quote after one ending in one
            same_paragraph = here == there or (
                here == there + 1 and not pre_words and masked[previous_end:bounds[there][1]]
                .strip(" \u2063”“»«„\".,;—–-\n") == "" or here == there + 1 and not pre_words
                and len(tokens(masked, previous_end, bounds[there][1])) <= 6
            )
            if same_paragraph and len(text[content_start:content_end].split()) >= 3:
                attribution = Attribution(
                    Speaker("", content_start, content_start, "implicit"), "", 0.6
                )
        if attribution is None:
            words = len(text[content_start:content_end].split())
            if words < min_unattributed_words or not quote.balanced and words < 8:
                continue
            attribution = Attribution(
                Speaker("", content_start, content_start, "unattributed"), "", 0.35
            )
        if not quote.balanced:
            attribution.confidence = round(attribution.confidence * 0.6, 2)
        found.append(Found(content_start, content_end, attribution, True))
    cued = _cued_sentences(masked, sentences, bounds)
    for index in sorted(cued - quoted_sentences):
        start, end, _ = sentences[index]
        reported = reported_speech(masked, start, end)
        if reported is not None and reported.end > reported.start:
            found.append(reported)
    found.sort(key=lambda f: f.start)
    return _resolve_all(article, found, masked, sentences, bounds)


#: Words of which a sentence must hold one to be searched for reported speech.
_CUE_WORDS = (
    VERBS
    | {w for marker in ACCORDING_TO + AS_SAID for w in re.findall(r"\w+", marker)}
    # the telling word of "selon lui", "à ses yeux", "ihm zufolge", "по его словам" ...
    | {"yeux", "zufolge", "zdaniem", "view", "თქმით", "განცხადებით", "აზრით", "pour"}
) - {"to", "по", "de", "d", "a", "di", "nach", "von", "des", "der", "as", "come", "jak", "как",
     "comme", "wie", "como", "με", "l", "ha", "il", "in", "с", "acuerdo", "con", "he", "she",
     "er", "sie", "в", "όπως", "states"}


def _cued_sentences(
    masked: str, sentences: list[tuple[int, int, int]], bounds: list[tuple[int, int]]
) -> set[int]:
    """Indices of the sentences holding at least one cue word. Set operations over whole
    paragraphs first, so that most of the text is looked at by C code only."""
    cued: set[int] = set()
    index = 0
    for number, (start, end) in enumerate(bounds):
        first = index
        while index < len(sentences) and sentences[index][2] == number:
            index += 1
        if _CUE_WORDS.isdisjoint(_WORD.findall(masked[start:end].lower())):
            continue
        for at in range(first, index):
            sentence = masked[sentences[at][0] : sentences[at][1]].lower()
            if not _CUE_WORDS.isdisjoint(_WORD.findall(sentence)):
                cued.add(at)
    return cued


def _skip_space(text: str, start: int, end: int) -> int:
    while start < end and text[start].isspace():
        start += 1
    return start


def _trim_space(text: str, start: int, end: int) -> int:
    """Drop spaces and the comma English puts inside the marks (“We will win,” he said)."""
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return end


def _resolve_all(article, found, masked, sentences, bounds) -> list[Quote]:
    text = article.text
    paragraph_starts = [start for start, _ in bounds]
    book = NameBook()
    memory = _Memory()
    sentence_starts = [start for start, _, _ in sentences]
    scanned = 0  # sentences before this one were looked at for mentions, or skipped
    quotes = []
    for item in found:
        speaker = item.attribution.speaker
        paragraph = max(0, bisect.bisect_right(paragraph_starts, item.start) - 1)
        single_name = speaker.kind == "name" and " " not in (speaker.name or "").strip()
        memory.forget_before(paragraph)
        pointing = speaker.kind in ("pronoun", "role", "implicit")
        if (pointing and not memory.spoken) or (
            single_name and book.canonical(speaker.name or "") == speaker.name
        ):
            # people and roles named just before become candidate antecedents; looked for only
            # when needed, and only in the last paragraphs, so long texts stay cheap
            window = paragraph_starts[max(0, paragraph - _Memory.MENTIONED_PARAGRAPHS)]
            scanned = max(scanned, bisect.bisect_left(sentence_starts, window))
            while scanned < len(sentences) and sentences[scanned][0] <= item.start:
                start, end, at = sentences[scanned]
                for mention in _mentions(text, masked, start, min(end, item.start), at):
                    memory.remember(mention)
                    if " " in mention.name and not mention.roles:
                        book.add(mention.name)
                scanned += 1
        if speaker.kind == "unattributed":
            resolved = None
        else:
            resolved = _resolve(speaker, paragraph, memory, book)
        if resolved is not None:
            roles = {speaker.role} if speaker.role else set()
            roles |= {w.lower() for w in speaker.text.split() if w.lower() in ROLES}
            memory.remember(_Antecedent(item.start, paragraph, resolved, roles, True))
        confidence = item.attribution.confidence
        if resolved is None:
            confidence = min(confidence, 0.4)
        quotes.append(
            Quote(
                start=item.start,
                end=item.end,
                speaker=speaker.text or None,
                speaker_start=speaker.start if speaker.text else None,
                speaker_end=speaker.end if speaker.text else None,
                cue=item.attribution.cue or None,
                direct=item.direct,
                confidence=round(confidence, 2),
                resolved_speaker=resolved,
                speaker_kind=speaker.kind,
            )
        )
    return quotes


@register_analyzer("quotes")
class QuotesAnalyzer(Analyzer):
    """Fills ``article.quotes``; then marks evidence spans and paragraphs that fall in quotes."""

    @classmethod
    def available(cls) -> bool:
        return True

    def __call__(self, article: Article) -> Article:
        from ..quoting import link_quotes

        article.quotes = find_quotes(article)
        link_quotes(article)
        return article
