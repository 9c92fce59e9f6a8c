#include "tour_steps.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "levit/error.h"
#include "levit/model.h"
#include "levit/preprocess.h"

namespace levit::ui {

namespace {

constexpr int kTopCount = 5;
constexpr int kHeadRankingCount = 3;

QString percentText(double probability) { return tourNumber(probability * 100.0, 1); }

QString labelOf(const levit::Prediction& p, const QStringList& class_names) {
    if (p.index >= 0 && p.index < class_names.size()) return class_names[p.index];
    return QString::fromStdString(p.label);
}

QString gridText(int grid) { return QStringLiteral("%1×%1").arg(grid); }

CropNumbers cropNumbers(const InferenceResult& result) {
    CropNumbers c;
    const levit::PreprocessConfig& pp = result.model->config().preprocess;
    c.source = result.source_size.isValid() ? result.source_size : QSize(result.model_input.width, result.model_input.height);
    const levit::Size2 resized = levit::resizedSize(c.source.height(), c.source.width(), pp);
    c.resized = QSize(resized.width, resized.height);
    c.cropped = pp.do_center_crop;
    c.crop = c.cropped ? QSize(pp.crop_width, pp.crop_height) : c.resized;
    // transformers' center_crop: top = (H - h) // 2, left = (W - w) // 2; a smaller image is padded, nothing cut.
    const int left = std::max(0, (c.resized.width() - c.crop.width()) / 2);
    const int top = std::max(0, (c.resized.height() - c.crop.height()) / 2);
    c.crop_in_resized = QRect(left, top, std::min(c.crop.width(), c.resized.width()), std::min(c.crop.height(), c.resized.height()));
    c.cut_left = left;
    c.cut_top = top;
    c.cut_right = std::max(0, c.resized.width() - c.crop_in_resized.right() - 1);
    c.cut_bottom = std::max(0, c.resized.height() - c.crop_in_resized.bottom() - 1);
    const double resized_area = double(c.resized.width()) * c.resized.height();
    if (resized_area > 0) c.cut_fraction = 1.0 - double(c.crop_in_resized.width()) * c.crop_in_resized.height() / resized_area;
    const double sx = c.resized.width() > 0 ? double(c.source.width()) / c.resized.width() : 1.0;
    const double sy = c.resized.height() > 0 ? double(c.source.height()) / c.resized.height() : 1.0;
    c.crop_in_source = QRectF(left * sx, top * sy, c.crop_in_resized.width() * sx, c.crop_in_resized.height() * sy);
    return c;
}

PixelNumbers pixelNumbers(const InferenceResult& result) {
    PixelNumbers p;
    const levit::ImageRGB8& image = result.model_input;
    const levit::PreprocessConfig& pp = result.model->config().preprocess;
    p.normalised = pp.do_normalize;
    for (int c = 0; c < 3; ++c) {
        p.mean[c] = pp.image_mean[c];
        p.std[c] = pp.image_std[c];
    }
    if (image.width <= 0 || image.height <= 0) return p;
    p.pixel = QPoint(image.width / 2, image.height / 2);
    const uint8_t* px = image.row(p.pixel.y()) + size_t(p.pixel.x()) * 3;
    for (int c = 0; c < 3; ++c) p.rgb[c] = px[c];
    // The model's own normalisation of the whole input, read at the pixel: the number it really got.
    std::vector<float> chw(size_t(3) * image.width * image.height);
    levit::normalizeInto(image, pp, chw);
    const size_t plane = size_t(image.width) * image.height;
    for (int c = 0; c < 3; ++c) p.model_value[c] = chw[c * plane + size_t(p.pixel.y()) * image.width + p.pixel.x()];
    return p;
}

double variance(const float* values, size_t n) {
    if (n == 0) return 0;
    const double mean = std::accumulate(values, values + n, 0.0) / double(n);
    double sum = 0;
    for (size_t i = 0; i < n; ++i) sum += (values[i] - mean) * (values[i] - mean);
    return sum / double(n);
}

FilterNumbers filterNumbers(const InferenceResult& result, const FirstConvFilters* filters) {
    FilterNumbers f;
    if (result.probe.patch_embed_convs.empty()) return f;
    const levit::FeatureMaps& conv = result.probe.patch_embed_convs[0];
    const size_t plane = size_t(conv.height) * conv.width;
    if (conv.channels <= 0 || plane == 0 || conv.values.size() < plane * conv.channels) return f;
    int best = 0;
    double best_variance = -1;
    for (int c = 0; c < conv.channels; ++c) {
        const double v = variance(conv.values.data() + c * plane, plane);
        if (v > best_variance) best_variance = v, best = c;
    }
    f.filter = best;
    f.filters = conv.channels;
    f.response_size = conv.width;
    f.response.assign(conv.values.begin() + best * plane, conv.values.begin() + (best + 1) * plane);
    const levit::Config& config = result.model->config();
    f.in_channels = config.num_channels;
    f.kernel = config.kernel_size;
    f.stride = config.stride;
    if (filters && filters->filters == conv.channels) {
        const size_t per_filter = size_t(filters->in_channels) * filters->kernel * filters->kernel;
        f.weights.assign(filters->weights.begin() + best * per_filter, filters->weights.begin() + (best + 1) * per_filter);
    }
    f.available = true;
    return f;
}

AttentionNumbers attentionNumbers(const InferenceResult& result, const TourChoices& choices) {
    AttentionNumbers a;
    const auto& blocks = result.model->attentionBlocks();
    const levit::AttentionMaps* maps = nullptr;
    for (const auto& m : result.probe.attention)
        if (m.block >= 0 && size_t(m.block) < blocks.size() && blocks[size_t(m.block)].kind == levit::BlockKind::Attention) {
            maps = &m;
            break;
        }
    if (!maps || maps->heads <= 0) return a;
    const levit::AttentionBlockInfo& info = blocks[size_t(maps->block)];
    a.block = maps->block;
    a.heads = maps->heads;
    a.head = std::clamp(choices.head, 0, a.heads - 1);
    a.key_dim = info.key_dim;
    a.key_grid = info.resolution_in;
    a.query_grid = info.resolution_out;
    if (a.key_grid * a.key_grid != maps->keys || a.query_grid * a.query_grid != maps->queries) return a;
    a.query_row = choices.query_row >= 0 ? std::min(choices.query_row, a.query_grid - 1) : a.query_grid / 2;
    a.query_col = choices.query_col >= 0 ? std::min(choices.query_col, a.query_grid - 1) : a.query_grid / 2;
    const int query = a.query_row * a.query_grid + a.query_col;
    const size_t row = (size_t(a.head) * maps->queries + query) * maps->keys;
    a.content.assign(maps->content.begin() + row, maps->content.begin() + row + maps->keys);
    a.probabilities.assign(maps->probabilities.begin() + row, maps->probabilities.begin() + row + maps->keys);
    const levit::BiasTables bias = result.model->biasTables(a.block);
    a.bias.assign(bias.expanded.begin() + row, bias.expanded.begin() + row + maps->keys);
    a.strongest_key = int(std::max_element(a.probabilities.begin(), a.probabilities.end()) - a.probabilities.begin());
    a.available = true;
    return a;
}

std::vector<GridShape> stageShapes(const InferenceResult& result) {
    std::vector<GridShape> shapes;
    for (const levit::FeatureMaps& m : result.probe.hidden_states) {
        const GridShape shape{m.height, m.channels};
        if (shapes.empty() || shapes.back().grid != shape.grid || shapes.back().channels != shape.channels) shapes.push_back(shape);
    }
    return shapes;
}

SubsampleNumbers subsampleNumbers(const levit::Model& model) {
    SubsampleNumbers s;
    for (const levit::AttentionBlockInfo& info : model.attentionBlocks())
        if (info.kind == levit::BlockKind::AttentionSubsample) {
            s.available = true;
            s.before = {info.resolution_in, info.in_channels};
            s.after = {info.resolution_out, info.out_channels};
            s.stride = info.stride;
            break;
        }
    return s;
}

std::vector<levit::Prediction> ranking(const std::vector<float>& logits, int k, const levit::Config& config) {
    if (logits.empty()) return {};
    return levit::topK(logits.data(), int(logits.size()), std::min<int>(k, int(logits.size())), config.id2label);
}

void fillCropValues(const CropNumbers& c, QHash<QString, QString>& v) {
    v["source_width"] = QString::number(c.source.width());
    v["source_height"] = QString::number(c.source.height());
    v["resized_width"] = QString::number(c.resized.width());
    v["resized_height"] = QString::number(c.resized.height());
    v["resized_short"] = QString::number(std::min(c.resized.width(), c.resized.height()));
    v["crop_width"] = QString::number(c.crop.width());
    v["crop_height"] = QString::number(c.crop.height());
    v["cut_left"] = QString::number(c.cut_left);
    v["cut_right"] = QString::number(c.cut_right);
    v["cut_top"] = QString::number(c.cut_top);
    v["cut_bottom"] = QString::number(c.cut_bottom);
    v["cut_percent"] = tourNumber(c.cut_fraction * 100.0, 0);
}

void fillPixelValues(const PixelNumbers& p, QHash<QString, QString>& v) {
    static const char* const kColours[3] = {"red", "green", "blue"};
    v["pixel_x"] = QString::number(p.pixel.x() + 1);
    v["pixel_y"] = QString::number(p.pixel.y() + 1);
    for (int c = 0; c < 3; ++c) {
        const QString colour = QLatin1String(kColours[c]);
        v[colour] = QString::number(p.rgb[c]);
        v["mean_" + colour] = tourNumber(p.mean[c], 3);
        v["std_" + colour] = tourNumber(p.std[c], 3);
        v["norm_" + colour] = tourNumber(p.model_value[c], 2);
    }
}

void fillFilterValues(const FilterNumbers& f, const levit::Config& config, QHash<QString, QString>& v) {
    v["filters"] = QString::number(f.filters);
    v["filter"] = QString::number(f.filter + 1);
    v["kernel"] = QString::number(config.kernel_size);
    v["weights"] = QString::number(config.kernel_size * config.kernel_size * config.num_channels);
    v["stride"] = QString::number(config.stride);
    v["response_size"] = QString::number(f.response_size);
    v["input_size"] = QString::number(config.image_size);
    v["patch"] = QString::number(config.patch_size);
}

void fillAttentionValues(const AttentionNumbers& a, QHash<QString, QString>& v) {
    v["heads"] = QString::number(a.heads);
    v["head"] = QString::number(a.head + 1);
    v["key_dim"] = QString::number(a.key_dim);
    v["query_row"] = QString::number(a.query_row + 1);
    v["query_col"] = QString::number(a.query_col + 1);
    v["keys"] = QString::number(a.key_grid * a.key_grid);
    v["key_grid"] = gridText(a.key_grid);
    if (!a.available) return;
    v["max_weight"] = percentText(a.probabilities[size_t(a.strongest_key)]);
    v["max_row"] = QString::number(a.strongest_key / a.key_grid + 1);
    v["max_col"] = QString::number(a.strongest_key % a.key_grid + 1);
}

QString stagePath(const std::vector<GridShape>& stages) {
    QStringList parts;
    for (const GridShape& s : stages) parts << QStringLiteral("%1×%2").arg(gridText(s.grid)).arg(s.channels);
    return parts.join(QStringLiteral(" → "));
}

void fillHeadValues(const TourNumbers& n, const QStringList& names, QHash<QString, QString>& v) {
    v["classes"] = QString::number(n.classes);
    v["cls_label"] = labelOf(n.heads.cls_top1, names);
    v["cls_logit"] = tourNumber(n.heads.cls_top1.logit, 2);
    v["cls_probability"] = percentText(n.heads.cls_top1.probability);
    v["distillation_label"] = labelOf(n.heads.distillation_top1, names);
    v["distillation_logit"] = tourNumber(n.heads.distillation_top1.logit, 2);
    v["distillation_probability"] = percentText(n.heads.distillation_top1.probability);
    v["top_count"] = QString::number(n.top.size());
    const QString none = QStringLiteral("—");
    v["top_label"] = n.top.empty() ? none : labelOf(n.top[0], names);
    v["top_probability"] = n.top.empty() ? none : percentText(n.top[0].probability);
    v["second_label"] = n.top.size() < 2 ? none : labelOf(n.top[1], names);
    v["second_probability"] = n.top.size() < 2 ? none : percentText(n.top[1].probability);
}

}  // namespace

QString tourStepKey(TourStep step) {
    switch (step) {
    case TourStep::ResizeCrop: return QStringLiteral("resize_crop");
    case TourStep::Normalise: return QStringLiteral("normalise");
    case TourStep::PatchFilter: return QStringLiteral("patch_filter");
    case TourStep::TokenGrid: return QStringLiteral("token_grid");
    case TourStep::Attention: return QStringLiteral("attention");
    case TourStep::Subsample: return QStringLiteral("subsample");
    case TourStep::Pooling: return QStringLiteral("pooling");
    case TourStep::Heads: return QStringLiteral("heads");
    case TourStep::Probabilities: return QStringLiteral("probabilities");
    }
    return {};
}

QStringList tourPlaceholderNames() {
    return {"source_width", "source_height", "resized_width", "resized_height", "resized_short", "crop_width",
            "crop_height", "cut_left", "cut_right", "cut_top", "cut_bottom", "cut_percent",
            "pixel_x", "pixel_y", "red", "green", "blue", "mean_red", "mean_green", "mean_blue", "std_red",
            "std_green", "std_blue", "norm_red", "norm_green", "norm_blue",
            "filters", "filter", "kernel", "weights", "stride", "response_size", "input_size", "patch",
            "grid", "tokens", "channels",
            "heads", "head", "key_dim", "query_row", "query_col", "keys", "key_grid", "max_weight", "max_row", "max_col",
            "grid_before", "tokens_before", "channels_before", "grid_after", "tokens_after", "channels_after", "stage_path",
            "subsample_stride",
            "final_grid", "final_tokens", "final_channels", "pooled_min", "pooled_max",
            "classes", "cls_label", "cls_logit", "cls_probability", "distillation_label", "distillation_logit",
            "distillation_probability", "top_count", "top_label", "top_probability", "second_label", "second_probability"};
}

QString tourNumber(double value, int decimals) {
    QString text = QString::number(value, 'f', decimals);
    // "-0.00" reads as a sign error to a learner.
    if (text.startsWith('-') && QString::number(-value, 'f', decimals) == text.mid(1) && text.mid(1).toDouble() == 0.0) text.remove(0, 1);
    return text;
}

FirstConvFilters recoverFirstConvFilters(const std::shared_ptr<const levit::Model>& model) {
    FirstConvFilters result;
    if (!model) return result;
    const levit::Config& config = model->config();
    const int size = config.image_size, k = config.kernel_size, s = config.stride, p = config.padding, in = config.num_channels;
    if (k <= 0 || s <= 0) return result;
    // Output positions whose window lies wholly inside the image (no padding), `spacing` apart so that no
    // two windows share an input pixel: an impulse at one window is seen by no other chosen position.
    const int spacing = (k + s - 1) / s;
    const int first = (p + s - 1) / s;
    const int last = (size - k + p) / s;
    std::vector<QPoint> positions;
    for (int oy = first; oy <= last; oy += spacing)
        for (int ox = first; ox <= last; ox += spacing) positions.emplace_back(ox, oy);
    if (positions.empty()) return result;
    const int taps = in * k * k;
    const int slot_count = taps + 1;  // the last slot has no impulse: it reads the bias
    const int per_image = int(positions.size());
    const int batch = (slot_count + per_image - 1) / per_image;
    if (batch > levit::Session::kMaxBatch) return result;
    const size_t image_floats = size_t(in) * size * size;
    std::vector<float> pixels(image_floats * batch, 0.f);
    auto inputPixel = [&](int slot, int tap) {
        const QPoint o = positions[size_t(slot % per_image)];
        const int channel = tap / (k * k), ky = tap / k % k, kx = tap % k;
        return size_t(slot / per_image) * image_floats + (size_t(channel) * size + (s * o.y() - p + ky)) * size + (s * o.x() - p + kx);
    };
    for (int tap = 0; tap < taps; ++tap) pixels[inputPixel(tap, tap)] = 1.f;

    levit::Session session(model);
    levit::Probe probe;
    probe.patch_embed_convs = true;
    levit::ProbeResult probed;
    session.run(pixels, batch, probe, &probed);
    if (probed.patch_embed_convs.empty()) return result;
    const levit::FeatureMaps& conv = probed.patch_embed_convs[0];
    auto response = [&](int slot, int filter) {
        const QPoint o = positions[size_t(slot % per_image)];
        return conv.values[((size_t(slot / per_image) * conv.channels + filter) * conv.height + o.y()) * conv.width + o.x()];
    };
    result.filters = conv.channels;
    result.in_channels = in;
    result.kernel = k;
    result.stride = s;
    result.bias.resize(size_t(conv.channels));
    result.weights.resize(size_t(conv.channels) * taps);
    for (int f = 0; f < conv.channels; ++f) {
        result.bias[size_t(f)] = response(taps, f);
        for (int tap = 0; tap < taps; ++tap) result.weights[size_t(f) * taps + tap] = response(tap, f) - result.bias[size_t(f)];
    }
    return result;
}

TourNumbers computeTourNumbers(const InferenceResult& result, const QStringList& class_names,
                               const FirstConvFilters* filters, const TourChoices& choices) {
    TourNumbers n;
    if (!result.model) return n;
    const levit::Config& config = result.model->config();
    QHash<QString, QString>& v = n.values;

    n.crop = cropNumbers(result);
    fillCropValues(n.crop, v);
    if (!n.crop.cropped) n.variants[TourStep::ResizeCrop] = QStringLiteral("text_no_crop");

    n.pixel = pixelNumbers(result);
    fillPixelValues(n.pixel, v);
    if (!n.pixel.normalised) n.variants[TourStep::Normalise] = QStringLiteral("text_no_normalize");

    n.filter = filterNumbers(result, filters);
    fillFilterValues(n.filter, config, v);

    if (!result.probe.hidden_states.empty()) {
        const levit::FeatureMaps& embedded = result.probe.hidden_states[0];
        n.tokens_available = true;
        n.tokens = {embedded.height, embedded.channels};
        n.stages = stageShapes(result);
        n.final_grid = n.stages.back();
    }
    v["grid"] = gridText(n.tokens.grid);
    v["tokens"] = QString::number(n.tokens.tokens());
    v["channels"] = QString::number(n.tokens.channels);

    n.attention = attentionNumbers(result, choices);
    fillAttentionValues(n.attention, v);

    n.subsample = subsampleNumbers(*result.model);
    if (!n.subsample.available) n.variants[TourStep::Subsample] = QStringLiteral("text_no_subsample");
    v["grid_before"] = gridText(n.subsample.before.grid);
    v["tokens_before"] = QString::number(n.subsample.before.tokens());
    v["channels_before"] = QString::number(n.subsample.before.channels);
    v["grid_after"] = gridText(n.subsample.after.grid);
    v["tokens_after"] = QString::number(n.subsample.after.tokens());
    v["channels_after"] = QString::number(n.subsample.after.channels);
    v["subsample_stride"] = QString::number(n.subsample.stride);
    v["stage_path"] = stagePath(n.stages);

    n.pooled = result.probe.pooled;
    if (n.pooled.size() > size_t(n.final_grid.channels) && n.final_grid.channels > 0) n.pooled.resize(size_t(n.final_grid.channels));
    v["final_grid"] = gridText(n.final_grid.grid);
    v["final_tokens"] = QString::number(n.final_grid.tokens());
    v["final_channels"] = QString::number(n.final_grid.channels);
    const auto [low, high] = std::minmax_element(n.pooled.begin(), n.pooled.end());
    v["pooled_min"] = n.pooled.empty() ? QString() : tourNumber(*low, 2);
    v["pooled_max"] = n.pooled.empty() ? QString() : tourNumber(*high, 2);

    const levit::Classification& c = result.classification;
    n.classes = int(c.logits.size());
    n.heads.cls_top1 = c.cls_top1;
    n.heads.distillation_top1 = c.distillation_top1;
    n.heads.cls_ranking = ranking(c.cls_logits, kHeadRankingCount, config);
    n.heads.distillation_ranking = ranking(c.distillation_logits, kHeadRankingCount, config);
    n.top = ranking(c.logits, kTopCount, config);
    if (n.heads.cls_top1.index != n.heads.distillation_top1.index) n.variants[TourStep::Heads] = QStringLiteral("text_disagree");
    fillHeadValues(n, class_names, v);
    return n;
}

}  // namespace levit::ui
