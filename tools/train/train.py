"""Trains LeViT Lens's default model on Fashion-MNIST, reproducibly, as in the LeViT/DeiT recipe:
a small CNN teacher first, then a LeViT whose classification head learns the labels and whose
distillation head learns the teacher's hard predictions. Writes a Hugging Face-layout checkpoint.

    tools/train/train.sh            (see its header)
"""
import os

# OpenBLAS's own threads on top of PyTorch's OpenMP threads oversubscribe the 2 cores: measured 2x slower.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import random  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

import fashion_data  # noqa: E402
import finish  # noqa: E402
import levit_hf  # noqa: E402

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
    """A small VGG-style CNN on the raw 28x28 images (two 3x3 convolutions per resolution): its hard
    predictions teach the distillation head."""

    def __init__(self, widths=(24, 48, 96)):
        super().__init__()
        def block(i, o):
            return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]
        a, b, c = widths
        self.features = nn.Sequential(*block(1, a), *block(a, a), nn.MaxPool2d(2), *block(a, b), *block(b, b),
                                      nn.MaxPool2d(2), *block(b, c), *block(c, c), nn.AdaptiveAvgPool2d(1))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(c, 10))

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


def shifted_and_mirrored(batch, generator, pad=2):
    """Teacher augmentation: each 28x28 image moved by up to `pad` pixels (zero fill, like the black
    background) and mirrored with probability 1/2."""
    n, size = len(batch), batch.shape[-1]
    padded = F.pad(batch, (pad, pad, pad, pad))
    ar = torch.arange(size)
    dy = torch.randint(0, 2 * pad + 1, (n,), generator=generator)
    dx = torch.randint(0, 2 * pad + 1, (n,), generator=generator)
    flip = torch.rand(n, generator=generator) < 0.5
    cols = torch.where(flip[:, None], dx[:, None] + size - 1 - ar, dx[:, None] + ar)
    rows = dy[:, None] + ar
    return padded[torch.arange(n)[:, None, None], 0, rows[:, :, None], cols[:, None, :]].unsqueeze(1)


def train_teacher(raw_train, labels, raw_test, test_labels, args, generator, log):
    model = Teacher()
    opt = torch.optim.AdamW(model.parameters(), lr=args.teacher_lr, weight_decay=5e-4)
    x = torch.from_numpy(raw_train.copy()).float().div(255).unsqueeze(1)
    test_x = torch.from_numpy(raw_test.copy()).float().div(255).unsqueeze(1)
    y = torch.from_numpy(labels)
    batch = args.batch
    steps, total = 0, args.teacher_epochs * math.ceil(len(x) / batch)
    for epoch in range(args.teacher_epochs):
        model.train()
        perm = torch.randperm(len(x), generator=generator)
        for i in range(0, len(x), batch):
            idx = perm[i:i + batch]
            cosine_lr(opt, args.teacher_lr, steps, total, 200)
            loss = F.cross_entropy(model(shifted_and_mirrored(x[idx], generator)), y[idx], label_smoothing=0.1)
            opt.zero_grad()
            loss.backward()
            opt.step()
            steps += 1
        log(f"teacher epoch {epoch + 1}/{args.teacher_epochs}: loss {loss.item():.3f}")
    model.eval()
    return model, accuracy(model, test_x, test_labels)


@torch.no_grad()
def accuracy(model, x, labels, batch=1000):
    """Test accuracy of a model returning logits (or a tuple whose first item is the logits)."""
    model.eval()
    correct = 0
    for i in range(0, len(x), batch):
        out = model(x[i:i + batch])
        out = out[0] if isinstance(out, tuple) else out
        correct += (out.argmax(1).numpy() == labels[i:i + batch]).sum()
    return float(correct / len(x))


