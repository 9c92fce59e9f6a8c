"""Golden class-logit gradients from PyTorch autograd for the explanation engine (tests/core/test_explain.cpp).

For a golden set (config.json, model.safetensors, npy/pixel_values.npy), the first N images, BatchNorm in
eval mode, classes K[i] = (2 i + 3) % L, and each head (cls, distillation, mean = their average):
    d (sum_i logit_head[i, K[i]]) / d pixel_values     (images are independent: row i is image i's gradient)
(--heads: a subset) and, for the mean head, the gradient with respect to each stage's residual stream after its residual
blocks (the input of its subsample block; the last stage's output for the last stage), with the stream
itself. Computed in float64 (written, rounded to float32) and in float32, to measure what float32
arithmetic alone changes: OUT/float32_vs_float64.json holds, per array, the largest |float32 - float64|
relative to the array's largest |value|.
Use at least 2 images: with a batch of one image, torch 1.13's autograd returns wrong pixel gradients for
levit-128S (central finite differences in float64 disagree with it and agree with the engine; with 2 images
autograd agrees with both).
    /usr/bin/python3 make_golden_logit_gradients.py GOLDEN_DIR OUT [--images N] [--heads cls distillation mean]"""
import argparse
import json
import os

import numpy as np
import torch

import levit_hf
import safetensors_io

HEADS = ("cls", "distillation", "mean")


def stage_inputs(model, captured):
    """Hooks that keep each stage's final residual stream (retaining its gradient)."""
    stages = model.levit.encoder.stages
    hooks = []
    for s, stage in enumerate(stages):
        subsample = [l for l in stage.layers if isinstance(l, levit_hf.LevitAttentionSubsample)]
        if subsample:
            def pre(module, args, s=s):
                args[0].retain_grad()
                captured[s] = args[0]
            hooks.append(subsample[0].register_forward_pre_hook(pre))
        else:
            def post(module, args, out, s=s):
                out.retain_grad()
                captured[s] = out
            hooks.append(stage.register_forward_hook(post))
    return hooks


def run(cfg, state, pixels, classes, dtype, heads):
    model = levit_hf.LevitForImageClassificationWithTeacher(cfg).eval()
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not missing and not unexpected, (missing, unexpected)
    model = model.to(dtype)
    index = torch.from_numpy(classes).unsqueeze(1)
    out = {}
    for head in heads:
        captured = {}
        hooks = stage_inputs(model, captured)
        x = torch.from_numpy(pixels).to(dtype).requires_grad_(True)
        mean, cls, dist = model(x)
        logits = {"cls": cls, "distillation": dist, "mean": mean}[head]
        chosen = logits.gather(1, index).squeeze(1)
        chosen.sum().backward()
        for h in hooks:
            h.remove()
        out[f"logits_{head}"] = chosen.detach().numpy().copy()
        out[f"grad_pixels_{head}"] = x.grad.detach().numpy().copy()
        if head == "mean":
            for s, t in captured.items():
                out[f"stage{s}_tokens"] = t.detach().numpy().copy()
                out[f"stage{s}_grad_mean"] = t.grad.detach().numpy().copy()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("golden")
    parser.add_argument("out")
    parser.add_argument("--images", type=int, default=2)
    parser.add_argument("--heads", nargs="+", choices=HEADS, default=list(HEADS))
    args = parser.parse_args()
    torch.set_num_threads(1)
    cfg = json.load(open(os.path.join(args.golden, "config.json")))
    state = safetensors_io.load(os.path.join(args.golden, "model.safetensors"))
    if args.images < 2:
        parser.error("--images must be at least 2 (see above)")
    pixels = np.load(os.path.join(args.golden, "npy", "pixel_values.npy"))[: args.images]
    num_labels = len(cfg["id2label"])
    classes = np.array([(2 * i + 3) % num_labels for i in range(pixels.shape[0])], dtype=np.int64)
    ref = run(cfg, state, pixels, classes, torch.float64, args.heads)
    f32 = run(cfg, state, pixels, classes, torch.float32, args.heads)
    os.makedirs(args.out, exist_ok=True)
    deviation = {}
    for name, value in ref.items():
        np.save(os.path.join(args.out, name + ".npy"), value.astype(np.float32))
        scale = float(np.abs(value).max())
        diff = float(np.abs(value - f32[name].astype(np.float64)).max())
        deviation[name] = diff / scale if scale > 0 else diff
    np.save(os.path.join(args.out, "classes.npy"), classes)
    json.dump({"images": int(pixels.shape[0])}, open(os.path.join(args.out, "set.json"), "w"))
    json.dump(deviation, open(os.path.join(args.out, "float32_vs_float64.json"), "w"), indent=1, sort_keys=True)
    print(f"{args.golden}: {len(ref)} arrays, largest float32 relative deviation {max(deviation.values()):.2e}")


if __name__ == "__main__":
    main()
