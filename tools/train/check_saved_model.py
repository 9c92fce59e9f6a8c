"""Loads a model folder written by `levit train` the way transformers' from_pretrained does (its architecture
from config.json, every state-dict key present and nothing else: strict load, BatchNorm num_batches_tracked
included) into levit_hf.py's modules, which carry Hugging Face's names, and prints the logits of the given
pixel values as JSON: {"architecture": ..., "logits": [[...], ...]} (the mean of both heads for
LevitForImageClassificationWithTeacher, the classifier's for LevitForImageClassification).
    /usr/bin/python3 check_saved_model.py MODEL_DIR PIXEL_VALUES.npy"""
import json
import os
import sys

import numpy as np
import torch

import levit_hf
import safetensors_io


class LevitForImageClassification(torch.nn.Module):
    """transformers' single-head model: levit + classifier."""

    def __init__(self, cfg):
        super().__init__()
        self.levit = levit_hf.LevitModel(cfg)
        self.classifier = levit_hf.LevitClassificationLayer(cfg["hidden_sizes"][-1], len(cfg["id2label"]))

    def forward(self, pixel_values):
        return self.classifier(self.levit(pixel_values).mean(1))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    folder, pixels = sys.argv[1], sys.argv[2]
    cfg = json.load(open(os.path.join(folder, "config.json")))
    architecture = cfg["architectures"][0]
    if architecture == "LevitForImageClassification":
        model = LevitForImageClassification(cfg)
    elif architecture == "LevitForImageClassificationWithTeacher":
        model = levit_hf.LevitForImageClassificationWithTeacher(cfg)
    else:
        sys.exit(f"unknown architecture {architecture}")
    state = {k: torch.as_tensor(v) for k, v in safetensors_io.load(os.path.join(folder, "model.safetensors")).items()}
    model.load_state_dict(state, strict=True)  # raises on any missing or unexpected key
    model.eval()
    with torch.no_grad():
        out = model(torch.from_numpy(np.load(pixels)))
        logits = out[0] if isinstance(out, tuple) else out
    print(json.dumps({"architecture": architecture, "logits": logits.tolist()}))


if __name__ == "__main__":
    main()
