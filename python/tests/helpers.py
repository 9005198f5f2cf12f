"""Shared by the tests: paths, the two command lines, and small models."""

import json
import os
import signal
import subprocess
import sys
import tempfile

PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(PYTHON_DIR)
sys.path.insert(0, PYTHON_DIR)

CLI_JS = os.path.join(REPO, "dist", "cli.js")
TORCH_CLI = os.path.join(PYTHON_DIR, "lstm_lens_torch.py")
RUN_LOCAL = os.path.join(PYTHON_DIR, "run_local.py")
DEFAULT_MODEL = os.path.join(REPO, "models", "default")
# A small real corpus (four TypeScript files, so validation holds out whole files).
CORPUS_DIR = os.path.join(REPO, "src", "core", "corpus")

# Text with what the vocabulary must handle: tabs, CRLF, non-ASCII, an astral character (two UNKs).
AWKWARD_TEXT = "function add(a, b) {\r\n\treturn a + b; // \u00e9t\u00e9 \U0001F600\r\n}\n\nconst x = add(1, 2);\n"


def run(cmd, timeout=600, **kw):
    """Runs a command; returns stdout, failing with both streams on a non-zero
    exit. A command still running after `timeout` seconds is killed with every
    process it started (a DDP worker left waiting on its peers would hang CI)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True, **kw)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        raise AssertionError("%s ran past %d s\nstderr: %s" % (" ".join(cmd), timeout, err[-4000:]))
    if p.returncode != 0:
        raise AssertionError("%s exited %d\nstdout: %s\nstderr: %s" % (" ".join(cmd), p.returncode, out[-2000:], err[-4000:]))
    return out


def last_json(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def node(*args) -> str:
    return run(["node", CLI_JS, *args])


def torch_cli(*args, env=None) -> str:
    return run([sys.executable, TORCH_CLI, *args], env=env)


def node_eval(model_dir, *files, probs=False) -> dict:
    return last_json(node("eval", "--model", model_dir, "--json", *(["--probs"] if probs else []), *files))


def torch_eval(model_dir, *files) -> dict:
    return last_json(torch_cli("eval", "--model", model_dir, "--json", *files))


def write_text(directory, name, text) -> str:
    path = os.path.join(directory, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return path


def temp_dir(test) -> str:
    d = tempfile.TemporaryDirectory(prefix="lstm-lens-py-")
    test.addCleanup(d.cleanup)
    return d.name


def fresh_torch_model(directory, hidden=(24, 16), embed=0, seed=3, dtype="float32"):
    """A model PyTorch wrote: random weights, scaled up (the head most) so that
    predictions are sharp, far from uniform."""
    import numpy as np
    from lstmlens.model_files import Model, Spec, new_manifest, save_model
    from lstmlens.network import CharLSTM
    from lstmlens.vocab import VOCAB_SIZE

    spec = Spec(VOCAB_SIZE, embed, list(hidden))
    net = CharLSTM(spec)
    net.init_fresh(seed)
    weights = {k: (v * (12 if k == "dense/kernel" else 3)).astype(np.float32) for k, v in net.keras_weights().items()}
    save_model(directory, Model(spec, weights, new_manifest(spec, "torch-test")), dtype)
    return directory
