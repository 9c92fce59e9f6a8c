"""PyTorch's side of compare_train.sh: images/s of one fine-tuning step of LeViT with Hugging Face's modules
(tools/train/levit_hf.py): forward with BatchNorm in eval mode, 0.5 CE per head, backward through every
parameter, AdamW. Same deterministic inputs and labels as `levit bench --train`.
    /usr/bin/python3 torch_train_step.py --variant 128S --batch 32 --threads 1 --runs 10"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "train"))
import levit_hf  # noqa: E402

VARIANTS = {"128S": ([128, 256, 384], [4, 6, 8], [2, 3, 4]), "128": ([128, 256, 384], [4, 8, 12], [4, 4, 4]),
            "192": ([192, 288, 384], [3, 5, 6], [4, 4, 4]), "256": ([256, 384, 512], [4, 6, 8], [4, 4, 4]),
            "384": ([384, 512, 768], [6, 9, 12], [4, 4, 4])}


def config(variant):
    hidden, heads, depths = VARIANTS[variant]
    key = [16, 16, 16]
    return {"image_size": 224, "num_channels": 3, "kernel_size": 3, "stride": 2, "padding": 1, "patch_size": 16,
            "hidden_sizes": hidden, "num_attention_heads": heads, "depths": depths, "key_dim": key,
            "attention_ratio": [2, 2, 2], "mlp_ratio": [2, 2, 2],
            "down_ops": [["Subsample", key[0], hidden[0] // key[0], 4, 2, 2], ["Subsample", key[0], hidden[1] // key[0], 4, 2, 2]],
            "id2label": {str(i): f"LABEL_{i}" for i in range(1000)}}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--variant", default="128S")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--warmup", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = levit_hf.LevitForImageClassificationWithTeacher(config(a.variant)).eval()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    s = np.uint32(12345)
    n = a.batch * 3 * 224 * 224
    data = np.empty(n, dtype=np.float32)
    state = 12345
    for i in range(n):  # levit bench's LCG, mapped to [-2, 2)
        state = (state * 1103515245 + 12345) % 4294967296
        data[i] = state / 4294967296.0 * 4 - 2
    x = torch.from_numpy(data.reshape(a.batch, 3, 224, 224))
    y = torch.tensor([(3 * i + 1) % 1000 for i in range(a.batch)])
    ce = torch.nn.functional.cross_entropy

    def step():
        opt.zero_grad(set_to_none=True)
        _, cls, dist = model(x)
        (0.5 * ce(cls, y) + 0.5 * ce(dist, y)).backward()
        opt.step()

    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.runs):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1000)
    median = float(np.median(times))
    print(json.dumps({"engine": "pytorch-" + torch.__version__, "mode": "train-step", "variant": a.variant, "batch": a.batch,
                      "threads": a.threads, "median_ms": median, "images_per_s": a.batch * 1000 / median,
                      "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
