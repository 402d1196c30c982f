#!/usr/bin/env python3
"""Writes pytorch_model.bin fixtures byte-compatible with torch.save (zip + pickle protocol 2), from the
tiny-bert safetensors file, without needing torch: the pickler emits the same globals and persistent ids.

    python3 core/src/test/python/make_torch_checkpoints.py core/src/test/resources/hf-tiny

Outputs: tiny-bert-bin/ (one pytorch_model.bin, one tensor stored transposed with strides, two tensors sharing a
storage) and tiny-bert-bin-sharded/ (two .bin shards and pytorch_model.bin.index.json), each with config.json.
"""
import collections, json, pickle, shutil, struct, sys, types, zipfile
from pathlib import Path

torch = types.ModuleType("torch")
utils = types.ModuleType("torch._utils")


class FloatStorage:
    pass


FloatStorage.__module__ = "torch"
torch.FloatStorage = FloatStorage


def _rebuild_tensor_v2(*args):
    raise RuntimeError("only for pickling")


_rebuild_tensor_v2.__module__ = "torch._utils"
utils._rebuild_tensor_v2 = _rebuild_tensor_v2
sys.modules["torch"], sys.modules["torch._utils"] = torch, utils


class Storage:
    def __init__(self, key, floats):
        self.key, self.floats = key, floats


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor_v2, (self.storage, self.offset, tuple(self.size), tuple(self.stride), False,
                                     collections.OrderedDict()))


class TorchPickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", FloatStorage, obj.key, "cpu", len(obj.floats))
        return None


def read_safetensors(path):
    data = path.read_bytes()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = collections.OrderedDict()
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[8 + n + begin:8 + n + end]
        out[name] = (info["shape"], list(struct.unpack("<%df" % (len(raw) // 4), raw)))
    return out


def contiguous_strides(shape):
    strides, acc = [], 1
    for d in reversed(shape):
        strides.insert(0, acc)
        acc *= d
    return strides


def write_bin(path, tensors, transposed=(), shared=()):
    storages, state = {}, collections.OrderedDict()
    for name, (shape, floats) in tensors.items():
        if name in transposed:  # keep the transpose in storage and describe the tensor by strides, as a .t() view
            rows, cols = shape
            stored = [floats[r * cols + c] for c in range(cols) for r in range(rows)]
            storage = Storage(str(len(storages)), stored)
            storages[storage.key] = storage
            state[name] = Tensor(storage, 0, shape, [1, rows])
        elif name in shared:  # two tensors in one storage, the second at an offset
            storage = storages.get("shared")
            if storage is None:
                storage = Storage("shared", [])
                storages["shared"] = storage
            offset = len(storage.floats)
            storage.floats.extend(floats)
            state[name] = Tensor(storage, offset, shape, contiguous_strides(shape))
        else:
            storage = Storage(str(len(storages)), floats)
            storages[storage.key] = storage
            state[name] = Tensor(storage, 0, shape, contiguous_strides(shape))
    state._metadata = collections.OrderedDict([("", {"version": 1})])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        import io
        buf = io.BytesIO()
        TorchPickler(buf, protocol=2).dump(state)
        z.writestr("archive/data.pkl", buf.getvalue())
        for key, storage in storages.items():
            z.writestr("archive/data/" + key, struct.pack("<%df" % len(storage.floats), *storage.floats))
        z.writestr("archive/version", "3\n")


def main(root):
    root = Path(root)
    tensors = read_safetensors(root / "tiny-bert" / "model.safetensors")
    single = root / "tiny-bert-bin"
    single.mkdir(exist_ok=True)
    shutil.copy(root / "tiny-bert" / "config.json", single / "config.json")
    write_bin(single / "pytorch_model.bin", tensors,
              transposed={"encoder.layer.0.intermediate.dense.weight"},
              shared={"embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"})

    sharded = root / "tiny-bert-bin-sharded"
    sharded.mkdir(exist_ok=True)
    shutil.copy(root / "tiny-bert" / "config.json", sharded / "config.json")
    names = list(tensors)
    halves = {"pytorch_model-00001-of-00002.bin": names[:len(names) // 2],
              "pytorch_model-00002-of-00002.bin": names[len(names) // 2:]}
    weight_map = {}
    for file, part in halves.items():
        write_bin(sharded / file, collections.OrderedDict((n, tensors[n]) for n in part))
        weight_map.update({n: file for n in part})
    total = sum(4 * len(f) for _, f in tensors.values())
    (sharded / "pytorch_model.bin.index.json").write_text(
        json.dumps({"metadata": {"total_size": total}, "weight_map": weight_map}, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
