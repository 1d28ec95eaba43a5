"""Readers and writers of the three official label/prediction formats.

- genre (subtask 1): ``ID<TAB>genre``
- frames (subtask 2): ``ID<TAB>frame,frame,...`` (the list may be empty)
- techniques (subtask 3): ``ID<TAB>line<TAB>technique,technique,...`` (the list may be empty)

Readers reject malformed lines, duplicate keys and labels outside the official lists with a
message naming the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ..document import Article
from ..errors import FormatError
from ..taxonomy import labels_of

GenreLabels = dict[str, str]
FrameLabels = dict[str, list[str]]
TechniqueLabels = dict[tuple[str, int], list[str]]
TASKS = ("genre", "frames", "techniques")


def _lines(path: Path) -> Iterable[tuple[int, str]]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FormatError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise FormatError(f"{path}: not a UTF-8 text file") from None
    except OSError as error:
        raise FormatError(f"{path}: {error.strerror or error}") from None
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if line.strip():
            yield number, line


def _check_labels(labels: list[str], task: str, where: str) -> list[str]:
    allowed = labels_of(task)
    for label in labels:
        if label not in allowed:
            raise FormatError(f"{where}: unknown {task} label {label!r}")
    if len(set(labels)) != len(labels):
        raise FormatError(f"{where}: a label is repeated")
    return labels


def _split_list(field: str) -> list[str]:
    return [label.strip() for label in field.split(",") if label.strip()]


def read_labels(path: Path, task: str) -> GenreLabels | FrameLabels | TechniqueLabels:
    """Read a gold or prediction file of ``task``; keys are IDs (or (ID, line) for techniques)."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}")
    result: dict = {}
    for number, line in _lines(path):
        where = f"{path}:{number}"
        fields = line.split("\t")
        if task == "genre":
            if len(fields) != 2:
                raise FormatError(f"{where}: expected 'ID<TAB>genre'")
            key, value = fields[0].strip(), _check_labels([fields[1].strip()], task, where)[0]
        elif task == "frames":
            if len(fields) > 2:
                raise FormatError(f"{where}: expected 'ID<TAB>frame,frame,...'")
            key = fields[0].strip()
            value = _check_labels(_split_list(fields[1] if len(fields) == 2 else ""), task, where)
        else:
            if len(fields) not in (2, 3) or not fields[1].strip().isdigit():
                raise FormatError(f"{where}: expected 'ID<TAB>line<TAB>technique,technique,...'")
            key = (fields[0].strip(), int(fields[1]))
            value = _check_labels(_split_list(fields[2] if len(fields) == 3 else ""), task, where)
        if not key or (isinstance(key, tuple) and not key[0]):
            raise FormatError(f"{where}: empty ID")
        if key in result:
            raise FormatError(f"{where}: {_describe_key(key)} appears twice")
        result[key] = value
    return result


def _describe_key(key) -> str:
    return f"article {key[0]} line {key[1]}" if isinstance(key, tuple) else f"article {key}"


def write_labels(labels: dict, task: str, out: TextIO) -> None:
    """Write labels in the official format of ``task``, in the mapping's order."""
    for key, value in labels.items():
        if task == "genre":
            out.write(f"{key}\t{value}\n")
        elif task == "frames":
            out.write(f"{key}\t{','.join(value)}\n")
        elif task == "techniques":
            out.write(f"{key[0]}\t{key[1]}\t{','.join(value)}\n")
        else:
            raise ValueError(f"unknown task {task!r}")


def predictions_of(articles: Iterable[Article], task: str) -> dict:
    """The official predictions of ``task`` held by analysed articles.

    Every paragraph line gets a techniques entry, with an empty list where nothing was
    predicted (boilerplate included), as the official files require.
    """
    result: dict = {}
    for article in articles:
        if task == "genre":
            if article.genre is None or not article.genre.predicted:
                raise ValueError(f"article {article.id} has no genre prediction")
            result[article.id] = article.genre.predicted[0]
        elif task == "frames":
            result[article.id] = list(article.frames.predicted) if article.frames else []
        elif task == "techniques":
            for paragraph in article.paragraphs:
                predicted = paragraph.techniques.predicted if paragraph.techniques else []
                result[(article.id, paragraph.line)] = list(predicted)
        else:
            raise ValueError(f"unknown task {task!r}")
    return result
