"""Model folders as LSTM Lens writes and reads them (src/core/model/*.ts):
the TensorFlow.js Layers format, i.e. `model.json` (Keras topology, weights
manifest, and the LSTM Lens manifest under userDefinedMetadata.lstmLens) and
one weight shard named by its content hash.

Weights are numpy float32 arrays in Keras shapes and order:
  embedding/embeddings [V, E]                        (absent for one-hot input)
  lstm/kernel [in, 4H], lstm/recurrent_kernel [H, 4H], lstm/bias [4H]
      columns are gates i, f, c (cell candidate), o; then lstm_1/..., ...
  dense/kernel [H_top, V], dense/bias [V]
"""

import datetime
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Dict, List, Optional

import numpy as np

from .atomic import is_atomic_temp_name, write_file_atomic
from .vocab import VOCAB_CHARS, VOCAB_SIZE

MANIFEST_FORMAT_VERSION = 1
MODEL_JSON = "model.json"
MAX_MODEL_JSON_BYTES = 16 << 20
MAX_WEIGHT_BYTES = 1 << 30
TFJS_VERSION = "4.22.0"


class ModelLoadError(Exception):
    pass


@dataclass
class Spec:
    vocab_size: int
    embed_dim: int  # 0: one-hot input
    hidden: List[int]

    def to_json(self) -> dict:
        return {"vocabSize": self.vocab_size, "embedDim": self.embed_dim, "hidden": list(self.hidden)}

    def describe(self) -> str:
        return "%dx%s %s" % (len(self.hidden), "/".join(map(str, self.hidden)), "emb%d" % self.embed_dim if self.embed_dim else "onehot")

    def input_size(self, layer: int) -> int:
        if layer > 0:
            return self.hidden[layer - 1]
        return self.embed_dim if self.embed_dim > 0 else self.vocab_size


@dataclass
class Model:
    spec: Spec
    weights: Dict[str, np.ndarray]
    manifest: dict


def lstm_layer_name(layer: int) -> str:
    return "lstm" if layer == 0 else "lstm_%d" % layer


def weight_entries(spec: Spec):
    """(name, layer name, shape) in the order Keras lists them, with the names LSTM Lens saves."""
    out = []
    if spec.embed_dim > 0:
        out.append(("embedding/embeddings", "embedding", [spec.vocab_size, spec.embed_dim]))
    for l, h in enumerate(spec.hidden):
        name = lstm_layer_name(l)
        out.append((name + "/kernel", name, [spec.input_size(l), 4 * h]))
        out.append((name + "/recurrent_kernel", name, [h, 4 * h]))
        out.append((name + "/bias", name, [4 * h]))
    out.append(("dense/kernel", "dense", [spec.hidden[-1], spec.vocab_size]))
    out.append(("dense/bias", "dense", [spec.vocab_size]))
    return out


def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def new_manifest(spec: Spec, name: str) -> dict:
    return {
        "format": "lstm-lens",
        "formatVersion": MANIFEST_FORMAT_VERSION,
        "name": name,
        "vocabulary": list(VOCAB_CHARS),
        "spec": spec.to_json(),
        "createdAt": now_iso(),
    }


# ---------------------------------------------------------------------------
# Topology (layersTopology.ts)


def build_topology(spec: Spec) -> dict:
    """The Keras Sequential config that tf.loadLayersModel and LSTM Lens read."""
    layers = []
    if spec.embed_dim > 0:
        layers.append({
            "class_name": "Embedding",
            "config": {
                "name": "embedding", "trainable": True, "dtype": "float32", "batch_input_shape": [None, None],
                "input_dim": spec.vocab_size, "output_dim": spec.embed_dim, "mask_zero": False,
                "embeddings_initializer": {"class_name": "RandomUniform", "config": {"minval": -0.05, "maxval": 0.05, "seed": None}},
            },
        })
    for l, h in enumerate(spec.hidden):
        config = {"name": lstm_layer_name(l), "trainable": True, "dtype": "float32"}
        if l == 0 and spec.embed_dim == 0:
            config["batch_input_shape"] = [None, None, spec.vocab_size]
        config.update({
            "units": h, "activation": "tanh", "recurrent_activation": "sigmoid", "use_bias": True,
            "unit_forget_bias": True, "return_sequences": True, "return_state": False, "go_backwards": False,
            "stateful": False, "unroll": False, "dropout": 0, "recurrent_dropout": 0, "implementation": 2,
            "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
            "recurrent_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
            "bias_initializer": {"class_name": "Zeros", "config": {}},
        })
        layers.append({"class_name": "LSTM", "config": config})
    layers.append({
        "class_name": "Dense",
        "config": {
            "name": "dense", "trainable": True, "dtype": "float32", "units": spec.vocab_size, "activation": "linear",
            "use_bias": True, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
            "bias_initializer": {"class_name": "Zeros", "config": {}},
        },
    })
    return {
        "class_name": "Sequential",
        "config": {"name": "lstm_lens", "layers": layers},
        "keras_version": "tfjs-layers " + TFJS_VERSION,
        "backend": "tensor_flow.js",
    }


