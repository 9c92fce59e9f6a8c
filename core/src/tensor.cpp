#include "levit/tensor.h"

#include "levit/error.h"

namespace levit {

int64_t Tensor::numel() const {
    bool empty = false;
    for (int64_t d : shape) {
        if (d < 0) throw Error("tensor shape " + shapeToString(shape) + " has a negative dimension");
        empty = empty || d == 0;
    }
    if (empty) return 0;
    int64_t n = 1;
    for (int64_t d : shape)
        if (__builtin_mul_overflow(n, d, &n))
            throw Error("tensor shape " + shapeToString(shape) + " has more elements than fit in 64 bits");
    return n;
}

std::string shapeToString(const std::vector<int64_t>& shape) {
    std::string out = "[";
    for (size_t i = 0; i < shape.size(); ++i) out += (i ? ", " : "") + std::to_string(shape[i]);
    return out + "]";
}

}  // namespace levit
