"""The char-LSTM in PyTorch, and its weights both ways to the Keras layout
the model folder holds.

Gate order: Keras' kernel columns are i, f, c, o and PyTorch's weight rows are
i, f, g, o, where g is the same cell candidate as Keras' c: the order agrees,
so the mapping is a transpose, no permutation:
  weight_ih [4H, in] = kernel.T          weight_hh [4H, H] = recurrent_kernel.T
  bias_ih   [4H]     = bias              bias_hh   [4H]    = 0, frozen
Keras has one bias, PyTorch two that are always summed; bias_hh stays at zero
and does not train, so the trained parameters are exactly the Keras ones
(training both would double the bias's learning rate under Adam).
Both use sigmoid gates and tanh for the candidate and the output.
"""

import math
from typing import List, Optional, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .model_files import Model, Spec, lstm_layer_name

State = List[Tuple[torch.Tensor, torch.Tensor]]


class CharLSTM(nn.Module):
    def __init__(self, spec: Spec):
        super().__init__()
        self.spec = spec
        self.embedding = nn.Embedding(spec.vocab_size, spec.embed_dim) if spec.embed_dim > 0 else None
        self.lstms = nn.ModuleList(nn.LSTM(spec.input_size(l), h, batch_first=True) for l, h in enumerate(spec.hidden))
        for lstm in self.lstms:
            lstm.bias_hh_l0.data.zero_()
            lstm.bias_hh_l0.requires_grad_(False)
        self.head = nn.Linear(spec.hidden[-1], spec.vocab_size)

    def zero_state(self, batch: int, device) -> State:
        return [(torch.zeros(1, batch, h, device=device), torch.zeros(1, batch, h, device=device)) for h in self.spec.hidden]

    def forward(self, x: torch.Tensor, state: Optional[State] = None):
        """x [B, T] ids -> logits [B, T, V] and the state after the last step (h, c per layer, each [1, B, H])."""
        if state is None:
            state = self.zero_state(x.shape[0], x.device)
        h = self.embedding(x) if self.embedding is not None else F.one_hot(x, self.spec.vocab_size).float()
        new_state = []
        for lstm, s in zip(self.lstms, state):
            h, s2 = lstm(h, s)
            new_state.append(s2)
        return self.head(h), new_state

    # -- Keras layout ------------------------------------------------------

    def load_keras(self, weights: dict) -> None:
        def put(param: torch.Tensor, value: np.ndarray):
            with torch.no_grad():
                param.copy_(torch.from_numpy(np.ascontiguousarray(value, dtype=np.float32)))

        if self.embedding is not None:
            put(self.embedding.weight, weights["embedding/embeddings"])
        for l, lstm in enumerate(self.lstms):
            name = lstm_layer_name(l)
            put(lstm.weight_ih_l0, weights[name + "/kernel"].T)
            put(lstm.weight_hh_l0, weights[name + "/recurrent_kernel"].T)
            put(lstm.bias_ih_l0, weights[name + "/bias"])
            lstm.bias_hh_l0.data.zero_()
        put(self.head.weight, weights["dense/kernel"].T)
        put(self.head.bias, weights["dense/bias"])

    def keras_weights(self) -> dict:
        def get(t: torch.Tensor) -> np.ndarray:
            return t.detach().float().cpu().numpy().copy()

        out = {}
        if self.embedding is not None:
            out["embedding/embeddings"] = get(self.embedding.weight)
        for l, lstm in enumerate(self.lstms):
            name = lstm_layer_name(l)
            out[name + "/kernel"] = get(lstm.weight_ih_l0).T.copy()
            out[name + "/recurrent_kernel"] = get(lstm.weight_hh_l0).T.copy()
            out[name + "/bias"] = get(lstm.bias_ih_l0) + get(lstm.bias_hh_l0)
        out["dense/kernel"] = get(self.head.weight).T.copy()
        out["dense/bias"] = get(self.head.bias)
        return out

    def init_fresh(self, seed: int) -> None:
        """As the extension's initParams: Glorot-uniform kernels (the same scale
        for recurrent ones), embeddings U(-0.05, 0.05), zero biases except the
        forget gate's, which starts at 1 (Keras' unit_forget_bias)."""
        g = torch.Generator().manual_seed(seed)

        def uniform(shape, limit):
            return (torch.rand(shape, generator=g) * 2 - 1) * limit

        def glorot(fan_in, fan_out):
            return uniform((fan_in, fan_out), math.sqrt(6 / (fan_in + fan_out)))

        weights = {}
        if self.embedding is not None:
            weights["embedding/embeddings"] = uniform((self.spec.vocab_size, self.spec.embed_dim), 0.05).numpy()
        for l, h in enumerate(self.spec.hidden):
            name = lstm_layer_name(l)
            weights[name + "/kernel"] = glorot(self.spec.input_size(l), 4 * h).numpy()
            weights[name + "/recurrent_kernel"] = glorot(h, 4 * h).numpy()
            bias = np.zeros(4 * h, dtype=np.float32)
            bias[h:2 * h] = 1
            weights[name + "/bias"] = bias
        weights["dense/kernel"] = glorot(self.spec.hidden[-1], self.spec.vocab_size).numpy()
        weights["dense/bias"] = np.zeros(self.spec.vocab_size, dtype=np.float32)
        self.load_keras(weights)


def from_model(model: Model) -> CharLSTM:
    net = CharLSTM(model.spec)
    net.load_keras(model.weights)
    return net
