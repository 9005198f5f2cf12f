#!/usr/bin/env python3
"""PyTorch reference for the LSTM Lens benchmarks.

Trains the same char-LSTM shape as the project's kernels (embedding ->
stacked LSTM -> linear head, cross-entropy over every position, Adam) on
random data and times whole optimiser steps, then times batch-1 stateful
inference one character at a time.

Prints exactly one JSON line on stdout; everything else goes to stderr.
Exit code 2 means torch could not be imported (the caller may try another
python); the JSON line then carries a "skipped" reason.
"""

import argparse
import ctypes
import json
import os
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--embed", type=int, default=64)
    p.add_argument("--vocab", type=int, default=98)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--seq", type=int, default=64)
    p.add_argument("--seconds", type=float, default=5.0, help="minimum timed training time")
    p.add_argument("--min-steps", type=int, default=3, help="minimum timed training steps")
    p.add_argument("--step-iters", type=int, default=2000, help="timed batch-1 inference steps (0 skips)")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def emit(obj, code=0):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()
    sys.exit(code)


def openblas_threads():
    """Threads OpenBLAS will actually use, or None when torch does not use OpenBLAS."""
    for name in ("libopenblas.so.0", "libopenblasp-r0.so"):
        try:
            # dlopen of an already-loaded soname returns the same instance torch uses.
            lib = ctypes.CDLL(name)
            return int(lib.openblas_get_num_threads())
        except (OSError, AttributeError):
            continue
    return None


def main():
    args = parse_args()
    try:
        import torch
        from torch import nn
    except Exception as exc:  # ImportError, or a broken install raising anything
        emit({"engine": "pytorch", "skipped": f"torch not importable by {sys.executable}: {exc}"}, 2)

    # Thread count must be fixed before any op runs so every phase uses it.
    torch.set_num_threads(max(1, args.threads))
    torch.manual_seed(args.seed)

    class CharLstm(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(args.vocab, args.embed)
            self.lstm = nn.LSTM(args.embed, args.hidden, num_layers=args.layers, batch_first=True)
            self.head = nn.Linear(args.hidden, args.vocab)

        def forward(self, ids, state=None):
            out, state = self.lstm(self.embedding(ids), state)
            return self.head(out), state

    model = CharLstm()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    inputs = torch.randint(0, args.vocab, (args.batch, args.seq))
    targets = torch.randint(0, args.vocab, (args.batch, args.seq))

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        logits, _ = model(inputs)
        loss = loss_fn(logits.reshape(-1, args.vocab), targets.reshape(-1))
        loss.backward()
        optimizer.step()
        return loss.item()

    train_step()  # warm-up: allocator, thread pools, lazy Adam state
    steps = 0
    start = time.perf_counter()
    elapsed = 0.0
    while elapsed < args.seconds or steps < args.min_steps:
        loss = train_step()
        steps += 1
        elapsed = time.perf_counter() - start

    result = {
        "engine": "pytorch",
        "version": torch.__version__,
        "threads": torch.get_num_threads(),
        "blasThreads": openblas_threads(),
        "python": sys.executable,
        "charsPerSecond": args.batch * args.seq * steps / elapsed,
        "steps": steps,
        "seconds": elapsed,
        "loss": loss,
    }

    if args.step_iters > 0:
        # One character at a time with the recurrent state carried over,
        # as a completion engine would generate; logits are the step's output.
        ids = torch.randint(0, args.vocab, (args.step_iters, 1, 1))
        with torch.no_grad():
            state = None
            for i in range(min(50, args.step_iters)):  # warm-up
                logits, state = model(ids[i], state)
            state = None
            start = time.perf_counter()
            for i in range(args.step_iters):
                logits, state = model(ids[i], state)
            step_elapsed = time.perf_counter() - start
        result["stepUs"] = step_elapsed / args.step_iters * 1e6
        result["stepIters"] = args.step_iters

    emit(result)


if __name__ == "__main__":
    main()
