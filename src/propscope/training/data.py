"""Labelled SemEval training data as Articles plus gold labels."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..document import Article
from ..errors import InputError
from ..evaluation.formats import read_labels
from ..ingest.semeval import FOLDER_LANGUAGES, TRAINING_FOLDERS, iter_semeval_dir
from ..models.artifact import fingerprint_files

_SUBTASK = {"genre": 1, "frames": 2, "techniques": 3}


@dataclass
class LabelledCorpus:
    task: str
    articles: list[Article]
    # genre: id -> label; frames: id -> [labels]; techniques: (id, line) -> [labels]
    gold: dict
    fingerprint: str

    def languages(self) -> list[str]:
        return sorted({a.language for a in self.articles if a.language})


def folders_for(languages: Iterable[str] | None) -> list[str]:
    """SemEval folder codes for ISO codes or folder codes; all training folders for None."""
    if not languages:
        return list(TRAINING_FOLDERS)
    by_iso = {iso: folder for folder, iso in FOLDER_LANGUAGES.items()}
    folders = []
    for language in languages:
        folder = language if language in TRAINING_FOLDERS else by_iso.get(language)
        if folder not in TRAINING_FOLDERS:
            raise ValueError(f"no training data for language {language!r}")
        folders.append(folder)
    return folders


def load_labelled(
    data_dir: Path, task: str, languages: Iterable[str] | None = None
) -> LabelledCorpus:
    """Read the training articles and gold labels of ``task`` for the given languages."""
    data_dir = Path(data_dir)
    subtask = _SUBTASK[task]
    articles: list[Article] = []
    gold: dict = {}
    used_files: list[Path] = []
    for folder in folders_for(languages):
        root = data_dir / folder
        articles_dir = root / f"train-articles-subtask-{subtask}"
        labels_file = root / f"train-labels-subtask-{subtask}.txt"
        if not articles_dir.is_dir() or not labels_file.is_file():
            raise InputError(str(root), f"no subtask-{subtask} training data")
        language = FOLDER_LANGUAGES[folder]
        labels = read_labels(labels_file, task)
        for article in iter_semeval_dir(articles_dir, language=language):
            articles.append(article)
            used_files.append(Path(article.path))
        gold.update(labels)
        used_files.append(labels_file)
    return LabelledCorpus(task, articles, gold, fingerprint_files(used_files, data_dir))