@torch.no_grad()
def teacher_predictions(teacher, raw, batch=1000):
    x = torch.from_numpy(raw.copy()).float().div(255).unsqueeze(1)
    out = [teacher(x[i:i + batch]).argmax(1) for i in range(0, len(x), batch)]
    return torch.cat(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=112)
    ap.add_argument("--epochs", type=int, default=24)
    ap.add_argument("--teacher-epochs", type=int, default=6)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--teacher-lr", type=float, default=3e-3)
    ap.add_argument("--weight-decay", type=float, default=0.05)
    ap.add_argument("--warmup-epochs", type=float, default=0.5)
    ap.add_argument("--eval-every", type=int, default=4, help="test accuracy every N student epochs (and the last)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0, help="train on the first N images only (smoke tests)")
    ap.add_argument("--out", default=os.path.join(ROOT, "resources", "models", "levit-fashion"))
    ap.add_argument("--cache", default=os.path.join(HERE, "cache"))
    ap.add_argument("--samples-dir", default=finish.SAMPLES_DIR, help="where the sample PNGs go (experiments: elsewhere)")
    ap.add_argument("--reference-dir", default=finish.REFERENCE_DIR, help="where the PyTorch reference logits go")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    seed_everything(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    start = time.time()

    def log(msg):
        print(f"[{time.time() - start:7.1f}s] {msg}", flush=True)

    size = args.size
    raw_train, train_labels = fashion_data.read_split("train")
    raw_test, test_labels = fashion_data.read_split("test")
    resized_train, _ = fashion_data.cached_resized("train", size, args.cache)
    resized_test, _ = fashion_data.cached_resized("test", size, args.cache)
    if args.limit:
        raw_train, train_labels, resized_train = raw_train[:args.limit], train_labels[:args.limit], resized_train[:args.limit]
    log(f"data ready: {len(raw_train)} train / {len(raw_test)} test images, resized to {resized_train.shape[1]} px")

    teacher, teacher_acc = train_teacher(raw_train, train_labels, raw_test, test_labels, args, generator, log)
    log(f"teacher test accuracy {teacher_acc:.4f}")
    hard = teacher_predictions(teacher, raw_train)
    log(f"teacher agrees with the training labels on {(hard.numpy() == train_labels).mean():.4f} of the images")

    cfg = student_config(size)
    model = levit_hf.LevitForImageClassificationWithTeacher(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    y = torch.from_numpy(train_labels)
    images = torch.from_numpy(resized_train)
    levels = fashion_data.rescaled_levels()
    test_x = torch.from_numpy(fashion_data.normalize(fashion_data.center_crop(resized_test, size)))
    steps_per_epoch = math.ceil(len(images) / args.batch)
    steps, total = 0, args.epochs * steps_per_epoch
    warmup = max(1, int(args.warmup_epochs * steps_per_epoch))
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(images), generator=generator)
        running = 0.0
        for i in range(0, len(perm), args.batch):
            idx = perm[i:i + args.batch]
            # Augmentation: per image, a random crop of the resized image (the test uses the centre) and a mirror.
            x = fashion_data.normalize_torch(fashion_data.random_crops(images[idx], size, generator), levels)
            cosine_lr(opt, args.lr, steps, total, warmup)
            _, cls_logits, dist_logits = model(x)
            loss = 0.5 * F.cross_entropy(cls_logits, y[idx], label_smoothing=0.1) + \
                0.5 * F.cross_entropy(dist_logits, hard[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            steps += 1
            running += loss.item()
        msg = f"student epoch {epoch + 1}/{args.epochs}: mean loss {running / steps_per_epoch:.3f}"
        if (epoch + 1) % args.eval_every == 0 or epoch + 1 == args.epochs:
            msg += f", test accuracy (averaged heads, running BN statistics) {accuracy(model, test_x, test_labels):.4f}"
        log(msg)

    before, _ = finish.evaluate(model, test_x, test_labels)
    finish.calibrate_batch_norm(model, resized_train, size)
    after, predictions = finish.evaluate(model, test_x, test_labels)
    results = dict(after, before_bn_calibration=before, teacher_accuracy=teacher_acc,
                   training_seconds=round(time.time() - start, 1), epochs=args.epochs,
                   teacher_epochs=args.teacher_epochs, batch=args.batch, lr=args.lr, teacher_lr=args.teacher_lr,
                   weight_decay=args.weight_decay, warmup_epochs=args.warmup_epochs, image_size=size,
                   seed=args.seed, torch=torch.__version__, threads=args.threads)
    log(json.dumps(results))
    finish.export(model, cfg, args.out, results, test_x, test_labels, raw_test, predictions,
                  args.samples_dir, args.reference_dir)
    log(f"wrote {args.out}; whole pipeline {time.time() - start:.1f} s wall time")


if __name__ == "__main__":
    main()