def _positive_int(config: dict, key: str, where: str) -> int:
    v = config.get(key)
    if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
        raise ModelLoadError("%s: %s must be a positive integer, got %s" % (where, key, json.dumps(v)))
    return v


def parse_topology(topology) -> (Spec, List[str]):
    """The spec and the file's layer names (embedding?, lstm..., dense), refusing
    anything the extension would compute differently, as parseTopology does."""
    if not isinstance(topology, dict):
        raise ModelLoadError("modelTopology is missing or not an object")
    root = topology["model_config"] if isinstance(topology.get("model_config"), dict) else topology
    if root.get("class_name") not in ("Sequential", "Functional", "Model"):
        raise ModelLoadError("model class %s is not supported (expected a Sequential model)" % json.dumps(root.get("class_name")))
    config = root.get("config")
    layer_list = config if isinstance(config, list) else config.get("layers") if isinstance(config, dict) else None
    if not isinstance(layer_list, list):
        raise ModelLoadError("model topology has no layer list")
    names: List[str] = []
    vocab = embed = dense_units = 0
    hidden: List[int] = []
    for layer in (x for x in layer_list if isinstance(x, dict)):
        cls = str(layer.get("class_name"))
        cfg = layer.get("config") if isinstance(layer.get("config"), dict) else {}
        name = cfg["name"] if isinstance(cfg.get("name"), str) else cls.lower()
        where = 'layer "%s" (%s)' % (name, cls)
        if dense_units > 0 and cls not in ("Activation", "Dropout"):
            raise ModelLoadError("%s follows the output layer; only Embedding -> LSTM... -> Dense is supported" % where)
        if cls in ("InputLayer", "Dropout"):
            continue
        if cls == "Activation":
            if cfg.get("activation") not in ("softmax", "linear"):
                raise ModelLoadError("%s: activation %s is not supported" % (where, json.dumps(cfg.get("activation"))))
        elif cls == "Embedding":
            if names:
                raise ModelLoadError("%s must be the first layer" % where)
            vocab = _positive_int(cfg, "input_dim", where)
            embed = _positive_int(cfg, "output_dim", where)
            names.append(name)
        elif cls == "LSTM":
            h = _positive_int(cfg, "units", where)
            if cfg.get("activation", "tanh") != "tanh":
                raise ModelLoadError("%s: activation must be tanh" % where)
            if cfg.get("recurrent_activation", "sigmoid") != "sigmoid":
                raise ModelLoadError("%s: recurrent_activation must be sigmoid" % where)
            if cfg.get("use_bias") is False:
                raise ModelLoadError("%s: LSTMs without bias are not supported" % where)
            if cfg.get("go_backwards") is True:
                raise ModelLoadError("%s: go_backwards is not supported" % where)
            if cfg.get("return_sequences") is False:
                raise ModelLoadError("%s: return_sequences must be true" % where)
            if not names:
                shape = cfg.get("batch_input_shape", cfg.get("batch_shape"))
                if not (isinstance(shape, list) and shape and isinstance(shape[-1], int)):
                    raise ModelLoadError("%s: the first LSTM needs a one-hot input shape [null, null, vocab]" % where)
                vocab = shape[-1]
            hidden.append(h)
            names.append(name)
        elif cls == "Dense":
            dense_units = _positive_int(cfg, "units", where)
            if cfg.get("activation", "linear") not in ("linear", "softmax"):
                raise ModelLoadError("%s: activation must be linear or softmax" % where)
            if cfg.get("use_bias") is False:
                raise ModelLoadError("%s: a Dense layer without bias is not supported" % where)
            names.append(name)
        else:
            raise ModelLoadError("%s is not supported; LSTM Lens runs Embedding (optional) -> LSTM x N -> Dense" % where)
    if not hidden:
        raise ModelLoadError("the model has no LSTM layer")
    if dense_units == 0:
        raise ModelLoadError("the model has no Dense output layer")
    if dense_units != vocab:
        raise ModelLoadError("the output layer has %d units but the input vocabulary has %d" % (dense_units, vocab))
    return Spec(vocab, embed, hidden), names


# ---------------------------------------------------------------------------
# Weight data (weightsCodec.ts)

_BYTES = {None: 4, "float16": 2, "uint16": 2, "uint8": 1}


