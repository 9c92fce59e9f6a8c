"""Trains LeViT Lens's default model on Fashion-MNIST, reproducibly, as in the LeViT/DeiT recipe:
a small CNN teacher first, then a LeViT whose classification head learns the labels and whose
distillation head learns the teacher's hard predictions. Writes a Hugging Face-layout checkpoint.

    tools/train/train.sh            (see its header)
"""
import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

import fashion_data
import finish
import levit_hf

HERE, ROOT = finish.HERE, finish.ROOT


def student_config(size):
    h = [64, 128, 192]
    return {
        "architectures": ["LevitForImageClassificationWithTeacher"],
        "model_type": "levit",
        "image_size": size, "num_channels": 3, "kernel_size": 3, "stride": 2, "padding": 1, "patch_size": 16,
        "hidden_sizes": h, "num_attention_heads": [2, 4, 6], "depths": [1, 1, 1], "key_dim": [16, 16, 16],
        "attention_ratio": [2, 2, 2], "mlp_ratio": [2, 2, 2],
        "down_ops": [["Subsample", 16, h[0] // 16, 4, 2, 2], ["Subsample", 16, h[1] // 16, 4, 2, 2], [""]],
        "drop_path_rate": 0, "initializer_range": 0.02,
        "id2label": {str(i): c for i, c in enumerate(fashion_data.CLASSES)},
        "label2id": {c: i for i, c in enumerate(fashion_data.CLASSES)},
        "torch_dtype": "float32",
    }


class Teacher(nn.Module):
    """A small CNN on the raw 28x28 images: its hard predictions teach the distillation head."""

    def __init__(self):
        super().__init__()
        def block(i, o):
            return nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU())
        self.features = nn.Sequential(block(1, 16), block(16, 32), nn.MaxPool2d(2), block(32, 32), block(32, 64),
                                      nn.MaxPool2d(2), block(64, 96), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(96, 10))

    def forward(self, x):
        return self.head(self.features(x))


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True)


def cosine_lr(optimizer, base, step, total, warmup):
    lr = base * step / warmup if step < warmup else base * 0.5 * (1 + math.cos(math.pi * (step - warmup) / (total - warmup)))
    for g in optimizer.param_groups:
        g["lr"] = lr


def train_teacher(raw_train, labels, raw_test, test_labels, epochs, log):
    model = Teacher()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    x = torch.from_numpy(raw_train.copy()).float().div(255).unsqueeze(1)
    y = torch.from_numpy(labels)
    steps, total = 0, epochs * math.ceil(len(x) / 128)
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 128):
            idx = perm[i:i + 128]
            batch = x[idx]
            flip = torch.rand(len(idx)) < 0.5
            batch[flip] = batch[flip].flip(-1)
            cosine_lr(opt, 2e-3, steps, total, 100)
            loss = F.cross_entropy(model(batch), y[idx], label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            steps += 1
        acc = accuracy(lambda b: model(b), torch.from_numpy(raw_test).float().div(255).unsqueeze(1), test_labels)
        log(f"teacher epoch {epoch + 1}/{epochs}: test accuracy {acc:.4f}")
    model.eval()
    return model


@torch.no_grad()
def accuracy(fn, x, labels, batch=1000):
    correct = 0
    for i in range(0, len(x), batch):
        correct += (fn(x[i:i + batch]).argmax(1).numpy() == labels[i:i + batch]).sum()
    return correct / len(x)


@torch.no_grad()
def teacher_predictions(teacher, raw, batch=1000):
    x = torch.from_numpy(raw).float().div(255).unsqueeze(1)
    out = [teacher(x[i:i + batch]).argmax(1) for i in range(0, len(x), batch)]
    return torch.cat(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=112)
    ap.add_argument("--epochs", type=int, default=7)
    ap.add_argument("--teacher-epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N images only (smoke tests)")
    ap.add_argument("--out", default=os.path.join(ROOT, "resources", "models", "levit-fashion"))
    ap.add_argument("--cache", default=os.path.join(HERE, "cache"))
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    start = time.time()
    log_lines = []

    def log(msg):
        line = f"[{time.time() - start:7.1f}s] {msg}"
        print(line, flush=True)
        log_lines.append(line)

    size = args.size
    raw_train, train_labels = fashion_data.read_split("train")
    raw_test, test_labels = fashion_data.read_split("test")
    resized_train, _ = fashion_data.cached_resized("train", size, args.cache)
    resized_test, _ = fashion_data.cached_resized("test", size, args.cache)
    if args.limit:
        raw_train, train_labels, resized_train = raw_train[:args.limit], train_labels[:args.limit], resized_train[:args.limit]
    log(f"data ready: {len(raw_train)} train / {len(raw_test)} test images, resized to {resized_train.shape[1]} px")

    teacher = train_teacher(raw_train, train_labels, raw_test, test_labels, args.teacher_epochs, log)
    teacher_acc = accuracy(lambda b: teacher(b), torch.from_numpy(raw_test).float().div(255).unsqueeze(1), test_labels)
    hard = teacher_predictions(teacher, raw_train)

    cfg = student_config(size)
    model = levit_hf.LevitForImageClassificationWithTeacher(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.05)
    y = torch.from_numpy(train_labels)
    margin = resized_train.shape[1] - size
    test_x = torch.from_numpy(fashion_data.normalize(fashion_data.center_crop(resized_test, size)))
    steps, total = 0, args.epochs * math.ceil(len(resized_train) / args.batch)
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(resized_train)).numpy()
        for i in range(0, len(perm), args.batch):
            idx = perm[i:i + args.batch]
            # Augmentation: a random crop of the resized image (the test uses the centre) and a mirror.
            dy, dx = np.random.randint(0, margin + 1, 2)
            crops = resized_train[idx, dy:dy + size, dx:dx + size]
            if np.random.rand() < 0.5:
                crops = crops[:, :, ::-1]
            x = torch.from_numpy(fashion_data.normalize(np.ascontiguousarray(crops)))
            cosine_lr(opt, args.lr, steps, total, 300)
            _, cls_logits, dist_logits = model(x)
            loss = 0.5 * F.cross_entropy(cls_logits, y[idx], label_smoothing=0.1) + \
                0.5 * F.cross_entropy(dist_logits, hard[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            steps += 1
        model.eval()
        acc = accuracy(lambda b: model(b)[0], test_x, test_labels)
        log(f"student epoch {epoch + 1}/{args.epochs}: loss {loss.item():.3f}, test accuracy (averaged heads) {acc:.4f}")

    before, _ = finish.evaluate(model, test_x, test_labels)
    finish.calibrate_batch_norm(model, resized_train, size)
    after, predictions = finish.evaluate(model, test_x, test_labels)
    results = dict(after, before_bn_calibration=before, teacher_accuracy=float(teacher_acc),
                   training_seconds=round(time.time() - start, 1), epochs=args.epochs,
                   teacher_epochs=args.teacher_epochs, image_size=size, seed=args.seed, torch=torch.__version__,
                   threads=args.threads)
    log(json.dumps(results))
    finish.export(model, cfg, args.out, results, test_x, test_labels, raw_test, predictions)
    log(f"wrote {args.out}")


if __name__ == "__main__":
    main()
