"""Copies of model artifacts with their manifest edited, for tests of what loading refuses."""

import json
import shutil
from collections.abc import Callable
from pathlib import Path


def copy_with_manifest(source: Path, directory: Path, edit: Callable[[dict], None]) -> Path:
    """A copy of the artifact folder ``source`` whose manifest ``edit`` changed in place (its
    arrays and their checksum untouched)."""
    shutil.copytree(source, directory)
    path = directory / "manifest.json"
    manifest = json.loads(path.read_text())
    edit(manifest)
    path.write_text(json.dumps(manifest))
    return directory
