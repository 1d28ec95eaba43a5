"""Model artifacts: named arrays in one ``arrays.npz`` plus a JSON ``manifest.json``.

Loading never executes code (``allow_pickle=False``). The manifest records the artifact kind,
format version, a SHA-256 of the arrays file and whatever the model needs (labels,
thresholds, feature settings, training-data fingerprint, cross-validation metrics), so a
truncated, edited or foreign artifact fails with a clear message.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..atomic import atomic_write
from ..errors import ArtifactError

FORMAT = "propscope-artifact"
FORMAT_VERSION = 1
ARRAYS_FILE = "arrays.npz"
MANIFEST_FILE = "manifest.json"


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fingerprint_files(paths: Iterable[Path], root: Path) -> str:
    """A SHA-256 over the relative names and contents of training files, order-independent."""
    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in paths):
        digest.update(str(path.relative_to(root)).encode("utf-8"))
        digest.update(file_sha256(path).encode("ascii"))
    return digest.hexdigest()


def save_artifact(
    directory: Path, kind: str, arrays: dict[str, np.ndarray], manifest: dict[str, Any]
) -> dict[str, Any]:
    """Write the arrays and the manifest (files replaced atomically); return the manifest."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, array in arrays.items():
        if np.asarray(array).dtype == object:
            raise ValueError(f"array {name!r} has dtype object, which would need pickle")
    with atomic_write(directory / ARRAYS_FILE, "wb") as out:
        np.savez_compressed(out, **arrays)
    from .. import __version__

    full = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "kind": kind,
        "propscope_version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "arrays": sorted(arrays),
        "arrays_sha256": file_sha256(directory / ARRAYS_FILE),
        **manifest,
    }
    text = json.dumps(full, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    with atomic_write(directory / MANIFEST_FILE) as out:
        out.write(text)
    return full


def read_manifest(directory: Path, kind: str) -> dict[str, Any]:
    directory = Path(directory)
    path = directory / MANIFEST_FILE
    if not path.is_file():
        raise ArtifactError(f"{directory}: not a propscope model (no {MANIFEST_FILE})")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ArtifactError(f"{path}: corrupt manifest ({error})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArtifactError(f"{path}: not a propscope model manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArtifactError(
            f"{path}: artifact format version {manifest.get('format_version')!r},"
            f" this propscope reads version {FORMAT_VERSION}"
        )
    if manifest.get("kind") != kind:
        raise ArtifactError(f"{path}: a {manifest.get('kind')!r} model, expected a {kind!r} model")
    return manifest


def load_artifact(directory: Path, kind: str) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Load and verify an artifact written by :func:`save_artifact`."""
    directory = Path(directory)
    manifest = read_manifest(directory, kind)
    arrays_path = directory / ARRAYS_FILE
    if not arrays_path.is_file():
        raise ArtifactError(f"{directory}: the model's {ARRAYS_FILE} is missing")
    if file_sha256(arrays_path) != manifest.get("arrays_sha256"):
        raise ArtifactError(
            f"{arrays_path}: checksum does not match the manifest (truncated or edited file)"
        )
    try:
        with np.load(arrays_path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise ArtifactError(f"{arrays_path}: unreadable arrays ({error})") from None
    if sorted(arrays) != manifest.get("arrays"):
        raise ArtifactError(f"{arrays_path}: arrays do not match the manifest")
    return arrays, manifest
