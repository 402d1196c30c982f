"""Seed corpus for the fuzz targets (Jazzer, core/src/test/java/dev/javaformers/fuzz): small valid files of each format, plus a few real ones from test
resources, so that the fuzzer starts from inputs that parse.

    /usr/bin/python3 scripts/reference/make_fuzz_seeds.py core/src/test/resources

Writes dev/javaformers/fuzz/<Target>FuzzTestInputs/fuzz/seed-*. Debian's python3-torch and python3-onnx make
the torch.save and ONNX seeds.
"""
import io
import json
import os
import shutil
import struct
import sys

res = sys.argv[1]
out = os.path.join(res, "dev/javaformers/fuzz")
CLASSES = {"safetensors": "Safetensors", "torchCheckpoint": "TorchCheckpoint", "onnx": "Onnx", "shardIndex": "ShardIndex",
           "configJson": "ConfigJson", "tokenizerJson": "TokenizerJson", "vocabAndMerges": "VocabAndMerges", "csv": "Csv",
           "jsonLines": "JsonLines", "json": "Json", "hubHeaders": "HubHeaders",
           "tokenizerConfig": "TokenizerConfig"}


def put(target, name, data):
    d = os.path.join(out, CLASSES[target] + "FuzzTestInputs", "fuzz")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def copy(target, name, path):
    with open(os.path.join(res, path), "rb") as f:
        put(target, name, f.read())


def safetensors(tensors, metadata=None):
    header, data = {}, b""
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    if metadata:
        header["__metadata__"] = metadata
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data


put("safetensors", "small", safetensors({
    "a.weight": ("F32", [2, 2], struct.pack("<4f", 1, 2, 3, 4)),
    "b.ids": ("I64", [3], struct.pack("<3q", 7, 8, 9)),
    "c.half": ("BF16", [2], b"\x80\x3f\x00\x40"),
    "d.empty": ("F16", [0, 3], b""),
}, {"format": "pt"}))
copy("safetensors", "tiny-bert", "hf-tiny/tiny-bert/model.safetensors")

# torch.save's zip layout (Debian's python3-torch)
import torch
zbuf = io.BytesIO()
torch.save({"a.weight": torch.tensor([[1.0, 2.0], [3.0, 4.0]]), "b.ids": torch.arange(3)}, zbuf)
put("torchCheckpoint", "small", zbuf.getvalue())
copy("torchCheckpoint", "tiny-bert", "hf-tiny/tiny-bert-bin/pytorch_model.bin")

try:
    import onnx
    from onnx import TensorProto, helper
    w = helper.make_tensor("encoder.dense.weight", TensorProto.FLOAT, [2, 2], [1.0, 2.0, 3.0, 4.0])
    node = helper.make_node("MatMul", ["x", "encoder.dense.weight"], ["y"])
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])], [w])
    put("onnx", "small", helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString())
except ImportError:
    print("no python3-onnx: no ONNX seed", file=sys.stderr)

put("shardIndex", "empty", json.dumps({"metadata": {"total_size": 0}, "weight_map": {}}))
put("shardIndex", "one", json.dumps({"metadata": {"total_size": 0},
                                      "weight_map": {"bert.x": "model-00001-of-00001.safetensors"}}))
copy("shardIndex", "tiny-bert-bin", "hf-tiny/tiny-bert-bin-sharded/pytorch_model.bin.index.json")

copy("configJson", "bert", "hf-tiny/tiny-bert/config.json")
copy("configJson", "gpt2", "hf-tiny/tiny-gpt2/config.json")
copy("configJson", "t5", "hf-tiny-seq2seq/tiny-t5/config.json")
copy("configJson", "llama", "hf-tiny-decoders/tiny-llama/config.json")

copy("tokenizerJson", "llama", "chat/tiny-llama-tokenizer/tokenizer.json")
put("tokenizerJson", "wordpiece", json.dumps({
    "version": "1.0", "truncation": None, "padding": None,
    "added_tokens": [{"id": 0, "content": "[PAD]", "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": False, "special": True}],
    "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                   "strip_accents": None, "lowercase": True},
    "pre_tokenizer": {"type": "BertPreTokenizer"},
    "post_processor": None,
    "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
    "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
              "max_input_chars_per_word": 100,
              "vocab": {"[PAD]": 0, "[UNK]": 1, "hello": 2, "world": 3, "##s": 4, ",": 5}}}))

put("vocabAndMerges", "gpt2", json.dumps({"l": 0, "o": 1, "w": 2, "e": 3, "r": 4, "lo": 5, "low": 6, "er": 7,
                                            "\u0120": 8, "H": 9}) + "\0#version: 0.2\nl o\nlo w\ne r\n")

