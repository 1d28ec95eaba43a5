import json

import numpy as np
import pytest

from propscope.errors import ArtifactError
from propscope.models.artifact import load_artifact, save_artifact


@pytest.fixture
def artifact(tmp_path):
    arrays = {"weights": np.arange(12, dtype=np.float32).reshape(3, 4), "bias": np.ones(3)}
    save_artifact(tmp_path, "toy", arrays, {"labels": ["a", "b", "c"]})
    return tmp_path, arrays


def test_round_trip(artifact):
    path, arrays = artifact
    loaded, manifest = load_artifact(path, "toy")
    assert manifest["labels"] == ["a", "b", "c"]
    assert manifest["format_version"] == 1 and manifest["kind"] == "toy"
    for name, array in arrays.items():
        np.testing.assert_array_equal(loaded[name], array)


def test_foreign_kind_is_refused(artifact):
    with pytest.raises(ArtifactError, match="a 'toy' model, expected a 'genre' model"):
        load_artifact(artifact[0], "genre")


def test_truncated_arrays_are_refused(artifact):
    path = artifact[0] / "arrays.npz"
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(ArtifactError, match="truncated or edited"):
        load_artifact(artifact[0], "toy")


def test_edited_manifest_and_non_json_are_refused(artifact):
    manifest = artifact[0] / "manifest.json"
    data = json.loads(manifest.read_text())
    data["arrays_sha256"] = "0" * 64
    manifest.write_text(json.dumps(data))
    with pytest.raises(ArtifactError, match="checksum"):
        load_artifact(artifact[0], "toy")
    manifest.write_text("{not json")
    with pytest.raises(ArtifactError, match="corrupt manifest"):
        load_artifact(artifact[0], "toy")


def test_missing_folder_and_foreign_json(tmp_path):
    with pytest.raises(ArtifactError, match="no manifest.json"):
        load_artifact(tmp_path / "nothing", "toy")
    (tmp_path / "manifest.json").write_text('{"name": "something else"}')
    with pytest.raises(ArtifactError, match="not a propscope model manifest"):
        load_artifact(tmp_path, "toy")


def test_object_arrays_are_never_written(tmp_path):
    with pytest.raises(ValueError, match="pickle"):
        save_artifact(tmp_path, "toy", {"bad": np.array([{"a": 1}], dtype=object)}, {})
