#!/usr/bin/env python3
"""Writes the tiny_seed0 weights in the other published layouts, for tests/core/test_checkpoint_formats.cpp:

  golden/tiny_seed0/formats/official_model.pth   facebookresearch/LeViT: torch.save({'model': state_dict}) with
                                                 levit.py's names and int64 attention_bias_idxs buffers
                                                 (taken from the golden npy files); one weight is saved as a
                                                 non-contiguous (transposed) view to exercise strided storages.
  golden/tiny_seed0/formats/timm_checkpoint.pth  timm names (levit_* in timm 0.9), wrapped as timm's train.py
                                                 does: {'epoch', 'arch', 'state_dict'}.
  golden/tiny_seed0/formats/timm_conv_model.pth  timm's levit_conv_* layout: the same names, every linear
                                                 weight a 1x1 convolution [out, in, 1, 1]; a bare state dict.

Source: golden/tiny_seed0/formats/pytorch_model.bin (Hugging Face names). The renaming here is written from
the layouts' descriptions independently of the C++ mapping it checks. Run with Debian's torch:

    /usr/bin/python3 tests/data/make_format_fixtures.py
"""
import collections
import pathlib
import re

import numpy as np
import torch

HERE = pathlib.Path(__file__).resolve().parent
SET = HERE / "golden" / "tiny_seed0"
DEPTHS = [1, 2, 1]  # tiny_seed0/config.json
LINEAR_BN = {"linear": "c", "batch_norm": "bn"}


def hf_layers(state):
    """(stage, layer) -> kind ('attn', 'mlp', 'sub') of every Hugging Face encoder layer."""
    kinds = {}
    for name in state:
        m = re.match(r"levit\.encoder\.stages\.(\d+)\.layers\.(\d+)\.(module\.)?(\w+)", name)
        if not m:
            continue
        key = (int(m[1]), int(m[2]))
        part = m[4]
        kinds[key] = {"queries_keys_values": "attn", "projection": kinds.get(key, "?"), "attention_biases":
                      kinds.get(key, "?"), "linear_up": "mlp", "linear_down": "mlp", "keys_values": "sub",
                      "queries": "sub"}.get(part, kinds.get(key, "?"))
    return dict(sorted(kinds.items()))


def to_official(state):
    kinds = hf_layers(state)
    block_of = {key: i for i, key in enumerate(kinds)}  # levit.py's flat Sequential, in build order
    out = collections.OrderedDict()
    for name, t in state.items():
        m = re.match(r"levit\.patch_embeddings\.embedding_layer_(\d)\.(convolution|batch_norm)\.(\w+)$", name)
        if m:
            out[f"patch_embed.{2 * (int(m[1]) - 1)}.{'c' if m[2] == 'convolution' else 'bn'}.{m[3]}"] = t
            continue
        m = re.match(r"levit\.encoder\.stages\.(\d+)\.layers\.(\d+)\.(.+)$", name)
        if m:
            key = (int(m[1]), int(m[2]))
            b = f"blocks.{block_of[key]}"
            rest = m[3]
            r = re.match(r"module\.(queries_keys_values|projection)\.(linear|batch_norm)\.(\w+)$", rest)
            if r:
                part = "qkv" if r[1] == "queries_keys_values" else "proj.1"
                out[f"{b}.m.{part}.{LINEAR_BN[r[2]]}.{r[3]}"] = t
                continue
            if rest == "module.attention_biases":
                out[f"{b}.m.attention_biases"] = t
                continue
            r = re.match(r"module\.(linear_up|linear_down)\.(linear|batch_norm)\.(\w+)$", rest)
            if r:
                out[f"{b}.m.{0 if r[1] == 'linear_up' else 2}.{LINEAR_BN[r[2]]}.{r[3]}"] = t
                continue
            r = re.match(r"(queries|keys_values|projection)\.(linear|batch_norm)\.(\w+)$", rest)
            if r:
                part = {"queries": "q.1", "keys_values": "kv", "projection": "proj.1"}[r[1]]
                out[f"{b}.{part}.{LINEAR_BN[r[2]]}.{r[3]}"] = t
                continue
            if rest == "attention_biases":
                out[f"{b}.attention_biases"] = t
                continue
        m = re.match(r"(classifier|classifier_distill)\.(linear|batch_norm)\.(\w+)$", name)
        if m:
            out[f"{'head' if m[1] == 'classifier' else 'head_dist'}.{'l' if m[2] == 'linear' else 'bn'}.{m[3]}"] = t
            continue
        raise SystemExit(f"no official name for {name}")
    # The int64 buffers levit.py registers (ignored by the loader, present in the official files).
    for (stage, layer), kind in kinds.items():
        if kind not in ("attn", "sub"):
            continue
        block = block_of[(stage, layer)]
        npy = SET / "npy" / f"attn_bias_idxs_stage{stage}_layer{layer}_" \
            f"{'LevitAttention' if kind == 'attn' else 'LevitAttentionSubsample'}.npy"
        prefix = f"blocks.{block}.m." if kind == "attn" else f"blocks.{block}."
        out[prefix + "attention_bias_idxs"] = torch.from_numpy(np.load(npy))
    # A transposed view: same values, strides (1, rows) in the file.
    name = "blocks.0.m.qkv.c.weight"
    out[name] = out[name].t().contiguous().t()
    assert not out[name].is_contiguous()
    return out


