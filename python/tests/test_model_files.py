"""Model folders both ways: what the extension writes loads here, what this
package writes loads in the extension, with the same numbers."""

import glob
import json
import os
import shutil
import unittest

import numpy as np

from helpers import AWKWARD_TEXT, DEFAULT_MODEL, fresh_torch_model, node_eval, temp_dir, torch_eval, write_text

from lstmlens.model_files import Model, ModelLoadError, build_topology, load_model, save_model
from lstmlens.network import from_model


def shard_bytes(directory: str) -> bytes:
    with open(glob.glob(os.path.join(directory, "weights-*.bin"))[0], "rb") as f:
        return f.read()


class ModelFilesTest(unittest.TestCase):
    def setUp(self):
        self.dir = temp_dir(self)
        self.text_file = write_text(self.dir, "text/sample.ts", AWKWARD_TEXT * 3)

    def test_topology_is_the_one_the_extension_writes(self):
        with open(os.path.join(DEFAULT_MODEL, "model.json"), encoding="utf-8") as f:
            written_by_ts = json.load(f)["modelTopology"]
        self.assertEqual(build_topology(load_model(DEFAULT_MODEL).spec), written_by_ts)

    def test_extension_model_through_torch_and_back_keeps_its_bytes(self):
        # The bundled model is float16: read into float32, written as float16 again, bit for bit.
        model = load_model(DEFAULT_MODEL)
        net = from_model(model)
        out = os.path.join(self.dir, "again")
        save_model(out, Model(model.spec, net.keras_weights(), model.manifest), "float16")
        self.assertEqual(shard_bytes(out), shard_bytes(DEFAULT_MODEL))
        before = node_eval(DEFAULT_MODEL, self.text_file)["bitsPerChar"]
        after = node_eval(out, self.text_file)["bitsPerChar"]
        self.assertEqual(before, after)

    def test_torch_model_loads_in_the_extension_with_the_same_bits_per_char(self):
        for dtype in ("float32", "float16"):
            out = fresh_torch_model(os.path.join(self.dir, dtype), hidden=(24, 16), embed=0, dtype=dtype)
            ts = node_eval(out, self.text_file)["bitsPerChar"]
            py = torch_eval(out, self.text_file)["bitsPerChar"]
            self.assertGreater(ts, 1.0)  # random weights: a poor model, far from uniform
            self.assertLess(abs(ts - py), 0.005, dtype)

    def test_torch_written_weights_read_back_exactly(self):
        out = fresh_torch_model(os.path.join(self.dir, "m"), hidden=(12,), embed=8)
        model = load_model(out)
        again = from_model(model).keras_weights()
        for name, values in model.weights.items():
            np.testing.assert_array_equal(values, again[name], name)
        self.assertEqual(model.manifest["spec"], {"vocabSize": 98, "embedDim": 8, "hidden": [12]})

    def test_keras_names_import(self):
        # A Keras or converter-made folder names weights lstm_3/lstm_cell_3/kernel: matched by position and role.
        out = fresh_torch_model(os.path.join(self.dir, "keras"), hidden=(16,), embed=8)
        path = os.path.join(out, "model.json")
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for layer in doc["modelTopology"]["config"]["layers"]:
            if layer["class_name"] == "LSTM":
                layer["config"]["name"] = "lstm_3"
        for w in doc["weightsManifest"][0]["weights"]:
            w["name"] = w["name"].replace("lstm/", "lstm_3/lstm_cell_3/")
        del doc["userDefinedMetadata"]
        with open(path, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        imported = load_model(out)
        self.assertIn("imported", imported.manifest["notes"])
        self.assertLess(abs(torch_eval(out, self.text_file)["bitsPerChar"] - node_eval(out, self.text_file)["bitsPerChar"]), 0.005)

    def test_truncated_weights_are_refused_with_a_reason(self):
        out = fresh_torch_model(os.path.join(self.dir, "cut"), hidden=(8,))
        shard = glob.glob(os.path.join(out, "weights-*.bin"))[0]
        with open(shard, "r+b") as f:
            f.truncate(100)
        with self.assertRaisesRegex(ModelLoadError, "truncated or mismatched"):
            load_model(out)

    def test_save_replaces_the_old_model_and_leaves_no_stray_files(self):
        out = os.path.join(self.dir, "replace")
        shutil.copytree(DEFAULT_MODEL, out)
        old_shard = glob.glob(os.path.join(out, "weights-*.bin"))[0]
        write_text(out, ".model.json.123.abc.tmp", "left by a crashed write")
        fresh_torch_model(out, hidden=(8,))
        names = sorted(os.listdir(out))
        # The old shard and the leftover are gone; files that are not the model's (the card) stay.
        self.assertEqual([n for n in names if not n.startswith("weights-")], ["MODEL_CARD.md", "model.json"])
        self.assertEqual(len([n for n in names if n.startswith("weights-")]), 1, names)
        self.assertFalse(os.path.exists(old_shard))
        self.assertEqual(load_model(out).spec.hidden, [8])


if __name__ == "__main__":
    unittest.main()
