#pragma once
// The numbers of the tour, computed from one InferenceResult: where the picture was cut, one pixel before
// and after normalisation, a first-layer filter and its response, the token grid, one attention head for
// one query token, the stages' grids and widths, the pooled vector, both heads and the final top classes.
// Each step's numbers are also given as the named values the tour's texts use ({tokens}, ...).
#include <QHash>
#include <QImage>
#include <QRect>
#include <QSize>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

#include "inference_result.h"
#include "levit/classify.h"

namespace levit::ui {

enum class TourStep { ResizeCrop, Normalise, PatchFilter, TokenGrid, Attention, Subsample, Pooling, Heads, Probabilities };
inline constexpr int kTourStepCount = 9;

// The step's key in the text files ("resize_crop", ...).
QString tourStepKey(TourStep step);
// Every name the code fills, for checking the text files against it.
QStringList tourPlaceholderNames();

// The first convolution's weights as the engine applies them (batch norm folded in), read back through the
// public forward pass (core exposes no weight accessor): one run on an input of single-pixel impulses, each
// alone in its filter window, gives weight = response - bias at that window. Exact up to float rounding.
struct FirstConvFilters {
    int filters = 0, in_channels = 0, kernel = 0, stride = 0;
    std::vector<float> weights;  // [filters][in_channels][kernel][kernel]
    std::vector<float> bias;     // [filters]
    float weight(int filter, int channel, int y, int x) const {
        return weights[((size_t(filter) * in_channels + channel) * kernel + y) * kernel + x];
    }
};
FirstConvFilters recoverFirstConvFilters(const std::shared_ptr<const levit::Model>& model);

struct CropNumbers {
    QSize source, resized, crop;  // crop == resized when the model does not crop
    QRect crop_in_resized;        // the part kept, in resized pixels
    QRectF crop_in_source;        // the same part in the picture's own pixels
    int cut_left = 0, cut_right = 0, cut_top = 0, cut_bottom = 0;  // resized pixels cut away on each side
    double cut_fraction = 0;      // of the resized picture's area
    bool cropped = false;
};

struct PixelNumbers {
    QPoint pixel;                 // in the model input (the centre)
    int rgb[3] = {0, 0, 0};
    float mean[3] = {0, 0, 0}, std[3] = {1, 1, 1};
    float model_value[3] = {0, 0, 0};  // what the model got for it (after rescale and normalisation)
    bool normalised = true;
};

struct FilterNumbers {
    bool available = false;
    int filter = 0;               // index of the filter shown: the one whose response varies most on this image
    int filters = 0, in_channels = 0, kernel = 0, stride = 0;
    std::vector<float> weights;   // [in_channels][kernel][kernel]
    int response_size = 0;
    std::vector<float> response;  // response_size^2, before hardswish
};

struct GridShape {
    int grid = 0, channels = 0;
    int tokens() const { return grid * grid; }
};

struct AttentionNumbers {
    bool available = false;
    int block = 0, head = 0, heads = 0, key_dim = 0;
    int key_grid = 0, query_grid = 0;
    int query_row = 0, query_col = 0;
    std::vector<float> content, bias, probabilities;  // over the keys, row-major on the key grid
    int strongest_key = 0;
};

struct SubsampleNumbers {
    bool available = false;       // false for a model without any subsample block
    GridShape before, after;
    int stride = 2;               // every stride-th token in each direction becomes a query
};

struct HeadNumbers {
    levit::Prediction cls_top1, distillation_top1;
    std::vector<levit::Prediction> cls_ranking, distillation_ranking;  // each head's own top 3
};

struct TourNumbers {
    CropNumbers crop;
    PixelNumbers pixel;
    FilterNumbers filter;
    bool tokens_available = false;
    GridShape tokens;             // the patch embedding's output
    AttentionNumbers attention;
    std::vector<GridShape> stages;  // patch embedding, then each stage's output; consecutive repeats dropped
    SubsampleNumbers subsample;
    std::vector<float> pooled;
    GridShape final_grid;
    HeadNumbers heads;
    std::vector<levit::Prediction> top;  // of the averaged logits, up to 5
    int classes = 0;

    QHash<QString, QString> values;          // placeholder -> text
    QHash<TourStep, QString> variants;       // which text of a step applies ("text" unless listed)
    QString variant(TourStep step) const { return variants.value(step, QStringLiteral("text")); }
};

struct TourChoices {
    int query_row = -1, query_col = -1;  // attention query on the query grid; -1: the centre
    int head = 0;
};

// The numbers for `result` (its probe must hold what TourView::probeNeeded asks for; what is missing is left
// unavailable). `class_names`, when not empty, replaces the config's labels; `filters` are the model's first
// convolution (recoverFirstConvFilters), null when not known.
TourNumbers computeTourNumbers(const InferenceResult& result, const QStringList& class_names,
                               const FirstConvFilters* filters, const TourChoices& choices = {});

// Display texts of numbers, the same in every language: "0.485", "-1.23", "37.5".
QString tourNumber(double value, int decimals);

}  // namespace levit::ui
