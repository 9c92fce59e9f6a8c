#include "model_graph_view.h"

#include <QApplication>
#include <QFocusEvent>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QResizeEvent>
#include <QScrollArea>
#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

#include "chart_style.h"
#include "levit/preprocess.h"

namespace levit::ui {

namespace {

using levit::GraphNode;
using levit::GraphNodeKind;

constexpr int kMargin = 12;     // around the drawing
constexpr int kGroupPad = 10;   // inside a group frame
constexpr int kColumnGap = 26;  // between boxes of a row (room for an arrow)
constexpr int kRowGap = 20;     // between rows (room for an arrow)
// Box widths in average characters, so that large fonts (presentation mode) get wider boxes.
constexpr int kMaxBoxCharacters = 52;
constexpr int kMinBoxCharacters = 30;
constexpr int kLinesPerBox = 4;

// "1.23", "12.3", "123" followed by k / M / G.
QString compactNumber(double value) {
    static const char* const kPrefixes[] = {"", " k", " M", " G", " T"};
    int prefix = 0;
    while (std::abs(value) >= 999.5 && prefix < 4) {
        value /= 1000;
        ++prefix;
    }
    const int decimals = prefix == 0 ? 0 : (value >= 99.95 ? 0 : value >= 9.995 ? 1 : 2);
    return QString::number(value, 'f', decimals) + QString::fromLatin1(kPrefixes[prefix]);
}

QString parametersText(int64_t parameters) {
    return parameters > 0 ? ModelGraphView::tr("%1 parameters").arg(compactNumber(double(parameters)))
                          : ModelGraphView::tr("no parameters");
}

QString flopsText(double flops) {
    return flops > 0 ? ModelGraphView::tr("%1FLOPs").arg(compactNumber(flops) + (flops >= 999.5 ? "" : " "))
                     : ModelGraphView::tr("no multiply-adds");
}

QString millisecondsText(double ms) {
    if (ms >= 1) return ModelGraphView::tr("%1 ms").arg(QString::number(ms, 'f', ms >= 100 ? 0 : ms >= 10 ? 1 : 2));
    const double us = ms * 1000;
    return ModelGraphView::tr("%1 µs").arg(QString::number(us, 'f', us >= 10 ? 0 : 1));
}

// Attention blocks counted from 1 within their stage, as the Attention tab names them ("Stage 1 · Block 2").
int blockInStage(const levit::Model& model, int block) {
    const auto& blocks = model.attentionBlocks();
    int within = 1;
    for (int b = 0; b < block; ++b) within += blocks[size_t(b)].stage == blocks[size_t(block)].stage;
    return within;
}

QString nodeTitle(const levit::Model& model, const GraphNode& n) {
    switch (n.kind) {
    case GraphNodeKind::Image: return ModelGraphView::tr("Image");
    case GraphNodeKind::Preprocessing: return ModelGraphView::tr("Preprocessing");
    case GraphNodeKind::PatchConvolution: return ModelGraphView::tr("Convolution %1").arg(n.patch_conv + 1);
    case GraphNodeKind::Attention:
        return ModelGraphView::tr("Attention · block %1").arg(blockInStage(model, n.attention_block));
    case GraphNodeKind::Mlp: return ModelGraphView::tr("MLP");
    case GraphNodeKind::AttentionSubsample:
        return ModelGraphView::tr("Subsample · block %1").arg(blockInStage(model, n.attention_block));
    case GraphNodeKind::Pooling: return ModelGraphView::tr("Mean pooling");
    case GraphNodeKind::ClassificationHead: return ModelGraphView::tr("Classification head");
    case GraphNodeKind::DistillationHead: return ModelGraphView::tr("Distillation head");
    case GraphNodeKind::Average: return ModelGraphView::tr("Mean of both heads");
    }
    return {};
}

// The resize and crop the preprocessor config asks for, in short.
QString preprocessingSteps(const levit::PreprocessConfig& p) {
    QStringList steps;
    if (p.do_resize) {
        if (p.resize_height > 0 && p.resize_width > 0)
            steps << ModelGraphView::tr("resize to %1 × %2").arg(p.resize_width).arg(p.resize_height);
        else
            steps << ModelGraphView::tr("shorter side → %1").arg(int((256.0 / 224.0) * p.shortest_edge));
    }
    if (p.do_center_crop) steps << ModelGraphView::tr("crop %1 × %2").arg(p.crop_width).arg(p.crop_height);
    if (p.do_normalize) steps << ModelGraphView::tr("normalise");
    return steps.isEmpty() ? ModelGraphView::tr("none") : steps.join(QStringLiteral(", "));
}

QString nodeDetail(const levit::Model& model, const GraphNode& n) {
    switch (n.kind) {
    case GraphNodeKind::Image: return ModelGraphView::tr("the picture as opened");
    case GraphNodeKind::Preprocessing: return preprocessingSteps(model.config().preprocess);
    case GraphNodeKind::PatchConvolution:
        return ModelGraphView::tr("%1×%1, stride %2, %3 → %4 channels%5")
            .arg(n.kernel)
            .arg(n.stride)
            .arg(n.input_channels)
            .arg(n.output.channels)
            .arg(n.hardswish_after ? ModelGraphView::tr(", hardswish") : QString());
    case GraphNodeKind::Attention:
        return ModelGraphView::tr("%1 heads, key %2, value %3, + residual").arg(n.heads).arg(n.key_dim).arg(n.value_dim);
    case GraphNodeKind::AttentionSubsample:
        return ModelGraphView::tr("%1 heads, key %2, value %3, stride %4").arg(n.heads).arg(n.key_dim).arg(n.value_dim).arg(n.stride);
    case GraphNodeKind::Mlp:
        return ModelGraphView::tr("%1 → %2 → %1, hardswish, + residual").arg(n.output.channels).arg(n.hidden);
    case GraphNodeKind::Pooling:
        return ModelGraphView::tr("average over the tokens, per channel");
    case GraphNodeKind::ClassificationHead:
    case GraphNodeKind::DistillationHead:
        return ModelGraphView::tr("BatchNorm + linear, %1 → %2").arg(n.input_channels).arg(n.output.channels);
    case GraphNodeKind::Average: return ModelGraphView::tr("(classification + distillation) / 2");
    }
    return {};
}

QString shapeText(const GraphNode& n, const QSize& source_size) {
    const levit::NodeShape& s = n.output;
    switch (s.layout) {
    case levit::ShapeLayout::AnySize:
        return source_size.isValid() ? ModelGraphView::tr("%1 × %2 pixels, RGB").arg(source_size.width()).arg(source_size.height())
                                     : ModelGraphView::tr("any size, RGB");
    case levit::ShapeLayout::Image: return ModelGraphView::tr("%1 × %2 × %3").arg(s.channels).arg(s.height).arg(s.width);
    case levit::ShapeLayout::Tokens:
        return ModelGraphView::tr("%1 tokens (%2×%3) × %4").arg(s.tokens()).arg(s.height).arg(s.width).arg(s.channels);
    case levit::ShapeLayout::Vector:
        return n.kind == GraphNodeKind::Pooling ? ModelGraphView::tr("%1 numbers").arg(s.channels)
                                                : ModelGraphView::tr("%1 class scores").arg(s.channels);
    }
    return {};
}

// Two or three sentences for a classroom: what the operation does and why it is there.
QString nodeDescription(const levit::Model& model, const std::vector<GraphNode>& nodes, int index) {
    const levit::Config& c = model.config();
    const GraphNode& n = nodes[size_t(index)];
    const levit::NodeShape input = n.inputs.empty() ? levit::NodeShape{} : nodes[size_t(n.inputs.front())].output;
    switch (n.kind) {
    case GraphNodeKind::Image:
        return ModelGraphView::tr("The picture you opened, at its own size. To the computer it is just a grid of red, green "
                                  "and blue values from 0 to 255.");
    case GraphNodeKind::Preprocessing:
        return ModelGraphView::tr("The picture is resized and its centre cut out (%1), so the model always gets %2 × %2 "
                                  "pixels. Each colour value is then scaled to 0–1, minus the mean (%3, %4, %5) and divided "
                                  "by the spread (%6, %7, %8) of the training photos, so the numbers are centred on zero.")
            .arg(preprocessingSteps(c.preprocess))
            .arg(c.image_size)
            .arg(c.preprocess.image_mean[0])
            .arg(c.preprocess.image_mean[1])
            .arg(c.preprocess.image_mean[2])
            .arg(c.preprocess.image_std[0])
            .arg(c.preprocess.image_std[1])
            .arg(c.preprocess.image_std[2]);
    case GraphNodeKind::PatchConvolution:
        if (n.hardswish_after)
            return ModelGraphView::tr("%1 small %2×%2 filters slide over the picture in steps of %3, so it gets %3 times "
                                      "smaller and each position gets %1 numbers. Early filters respond to simple patterns "
                                      "such as edges and colour blobs; hardswish then keeps strong responses and damps "
                                      "negative ones.")
                .arg(n.output.channels)
                .arg(n.kernel)
                .arg(n.stride);
        return ModelGraphView::tr("The last filters (%1 of them, %2×%2, steps of %3) turn each %4 × %4 pixel patch into "
                                  "one token: a list of %1 numbers. From here on the picture is a grid of tokens, like "
                                  "words in a sentence.")
            .arg(n.output.channels)
            .arg(n.kernel)
            .arg(n.stride)
            .arg(c.patch_size);
    case GraphNodeKind::Attention:
        return ModelGraphView::tr("Every token looks at all %1 tokens and takes a weighted mix of what they hold, in %2 heads "
                                  "that each look for something else. The weights come from how well a token's query matches "
                                  "the others' keys, plus a learned bias for their distance; the mix is added to the token "
                                  "(a residual connection), so the block only learns a correction.")
            .arg(n.output.tokens())
            .arg(n.heads);
    case GraphNodeKind::Mlp:
        return ModelGraphView::tr("Each token on its own goes through two layers: widened to %1 numbers, passed through "
                                  "hardswish, and narrowed back to %2. The result is added to the token, so the block refines "
                                  "what attention gathered instead of replacing it.")
            .arg(n.hidden)
            .arg(n.output.channels);
    case GraphNodeKind::AttentionSubsample:
        return ModelGraphView::tr("Attention in which only a %1 × %1 grid of the tokens asks (the queries, one every %2 rows "
                                  "and columns) while all %3 tokens answer: each token grows from %4 to %5 numbers. Fewer, "
                                  "richer tokens let the next stage look at larger parts of the picture at a lower cost.")
            .arg(n.output.height)
            .arg(n.stride)
            .arg(input.tokens())
            .arg(n.input_channels)
            .arg(n.output.channels);
    case GraphNodeKind::Pooling:
        return ModelGraphView::tr("The %1 tokens are averaged into one list of %2 numbers that describes the whole picture. "
                                  "Where something was no longer matters here, only what was found.")
            .arg(input.tokens())
            .arg(n.output.channels);
    case GraphNodeKind::ClassificationHead:
        return ModelGraphView::tr("One linear layer turns the %1 numbers into a score for each of the %2 classes. It was "
                                  "trained on the true labels of the training pictures.")
            .arg(n.input_channels)
            .arg(n.output.channels);
    case GraphNodeKind::DistillationHead:
        return ModelGraphView::tr("A second linear layer of the same shape, trained to copy the answers of a larger teacher "
                                  "network (distillation). It usually agrees with the classification head, but not always.");
    case GraphNodeKind::Average:
        return ModelGraphView::tr("The two heads' scores are averaged, and softmax turns them into the probabilities shown "
                                  "with the predictions. This average is the model's answer.");
    }
    return {};
}

QString targetText(const levit::Model& model, const GraphTarget& t) {
    switch (t.view) {
    case GraphTarget::View::Input: return ModelGraphView::tr("the picture the model saw");
    case GraphTarget::View::FeatureMaps:
        return t.stage == 0 ? ModelGraphView::tr("Feature maps, patch embedding")
                            : ModelGraphView::tr("Feature maps, stage %1 output").arg(t.stage);
    case GraphTarget::View::Attention:
        return ModelGraphView::tr("Attention, stage %1 · block %2, head %3")
            .arg(model.attentionBlocks()[size_t(t.block)].stage + 1)
            .arg(blockInStage(model, t.block))
            .arg(t.head + 1);
    case GraphTarget::View::Heads: return ModelGraphView::tr("Heads");
    case GraphTarget::View::Predictions: return ModelGraphView::tr("the predictions");
    }
    return {};
}

// The rows of one group frame; a row is drawn left to right and wraps when the width runs out.
struct GroupPlan {
    QString title;
    std::vector<std::vector<int>> rows;
};

QString stageTitle(const levit::Config& c, int s) {
    const int side = c.stageResolutions()[size_t(s)];
    const QString grid = ModelGraphView::tr("Stage %1 · %2 × %2 tokens × %3").arg(s + 1).arg(side).arg(c.hidden_sizes[size_t(s)]);
    if (c.depths[size_t(s)] == 0) return grid;
    const QString attention = ModelGraphView::tr(" · %1 × attention (%2 heads, key dim %3, ratio %4)")
                                  .arg(c.depths[size_t(s)])
                                  .arg(c.num_attention_heads[size_t(s)])
                                  .arg(c.key_dim[size_t(s)])
                                  .arg(c.attention_ratio[size_t(s)]);
    if (c.mlp_ratio[size_t(s)] == 0) return grid + attention;
    return grid + attention + ModelGraphView::tr(" + MLP (×%1)").arg(c.mlp_ratio[size_t(s)]);
}

// Input, patch embedding, one frame per stage (an attention block and the MLP after it share a row),
// pooling and heads.
std::vector<GroupPlan> planGroups(const levit::Config& c, const std::vector<GraphNode>& nodes) {
    std::vector<GroupPlan> groups;
    GroupPlan input{ModelGraphView::tr("Input"), {{}}};
    GroupPlan patch{ModelGraphView::tr("Patch embedding · %1 × %1 pixels → %2 × %2 tokens")
                        .arg(c.image_size)
                        .arg(c.stageResolutions().front()),
                    {{}}};
    std::vector<GroupPlan> stages;
    for (int s = 0; s < c.numStages(); ++s) stages.push_back({stageTitle(c, s), {}});
    GroupPlan output{ModelGraphView::tr("Pooling and heads"), {}};
    for (int i = 0; i < int(nodes.size()); ++i) {
        const GraphNode& n = nodes[size_t(i)];
        switch (n.kind) {
        case GraphNodeKind::Image:
        case GraphNodeKind::Preprocessing: input.rows[0].push_back(i); break;
        case GraphNodeKind::PatchConvolution: patch.rows[0].push_back(i); break;
        case GraphNodeKind::Attention:
        case GraphNodeKind::AttentionSubsample: stages[size_t(n.stage)].rows.push_back({i}); break;
        case GraphNodeKind::Mlp: {
            auto& rows = stages[size_t(n.stage)].rows;
            if (rows.empty()) rows.emplace_back();
            rows.back().push_back(i);
            break;
        }
        case GraphNodeKind::Pooling:
        case GraphNodeKind::Average: output.rows.push_back({i}); break;
        case GraphNodeKind::ClassificationHead: output.rows.push_back({i}); break;
        case GraphNodeKind::DistillationHead: output.rows.back().push_back(i); break;
        }
    }
    groups.push_back(std::move(input));
    groups.push_back(std::move(patch));
    for (GroupPlan& s : stages)
        if (!s.rows.empty()) groups.push_back(std::move(s));
    groups.push_back(std::move(output));
    return groups;
}

void drawArrowHead(QPainter& p, QPointF tip, QPointF direction) {
    const double length = std::hypot(direction.x(), direction.y());
    if (length <= 0) return;
    const QPointF d = direction / length, normal(-d.y(), d.x());
    const QPointF back = tip - d * 7.0;
    p.drawPolygon(QPolygonF{tip, back + normal * 4.0, back - normal * 4.0});
}

}  // namespace

ModelGraphView::ModelGraphView(QWidget* parent) : ModelView(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
    setAccessibleName(tr("Model graph"));
}

levit::Probe ModelGraphView::probeNeeded() const {
    levit::Probe p;
    p.timings = true;
    return p;
}

void ModelGraphView::setModel(std::shared_ptr<const levit::Model> model) {
    if (model != model_) {
        model_ = std::move(model);
        nodes_ = model_ ? levit::modelGraph(*model_) : std::vector<GraphNode>{};
        current_ = 0;
        hovered_ = -1;
    }
    setTimes(std::vector<double>(nodes_.size(), std::numeric_limits<double>::quiet_NaN()));
    source_size_ = {};
    relayout();
}

void ModelGraphView::showResult(const InferenceResultPtr& result) {
    setModel(result->model);
    setTimes(levit::nodeTimes(nodes_, result->probe.timings));
    source_size_ = result->source_size;
    relayout();  // the image's size can change the width of its box's text, never the layout; cheap anyway
}

void ModelGraphView::clearResult() { setModel(model_); }

QStringList ModelGraphView::exportCaptionLines() const {
    if (!model_) return {};
    const levit::ModelSummary s = model_->summary();
    return {tr("%1, %2 GFLOPs per image").arg(parametersText(s.parameters)).arg(s.total_gflops, 0, 'f', 2)};
}

QImage ModelGraphView::exportImage() {
    const int w = std::max(width(), 760);
    const GraphLayout layout = computeLayout(w);
    const qreal dpr = devicePixelRatioF();
    QImage image(QSize(w, layout.height) * dpr, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(dpr);
    image.fill(palette().color(QPalette::Window));
    QPainter p(&image);
    p.setFont(font());
    paintGraph(p, layout, false);
    return image;
}

QRect ModelGraphView::nodeRect(int index) const {
    return index >= 0 && size_t(index) < layout_.boxes.size() ? layout_.boxes[size_t(index)] : QRect();
}

QString ModelGraphView::nodeToolTip(int index) const {
    if (!model_ || index < 0 || index >= nodeCount()) return {};
    const GraphNode& n = nodes_[size_t(index)];
    return QStringLiteral("<b>%1</b><br>%2<br><br><i>%3</i>")
        .arg(nodeTitle(*model_, n).toHtmlEscaped(), nodeDescription(*model_, nodes_, index).toHtmlEscaped(),
             tr("Click to open: %1").arg(targetText(*model_, targetOf(index))).toHtmlEscaped());
}

QString ModelGraphView::nodeTimeText(int index) const {
    const double ms = index >= 0 && size_t(index) < times_.size() ? times_[size_t(index)] : std::nan("");
    if (std::isnan(ms)) return QStringLiteral("—");
    return tr("%1 · %2%").arg(millisecondsText(ms)).arg(100 * share(index), 0, 'f', 1);
}

GraphTarget ModelGraphView::targetOf(int index) const {
    GraphTarget t;
    if (index < 0 || index >= nodeCount()) return t;
    const GraphNode& n = nodes_[size_t(index)];
    t.node = index;
    switch (n.kind) {
    case GraphNodeKind::Image:
    case GraphNodeKind::Preprocessing: t.view = GraphTarget::View::Input; break;
    case GraphNodeKind::Attention:
    case GraphNodeKind::AttentionSubsample:
        t.view = GraphTarget::View::Attention;
        t.block = n.attention_block;
        break;
    case GraphNodeKind::PatchConvolution:
    case GraphNodeKind::Mlp:
    case GraphNodeKind::Pooling:
        t.view = GraphTarget::View::FeatureMaps;
        t.stage = n.feature_stage;
        break;
    case GraphNodeKind::ClassificationHead:
    case GraphNodeKind::DistillationHead: t.view = GraphTarget::View::Heads; break;
    case GraphNodeKind::Average: t.view = GraphTarget::View::Predictions; break;
    }
    return t;
}

void ModelGraphView::setCurrentNode(int index) {
    if (index < 0 || index >= nodeCount()) return;
    current_ = index;
    setAccessibleDescription(nodeTitle(*model_, nodes_[size_t(index)]) + QStringLiteral(": ") +
                             nodeDescription(*model_, nodes_, index));
    scrollToCurrent();
    update();
}

int ModelGraphView::heightForWidth(int width) const { return computeLayout(width).height; }

QSize ModelGraphView::sizeHint() const {
    const int w = 2 * kMaxBoxCharacters * fontMetrics().averageCharWidth() + kColumnGap + 2 * (kMargin + kGroupPad);
    return {w, heightForWidth(w)};
}

QSize ModelGraphView::minimumSizeHint() const {
    return {kMinBoxCharacters * fontMetrics().averageCharWidth() + 2 * (kMargin + kGroupPad), 200};
}

GraphLayout ModelGraphView::computeLayout(int width) const {
    GraphLayout layout;
    const QFontMetrics fm(font());
    const int line = fm.height();
    const int min_box = kMinBoxCharacters * fm.averageCharWidth(), max_box = kMaxBoxCharacters * fm.averageCharWidth();
    const int inner = std::max(min_box, width - 2 * (kMargin + kGroupPad));
    const int box_w = std::clamp((inner - kColumnGap) / 2, std::min(min_box, inner), max_box);
    const int box_h = kLinesPerBox * line + 12;
    const int columns = std::max(1, (inner + kColumnGap) / (box_w + kColumnGap));
    int y = kMargin;
    layout.legend = QRect(kMargin, y, width - 2 * kMargin, 4 * line + 14);
    y = layout.legend.bottom() + 1 + kRowGap;
    layout.boxes.assign(nodes_.size(), QRect());
    if (!model_) {
        layout.height = y + kMargin;
        return layout;
    }
    for (const GroupPlan& group : planGroups(model_->config(), nodes_)) {
        const int top = y;
        y += kGroupPad + line + 8;
        for (const std::vector<int>& row : group.rows) {
            // A row that does not fit is split into lines of equal length (4 convolutions: 2 + 2, not 3 + 1).
            const size_t lines = (row.size() + size_t(columns) - 1) / size_t(columns);
            const size_t per_line = (row.size() + lines - 1) / lines;
            for (size_t first = 0; first < row.size(); first += per_line) {
                const int count = int(std::min(row.size() - first, per_line));
                int x = (width - (count * box_w + (count - 1) * kColumnGap)) / 2;
                for (int k = 0; k < count; ++k, x += box_w + kColumnGap)
                    layout.boxes[size_t(row[first + size_t(k)])] = QRect(x, y, box_w, box_h);
                y += box_h + kRowGap;
            }
        }
        y += kGroupPad - kRowGap;
        layout.groups.push_back({QRect(kMargin, top, width - 2 * kMargin, y - top), group.title});
        y += kRowGap + 6;
    }
    layout.height = y - kRowGap - 6 + kMargin;
    return layout;
}

// The height follows the width; a minimum height (not only heightForWidth) makes a resizable QScrollArea
// give the whole graph room and scroll instead of squeezing it.
void ModelGraphView::relayout() {
    layout_ = computeLayout(width());
    setMinimumHeight(layout_.height);
    updateGeometry();
    update();
}

void ModelGraphView::resizeEvent(QResizeEvent* event) {
    ModelView::resizeEvent(event);
    if (event->size().width() != event->oldSize().width()) relayout();
}

void ModelGraphView::setTimes(std::vector<double> times) {
    times_ = std::move(times);
    total_ms_ = 0;
    double slowest = 0;
    for (double t : times_)
        if (!std::isnan(t)) {
            total_ms_ += t;
            slowest = std::max(slowest, t);
        }
    largest_share_ = total_ms_ > 0 ? slowest / total_ms_ : 0;
}

double ModelGraphView::share(int index) const {
    const double t = times_[size_t(index)];
    return std::isnan(t) || total_ms_ <= 0 ? std::nan("") : t / total_ms_;
}

// The palette's base tinted towards orange: text in the palette's own colour stays readable on it, light or dark.
QColor ModelGraphView::shareColor(double intensity) const {
    const QColor base = palette().color(QPalette::Base);
    const QColor heat = isDarkPalette(palette()) ? QColor(230, 120, 20) : QColor(255, 140, 0);
    const double a = 0.65 * std::clamp(intensity, 0.0, 1.0);
    return QColor::fromRgbF(float(base.redF() * (1 - a) + heat.redF() * a), float(base.greenF() * (1 - a) + heat.greenF() * a),
                            float(base.blueF() * (1 - a) + heat.blueF() * a));
}

void ModelGraphView::paintEvent(QPaintEvent*) {
    QPainter p(this);
    paintGraph(p, layout_, true);
}

// `interactive`: with the hover and keyboard marks (on screen), without them (the exported figure).
void ModelGraphView::paintGraph(QPainter& p, const GraphLayout& layout, bool interactive) const {
    p.setRenderHint(QPainter::Antialiasing);
    paintLegend(p, layout);
    if (!model_) return;
    paintGroups(p, layout);
    paintEdges(p, layout);
    for (int i = 0; i < nodeCount(); ++i) paintNode(p, layout, i, interactive);
}

void ModelGraphView::paintLegend(QPainter& p, const GraphLayout& layout) const {
    const QRect r = layout.legend;
    const QFontMetrics fm(font());
    const int line = fm.height();
    p.setPen(palette().color(QPalette::WindowText));
    if (!model_) {
        p.drawText(r, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                   tr("Load a model to see it drawn as a graph, from the picture to the answer."));
        return;
    }
    const levit::ModelSummary s = model_->summary();
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    const QString name = QString::fromStdString(model_->config().name);
    p.drawText(QRect(r.left(), r.top(), r.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
               tr("%1 · %2 · %3 GFLOPs per image")
                   .arg(name.isEmpty() ? tr("LeViT") : name, parametersText(s.parameters))
                   .arg(s.total_gflops, 0, 'f', 2));
    p.setFont(font());
    const double largest = largest_share_;
    const double total = total_ms_;
    const int bar_w = std::min(220, r.width() / 3);
    const QRect bar(r.left(), r.top() + line + 6, bar_w, line);
    QLinearGradient gradient(bar.topLeft(), bar.topRight());
    gradient.setColorAt(0, shareColor(0));
    gradient.setColorAt(1, shareColor(1));
    p.setBrush(gradient);
    p.setPen(palette().color(QPalette::Mid));
    p.drawRect(bar);
    p.setPen(palette().color(QPalette::WindowText));
    const QString scale = largest > 0 ? tr("0% … %1% of the time").arg(100 * largest, 0, 'f', 1) : tr("no times yet");
    p.drawText(QRect(bar.right() + 8, bar.top(), r.width() - bar_w - 8, line), Qt::AlignLeft | Qt::AlignVCenter,
               largest > 0 ? tr("%1 · this image took %2 in all").arg(scale, millisecondsText(total)) : scale);
    const QString explanation =
        largest > 0 ? tr("A box's colour is its share of the time this image took: the more orange, the slower the step. "
                         "Hover over a box for what it does, click it to open its output. FLOPs count a multiply-add as 2.")
                    : tr("Times appear when an image has been classified. Hover over a box for what it does, click it to "
                         "open its output. FLOPs count a multiply-add as 2.");
    p.drawText(QRect(r.left(), bar.bottom() + 6, r.width(), r.bottom() - bar.bottom() - 6),
               Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, explanation);
}

void ModelGraphView::paintGroups(QPainter& p, const GraphLayout& layout) const {
    for (const GraphLayout::Group& g : layout.groups) {
        p.setPen(palette().color(QPalette::Mid));
        p.setBrush(palette().color(QPalette::AlternateBase));
        p.drawRoundedRect(QRectF(g.frame).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8);
    }
}

void ModelGraphView::paintEdges(QPainter& p, const GraphLayout& layout) const {
    QColor color = palette().color(QPalette::WindowText);
    color.setAlpha(170);
    p.setPen(QPen(color, 1.5));
    p.setBrush(color);
    for (int i = 0; i < nodeCount(); ++i) {
        const QRect to = layout.boxes[size_t(i)];
        for (int input : nodes_[size_t(i)].inputs) {
            const QRect from = layout.boxes[size_t(input)];
            if (from.top() == to.top() && from.right() < to.left()) {  // same row: straight across
                const QPointF a(from.right() + 2, from.center().y()), b(to.left() - 2, to.center().y());
                p.drawLine(a, b);
                drawArrowHead(p, b, b - a);
                continue;
            }
            // Down from the reader's input, across just above the reader, down into it.
            const double turn = to.top() - 9;
            QPainterPath path(QPointF(from.center().x(), from.bottom() + 1));
            path.lineTo(from.center().x(), turn);
            path.lineTo(to.center().x(), turn);
            path.lineTo(to.center().x(), to.top() - 2);
            p.setBrush(Qt::NoBrush);
            p.drawPath(path);
            p.setBrush(color);
            drawArrowHead(p, QPointF(to.center().x(), to.top() - 1), QPointF(0, 1));
        }
    }
    // Group titles go over the lines that pass through them, on the frame's colour.
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    const QFontMetrics fm(bold);
    for (const GraphLayout::Group& g : layout.groups) {
        const QRect text_rect(g.frame.left() + kGroupPad, g.frame.top() + kGroupPad / 2, g.frame.width() - 2 * kGroupPad,
                              fm.height() + 4);
        const QString title = fm.elidedText(g.title, Qt::ElideRight, text_rect.width());
        const QRect used = fm.boundingRect(text_rect, Qt::AlignLeft | Qt::AlignVCenter, title).adjusted(-4, -1, 4, 1);
        p.setPen(Qt::NoPen);
        p.setBrush(palette().color(QPalette::AlternateBase));
        p.drawRect(used);
        p.setPen(palette().color(QPalette::WindowText));
        p.drawText(text_rect, Qt::AlignLeft | Qt::AlignVCenter, title);
    }
    p.setFont(font());
}

void ModelGraphView::paintNode(QPainter& p, const GraphLayout& layout, int index, bool interactive) const {
    const QRect r = layout.boxes[size_t(index)];
    const GraphNode& n = nodes_[size_t(index)];
    const double s = share(index), largest = largest_share_;
    const double intensity = std::isnan(s) || largest <= 0 ? 0.0 : s / largest;
    const bool focused = interactive && hasFocus() && index == current_;
    const bool marked = focused || (interactive && index == hovered_);
    p.setPen(QPen(marked ? palette().color(QPalette::Highlight) : palette().color(QPalette::Mid), marked ? 2.5 : 1.0));
    p.setBrush(shareColor(intensity));
    p.drawRoundedRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    if (intensity > 0) {  // the share as a bar too, for readers who do not see the tint
        p.setPen(Qt::NoPen);
        p.setBrush(shareColor(1));
        p.drawRect(QRectF(r.left() + 6, r.bottom() - 4, (r.width() - 12) * intensity, 3));
    }
    if (focused) {
        p.setPen(QPen(palette().color(QPalette::Highlight), 1, Qt::DashLine));
        p.setBrush(Qt::NoBrush);
        p.drawRoundedRect(QRectF(r).adjusted(-4, -4, 4, 4), 8, 8);
    }

    const QFontMetrics fm(font());
    const int line = fm.height();
    const QRect text = r.adjusted(8, 5, -8, -5);
    auto row = [&](int k) { return QRect(text.left(), text.top() + k * line, text.width(), line); };
    QFont bold = font();
    bold.setBold(true);
    const QFontMetrics bold_fm(bold);
    const QString time = nodeTimeText(index);
    const int time_w = bold_fm.horizontalAdvance(time) + 6;
    p.setPen(palette().color(QPalette::Text));
    p.setFont(bold);
    p.drawText(row(0), Qt::AlignRight | Qt::AlignVCenter, time);
    p.drawText(row(0).adjusted(0, 0, -time_w, 0), Qt::AlignLeft | Qt::AlignVCenter,
               bold_fm.elidedText(nodeTitle(*model_, n), Qt::ElideRight, text.width() - time_w));
    p.setFont(font());
    const QString lines[3] = {nodeDetail(*model_, n), tr("→ %1").arg(shapeText(n, source_size_)),
                              n.kind == GraphNodeKind::Image || n.kind == GraphNodeKind::Preprocessing
                                  ? QString()
                                  : parametersText(n.parameters) + QStringLiteral(" · ") + flopsText(n.flops)};
    for (int k = 0; k < 3; ++k)
        p.drawText(row(k + 1), Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(lines[k], Qt::ElideRight, text.width()));
}

int ModelGraphView::nodeAt(const QPoint& point) const {
    for (int i = 0; i < nodeCount(); ++i)
        if (nodeRect(i).contains(point)) return i;
    return -1;
}

void ModelGraphView::activate(int index) {
    if (index < 0 || index >= nodeCount()) return;
    setCurrentNode(index);
    emit openRequested(targetOf(index));
}

void ModelGraphView::mouseMoveEvent(QMouseEvent* event) {
    const int over = nodeAt(event->position().toPoint());
    if (over != hovered_) {
        hovered_ = over;
        setCursor(over >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
    ModelView::mouseMoveEvent(event);
}

void ModelGraphView::mouseReleaseEvent(QMouseEvent* event) {
    if (event->button() == Qt::LeftButton) activate(nodeAt(event->position().toPoint()));
    ModelView::mouseReleaseEvent(event);
}

void ModelGraphView::leaveEvent(QEvent* event) {
    hovered_ = -1;
    update();
    ModelView::leaveEvent(event);
}

void ModelGraphView::moveCurrent(int step) { setCurrentNode(std::clamp(current_ + step, 0, nodeCount() - 1)); }

void ModelGraphView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_Down:
    case Qt::Key_Right: moveCurrent(1); break;
    case Qt::Key_Up:
    case Qt::Key_Left: moveCurrent(-1); break;
    case Qt::Key_Home: setCurrentNode(0); break;
    case Qt::Key_End: setCurrentNode(nodeCount() - 1); break;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Space: activate(current_); break;
    default: ModelView::keyPressEvent(event); return;
    }
    event->accept();
}

// Tab walks through the boxes; past the last (or before the first) it leaves the graph as usual.
bool ModelGraphView::focusNextPrevChild(bool next) {
    const int target = current_ + (next ? 1 : -1);
    if (hasFocus() && target >= 0 && target < nodeCount()) {
        setCurrentNode(target);
        return true;
    }
    return ModelView::focusNextPrevChild(next);
}

bool ModelGraphView::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const int over = nodeAt(help->pos());
        if (over >= 0) QToolTip::showText(help->globalPos(), nodeToolTip(over), this, nodeRect(over));
        else QToolTip::hideText();
        return true;
    }
    if (event->type() == QEvent::FocusIn) {
        if (static_cast<QFocusEvent*>(event)->reason() == Qt::BacktabFocusReason) current_ = std::max(0, nodeCount() - 1);
        update();
    }
    if (event->type() == QEvent::FocusOut || event->type() == QEvent::PaletteChange) update();
    if (event->type() == QEvent::FontChange) relayout();
    return ModelView::event(event);
}

void ModelGraphView::scrollToCurrent() {
    for (QWidget* w = parentWidget(); w; w = w->parentWidget())
        if (auto* scroll = qobject_cast<QScrollArea*>(w)) {
            const QRect r = nodeRect(current_);
            const QPoint centre = mapTo(scroll->widget(), r.center());
            scroll->ensureVisible(centre.x(), centre.y(), r.width() / 2 + kMargin, r.height() / 2 + kRowGap);
            return;
        }
}

}  // namespace levit::ui
