"""The README's faithfulness table of `levit explain`: every method on (a) the bundled Fashion-MNIST model over
the first N test images and (b) a levit-128S-shaped model on the golden photos, with the mean RISE deletion and
insertion AUC (class = the head's top-1, mean head), the same for a random map, and the mean time per map.
    /usr/bin/python3 explain_table.py LEVIT_BINARY [--images 200] [--threads 2] [--work DIR]"""
import argparse
import glob
import json
import os
import subprocess

import numpy as np

import fashion_data

METHODS = ["token", "gradcam", "gradient", "gradient-x-input", "integrated-gradients", "occlusion", "rollout"]
HERE = os.path.dirname(os.path.abspath(__file__))


def fashion_pixels(path, count, size):
    images, _ = fashion_data.read_split("test")
    resized = fashion_data.resize_gray(images[:count], size)
    np.save(path, fashion_data.normalize(fashion_data.center_crop(resized, size)).astype(np.float32))


def run(levit, model_args, inputs, method, threads, out):
    cmd = [levit, "explain", *model_args, "--method", method, "--threads", str(threads), "--out", out, "--json", *inputs]
    rows = [json.loads(l) for l in subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.splitlines()]
    mean = lambda key: sum(r[key] for r in rows) / len(rows)
    return {k: mean(k) for k in ("deletion_auc", "insertion_auc", "random_deletion_auc", "random_insertion_auc", "ms")}, len(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("levit")
    parser.add_argument("--images", type=int, default=200)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--work", default="/tmp/levit_explain_table")
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    config = json.load(open(os.path.join(HERE, "../../resources/models/levit-fashion/config.json")))
    pixels = os.path.join(args.work, "fashion_test.npy")
    fashion_pixels(pixels, args.images, config["image_size"])
    shared = os.environ.get("LEVIT_SHARED_DIR", os.path.join(HERE, "../../../shared"))
    golden = os.path.join(shared, "golden/levit-128S_seed0")
    photos = sorted(glob.glob(os.path.join(golden, "images/photo_*")))
    sets = [("bundled model, Fashion-MNIST test", [], ["--pixel-values", pixels]),
            ("levit-128S shape (seed 0), golden photos", ["--model", golden], photos)]
    print("| model, images | method | deletion AUC (random map) | insertion AUC (random map) | ms per map |")
    print("|---|---|---|---|---|")
    for name, model_args, inputs in sets:
        for method in METHODS:
            m, n = run(args.levit, model_args, inputs, method, args.threads, os.path.join(args.work, "maps"))
            print(f"| {name} ({n}) | {method} | {m['deletion_auc']:.3f} ({m['random_deletion_auc']:.3f}) | "
                  f"{m['insertion_auc']:.3f} ({m['random_insertion_auc']:.3f}) | {m['ms']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
