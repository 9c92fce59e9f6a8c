"""A small 10-class grayscale data set the bundled model has never seen, for few-shot fine-tuning figures:
digits 0-9 rendered with the DejaVu fonts Debian ships (sans, serif, mono; book, bold, oblique, condensed,
light), randomly rotated (+-20 degrees), scaled, shifted, stroke-thickened or thinned, blurred and noised,
28x28 like MNIST, white on black. Writes ImageFolder trees: OUT/train (PER images per class) and OUT/test
(TEST per class), from disjoint random draws.
    /usr/bin/python3 make_digits_dataset.py OUT --per-class 30 --test-per-class 100 --seed 0"""
import argparse
import glob
import os
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

NAMES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def render(digit, font_path, rng):
    size = 112
    img = Image.new("L", (size, size), 0)
    font = ImageFont.truetype(font_path, rng.randint(52, 76))
    draw = ImageDraw.Draw(img)
    box = draw.textbbox((0, 0), str(digit), font=font)
    w, h = box[2] - box[0], box[3] - box[1]
    x = (size - w) // 2 - box[0] + rng.randint(-10, 10)
    y = (size - h) // 2 - box[1] + rng.randint(-10, 10)
    draw.text((x, y), str(digit), fill=255, font=font)
    f = rng.choice([None, ImageFilter.MaxFilter(3), ImageFilter.MinFilter(3), None])
    if f is not None:
        img = img.filter(f)
    img = img.rotate(rng.uniform(-20, 20), resample=Image.BILINEAR)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.5)))
    img = img.resize((28, 28), Image.LANCZOS)
    px = img.load()
    for yy in range(28):
        for xx in range(28):
            px[xx, yy] = max(0, min(255, px[xx, yy] + int(rng.gauss(0, 12))))
    return img


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out")
    p.add_argument("--per-class", type=int, default=30)
    p.add_argument("--test-per-class", type=int, default=100)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    fonts = sorted(glob.glob("/usr/share/fonts/truetype/dejavu/*.ttf"))
    if not fonts:
        raise SystemExit("no DejaVu fonts: apt-get install fonts-dejavu-core")
    rng = random.Random(a.seed)
    for split, count in (("train", a.per_class), ("test", a.test_per_class)):
        for digit, name in enumerate(NAMES):
            folder = os.path.join(a.out, split, f"{digit}_{name}")
            os.makedirs(folder, exist_ok=True)
            for i in range(count):
                render(digit, rng.choice(fonts), rng).save(os.path.join(folder, f"{i:04d}.png"))
    print(f"wrote {a.per_class} + {a.test_per_class} images per class to {a.out}")


if __name__ == "__main__":
    main()
