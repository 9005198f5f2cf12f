"""Training: one process, continuing from a model folder, and two processes
with DistributedDataParallel on CPU (gloo), each writing a model the
extension's CLI loads."""

import json
import os
import subprocess
import sys
import unittest

import numpy as np

from helpers import CORPUS_DIR, DEFAULT_MODEL, RUN_LOCAL, TORCH_CLI, last_json, node, node_eval, run, temp_dir, torch_cli

from lstmlens.corpus import collect_corpus
from lstmlens.model_files import load_model
from lstmlens.training import split_train_val

SMALL = ["--layers", "1", "--hidden", "16", "--embed", "8", "--seq", "16", "--batch", "4", "--val", "0.2"]


def env_one_thread():
    return dict(os.environ, OMP_NUM_THREADS="1")


class TrainingTest(unittest.TestCase):
    def test_train_writes_a_model_the_extension_loads(self):
        out = os.path.join(temp_dir(self), "m")
        result = last_json(torch_cli("train", "--out", out, "--steps", "5", "--threads", "1", *SMALL, CORPUS_DIR))
        self.assertEqual(result["steps"], 5)
        self.assertIsInstance(result["valBitsPerChar"], float)
        manifest = load_model(out).manifest
        self.assertEqual(manifest["metrics"]["valBitsPerChar"], result["valBitsPerChar"])
        self.assertTrue(manifest["training"]["engine"].startswith("pytorch-"))
        files = [os.path.join(CORPUS_DIR, f) for f in sorted(os.listdir(CORPUS_DIR))]
        self.assertLess(abs(node_eval(out, *files)["bitsPerChar"] - last_json(torch_cli("eval", "--model", out, "--json", *files))["bitsPerChar"]), 0.005)

    def test_continue_from_the_bundled_model(self):
        out = os.path.join(temp_dir(self), "m")
        result = last_json(torch_cli("train", "--from", DEFAULT_MODEL, "--out", out, "--steps", "2", "--seq", "16", "--batch", "2", "--threads", "1", CORPUS_DIR))
        self.assertEqual(result["spec"], load_model(DEFAULT_MODEL).spec.to_json())
        self.assertEqual(load_model(out).manifest["training"]["startedFrom"], os.path.abspath(DEFAULT_MODEL))
        node_eval(out, os.path.join(CORPUS_DIR, "index.ts"))

    def test_from_refuses_a_different_shape(self):
        r = subprocess.run([sys.executable, TORCH_CLI, "train", "--from", DEFAULT_MODEL, "--out", os.path.join(temp_dir(self), "m"), "--hidden", "32", CORPUS_DIR],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot change the shape", r.stderr)

    def test_validation_split_is_the_extensions(self):
        files = collect_corpus([CORPUS_DIR]).files
        for val, sources in ((0.2, files), (0.3, files[:2])):  # whole files held out, then the tail of two files
            train_ids, val_ids, _ = split_train_val([(f.rel_path, f.text) for f in sources], val)
            out = os.path.join(temp_dir(self), "m")
            ts = last_json(node("train", "--out", out, "--epochs", "0", "--val", str(val), "--layers", "1", "--hidden", "8", "--json", *[f.path for f in sources]))
            self.assertEqual((ts["trainChars"], ts["valChars"]), (len(train_ids), len(val_ids)))

    def test_two_processes_take_the_steps_of_one(self):
        d = temp_dir(self)
        one, two = os.path.join(d, "one"), os.path.join(d, "two")
        # Validation after every step: all processes must validate and stop together.
        args = ["train", "--steps", "4", "--threads", "1", "--val", "0.2", "--eval-every", "0", *SMALL[:-2], CORPUS_DIR]
        torch_cli(*args[:1], "--out", one, *args[1:], env=env_one_thread())
        # torchrun's environment, set by run_local.py (Debian's torchrun fails under Python 3.11; see README).
        stdout = run([sys.executable, RUN_LOCAL, "--nproc", "2", TORCH_CLI, args[0], "--out", two, *args[1:]], env=env_one_thread())
        result = last_json(stdout)
        self.assertEqual(result["processes"], 2)
        self.assertEqual(result["steps"], 4)
        self.assertAlmostEqual(result["valBitsPerChar"], load_model(one).manifest["metrics"]["valBitsPerChar"], delta=1e-4)
        a, b = load_model(one), load_model(two)
        self.assertEqual(b.manifest["training"]["engine"], "pytorch-cpu-2procs")
        for name in a.weights:
            np.testing.assert_allclose(a.weights[name], b.weights[name], atol=2e-5, err_msg=name)
        # The weights moved: the comparison is not between two untouched initialisations.
        # (dense/bias starts at zero.)
        self.assertGreater(float(np.abs(a.weights["dense/bias"]).max()), 1e-3)
        node_eval(two, os.path.join(CORPUS_DIR, "index.ts"))


if __name__ == "__main__":
    unittest.main()
