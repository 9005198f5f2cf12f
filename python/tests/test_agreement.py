"""`lstm-lens eval` and the PyTorch eval agree on models either side wrote:
next-character probabilities within 1e-4, bits per character within 0.005."""

import os
import unittest

import numpy as np

from helpers import AWKWARD_TEXT, CORPUS_DIR, DEFAULT_MODEL, fresh_torch_model, node, node_eval, temp_dir, torch_eval, write_text

from lstmlens.corpus import read_source_file
from lstmlens.evaluation import next_char_log_probs
from lstmlens.model_files import load_model
from lstmlens.network import from_model


class AgreementTest(unittest.TestCase):
    def setUp(self):
        self.dir = temp_dir(self)
        self.text_file = write_text(self.dir, "a.ts", AWKWARD_TEXT * 4)

    def check(self, model_dir: str, sharp: bool) -> None:
        ts_result = node_eval(model_dir, self.text_file, probs=True)
        ts = np.array(ts_result["files"][0]["probs"])
        py = np.exp(next_char_log_probs(from_model(load_model(model_dir)), read_source_file(self.text_file)))
        self.assertEqual(ts.shape, py.shape)
        if sharp:
            self.assertGreater(ts.max(), 0.5)  # the check is not only between near-uniform rows
        self.assertLess(float(np.abs(ts - py).max()), 1e-4)
        self.assertLess(abs(ts_result["bitsPerChar"] - torch_eval(model_dir, self.text_file)["bitsPerChar"]), 0.005)

    def test_bundled_model(self):
        self.check(DEFAULT_MODEL, sharp=True)

    def test_extension_written_one_hot_two_layer_model(self):
        out = os.path.join(self.dir, "ts")
        node("train", "--out", out, "--epochs", "0", "--layers", "2", "--hidden", "12", "--embed", "0", "--seed", "5", os.path.join(CORPUS_DIR, "index.ts"))
        self.assertEqual(load_model(out).spec.hidden, [12, 12])
        self.check(out, sharp=False)

    def test_torch_written_model_with_two_layer_sizes(self):
        self.check(fresh_torch_model(os.path.join(self.dir, "m"), hidden=(24, 16), embed=0), sharp=True)


if __name__ == "__main__":
    unittest.main()
