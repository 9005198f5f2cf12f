"""Next-character scoring as `lstm-lens eval` does it (src/core/eval/scoreText.ts):
the state is reset at each file's start and the first character is
predicted from a newline, as the editor does at the top of a file."""

import math
from typing import Optional

import numpy as np
import torch
import torch.nn.functional as F

from .network import CharLSTM
from .vocab import NEWLINE_ID, encode

# Long files run in chunks of this many steps, the state carried across.
CHUNK = 4096


@torch.no_grad()
def next_char_log_probs(net: CharLSTM, text: str, device="cpu") -> np.ndarray:
    """[chars, V] natural-log probabilities of the next character before each character."""
    ids = encode(text).astype(np.int64)
    if len(ids) == 0:
        return np.zeros((0, net.spec.vocab_size), dtype=np.float32)
    inputs = torch.from_numpy(np.concatenate([[NEWLINE_ID], ids[:-1]])).to(device)[None, :]
    state = None
    out = []
    for start in range(0, inputs.shape[1], CHUNK):
        logits, state = net(inputs[:, start:start + CHUNK], state)
        out.append(F.log_softmax(logits[0].float(), dim=-1).cpu())
    return torch.cat(out).numpy()


def score_text(net: CharLSTM, text: str, device="cpu") -> dict:
    """Bits (total), top-1 hits and characters for one file."""
    ids = encode(text).astype(np.int64)
    lp = next_char_log_probs(net, text, device)
    if len(ids) == 0:
        return {"bits": 0.0, "correct": 0, "chars": 0}
    nats = -float(np.sum(lp[np.arange(len(ids)), ids], dtype=np.float64))
    correct = int(np.sum(np.argmax(lp, axis=1) == ids))
    return {"bits": nats / math.log(2), "correct": correct, "chars": int(len(ids))}
