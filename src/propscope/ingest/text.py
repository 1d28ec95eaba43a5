"""Plain text in, :class:`Article` out: decoding, binary sniffing and paragraph splitting."""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes

from ..document import Article, Paragraph
from ..errors import InputError

log = logging.getLogger(__name__)

#: One article larger than this is almost certainly not an article (a dump, a log, a book).
DEFAULT_MAX_BYTES = 5 * 1024 * 1024

_MAGIC = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive",
    b"\x1f\x8b": "a gzip archive",
    b"\x7fELF": "an executable",
}
# Encodings news text is commonly found in, most common first: among equally plausible guesses
# these win over exotic code pages (charset-normalizer alone reads short French as mac_latin2).
NEWS_ENCODINGS = [
    "utf_16",
    "cp1252",
    "iso8859_15",
    "cp1250",
    "iso8859_2",
    "cp1251",
    "koi8_r",
    "iso8859_5",
    "cp1253",
    "iso8859_7",
    "cp1254",
    "cp1257",
    "gb18030",
    "big5",
    "shift_jis",
    "euc_jp",
    "euc_kr",
]
_TERMINAL_PUNCTUATION = tuple(".!?:;\"»”'…)")
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


def describe_binary(data: bytes) -> str | None:
    """Say what kind of binary data this is, or None when it looks like text."""
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    head = data[:8192]
    if b"\x00" in head and not _looks_like_utf16(head):
        return "binary data"
    return None


def _looks_like_utf16(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff"))


def decode(data: bytes, source: str) -> tuple[str, str | None]:
    """Decode bytes as UTF-8, else as the detected encoding; return (text, warning or None)."""
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(data))
    if not matches:
        raise InputError(source, "not text: the encoding could not be detected")
    least_chaos = min(m.chaos for m in matches)
    plausible = [m for m in matches if m.chaos <= least_chaos + 0.01]
    best = min(plausible, key=lambda m: _encoding_rank(m.encoding))
    warning = f"{source}: not UTF-8, read as {best.encoding}"
    log.warning(warning)
    return str(best), warning


def _encoding_rank(encoding: str) -> int:
    try:
        return NEWS_ENCODINGS.index(encoding)
    except ValueError:
        return len(NEWS_ENCODINGS)


def check_bytes(data: bytes, source: str) -> None:
    """Reject inputs that cannot be an article: empty or binary."""
    if not data:
        raise InputError(source, "empty file")
    kind = describe_binary(data)
    if kind is not None:
        raise InputError(source, f"not text: looks like {kind}")


def split_lines(text: str) -> list[Paragraph]:
    """Every non-blank line is a paragraph, numbered by its line in the text (SemEval style)."""
    paragraphs = []
    for number, match in enumerate(_LINE.finditer(text), start=1):
        line = match.group()
        if not line.strip():
            continue
        start = match.start()
        end = match.end()
        if line.endswith("\n"):
            end -= 1
            if line.endswith("\r\n"):
                end -= 1
        paragraphs.append(Paragraph(line=number, start=start, end=end, text=text[start:end]))
    return paragraphs


def split_blocks(text: str) -> list[Paragraph]:
    """Blank-line separated blocks are paragraphs; a block's line number is its first line's."""
    paragraphs: list[Paragraph] = []
    for line in split_lines(text):
        previous = paragraphs[-1] if paragraphs else None
        if previous is not None and line.line == _last_line(previous) + 1:
            previous.end = line.end
            previous.text = text[previous.start : previous.end]
        else:
            paragraphs.append(line)
    return paragraphs


def _last_line(paragraph: Paragraph) -> int:
    return paragraph.line + paragraph.text.count("\n")


def is_hard_wrapped(text: str) -> bool:
    """True when blank lines separate blocks whose lines are wrapped mid-sentence."""
    lines = split_lines(text)
    inner_ends = [
        a.text.rstrip() for a, b in zip(lines, lines[1:], strict=False) if b.line == a.line + 1
    ]
    has_blank_lines = any(b.line > a.line + 1 for a, b in zip(lines, lines[1:], strict=False))
    if not has_blank_lines or not inner_ends:
        return False
    unfinished = sum(not end.endswith(_TERMINAL_PUNCTUATION) for end in inner_ends)
    return unfinished / len(inner_ends) > 0.5


def parse_text(
    text: str,
    article_id: str,
    *,
    layout: str = "auto",
    normalize_newlines: bool = True,
    **metadata,
) -> Article:
    """Build an Article from plain text of any layout.

    ``layout`` is ``lines`` (each non-blank line is a paragraph, as in SemEval files),
    ``blocks`` (blank-line separated blocks, hard-wrapped lines joined) or ``auto``.
    ``normalize_newlines`` (all text but SemEval files, which are kept verbatim for their
    official offsets) also drops a byte order mark and composes the text to Unicode NFC, so
    that "é" typed as e + combining accent is one character: every offset is into this
    normalised ``Article.text``, so offsets stay exact.
    """
    if normalize_newlines:
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        text = unicodedata.normalize("NFC", text)
    if layout == "auto":
        layout = "blocks" if is_hard_wrapped(text) else "lines"
    if layout not in ("lines", "blocks"):
        raise ValueError(f"unknown layout {layout!r}")
    paragraphs = split_lines(text) if layout == "lines" else split_blocks(text)
    title = paragraphs[0].text.strip().removeprefix("\ufeff") if paragraphs else ""
    return Article(id=article_id, text=text, title=title, paragraphs=paragraphs, **metadata)


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file, turning every OS failure into a one-line InputError."""
    import stat

    source = str(path)
    try:
        status = path.stat()
        if stat.S_ISFIFO(status.st_mode):  # opening it would wait for a writer for ever
            raise InputError(
                source, "a FIFO (named pipe), not read: pipe it to standard input with '-'"
            )
        if stat.S_ISSOCK(status.st_mode):
            raise InputError(source, "a socket, not a file")
        size = status.st_size
        if size > max_bytes:
            raise InputError(
                source,
                f"too large for one article ({size / 1e6:.1f} MB, limit {max_bytes / 1e6:.1f} MB;"
                " raise it with --max-size)",
            )
        with path.open("rb") as handle:
            return handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(source, "no such file or directory") from None
    except PermissionError:
        raise InputError(source, "permission denied") from None
    except IsADirectoryError:
        raise InputError(source, "is a directory") from None
    except OSError as error:
        raise InputError(source, error.strerror or str(error)) from None


def article_from_bytes(data: bytes, source: str, article_id: str, **metadata) -> Article:
    check_bytes(data, source)
    text, warning = decode(data, source)
    if not text.removeprefix("\ufeff").strip():
        what = "a byte order mark" if text.startswith("\ufeff") else "white space"
        raise InputError(source, f"no text: the file holds only {what}")
    article = parse_text(text, article_id, **metadata)
    if warning:
        article.warnings.append(warning)
    return article
