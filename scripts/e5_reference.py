#!/usr/bin/env python3
"""An independent reference for DARK8's embedded e5 embedder.

Reads the same packed model file (e5-small-q4.bin) with its own parser, tokenizes with the
Hugging Face `tokenizers` Unigram model built from the file's vocabulary and scores (another
implementation of SentencePiece's lattice), and runs the BERT forward pass in float64 NumPy.
Usage: e5_reference.py MODEL TEXTS_FILE ROLE  (ROLE: query | passage); prints JSON
{"ids": [[...]], "vectors": [[...]]}, one entry per line of TEXTS_FILE.
Needs: pip install numpy tokenizers
"""
import json
import struct
import sys

import numpy as np
from tokenizers import Tokenizer, models, pre_tokenizers


class File:
    def __init__(self, data):
        self.data = data
        self.at = 0

    def read(self, fmt):
        values = struct.unpack_from("<" + fmt, self.data, self.at)
        self.at += struct.calcsize("<" + fmt)
        return values if len(values) > 1 else values[0]

    def take(self, n):
        out = self.data[self.at:self.at + n]
        self.at += n
        return out


def load(path):
    f = File(open(path, "rb").read())
    assert f.take(4) == b"E5S1"
    f.read("I")
    hidden, layers, heads, ffn, vocab, positions, _types = f.read("7i")
    eps = f.read("f")
    f.read("i")
    count, bos, eos, _pad, unk = f.read("5i")
    blob_len = f.read("Q")
    offsets = f.read("%dI" % (count + 1))
    scores = f.read("%df" % count)
    blob = f.take(blob_len)
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8") for i in range(count)]
    entries, _map_len = f.read("iI")
    norm = {}
    for _ in range(entries):
        cp = f.read("I")
        n = f.read("B")
        outs = f.read("%dI" % n) if n else ()
        if n == 1:
            outs = (outs,)
        norm[chr(cp)] = "".join(chr(o) for o in outs)
    tensors = {}
    for _ in range(f.read("i")):
        name = f.take(f.read("H")).decode()
        dtype = f.read("B")
        n = f.read("I")
        offset, nbytes = f.read("QQ")
        raw = f.data[offset:offset + nbytes]
        tensors[name] = (dtype, n, raw)
    shape = dict(hidden=hidden, layers=layers, heads=heads, ffn=ffn, eps=eps)
    return shape, pieces, scores, bos, eos, unk, norm, tensors


def dequantize(raw):
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float64)
    q = blocks[:, 2:]
    low = (q & 0x0F).astype(np.float64) - 8.0
    high = (q >> 4).astype(np.float64) - 8.0
    return (np.concatenate([low, high], axis=1) * scale).reshape(-1)


def tensor(tensors, name, shape=None):
    dtype, _n, raw = tensors[name]
    values = np.frombuffer(raw, dtype="<f4").astype(np.float64) if dtype == 0 else dequantize(raw)
    return values.reshape(shape) if shape else values


def layer_norm(x, w, b, eps):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def gelu(x):
    from math import erf
    return 0.5 * x * (1.0 + np.vectorize(erf)(x / np.sqrt(2.0)))


def main():
    model, texts_file, role = sys.argv[1], sys.argv[2], sys.argv[3]
    shape, pieces, scores, bos, eos, unk, norm, tensors = load(model)
    h, heads = shape["hidden"], shape["heads"]
    hd = h // heads
    tok = Tokenizer(models.Unigram([(p, s) for p, s in zip(pieces, scores)], unk_id=unk, byte_fallback=False))
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    word_raw = tensors["emb.word"][2]
    pos = tensor(tensors, "emb.pos", (-1, h))
    typ = tensor(tensors, "emb.type", (-1, h))[0]
    layers = []
    for l in range(shape["layers"]):
        g = lambda part, rows=None: tensor(tensors, "l%d.%s" % (l, part), (rows, -1) if rows else None)
        layers.append(dict(
            q=(g("q.w", h), g("q.b")), k=(g("k.w", h), g("k.b")), v=(g("v.w", h), g("v.b")),
            ao=(g("ao.w", h), g("ao.b")), aln=(g("aln.w"), g("aln.b")),
            fi=(g("fi.w", shape["ffn"]), g("fi.b")), fo=(g("fo.w", h), g("fo.b")),
            oln=(g("oln.w"), g("oln.b"))))
    prefix = "query: " if role == "query" else "passage: "
    all_ids, vectors = [], []
    for text in open(texts_file, encoding="utf-8").read().splitlines():
        text = "".join(norm.get(c, c) for c in prefix + text)
        while "  " in text:
            text = text.replace("  ", " ")
        ids = [bos] + tok.encode(text, add_special_tokens=False).ids + [eos]
        rows = np.stack([dequantize(word_raw[i * (h // 32) * 18:(i + 1) * (h // 32) * 18]) for i in ids])
        x = layer_norm(rows + pos[:len(ids)] + typ, tensor(tensors, "emb.ln.w"), tensor(tensors, "emb.ln.b"), shape["eps"])
        for ly in layers:
            lin = lambda x, wb: x @ wb[0].T + wb[1]
            q, k, v = lin(x, ly["q"]), lin(x, ly["k"]), lin(x, ly["v"])
            ctx = np.zeros_like(x)
            for head in range(heads):
                sl = slice(head * hd, (head + 1) * hd)
                s = q[:, sl] @ k[:, sl].T / np.sqrt(hd)
                p = np.exp(s - s.max(axis=1, keepdims=True))
                ctx[:, sl] = (p / p.sum(axis=1, keepdims=True)) @ v[:, sl]
            x = layer_norm(x + lin(ctx, ly["ao"]), *ly["aln"], shape["eps"])
            x = layer_norm(x + lin(gelu(lin(x, ly["fi"])), ly["fo"]), *ly["oln"], shape["eps"])
        mean = x.mean(axis=0)
        vectors.append((mean / np.linalg.norm(mean)).tolist())
        all_ids.append(ids)
    json.dump({"ids": all_ids, "vectors": vectors}, sys.stdout)


if __name__ == "__main__":
    main()
