"""Next-character probabilities agree with `lstm-lens eval --probs` within 1e-4."""

import os
import unittest

import numpy as np

from helpers import AWKWARD_TEXT, DEFAULT_MODEL, fresh_torch_model, node_eval, temp_dir, write_text

from lstmlens.corpus import read_source_file
from lstmlens.evaluation import next_char_log_probs
from lstmlens.model_files import load_model
from lstmlens.network import from_model


class ProbabilityAgreementTest(unittest.TestCase):
    def check(self, model_dir: str, text_file: str) -> None:
        ts = np.array(node_eval(model_dir, text_file, probs=True)["files"][0]["probs"])
        py = np.exp(next_char_log_probs(from_model(load_model(model_dir)), read_source_file(text_file)))
        self.assertEqual(ts.shape, py.shape)
        self.assertGreater(ts.max(), 0.5)  # a sharp distribution somewhere: the check is not between near-uniform rows
        self.assertLess(float(np.abs(ts - py).max()), 1e-4)

    def test_bundled_model(self):
        d = temp_dir(self)
        self.check(DEFAULT_MODEL, write_text(d, "a.ts", AWKWARD_TEXT * 4))

    def test_torch_written_model_with_two_layer_sizes(self):
        d = temp_dir(self)
        model = fresh_torch_model(os.path.join(d, "m"), hidden=(24, 16), embed=0)
        self.check(model, write_text(d, "a.ts", AWKWARD_TEXT * 4))


if __name__ == "__main__":
    unittest.main()
