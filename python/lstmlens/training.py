"""Training as `lstm-lens train` does it (src/core/trainer/trainer.ts), on a CPU,
one GPU or many (DistributedDataParallel under torchrun): the same
train/validation split, stateful truncated BPTT over B parallel streams of
the text, Adam, global-norm clipping, validation on held-out text, early
stopping, and the best weights by validation saved in the model folder.

Under DDP the B streams of every step are split between the processes; each
process's loss is its share of the global sum divided by the global count,
times the number of processes, so DDP's gradient average is the gradient of
the mean over all B*T characters: N processes take the same steps as one
process with the same --batch.
"""

import hashlib
import math
import os
import sys
import time
from dataclasses import dataclass
from typing import List, Optional

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F

from .corpus import collect_corpus
from .model_files import Model, Spec, load_model, new_manifest, now_iso, save_model
from .network import CharLSTM, from_model
from .vocab import VOCAB_SIZE, encode, utf16_length

LN2 = math.log(2)
# Why a run stopped, by the code the main process sends the others.
STOP_REASONS = {1: "time", 2: "steps"}


@dataclass
class TrainConfig:
    out: str
    paths: List[str]
    from_dir: Optional[str] = None
    layers: Optional[int] = None
    hidden: Optional[int] = None
    embed: Optional[int] = None
    seq: int = 64
    batch: int = 32
    lr: float = 2e-3
    clip: float = 5.0
    minutes: float = math.inf
    epochs: float = math.inf
    steps: float = math.inf
    val: float = 0.1
    patience: int = 3
    eval_every_seconds: float = 60.0
    max_val_chars: int = 256 * 1024
    checkpoint_every_seconds: float = 120.0
    seed: int = 1
    device: str = "auto"
    dtype: str = "float32"
    threads: int = 0
    max_corpus_mb: Optional[float] = None


# ---------------------------------------------------------------------------
# Data (trainingData.ts)


def _hash_unit(name: str) -> float:
    return int.from_bytes(hashlib.sha1(name.encode("utf-8")).digest()[:4], "big") / 2 ** 32


def _join(texts: List[str]) -> np.ndarray:
    return encode("".join(t if t.endswith("\n") else t + "\n" for t in texts))


def split_train_val(sources: List[tuple], val_fraction: float):
    """(train ids, val ids, how). With 4 or more files whole files are held out,
    chosen by a hash of their relative path (stable across runs and machines);
    with fewer, the last fraction of the text is."""
    if val_fraction <= 0:
        return _join([t for _, t in sources]), np.zeros(0, np.uint8), "none"
    if len(sources) >= 4:
        ranked = sorted(sources, key=lambda s: _hash_unit(s[0]))  # stable, as Array.sort
        total = sum(utf16_length(t) for _, t in sources)
        val, val_chars = [], 0
        for s in ranked:
            if val_chars >= val_fraction * total or len(val) >= len(sources) - 1:
                break
            val.append(s)
            val_chars += utf16_length(s[1])
        held = set(id(s) for s in val)
        train = [s for s in sources if id(s) not in held]
        return _join([t for _, t in train]), _join([t for _, t in val]), "files"
    everything = _join([t for _, t in sources])
    cut = int(math.floor(len(everything) * (1 - val_fraction)))
    return everything[:cut], everything[cut:], "tail"


