"""The last steps of training the default model: BatchNorm recalibration, evaluation, and writing the
checkpoint, the samples and the PyTorch reference logits. Deterministic: same weights in, same files out."""
import json
import os

import numpy as np
import torch

import fashion_data
import safetensors_io

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
SAMPLES_DIR = os.path.join(ROOT, "resources", "samples")
REFERENCE_DIR = os.path.join(ROOT, "tests", "data", "default_model_reference")


@torch.no_grad()
def calibrate_batch_norm(model, resized_train, size, batch=500):
    """Replaces every BatchNorm's running mean/var with the exact statistics over the whole training set
    (centre crops, no augmentation). During training the running averages trail weights that move fast;
    measured on 12k images this gap cost 11 points of test accuracy."""
    bns = [m for m in model.modules() if isinstance(m, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d))]
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None  # cumulative average over all batches
    model.train()
    crops = torch.from_numpy(np.ascontiguousarray(fashion_data.center_crop(resized_train, size)))
    levels = fashion_data.rescaled_levels()
    for i in range(0, len(crops), batch):
        model(fashion_data.normalize_torch(crops[i:i + batch], levels))
    for bn in bns:
        bn.momentum = 0.1
    model.eval()


@torch.no_grad()
def evaluate(model, test_x, test_labels):
    model.eval()
    outs = [model(test_x[i:i + 1000]) for i in range(0, len(test_x), 1000)]
    logits, cls, dist = (torch.cat([o[k] for o in outs]).numpy() for k in range(3))
    return {
        "accuracy": float((logits.argmax(1) == test_labels).mean()),
        "cls_accuracy": float((cls.argmax(1) == test_labels).mean()),
        "distillation_accuracy": float((dist.argmax(1) == test_labels).mean()),
        "heads_agreement": float((cls.argmax(1) == dist.argmax(1)).mean()),
    }, logits.argmax(1)


def export(model, cfg, out, results, test_x, test_labels, raw_test, predictions,
           sample_dir=SAMPLES_DIR, ref_dir=REFERENCE_DIR):
    os.makedirs(out, exist_ok=True)
    safetensors_io.save(f"{out}/model.safetensors", model.state_dict())
    with open(f"{out}/config.json", "w") as f:
        json.dump(cfg, f, indent=2)
    size = cfg["image_size"]
    processor = {
        "crop_size": {"height": size, "width": size}, "do_center_crop": True, "do_normalize": True,
        "do_rescale": True, "do_resize": True, "image_mean": [0.485, 0.456, 0.406],
        "image_processor_type": "LevitImageProcessor", "image_std": [0.229, 0.224, 0.225], "resample": 3,
        "rescale_factor": 1 / 255, "size": {"shortest_edge": size},
    }
    with open(f"{out}/preprocessor_config.json", "w") as f:
        json.dump(processor, f, indent=2)
    with open(f"{out}/training_results.json", "w") as f:
        json.dump(results, f, indent=2)
    write_samples_and_reference(model, test_x, test_labels, raw_test, predictions, sample_dir, ref_dir)


@torch.no_grad()
def write_samples_and_reference(model, test_x, test_labels, raw_test, predictions, sample_dir, ref_dir):
    """8 test images, each of another class and classified correctly: PNG samples for the app, and the
    PyTorch logits on them for the C++ parity test."""
    from PIL import Image
    os.makedirs(ref_dir, exist_ok=True)
    os.makedirs(sample_dir, exist_ok=True)
    chosen = []
    for cls in [9, 0, 1, 3, 5, 7, 8, 2]:  # a teaching-friendly order; the first opens the app
        for i in range(len(test_labels)):
            if test_labels[i] == cls and predictions[i] == cls:
                chosen.append(i)
                break
    for f in os.listdir(sample_dir):
        if f.startswith("sample_") and f.endswith(".png"):
            os.remove(os.path.join(sample_dir, f))
    for n, i in enumerate(chosen):
        name = fashion_data.CLASSES[test_labels[i]].lower().replace("/", "_").replace(" ", "_")
        Image.fromarray(raw_test[i], "L").save(f"{sample_dir}/sample_{n:02d}_{name}.png")
    x = test_x[chosen]
    logits, cls, dist = model(x)
    np.save(f"{ref_dir}/pixel_values.npy", x.numpy())
    np.save(f"{ref_dir}/logits.npy", logits.numpy())
    np.save(f"{ref_dir}/cls_logits.npy", cls.numpy())
    np.save(f"{ref_dir}/distillation_logits.npy", dist.numpy())
    np.save(f"{ref_dir}/labels.npy", np.asarray(test_labels[chosen], dtype=np.int64))
    np.save(f"{ref_dir}/test_indices.npy", np.asarray(chosen, dtype=np.int64))