def _element_count(spec: dict) -> int:
    shape = spec.get("shape")
    if not isinstance(shape, list) or len(shape) > 8 or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        raise ModelLoadError("weight %s has an invalid shape" % spec.get("name"))
    return int(np.prod(shape, dtype=np.int64))


def _quantization(spec: dict) -> Optional[str]:
    q = spec.get("quantization")
    if q is None:
        return None
    if not isinstance(q, dict) or q.get("dtype") not in ("float16", "uint8", "uint16"):
        raise ModelLoadError("weight %s has quantization %s; only float16, uint8 and uint16 are supported" % (spec.get("name"), json.dumps(q)))
    return q["dtype"]


def expected_weight_bytes(specs: list) -> int:
    total = 0
    for s in specs:
        if not isinstance(s, dict) or not isinstance(s.get("name"), str):
            raise ModelLoadError("the weights manifest has an entry that is not a { name, shape, dtype } object")
        if s.get("dtype") != "float32":
            raise ModelLoadError("weight %s has dtype %s; only float32 weights are supported" % (s["name"], json.dumps(s.get("dtype"))))
        total += _element_count(s) * _BYTES[_quantization(s)]
        if total > MAX_WEIGHT_BYTES:
            raise ModelLoadError("weights declare more than %d MiB" % (MAX_WEIGHT_BYTES >> 20))
    return total


def decode_weights(specs: list, data: bytes) -> Dict[str, np.ndarray]:
    out: Dict[str, np.ndarray] = {}
    at = 0
    for s in specs:
        n = _element_count(s)
        q = _quantization(s)
        size = n * _BYTES[q]
        chunk = data[at:at + size]
        if q is None:
            values = np.frombuffer(chunk, dtype="<f4").astype(np.float32)
        elif q == "float16":
            values = np.frombuffer(chunk, dtype="<f2").astype(np.float32)
        else:
            scale, lo = s["quantization"].get("scale"), s["quantization"].get("min")
            if not all(isinstance(v, (int, float)) and np.isfinite(v) for v in (scale, lo)):
                raise ModelLoadError("weight %s has an invalid quantization" % s["name"])
            raw = np.frombuffer(chunk, dtype="<u2" if q == "uint16" else np.uint8)
            values = (raw.astype(np.float64) * scale + lo).astype(np.float32)
        if not np.all(np.isfinite(values)):
            raise ModelLoadError("weight %s contains NaN or infinite values" % s["name"])
        out[s["name"]] = values.reshape(s["shape"])
        at += size
    return out


def encode_weights(model: Model, dtype: str):
    """(weights manifest entries, bytes) as float32 or float16 (tfjs' own quantization)."""
    if dtype not in ("float32", "float16"):
        raise ValueError("--dtype must be float32 or float16, not %r" % dtype)
    specs, chunks = [], []
    for name, _, shape in weight_entries(model.spec):
        values = np.asarray(model.weights[name], dtype=np.float32)
        if list(values.shape) != shape:
            raise ValueError("weight %s has shape %s, the spec needs %s" % (name, list(values.shape), shape))
        spec = {"name": name, "shape": shape, "dtype": "float32"}
        if dtype == "float16":
            chunks.append(values.astype("<f2").tobytes())  # round to nearest even, as floatToHalf
            spec["quantization"] = {"dtype": "float16"}
        else:
            chunks.append(values.astype("<f4").tobytes())
        specs.append(spec)
    return specs, b"".join(chunks)


# ---------------------------------------------------------------------------
# Folders (modelFiles.ts)


def save_model(directory: str, model: Model, dtype: str = "float32") -> None:
    """Writes the weight shard (named by its hash, beside any old one), then
    renames model.json into place: that rename is the single moment the new
    model replaces the old, so a crash at any point leaves a loadable model."""
    os.makedirs(directory, exist_ok=True)
    specs, data = encode_weights(model, dtype)
    shard = "weights-%s.bin" % hashlib.sha256(data).hexdigest()[:12]
    shard_path = os.path.join(directory, shard)
    shard_is_new = not os.path.exists(shard_path)
    write_file_atomic(shard_path, data)
    manifest = dict(model.manifest, spec=model.spec.to_json())
    doc = {
        "format": "layers-model",
        "generatedBy": "lstm-lens",
        "convertedBy": None,
        "modelTopology": build_topology(model.spec),
        "weightsManifest": [{"paths": [shard], "weights": specs}],
        "userDefinedMetadata": {"lstmLens": manifest},
    }
    try:
        write_file_atomic(os.path.join(directory, MODEL_JSON), json.dumps(doc, indent=1, ensure_ascii=False).encode("utf-8"))
    except BaseException:
        if shard_is_new:
            try:
                os.remove(shard_path)
            except OSError:
                pass
        raise
    for name in os.listdir(directory):
        stale = (name.startswith("weights-") and name.endswith(".bin") and name != shard) or is_atomic_temp_name(name)
        if stale:
            try:
                os.remove(os.path.join(directory, name))
            except OSError:
                pass


