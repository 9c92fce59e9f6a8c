"""Recalibrates the BatchNorm statistics of a trained default-model checkpoint and re-exports it
(what train.py does after training; usable on its own on a checkpoint written by an earlier train.py).
    /usr/bin/python3 calibrate_bn.py [--model DIR]"""
import argparse
import json
import os

import torch

import fashion_data
import finish
import levit_hf
import safetensors_io

ap = argparse.ArgumentParser()
ap.add_argument("--model", default=os.path.join(finish.ROOT, "resources", "models", "levit-fashion"))
ap.add_argument("--cache", default=os.path.join(finish.HERE, "cache"))
ap.add_argument("--threads", type=int, default=2)
args = ap.parse_args()
torch.set_num_threads(args.threads)
cfg = json.load(open(f"{args.model}/config.json"))
results = json.load(open(f"{args.model}/training_results.json"))
model = levit_hf.LevitForImageClassificationWithTeacher(cfg)
missing, unexpected = model.load_state_dict(safetensors_io.load(f"{args.model}/model.safetensors"), strict=False)
assert not missing and not unexpected, (missing, unexpected)
size = cfg["image_size"]
resized_train, _ = fashion_data.cached_resized("train", size, args.cache)
resized_test, test_labels = fashion_data.cached_resized("test", size, args.cache)
raw_test, _ = fashion_data.read_split("test")
test_x = torch.from_numpy(fashion_data.normalize(fashion_data.center_crop(resized_test, size)))
before, _ = finish.evaluate(model, test_x, test_labels)
finish.calibrate_batch_norm(model, resized_train, size)
after, predictions = finish.evaluate(model, test_x, test_labels)
print("before BN calibration:", json.dumps(before))
print("after BN calibration: ", json.dumps(after))
results.update(after)
results["before_bn_calibration"] = before
finish.export(model, cfg, args.model, results, test_x, test_labels, raw_test, predictions)
print(f"wrote {args.model}")
