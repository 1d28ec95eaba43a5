"""SemEval-2023 Task 3 article files and folders.

Article files are kept verbatim (byte order mark and carriage returns included) because the
official span offsets and templates count every character of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from ..document import Article
from ..errors import InputError
from .text import DEFAULT_MAX_BYTES, check_bytes, decode, read_bytes, split_lines

ARTICLE_NAME = re.compile(r"^article(\d+)\.txt$")

#: SemEval folder codes -> ISO 639-1.
FOLDER_LANGUAGES = {
    "en": "en",
    "fr": "fr",
    "ge": "de",
    "it": "it",
    "po": "pl",
    "ru": "ru",
    "es": "es",
    "gr": "el",
    "ka": "ka",
}
TRAINING_FOLDERS = ("en", "fr", "ge", "it", "po", "ru")


def semeval_id(path: Path) -> str | None:
    """The article ID of an ``article<ID>.txt`` file name, else None."""
    match = ARTICLE_NAME.match(path.name)
    return match.group(1) if match else None


def language_of_folder(path: Path) -> str | None:
    """The ISO language of a file inside a SemEval language folder, if it is in one."""
    for parent in path.resolve().parents:
        if parent.name in FOLDER_LANGUAGES and any(
            (parent / name).exists()
            for name in ("train-labels-subtask-3.template", "test-labels-subtask-3.template")
        ):
            return FOLDER_LANGUAGES[parent.name]
    return None


def read_semeval_article(
    path: Path, language: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Article:
    path = Path(path)
    article_id = semeval_id(path)
    if article_id is None:
        raise InputError(str(path), "not a SemEval article file name (article<ID>.txt)")
    data = read_bytes(path, max_bytes)
    check_bytes(data, str(path))
    text, warning = decode(data, str(path))
    paragraphs = split_lines(text)
    title = paragraphs[0].text.strip().removeprefix("\ufeff") if paragraphs else ""
    article = Article(
        id=article_id,
        text=text,
        title=title,
        paragraphs=paragraphs,
        path=str(path),
        language=language,
    )
    if warning:
        article.warnings.append(warning)
    return article


def article_files(folder: Path) -> list[Path]:
    """The ``article<ID>.txt`` files of a folder in official order (sorted by file name)."""
    return sorted(p for p in Path(folder).iterdir() if ARTICLE_NAME.match(p.name))


def iter_semeval_dir(folder: Path, language: str | None = None) -> Iterator[Article]:
    for path in article_files(folder):
        yield read_semeval_article(path, language=language)


def write_template(articles: Iterable[Article], out: TextIO) -> None:
    """Write the official ``.template`` lines: ID, line number, the raw line with its ending."""
    for article in articles:
        for paragraph in article.paragraphs:
            end = paragraph.end
            for ending in ("\r\n", "\n"):
                if article.text.startswith(ending, end):
                    end += len(ending)
                    break
            out.write(f"{article.id}\t{paragraph.line}\t{article.text[paragraph.start : end]}")