def _safe_shard_path(directory: str, p, where: str) -> str:
    if not isinstance(p, str) or p == "" or os.path.isabs(p) or ".." in p.replace("\\", "/").split("/"):
        raise ModelLoadError("cannot load model %s: weight path %s is not a file inside the model folder" % (where, json.dumps(p)))
    return os.path.join(directory, p)


def load_model(location: str) -> Model:
    """A model folder (or its model.json): one LSTM Lens wrote, or a Keras /
    tfjs model of the same architecture (layers matched by position and role)."""
    json_path = location if location.endswith(".json") else os.path.join(location, MODEL_JSON)
    directory = os.path.dirname(json_path)
    where = json.dumps(location)

    def fail(why: str):
        raise ModelLoadError("cannot load model %s: %s" % (where, why))

    if not os.path.isfile(json_path):
        fail("%s does not exist" % json_path)
    if os.path.getsize(json_path) > MAX_MODEL_JSON_BYTES:
        fail("model.json is too large to be a model description")
    try:
        with open(json_path, encoding="utf-8") as f:
            doc = json.load(f)
        if not isinstance(doc, dict):
            raise ValueError("not an object")
    except ValueError as err:
        fail("model.json is not valid JSON (%s)" % err)
    if doc.get("format") not in (None, "layers-model"):
        fail("format %s is not a Layers model" % json.dumps(doc.get("format")))
    try:
        spec, layer_names = parse_topology(doc.get("modelTopology"))
    except ModelLoadError as err:
        fail(str(err))

    meta = (doc.get("userDefinedMetadata") or {}).get("lstmLens")
    if isinstance(meta, dict):
        version = meta.get("formatVersion")
        if not isinstance(version, int) or version > MANIFEST_FORMAT_VERSION:
            fail("it was made by a newer LSTM Lens (manifest format %s, this version reads up to %d)" % (version, MANIFEST_FORMAT_VERSION))
        if meta.get("vocabulary") != VOCAB_CHARS:
            fail("its vocabulary differs from the fixed LSTM Lens vocabulary")
        manifest = dict(meta, spec=spec.to_json())
    else:
        manifest = new_manifest(spec, os.path.basename(os.path.abspath(directory)))
        manifest["notes"] = "imported Layers model without an LSTM Lens manifest"
    if spec.vocab_size != VOCAB_SIZE:
        fail("its vocabulary has %d characters; LSTM Lens models use the fixed %d" % (spec.vocab_size, VOCAB_SIZE))

    groups = doc.get("weightsManifest")
    if not isinstance(groups, list) or not groups:
        fail("model.json has no weightsManifest")
    specs, paths = [], []
    for g in groups:
        if not isinstance(g, dict) or not isinstance(g.get("paths"), list) or not isinstance(g.get("weights"), list):
            fail("a weightsManifest group lacks paths or weights")
        paths.extend(_safe_shard_path(directory, p, where) for p in g["paths"])
        specs.extend(g["weights"])
    try:
        expected = expected_weight_bytes(specs)
    except ModelLoadError as err:
        fail(str(err))
    on_disk = 0
    for p in paths:
        if not os.path.isfile(p):
            fail("weight file %s is missing or not a regular file" % os.path.basename(p))
        on_disk += os.path.getsize(p)
    if on_disk != expected:
        fail("weight files hold %d bytes but model.json describes %d (truncated or mismatched)" % (on_disk, expected))
    data = b"".join(open(p, "rb").read() for p in paths)
    try:
        tensors = decode_weights(specs, data)
    except ModelLoadError as err:
        fail(str(err))

    ours = weight_entries(spec)
    our_layers = list(dict.fromkeys(layer for _, layer, _ in ours))
    weights: Dict[str, np.ndarray] = {}
    for name, layer, shape in ours:
        file_layer = layer_names[our_layers.index(layer)]
        role = name.split("/")[-1]
        found = next((t for t in tensors if (t == file_layer + "/" + role or t.startswith(file_layer + "/")) and t.split("/")[-1] == role), None)
        if found is None:
            fail("weight %s/%s is missing" % (file_layer, role))
        if list(tensors[found].shape) != shape:
            fail("weight %s has shape %s but the topology needs %s" % (found, list(tensors[found].shape), shape))
        weights[name] = tensors[found]
    return Model(spec, weights, manifest)
