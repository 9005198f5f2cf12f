#!/usr/bin/env python3
"""LSTM Lens models in PyTorch: train on CPUs or GPUs (torchrun for many),
evaluate, and read or write the model folder the extension loads.

  train --out DIR [--from DIR] [--layers N --hidden N --embed N --seq N --batch N]
        [--lr X] [--clip X] [--minutes M] [--epochs E] [--steps S] [--val X]
        [--patience N] [--eval-every S] [--seed N] [--device auto|cpu|cuda] [--dtype float32|float16]
        [--threads N] [--max-corpus-mb MB] PATH...
      last stdout line: JSON with valBitsPerChar (and chars/s, steps, ...)
  eval --model DIR [--json] [--probs] [--device auto|cpu|cuda] FILE...
      with --json the last stdout line is {"bitsPerChar": ...}

Many GPUs: torchrun --nproc_per_node 8 python/lstm_lens_torch.py train ...
"""

import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from lstmlens.model_files import ModelLoadError  # noqa: E402


def positive_int(text: str) -> int:
    v = int(text)
    if v < 1:
        raise argparse.ArgumentTypeError("must be a positive integer, not %s" % text)
    return v


def train_command(argv) -> int:
    from lstmlens.training import TrainConfig, train

    p = argparse.ArgumentParser(prog="lstm_lens_torch.py train", description="Train an LSTM Lens model with PyTorch.")
    p.add_argument("--out", required=True, help="model folder to write (atomically)")
    p.add_argument("--from", dest="from_dir", help="model folder to continue training")
    p.add_argument("--layers", type=positive_int)
    p.add_argument("--hidden", type=positive_int)
    p.add_argument("--embed", type=int, help="embedding width; 0 is one-hot input")
    p.add_argument("--seq", type=positive_int, default=64, help="window length of truncated BPTT")
    p.add_argument("--batch", type=positive_int, default=32, help="parallel streams per step, over all processes")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--clip", type=float, default=5.0)
    p.add_argument("--minutes", type=float, default=None)
    p.add_argument("--epochs", type=float, default=None)
    p.add_argument("--steps", type=positive_int, default=None, help="stop after this many steps")
    p.add_argument("--val", type=float, default=0.1, help="share of the text held out for validation")
    p.add_argument("--patience", type=positive_int, default=3)
    p.add_argument("--eval-every", type=float, default=60.0, help="seconds between validations within an epoch")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument("--dtype", choices=["float32", "float16"], default="float32", help="weight encoding in the saved model")
    p.add_argument("--threads", type=int, default=0, help="torch intra-op CPU threads per process (0: one; the BLAS library has its own pool)")
    p.add_argument("--max-corpus-mb", type=float, default=None, help="most megabytes of source text read (default: the extension's CLI cap)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    a = p.parse_args(argv)
    if a.embed is not None and a.embed < 0:
        p.error("--embed must be 0 or more")
    if not 0 <= a.val < 1:
        p.error("--val must be at least 0 and below 1")
    cfg = TrainConfig(
        out=a.out, paths=a.paths, from_dir=a.from_dir, layers=a.layers, hidden=a.hidden, embed=a.embed,
        seq=a.seq, batch=a.batch, lr=a.lr, clip=a.clip,
        minutes=math.inf if a.minutes is None else a.minutes,
        # As `lstm-lens train`: 10 epochs unless a time budget is given.
        epochs=a.epochs if a.epochs is not None else (10 if a.minutes is None and a.steps is None else math.inf),
        steps=math.inf if a.steps is None else a.steps,
        val=a.val, patience=a.patience, eval_every_seconds=a.eval_every, seed=a.seed, device=a.device,
        dtype=a.dtype, threads=a.threads, max_corpus_mb=a.max_corpus_mb,
    )
    result = train(cfg)
    if result is not None:
        print(json.dumps(result))
    return 0


def eval_command(argv) -> int:
    import numpy as np
    import torch

    from lstmlens.corpus import read_source_file
    from lstmlens.evaluation import next_char_log_probs, score_text
    from lstmlens.model_files import load_model
    from lstmlens.network import from_model

    p = argparse.ArgumentParser(prog="lstm_lens_torch.py eval", description="Bits per character of a model on files, as lstm-lens eval.")
    p.add_argument("--model", required=True)
    p.add_argument("--json", action="store_true")
    p.add_argument("--probs", action="store_true", help="with --json: each file's next-character distributions")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="cpu")
    p.add_argument("files", nargs="+", metavar="FILE")
    a = p.parse_args(argv)
    if a.probs and not a.json:
        p.error("--probs adds to the JSON output: pass --json too")
    device = torch.device("cuda" if a.device == "cuda" or (a.device == "auto" and torch.cuda.is_available()) else "cpu")
    net = from_model(load_model(a.model)).to(device).eval()
    bits = correct = chars = 0
    rows = []
    for f in a.files:
        text = read_source_file(f)
        s = score_text(net, text, device)
        bits += s["bits"]
        correct += s["correct"]
        chars += s["chars"]
        row = {"file": f, "chars": s["chars"], "bitsPerChar": s["bits"] / s["chars"] if s["chars"] else None,
               "top1": s["correct"] / s["chars"] if s["chars"] else None}
        if a.probs:
            row["probs"] = np.exp(next_char_log_probs(net, text, device).astype(np.float64)).tolist()
        rows.append(row)
        if s["chars"]:
            sys.stderr.write("%s: %d chars, %.3f bits/char, top-1 %.1f%%\n" % (f, s["chars"], row["bitsPerChar"], 100 * row["top1"]))
    if chars == 0:
        raise ValueError("the files are empty: nothing to evaluate")
    if a.json:
        print(json.dumps({"chars": chars, "bitsPerChar": bits / chars, "top1": correct / chars, "files": rows}))
    else:
        print("%d chars, %.3f bits/char, top-1 %.1f%%" % (chars, bits / chars, 100 * correct / chars))
    return 0


COMMANDS = {"train": train_command, "eval": eval_command}


def main(argv) -> int:
    if not argv or argv[0] in ("-h", "--help", "help"):
        sys.stdout.write(__doc__)
        return 0 if argv else 2
    command = COMMANDS.get(argv[0])
    if command is None:
        sys.stderr.write("lstm_lens_torch.py: unknown command %s (train, eval)\n" % json.dumps(argv[0]))
        return 2
    try:
        return command(argv[1:])
    except (ValueError, ModelLoadError, OSError) as err:
        sys.stderr.write("lstm_lens_torch.py %s: %s\n" % (argv[0], err))
        if os.environ.get("LSTM_LENS_DEBUG"):
            raise
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