def fit_batch_shape(chars: int, b: int, t: int):
    """The largest batch (then window) with at least one full window per stream."""
    while b > 1 and (chars - 1) // b < t:
        b = max(1, b // 2)
    while t > 1 and chars - 1 < t:
        t = max(1, t // 2)
    return b, t


class StreamBatches:
    """B parallel streams over one text cut into windows of T steps; stream b
    reads the b-th contiguous slice, so the state carried from one window to
    the next belongs to the same running text. This process reads rows [b0, b1)."""

    def __init__(self, data: np.ndarray, b: int, t: int, b0: int, b1: int, device):
        self.B, self.T = b, t
        self.row_length = (len(data) - 1) // b
        self.windows = self.row_length // t
        self.data = torch.from_numpy(np.ascontiguousarray(data, dtype=np.uint8)).to(device)  # 1 byte a character on the device
        rows = torch.arange(b0, b1, device=device)
        # [rows, T] offsets of window 0; window w adds w*T.
        self.base = rows[:, None] * self.row_length + torch.arange(t, device=device)[None, :]

    def window(self, w: int):
        idx = self.base + w * self.T
        return self.data[idx].long(), self.data[idx + 1].long()


def _rows(b: int, rank: int, world: int):
    """This process's contiguous share of b rows (as even as can be)."""
    return rank * b // world, (rank + 1) * b // world


# ---------------------------------------------------------------------------
# Processes


class Dist:
    """The process group under torchrun, or a single process."""

    def __init__(self, device_choice: str):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        use_cuda = torch.cuda.is_available() if device_choice == "auto" else device_choice == "cuda"
        if use_cuda and not torch.cuda.is_available():
            raise ValueError("--device cuda: no CUDA device is available to PyTorch here")
        if use_cuda:
            torch.cuda.set_device(self.local_rank)
            self.device = torch.device("cuda", self.local_rank)
        else:
            self.device = torch.device("cpu")
        if self.world > 1:
            dist.init_process_group("nccl" if use_cuda else "gloo")

    @property
    def main(self) -> bool:
        return self.rank == 0

    def sum(self, values: List[float]) -> List[float]:
        t = torch.tensor(values, dtype=torch.float64, device=self.device)
        if self.world > 1:
            dist.all_reduce(t)
        return t.tolist()

    def close(self) -> None:
        if self.world > 1:
            dist.destroy_process_group()


def note(msg: str) -> None:
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


# ---------------------------------------------------------------------------
# The run


def _spec(cfg: TrainConfig, start: Optional[Model]) -> Spec:
    if start is not None:
        s = start.spec
        want = (cfg.layers or len(s.hidden), cfg.hidden or s.hidden[0], s.embed_dim if cfg.embed is None else cfg.embed)
        if (cfg.layers, cfg.hidden, cfg.embed) != (None, None, None) and (want[0] != len(s.hidden) or any(h != want[1] for h in s.hidden) or want[2] != s.embed_dim):
            raise ValueError("--from model is %s; --layers/--hidden/--embed cannot change the shape of a model being trained further" % s.describe())
        return s
    return Spec(VOCAB_SIZE, 64 if cfg.embed is None else cfg.embed, [cfg.hidden or 256] * (cfg.layers or 2))


def train(cfg: TrainConfig) -> Optional[dict]:
    """Trains and saves; returns the summary on the main process (None elsewhere)."""
    procs = Dist(cfg.device)
    try:
        return _train(cfg, procs)
    finally:
        procs.close()


def _train(cfg: TrainConfig, procs: Dist) -> Optional[dict]:
    if procs.device.type == "cpu":
        # One intra-op thread by default: the matrix products run in the BLAS
        # library's own thread pool (OpenBLAS: OPENBLAS_NUM_THREADS), and two
        # pools on the same cores thrash (2x256 on 2 cores, bench/torch_lstm.py
        # while other work ran: 137 chars/s with torch at 2 threads, 2,264 at 1).
        torch.set_num_threads(cfg.threads or 1)
    torch.manual_seed(cfg.seed)
    start_model = load_model(cfg.from_dir) if cfg.from_dir else None
    spec = _spec(cfg, start_model)

    corpus = collect_corpus(cfg.paths, None if cfg.max_corpus_mb is None else int(cfg.max_corpus_mb * 1024 * 1024))
    if procs.main:
        skipped = ", ".join("%d %s" % (n, r) for r, n in sorted(corpus.skipped.items()))
        note("corpus: %d files, %d characters%s" % (len(corpus.files), corpus.total_chars, "; skipped " + skipped if skipped else ""))
    if not corpus.files:
        raise ValueError("no source files to train on in the given paths (every file was skipped)")
    train_ids, val_ids, val_by = split_train_val([(f.rel_path, f.text) for f in corpus.files], cfg.val)
    if len(train_ids) < 2:
        raise ValueError("the training text is empty: nothing to learn from")
    b, t = fit_batch_shape(len(train_ids), cfg.batch, cfg.seq)
    if b < procs.world:
        raise ValueError("the corpus gives only %d streams of %d characters, fewer than the %d processes" % (b, t, procs.world))
    train_data = StreamBatches(train_ids, b, t, *_rows(b, procs.rank, procs.world), procs.device)
    val_data = None
    if len(val_ids) > 2:
        vb, vt = fit_batch_shape(len(val_ids), b, t)
        val_data = StreamBatches(val_ids, vb, vt, *_rows(vb, procs.rank, procs.world), procs.device)

    net = from_model(start_model) if start_model else CharLSTM(spec)
    if not start_model:
        net.init_fresh(cfg.seed)
    net.to(procs.device)
    model = net
    if procs.world > 1:
        model = torch.nn.parallel.DistributedDataParallel(net, device_ids=[procs.device.index] if procs.device.type == "cuda" else None)
    params = [p for p in net.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=cfg.lr, betas=(0.9, 0.999), eps=1e-8)

    run_started = time.time()
    elapsed = lambda: time.time() - run_started
    deadline = cfg.minutes * 60
    engine = "pytorch-%s%s" % (procs.device.type, "-%dprocs" % procs.world if procs.world > 1 else "")
    setup = {
        "engine": engine,
        **({"startedFrom": os.path.abspath(cfg.from_dir)} if cfg.from_dir else {}),
        "seq": t, "batch": b, "learningRate": cfg.lr, "dropout": 0, "clipNorm": cfg.clip,
        "corpus": {"files": len(corpus.files), "chars": corpus.total_chars, "sources": [os.path.abspath(p) for p in cfg.paths]},
    }

    def save(weights: dict, reached: dict, metrics: dict) -> None:
        manifest = new_manifest(spec, os.path.basename(os.path.abspath(cfg.out)))
        manifest["training"] = {**setup, "epochs": 0, "steps": 0, "charsSeen": 0, "seconds": 0, "charsPerSecond": 0,
                                "stoppedBecause": "running", "finishedAt": now_iso(), **reached}
        manifest["metrics"] = {k: v for k, v in metrics.items() if v is not None}
        save_model(cfg.out, Model(spec, weights, manifest), cfg.dtype)

    @torch.no_grad()
    def evaluate():
        if val_data is None:
            return None
        net.eval()
        windows = max(1, min(val_data.windows, math.ceil(cfg.max_val_chars / (val_data.B * val_data.T))))
        state = None
        loss = count = top1 = 0.0
        for w in range(windows):
            x, y = val_data.window(w)
            if x.shape[0] == 0:
                continue
            logits, state = net(x, state)
            flat = logits.reshape(-1, spec.vocab_size).float()
            loss += F.cross_entropy(flat, y.reshape(-1), reduction="sum").item()
            top1 += (flat.argmax(-1) == y.reshape(-1)).sum().item()
            count += y.numel()
        net.train()
        loss, count, top1 = procs.sum([loss, count, top1])
        return loss / count / LN2, top1 / count

    best = None
    bad_evals = 0
    steps = epoch = 0
    chars_seen = 0
    train_seconds = 0.0
    recent = [0.0, 0.0]  # loss sum, count since the last evaluation (this process)
    last_train_bpc = float("nan")
    last_val = None
    last_eval = 0.0
    last_checkpoint = 0.0
    last_note = 0.0
    stopped = "epochs"
    chars_per_step = b * t

    def after_eval(res) -> bool:
        nonlocal best, bad_evals, last_eval, last_train_bpc, last_val, last_checkpoint
        last_eval = elapsed()
        loss, count = procs.sum(recent)
        if count > 0:
            last_train_bpc = loss / count / LN2
        recent[0] = recent[1] = 0.0
        if res is None:
            return False
        last_val = res[0]
        if best is None or res[0] < best["val"]:
            best = {"weights": net.keras_weights() if procs.main else None, "val": res[0], "top1": res[1]}
            bad_evals = 0
            if procs.main and elapsed() - last_checkpoint >= cfg.checkpoint_every_seconds:
                last_checkpoint = elapsed()
                save(best["weights"], {"epochs": epoch, "steps": steps, "charsSeen": chars_seen, "stoppedBecause": "checkpoint",
                                       "seconds": elapsed(), "finishedAt": now_iso()},
                     {"trainBitsPerChar": last_train_bpc, "valBitsPerChar": res[0]})
            return False
        bad_evals += 1
        return bad_evals >= cfg.patience

    net.train()
    while epoch < cfg.epochs and stopped == "epochs":
        state = None
        for w in range(train_data.windows):
            # The main process's clock decides, so that every process stops
            # (and validates) at the same step: one all-reduce of two flags.
            stop_code = 0
            eval_due = False
            if procs.main:
                stop_code = 1 if elapsed() >= deadline else 2 if steps >= cfg.steps else 0
                eval_due = w > 0 and elapsed() - last_eval >= cfg.eval_every_seconds
            if procs.world > 1:
                stop_code, eval_due = (int(v) for v in procs.sum([stop_code, eval_due]))
            if stop_code:
                stopped = STOP_REASONS[stop_code]
                break
            if eval_due and after_eval(evaluate()):
                stopped = "early-stop"
                break
            step_start = time.time()
            x, y = train_data.window(w)
            logits, state = model(x, state)
            state = [(h.detach(), c.detach()) for h, c in state]
            loss_sum = F.cross_entropy(logits.reshape(-1, spec.vocab_size).float(), y.reshape(-1), reduction="sum")
            (loss_sum * procs.world / chars_per_step).backward()
            if cfg.clip > 0:
                torch.nn.utils.clip_grad_norm_(params, cfg.clip)
            optimizer.step()
            optimizer.zero_grad(set_to_none=True)
            loss_value = loss_sum.item()
            if not math.isfinite(loss_value):
                raise ValueError("training diverged at step %d (loss is %s); try a lower learning rate" % (steps, loss_value))
            train_seconds += time.time() - step_start
            steps += 1
            chars_seen += chars_per_step
            recent[0] += loss_value
            recent[1] += y.numel()
            if procs.main and elapsed() - last_note >= 2:
                last_note = elapsed()
                note("epoch %d step %d  train %.3f bpc%s  %d chars/s" % (
                    epoch + 1, steps, recent[0] / max(recent[1], 1) / LN2,
                    "  val %.3f bpc" % last_val if last_val is not None else "", chars_seen / max(train_seconds, 1e-6)))
        if stopped != "epochs":
            break
        epoch += 1
        if after_eval(evaluate()):
            stopped = "early-stop"
    if stopped in ("time", "steps") or best is None:
        after_eval(evaluate())
    if recent[1] > 0 or math.isnan(last_train_bpc):
        loss, count = procs.sum(recent)
        if count > 0:
            last_train_bpc = loss / count / LN2

    seconds = elapsed()
    weights = best["weights"] if best else net.keras_weights()
    result = {
        "out": os.path.abspath(cfg.out),
        "spec": spec.to_json(),
        "chars": chars_seen,
        "charsPerSecond": chars_seen / max(train_seconds, 1e-6),
        "trainBitsPerChar": last_train_bpc,
        "valBitsPerChar": best["val"] if best else None,
        "valTop1": best["top1"] if best else None,
        "steps": steps,
        "epochs": epoch,
        "seconds": seconds,
        "stoppedBecause": stopped,
        "batch": b,
        "seq": t,
        "processes": procs.world,
        "device": str(procs.device.type),
        "files": len(corpus.files),
        "trainChars": int(len(train_ids)),
        "valChars": int(len(val_ids)),
        "valBy": val_by,
    }
    if not procs.main:
        return None
    save(weights, {"epochs": epoch, "steps": steps, "charsSeen": chars_seen, "seconds": seconds,
                   "charsPerSecond": result["charsPerSecond"], "stoppedBecause": stopped, "finishedAt": now_iso()},
         {"trainBitsPerChar": last_train_bpc, "valBitsPerChar": result["valBitsPerChar"], "valTop1": result["valTop1"]})
    note("stopped (%s) after %d steps, %.1f s: train %.3f bpc%s, %d chars/s; saved %s" % (
        stopped, steps, seconds, last_train_bpc, ", val %.3f bpc" % result["valBitsPerChar"] if best else "",
        result["charsPerSecond"], cfg.out))
    return result