def to_timm(state):
    kinds = hf_layers(state)
    out = collections.OrderedDict()
    norm = {"linear": "linear", "batch_norm": "bn"}
    for name, t in state.items():
        m = re.match(r"levit\.patch_embeddings\.embedding_layer_(\d)\.(convolution|batch_norm)\.(\w+)$", name)
        if m:
            out[f"stem.conv{m[1]}.{'linear' if m[2] == 'convolution' else 'bn'}.{m[3]}"] = t
            continue
        m = re.match(r"levit\.encoder\.stages\.(\d+)\.layers\.(\d+)\.(.+)$", name)
        if m:
            stage, layer, rest = int(m[1]), int(m[2]), m[3]
            depth = DEPTHS[stage]
            if layer < 2 * depth:  # block layer // 2 of this stage
                b = f"stages.{stage}.blocks.{layer // 2}"
            else:  # the subsample and its MLP open the next timm stage
                b = f"stages.{stage + 1}.downsample"
            r = re.match(r"module\.(queries_keys_values|projection)\.(linear|batch_norm)\.(\w+)$", rest)
            if r:
                out[f"{b}.attn.{'qkv' if r[1] == 'queries_keys_values' else 'proj.ln'}.{norm[r[2]]}.{r[3]}"] = t
                continue
            if rest == "module.attention_biases":
                out[f"{b}.attn.attention_biases"] = t
                continue
            r = re.match(r"module\.(linear_up|linear_down)\.(linear|batch_norm)\.(\w+)$", rest)
            if r:
                out[f"{b}.mlp.{'ln1' if r[1] == 'linear_up' else 'ln2'}.{norm[r[2]]}.{r[3]}"] = t
                continue
            r = re.match(r"(queries|keys_values|projection)\.(linear|batch_norm)\.(\w+)$", rest)
            if r:
                part = {"queries": "q.ln", "keys_values": "kv", "projection": "proj.ln"}[r[1]]
                out[f"{b}.attn_downsample.{part}.{norm[r[2]]}.{r[3]}"] = t
                continue
            if rest == "attention_biases":
                out[f"{b}.attn_downsample.attention_biases"] = t
                continue
        m = re.match(r"(classifier|classifier_distill)\.(linear|batch_norm)\.(\w+)$", name)
        if m:
            out[f"{'head' if m[1] == 'classifier' else 'head_dist'}.{norm[m[2]]}.{m[3]}"] = t
            continue
        raise SystemExit(f"no timm name for {name}")
    return out


def main():
    state = torch.load(SET / "formats" / "pytorch_model.bin", map_location="cpu")
    official = to_official(state)
    torch.save({"model": official}, SET / "formats" / "official_model.pth")
    timm = to_timm(state)
    torch.save({"epoch": 300, "arch": "levit_tiny", "state_dict": timm}, SET / "formats" / "timm_checkpoint.pth")
    conv = collections.OrderedDict(
        (name, t[:, :, None, None] if name.endswith(".linear.weight") and not name.startswith(("stem.", "head")) else t)
        for name, t in timm.items())
    torch.save(conv, SET / "formats" / "timm_conv_model.pth")
    print(f"wrote official_model.pth ({len(official)} tensors), timm_checkpoint.pth and timm_conv_model.pth "
          f"({len(timm)} tensors)")


if __name__ == "__main__":
    main()