put("csv", "reviews", 'text,label\n"I loved it, truly",positive\nIt broke,negative\n"say ""hi""",positive\n')
put("csv", "numbers", "a,b,c\n1,2.5,x\n3,,y\n")
put("jsonLines", "reviews", '{"text": "I loved it", "label": 1}\n{"text": "It broke", "label": 0}\n')
put("json", "records", json.dumps([{"text": "I loved it", "label": 1}, {"text": "It broke", "label": 0}]))
put("json", "columns", json.dumps({"text": ["a", "b"], "label": [1, 0]}))
# tokenizer_config.json beside the tiny Llama tokenizer.json (TokenizerConfigFuzzTest)
copy("tokenizerConfig", "chat", "chat/tiny-llama-tokenizer/tokenizer_config.json")
put("tokenizerConfig", "added-tokens", json.dumps({
    "tokenizer_class": "LlamaTokenizerFast", "model_max_length": 8, "padding_side": "left", "truncation_side": "left",
    "pad_token": "<unk>", "bos_token": {"content": "<s>", "lstrip": False, "normalized": False, "rstrip": False,
                                        "single_word": False, "__type": "AddedToken"},
    "additional_special_tokens": ["<|im_start|>", "<|im_end|>"],
    "added_tokens_decoder": {"0": {"content": "<unk>", "special": True}, "1": {"content": "<s>", "special": True}},
    "clean_up_tokenization_spaces": False,
    "chat_template": [{"name": "default", "template": "{{ messages[0]['content'] }}"},
                      {"name": "tool_use", "template": "{{ tools }}"}]}))
put("tokenizerConfig", "empty-object", "{}")

# Hub answers (HubHeadersFuzzTest): raw HTTP responses, one per request, separated by NEXT
NEXT = "\n~next~\n"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
BODY = '{"model_type": "bert"}\n'
SHA1 = "5f0f2c7e3ad8e2dbb4b1b1e4b6c9b1e8e4c2a1d0"
import hashlib
SHA256 = hashlib.sha256(BODY.encode()).hexdigest()


def response(status, headers, body=""):
    lines = ["HTTP/1.1 " + status] + [k + ": " + v for k, v in headers] + ["", ""]
    return "\r\n".join(lines) + body


got = response("200 OK", [("Content-Length", str(len(BODY)))], BODY)
put("hubHeaders", "regular", response("200 OK", [("ETag", '"' + SHA1 + '"'), ("X-Repo-Commit", COMMIT),
                                                  ("Content-Length", str(len(BODY)))]) + NEXT + got)
put("hubHeaders", "lfs", response("302 Found", [("Location", "http://cdn.example/repos/ab/blob?x=1"),
                                                 ("X-Linked-Etag", '"' + SHA256 + '"'), ("X-Linked-Size", str(len(BODY))),
                                                 ("ETag", '"' + SHA1 + '"'), ("X-Repo-Commit", COMMIT),
                                                 ("Content-Length", "0")]) + NEXT + got)
put("hubHeaders", "renamed", response("307 Temporary Redirect", [("Location", "/org/renamed/resolve/main/config.json"),
                                                                   ("Content-Length", "0")]) + NEXT
    + response("200 OK", [("ETag", 'W/"' + SHA1 + '"'), ("X-Repo-Commit", COMMIT), ("Content-Length", str(len(BODY)))])
    + NEXT + got)
put("hubHeaders", "resumed", response("200 OK", [("ETag", '"' + SHA256 + '"'), ("X-Repo-Commit", COMMIT),
                                                  ("Content-Length", str(len(BODY)))]) + NEXT
    + response("200 OK", [("Content-Length", str(len(BODY)))], BODY[:10]) + NEXT
    + response("206 Partial Content", [("Content-Range", "bytes 10-%d/%d" % (len(BODY) - 1, len(BODY))),
                                       ("Content-Length", str(len(BODY) - 10))], BODY[10:]))
put("hubHeaders", "entry-not-found", response("404 Not Found", [("X-Error-Code", "EntryNotFound"),
                                                                 ("X-Repo-Commit", COMMIT), ("Content-Length", "0")]))
put("hubHeaders", "repo-not-found", response("401 Unauthorized", [("X-Error-Code", "RepoNotFound"),
                                                                   ("Content-Length", "0")]))
put("hubHeaders", "gated", response("403 Forbidden", [("X-Error-Code", "GatedRepo"),
                                                       ("X-Error-Message", "Access to model org/model is restricted"),
                                                       ("Content-Length", "0")]))
# ReadersFuzzTest (every reader in one target): the small seeds, each after its reader's index byte
ORDER = ["safetensors", "torchCheckpoint", "onnx", "shardIndex", "configJson", "tokenizerJson", "vocabAndMerges", "csv",
         "jsonLines", "json", "hubHeaders", "tokenizerConfig"]
both = os.path.join(out, "ReadersFuzzTestInputs", "fuzz")
os.makedirs(both, exist_ok=True)
for i, target in enumerate(ORDER):
    d = os.path.join(out, CLASSES[target] + "FuzzTestInputs", "fuzz")
    for name in sorted(os.listdir(d)):
        with open(os.path.join(d, name), "rb") as f:
            data = f.read()
        if name.startswith("seed-") and len(data) <= 16384:
            with open(os.path.join(both, "seed-" + target + "-" + name[5:]), "wb") as f:
                f.write(bytes([i]) + data)
print("seeds in", out)
