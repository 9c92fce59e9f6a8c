"""Golden gradients from PyTorch autograd for the engine's backward pass (tests/core/test_gradients.cpp).

For a golden set (config.json, model.safetensors, npy/pixel_values.npy), in eval mode (BatchNorm running
statistics), with labels Y[i] = (3 i + 1) % L and distillation labels Z[i] = (5 i + 2) % L:
    loss = 0.5 CE(cls_logits, Y) + 0.5 CE(distillation_logits, Z), mean over the batch,
computed in float64 (the reference) and in float32 (to measure what float32 arithmetic alone changes).
Writes OUT/loss.json, OUT/labels.npy, OUT/distillation_labels.npy, OUT/grad_pixel_values.npy and
OUT/grads/<state-dict name>.npy (the float64 results rounded to float32), plus OUT/float32_vs_float64.json: per tensor, the largest
|float32 - float64| difference relative to the tensor's largest |gradient|. --only NAME... keeps a subset
of the parameters (the large sets), --images N the first N images.
    /usr/bin/python3 make_golden_gradients.py GOLDEN_DIR OUT [--images N] [--only NAME ...]"""
import argparse
import json
import os

import numpy as np
import torch

import levit_hf
import safetensors_io


def gradients(cfg, state, pixels, labels, distill_labels, dtype):
    model = levit_hf.LevitForImageClassificationWithTeacher(cfg).eval()
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not missing and not unexpected, (missing, unexpected)
    model = model.to(dtype)
    x = torch.from_numpy(pixels).to(dtype).requires_grad_(True)
    # levit_hf.py indexes attention_biases on every forward (no eval-mode cache as in transformers, which
    # would leave the biases without gradient after a first forward pass).
    _, cls, dist = model(x)
    ce = torch.nn.functional.cross_entropy
    loss = 0.5 * ce(cls, torch.from_numpy(labels)) + 0.5 * ce(dist, torch.from_numpy(distill_labels))
    loss.backward()
    grads = {name: p.grad.detach().numpy().copy() for name, p in model.named_parameters()}
    return float(loss), x.grad.detach().numpy().copy(), grads


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("golden")
    parser.add_argument("out")
    parser.add_argument("--images", type=int, default=0)
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    torch.set_num_threads(1)
    cfg = json.load(open(os.path.join(args.golden, "config.json")))
    state = safetensors_io.load(os.path.join(args.golden, "model.safetensors"))
    pixels = np.load(os.path.join(args.golden, "npy", "pixel_values.npy"))
    if args.images:
        pixels = pixels[: args.images]
    n, num_labels = pixels.shape[0], len(cfg["id2label"])
    labels = np.array([(3 * i + 1) % num_labels for i in range(n)], dtype=np.int64)
    distill = np.array([(5 * i + 2) % num_labels for i in range(n)], dtype=np.int64)
    loss64, pix64, grads64 = gradients(cfg, state, pixels, labels, distill, torch.float64)
    loss32, pix32, grads32 = gradients(cfg, state, pixels, labels, distill, torch.float32)

    os.makedirs(os.path.join(args.out, "grads"), exist_ok=True)
    names = sorted(grads64) if args.only is None else args.only
    deviation = {}

    def relative(a, b):
        scale = float(np.abs(a).max())
        return float(np.abs(a - b).max()) / scale if scale > 0 else float(np.abs(a - b).max())

    for name in names:
        np.save(os.path.join(args.out, "grads", name + ".npy"), grads64[name].astype(np.float32))
        deviation[name] = relative(grads64[name], grads32[name].astype(np.float64))
    np.save(os.path.join(args.out, "grad_pixel_values.npy"), pix64.astype(np.float32))
    deviation["pixel_values"] = relative(pix64, pix32.astype(np.float64))
    np.save(os.path.join(args.out, "labels.npy"), labels)
    np.save(os.path.join(args.out, "distillation_labels.npy"), distill)
    json.dump({"loss": loss64, "loss_float32": loss32, "images": n}, open(os.path.join(args.out, "loss.json"), "w"), indent=1)
    json.dump(deviation, open(os.path.join(args.out, "float32_vs_float64.json"), "w"), indent=1, sort_keys=True)
    print(f"{args.golden}: loss {loss64:.6f} (float32 {loss32:.6f}), {len(names)} parameter gradients, "
          f"largest float32 relative deviation {max(deviation.values()):.2e}")


if __name__ == "__main__":
    main()
