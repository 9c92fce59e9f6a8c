// Uses the installed LeViT engine like any other program would: loads a checkpoint folder, runs the
// preprocessed pixel values of the golden set's first image and compares its logits with the ones
// PyTorch computed.
//   levit_consumer <model folder with npy/pixel_values.npy and npy/logits.npy>
// Prints one line and exits 0 when every logit is within 1e-4 of the reference, 1 otherwise.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include <levit/checkpoint.h>
#include <levit/model.h>
#include <levit/npy.h>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: levit_consumer MODEL_DIR\n");
        return 2;
    }
    const std::string dir = argv[1];
    try {
        const levit::NpyArray pixels = levit::readNpy(dir + "/npy/pixel_values.npy");
        const levit::NpyArray expected = levit::readNpy(dir + "/npy/logits.npy");
        if (pixels.shape.size() != 4 || expected.shape.size() != 2 || pixels.shape[0] < 1 ||
            pixels.shape[0] != expected.shape[0]) {
            std::fprintf(stderr, "levit_consumer: error: %s/npy: pixel_values [B,3,S,S] and logits [B,N] do not match\n",
                         dir.c_str());
            return 1;
        }
        const std::vector<float> all_pixels = pixels.toFloat();
        const std::vector<float> all_logits = expected.toFloat();
        const size_t image_floats = all_pixels.size() / size_t(pixels.shape[0]);
        const size_t labels = size_t(expected.shape[1]);

        levit::Session session(levit::loadModel(dir));
        const levit::Output& out = session.run({all_pixels.data(), image_floats}, 1);  // the first image

        if (out.logits.size() != labels) {
            std::fprintf(stderr, "levit_consumer: error: %zu logits computed, %zu in %s/npy/logits.npy\n",
                         out.logits.size(), labels, dir.c_str());
            return 1;
        }
        double worst = 0;
        for (size_t i = 0; i < labels; ++i) worst = std::max(worst, double(std::fabs(out.logits[i] - all_logits[i])));
        const bool ok = worst <= 1e-4;
        std::printf("%s: first image, %zu logits, max |logit - reference| = %.3g (%s 1e-4)\n", dir.c_str(), labels,
                    worst, ok ? "within" : "NOT within");
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "levit_consumer: error: %s\n", e.what());
        return 1;
    }
}
