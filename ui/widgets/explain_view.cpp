#include "explain_view.h"

#include <QComboBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "explained_heatmap.h"
#include "heatmap_widget.h"
#include "image_convert.h"
#include "levit/classify.h"
#include "levit/preprocess.h"
#include "nudge_panel.h"
#include "settings.h"

namespace levit::ui {

namespace {

constexpr int kMaxPanels = 3;

// Methods whose values carry a sign (for or against the class): drawn with the diverging colormap around 0.
bool signedMethod(levit::ExplainMethod m) {
    return m == levit::ExplainMethod::Token || m == levit::ExplainMethod::GradientTimesInput ||
           m == levit::ExplainMethod::IntegratedGradients || m == levit::ExplainMethod::Occlusion;
}

// The methods in the order of the picker: exact first, then by cost.
const char* kHeadModeNames[] = {"mean", "cls", "distillation", "all", "difference"};

const levit::ExplainMethod kMethods[] = {levit::ExplainMethod::Token,     levit::ExplainMethod::GradCam,
                                         levit::ExplainMethod::Gradient,  levit::ExplainMethod::GradientTimesInput,
                                         levit::ExplainMethod::IntegratedGradients, levit::ExplainMethod::Occlusion,
                                         levit::ExplainMethod::Rollout};

QString aucText(double value) { return QString::number(value, 'f', 3); }

// The colour range of a pixel-level map: up to the 99th percentile of the magnitudes (symmetric for signed
// maps), so that a few extreme pixels do not leave the rest of the map in the colour of zero.
std::pair<float, float> robustRange(const std::vector<float>& values, bool signed_values) {
    if (values.empty()) return {0.0f, 0.0f};
    std::vector<float> magnitudes(values.size());
    for (size_t i = 0; i < values.size(); ++i) magnitudes[i] = signed_values ? std::abs(values[i]) : values[i];
    const size_t k = std::min(magnitudes.size() - 1, size_t(0.99 * double(magnitudes.size())));
    std::nth_element(magnitudes.begin(), magnitudes.begin() + ptrdiff_t(k), magnitudes.end());
    const float top = magnitudes[k];
    if (signed_values) return top > 0 ? std::pair{-top, top} : std::pair{0.0f, 0.0f};
    const float low = *std::min_element(values.begin(), values.end());
    return top > low ? std::pair{low, top} : std::pair{0.0f, 0.0f};
}

}  // namespace

ExplainView::ExplainView(QWidget* parent) : ModelView(parent) {
    worker_ = new ExplainWorker(this);
    connect(worker_, &ExplainWorker::outcomeReady, this, &ExplainView::onOutcome);

    method_box_ = new QComboBox(this);
    for (levit::ExplainMethod m : kMethods) method_box_->addItem(explainMethodTitle(m), int(m));
    method_box_->setToolTip(tr("How the map is computed"));
    head_box_ = new QComboBox(this);
    head_box_->addItem(tr("Mean of both heads (the model's answer)"), int(HeadMode::Mean));
    head_box_->addItem(tr("Classification head"), int(HeadMode::Cls));
    head_box_->addItem(tr("Distillation head"), int(HeadMode::Distillation));
    head_box_->addItem(tr("All three side by side"), int(HeadMode::AllThree));
    head_box_->addItem(tr("Where the heads look differently"), int(HeadMode::Difference));
    class_box_ = new QComboBox(this);
    class_box_->setToolTip(tr("The class to explain (best first). Clicking a bar in any chart explains that class."));
    class_box_->setMinimumContentsLength(16);
    class_box_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    opacity_slider_ = new QSlider(Qt::Horizontal, this);
    opacity_slider_->setRange(0, 100);
    opacity_slider_->setValue(55);
    opacity_slider_->setToolTip(tr("How strongly the map covers the image"));
    opacity_slider_->setMaximumWidth(140);
    what_button_ = new QToolButton(this);
    what_button_->setText(tr("What is this method?"));

    steps_label_ = new QLabel(tr("Steps"), this);
    steps_spin_ = new QSpinBox(this);
    steps_spin_->setRange(2, 128);
    steps_spin_->setValue(8);
    steps_spin_->setToolTip(tr("Integrated gradients: images between the baseline and the image (more: closer to exact, slower)"));
    baseline_label_ = new QLabel(tr("Baseline"), this);
    baseline_box_ = new QComboBox(this);
    baseline_box_->addItem(tr("black image"), int(levit::Baseline::Black));
    baseline_box_->addItem(tr("blurred image"), int(levit::Baseline::Blurred));
    stage_label_ = new QLabel(tr("Stage"), this);
    stage_box_ = new QComboBox(this);
    stage_box_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    stage_box_->setToolTip(tr("Grad-CAM: the stage whose output is weighted (its token grid)"));
    patch_label_ = new QLabel(tr("Patch"), this);
    patch_spin_ = new QSpinBox(this);
    patch_spin_->setRange(0, 512);
    patch_spin_->setSpecialValueText(tr("one token cell"));
    patch_spin_->setSuffix(tr(" px"));
    patch_spin_->setToolTip(tr("Occlusion: the side of the grey square slid over the image (stride = side)"));

    nudge_button_ = new QPushButton(tr("Nudge it to another class"), this);
    nudge_button_->setToolTip(tr("The smallest fast-gradient-sign step (Goodfellow et al. 2015) that changes the top-1 class: "
                                 "original, the change magnified, and the new answer"));
    disagreement_button_ = new QPushButton(tr("Next disagreement"), this);
    disagreement_button_->setToolTip(tr("Opens the next image in the strip whose two heads pick different classes, "
                                        "and shows where they look differently"));

    auto* controls = new QGridLayout();
    controls->setContentsMargins(0, 0, 0, 0);
    controls->addWidget(new QLabel(tr("Method"), this), 0, 0);
    controls->addWidget(method_box_, 0, 1);
    controls->addWidget(new QLabel(tr("Head"), this), 0, 2);
    controls->addWidget(head_box_, 0, 3);
    controls->addWidget(what_button_, 0, 4);
    controls->addWidget(new QLabel(tr("Class"), this), 1, 0);
    controls->addWidget(class_box_, 1, 1);
    controls->addWidget(new QLabel(tr("Overlay"), this), 1, 2);
    auto* row = new QHBoxLayout();
    row->addWidget(opacity_slider_);
    for (QWidget* w : {static_cast<QWidget*>(steps_label_), static_cast<QWidget*>(steps_spin_), static_cast<QWidget*>(baseline_label_),
                       static_cast<QWidget*>(baseline_box_), static_cast<QWidget*>(stage_label_), static_cast<QWidget*>(stage_box_),
                       static_cast<QWidget*>(patch_label_), static_cast<QWidget*>(patch_spin_)})
        row->addWidget(w);
    row->addStretch(1);
    controls->addLayout(row, 1, 3, 1, 2);
    controls->setColumnStretch(5, 1);

    status_ = new QLabel(tr("Open an image: its explanation appears here."), this);
    status_->setWordWrap(true);

    figure_ = new QWidget(this);
    auto* figure_layout = new QVBoxLayout(figure_);
    figure_layout->setContentsMargins(0, 0, 0, 0);
    auto* panels = new QHBoxLayout();
    for (int i = 0; i < kMaxPanels; ++i) {
        auto* panel = new ExplainedHeatmap(figure_);
        panel->setMinimumSize(220, 240);
        panel->map()->setGrid(false);
        panels->addWidget(panel, 1);
        panels_.push_back(panel);
    }
    figure_layout->addLayout(panels, 1);
    exactness_ = new QLabel(figure_);
    exactness_->setWordWrap(true);
    meaning_ = new QLabel(figure_);
    meaning_->setWordWrap(true);
    QFont small = meaning_->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    meaning_->setFont(small);
    meaning_->setText(tr("Faithfulness: removing the pixels a map ranks first should make the class fall fast (deletion AUC, "
                         "<b>lower</b> is better); adding them to a blurred copy should make it rise fast (insertion AUC, "
                         "<b>higher</b> is better). A random map is the baseline to beat."));
    meaning_->setToolTip(tr("RISE (Petsiuk et al. 2018): pixels are removed (set to the dataset mean) or inserted (into a blurred "
                            "copy of the image) in the map's order, in 16 equal steps; the area under the curve of the class "
                            "probability (of the head shown) measures how well the map's order predicts what the model needs."));
    figure_layout->addWidget(exactness_);
    figure_layout->addWidget(meaning_);

    nudge_ = new NudgePanel(this);
    auto* actions = new QHBoxLayout();
    actions->addWidget(status_, 1);
    actions->addWidget(nudge_button_);
    actions->addWidget(disagreement_button_);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addLayout(actions);
    layout->addWidget(figure_, 1);
    layout->addWidget(nudge_);

    auto changed = [this] {
        if (updating_controls_) return;
        updateOptionsShown();
        request();
    };
    connect(method_box_, &QComboBox::currentIndexChanged, this, changed);
    connect(head_box_, &QComboBox::currentIndexChanged, this, [this, changed] {
        if (!class_chosen_ && result_) {
            updating_controls_ = true;
            fillClassBox();  // the default class follows the head (each head's own top-1)
            updating_controls_ = false;
        }
        changed();
    });
    // The reader's choice only (activated); the box is refilled by code under updating_controls_.
    connect(class_box_, &QComboBox::activated, this, [this, changed] {
        class_chosen_ = true;
        changed();
    });
    connect(steps_spin_, &QSpinBox::valueChanged, this, changed);
    connect(baseline_box_, &QComboBox::currentIndexChanged, this, changed);
    connect(stage_box_, &QComboBox::currentIndexChanged, this, changed);
    connect(patch_spin_, &QSpinBox::valueChanged, this, changed);
    connect(opacity_slider_, &QSlider::valueChanged, this, &ExplainView::updateOverlay);
    connect(what_button_, &QToolButton::clicked, this, [this] { panels_.front()->showExplanation(); });
    connect(nudge_button_, &QPushButton::clicked, this, &ExplainView::requestNudge);
    connect(disagreement_button_, &QPushButton::clicked, this, &ExplainView::nextDisagreementRequested);
    // As the tab was left.
    if (const auto m = levit::methodFromName(settings::explainChoice("method", "token").toStdString())) setMethod(*m);
    const QString head = settings::explainChoice("head", "mean");
    for (int i = 0; i < 5; ++i)
        if (head == kHeadModeNames[i]) setHeadMode(HeadMode(i));
    opacity_slider_->setValue(std::clamp(settings::explainChoice("opacity", "55").toInt(), 0, 100));
    steps_spin_->setValue(std::clamp(settings::explainChoice("steps", "8").toInt(), steps_spin_->minimum(), steps_spin_->maximum()));
    connect(method_box_, &QComboBox::currentIndexChanged, this,
            [this] { settings::setExplainChoice("method", QString::fromStdString(levit::methodName(method()))); });
    connect(head_box_, &QComboBox::currentIndexChanged, this, [this] { settings::setExplainChoice("head", kHeadModeNames[int(headMode())]); });
    connect(opacity_slider_, &QSlider::valueChanged, this, [](int v) { settings::setExplainChoice("opacity", QString::number(v)); });
    connect(steps_spin_, &QSpinBox::valueChanged, this, [](int v) { settings::setExplainChoice("steps", QString::number(v)); });
    updateOptionsShown();
    clearResult();
}

void ExplainView::setModelPath(const QString& path) { model_path_ = path; }

void ExplainView::setColormap(const QString& name) {
    colormap_ = name;
    restyle();
}

void ExplainView::setClassNames(const QStringList& names) {
    names_ = names;
    if (!result_) return;
    updating_controls_ = true;
    fillClassBox();
    updating_controls_ = false;
    for (size_t i = 0; i < maps_.size() && i < panels_.size(); ++i) panels_[i]->setTitle(panelTitle(maps_[i]));
}

QString ExplainView::panelTitle(const ExplainedMap& m) const {
    const QString cls = className(last_request_.options.class_index);
    if (last_request_.method == levit::ExplainMethod::Rollout) return tr("Attention rollout (every class)");
    if (m.difference) return tr("Classification − distillation: “%1”").arg(cls);
    return tr("%1: “%2”").arg(explainHeadTitle(m.head), cls);
}

QString ExplainView::className(int index) const {
    if (index >= 0 && index < names_.size()) return names_[index];
    if (result_ && index >= 0 && index < result_->model->config().numLabels())
        return QString::fromStdString(result_->model->config().id2label[size_t(index)]);
    return tr("class %1").arg(index);
}

levit::ExplainMethod ExplainView::method() const { return levit::ExplainMethod(method_box_->currentData().toInt()); }
ExplainView::HeadMode ExplainView::headMode() const { return HeadMode(head_box_->currentData().toInt()); }
int ExplainView::explainedClass() const { return class_index_; }
int ExplainView::panelCount() const { return int(std::count_if(panels_.begin(), panels_.end(), [](auto* p) { return p->isVisible(); })); }
QString ExplainView::statusText() const { return status_->text(); }
QString ExplainView::exactnessText() const { return exactness_->text(); }
QString ExplainView::nudgeText() const { return nudge_->summary(); }

void ExplainView::setMethod(levit::ExplainMethod method) { method_box_->setCurrentIndex(method_box_->findData(int(method))); }
void ExplainView::setHeadMode(HeadMode mode) { head_box_->setCurrentIndex(head_box_->findData(int(mode))); }
void ExplainView::setOpacity(double opacity) { opacity_slider_->setValue(int(std::lround(std::clamp(opacity, 0.0, 1.0) * 100))); }

std::vector<levit::Head> ExplainView::headsOfMode() const {
    switch (headMode()) {
        case HeadMode::Mean: return {levit::Head::Mean};
        case HeadMode::Cls: return {levit::Head::Cls};
        case HeadMode::Distillation: return {levit::Head::Distillation};
        case HeadMode::AllThree: return {levit::Head::Cls, levit::Head::Distillation, levit::Head::Mean};
        case HeadMode::Difference: return {levit::Head::Cls, levit::Head::Distillation};
    }
    return {levit::Head::Mean};
}

int ExplainView::defaultClass() const {
    if (!result_) return 0;
    const levit::Classification& c = result_->classification;
    if (headMode() == HeadMode::Cls) return c.cls_top1.index;
    if (headMode() == HeadMode::Distillation) return c.distillation_top1.index;
    return c.top_k.empty() ? 0 : c.top_k.front().index;
}

// Every class, best first by the averaged prediction, with its probability.
void ExplainView::fillClassBox() {
    if (!class_chosen_) class_index_ = defaultClass();
    class_box_->clear();
    if (!result_) return;
    for (const levit::Prediction& p : result_->classification.top_k)
        class_box_->addItem(tr("%1 — %2%").arg(className(p.index)).arg(p.probability * 100, 0, 'f', p.probability < 0.001 ? 3 : 1), p.index);
    class_box_->setCurrentIndex(std::max(0, class_box_->findData(class_index_)));
}

void ExplainView::explainClass(int class_index, std::optional<levit::Head> head) {
    if (!result_ || class_index < 0 || class_index >= result_->model->config().numLabels()) return;
    updating_controls_ = true;
    if (head) setHeadMode(*head == levit::Head::Cls ? HeadMode::Cls : *head == levit::Head::Distillation ? HeadMode::Distillation : HeadMode::Mean);
    class_chosen_ = true;
    class_index_ = class_index;
    class_box_->setCurrentIndex(std::max(0, class_box_->findData(class_index)));
    updating_controls_ = false;
    updateOptionsShown();
    request();
}

void ExplainView::updateOptionsShown() {
    const levit::ExplainMethod m = method();
    const bool ig = m == levit::ExplainMethod::IntegratedGradients;
    steps_label_->setVisible(ig);
    steps_spin_->setVisible(ig);
    baseline_label_->setVisible(ig);
    baseline_box_->setVisible(ig);
    stage_label_->setVisible(m == levit::ExplainMethod::GradCam);
    stage_box_->setVisible(m == levit::ExplainMethod::GradCam);
    patch_label_->setVisible(m == levit::ExplainMethod::Occlusion);
    patch_spin_->setVisible(m == levit::ExplainMethod::Occlusion);
    // Attention does not depend on the class or the head: one map says it all.
    const bool rollout = m == levit::ExplainMethod::Rollout;
    class_box_->setEnabled(!rollout);
    head_box_->setEnabled(!rollout);
}

std::vector<float> ExplainView::modelPixels() const {
    const levit::Config& config = result_->model->config();
    std::vector<float> pixels(size_t(config.num_channels) * config.image_size * config.image_size);
    levit::normalizeInto(result_->model_input, config.preprocess, pixels);
    return pixels;
}

void ExplainView::showResult(const InferenceResultPtr& result) {
    // Live frames arrive faster than most maps are computed: while one is, only the newest frame waits (a
    // newer request would make every answer stale before it arrives, and nothing would ever be shown).
    if (!result->original.isNull() && waiting_ && result_ && result_->model == result->model) {
        deferred_ = result;
        return;
    }
    deferred_.reset();
    const levit::Config& config = result->model->config();
    if (result->model_input.width != config.image_size || result->model_input.height != config.image_size) return clearResult();
    // The same picture and model again (a tab switch classifies once more): the maps shown still describe it.
    const bool same = result_ && result_->model == result->model && result_->model_input.pixels == result->model_input.pixels;
    const bool model_changed = !result_ || result_->model != result->model;
    result_ = result;
    picture_ = toQImage(result->model_input);
    if (model_changed) {
        updating_controls_ = true;
        stage_box_->clear();
        const std::vector<int> sides = config.stageResolutions();
        for (int s = 0; s < config.numStages(); ++s)
            stage_box_->addItem(tr("%1 · %2×%2").arg(s + 1).arg(sides[size_t(s)]), s);
        stage_box_->setCurrentIndex(config.numStages() - 1);
        updating_controls_ = false;
    }
    if (same && (!maps_.empty() || waiting_)) return;  // shown, or on its way
    if (!same) {
        // A class picked for a live view stays picked from frame to frame; a new still image starts at its top-1.
        if (result->original.isNull()) class_chosen_ = false;
        nudge_->clear();
    }
    updating_controls_ = true;
    fillClassBox();
    updating_controls_ = false;
    request();
}

void ExplainView::clearResult() {
    result_.reset();
    deferred_.reset();
    worker_->cancelPending();
    waiting_ = false;
    maps_.clear();
    faithfulness_.clear();
    class_box_->clear();
    for (size_t i = 0; i < panels_.size(); ++i) {
        panels_[i]->setData(0, 0, {});
        panels_[i]->setTitle(i == 0 ? tr("No explanation yet") : QString());
        panels_[i]->setNote({});
        panels_[i]->setVisible(i == 0);
    }
    exactness_->clear();
    nudge_->clear();
    status_->setText(tr("Open an image: its explanation appears here."));
    nudge_button_->setEnabled(false);
}

void ExplainView::request() {
    if (!result_) return;
    const levit::Config& config = result_->model->config();
    ExplainRequest r;
    r.id = waiting_id_ = ++next_id_;
    r.model = result_->model;
    r.model_path = model_path_;
    r.pixels = modelPixels();
    r.method = method();
    const bool rollout = r.method == levit::ExplainMethod::Rollout;
    r.heads = rollout ? std::vector<levit::Head>{levit::Head::Mean} : headsOfMode();
    r.difference = !rollout && headMode() == HeadMode::Difference;
    class_index_ = class_box_->currentIndex() >= 0 ? class_box_->currentData().toInt() : defaultClass();
    r.options.class_index = std::clamp(class_index_, 0, config.numLabels() - 1);
    r.options.stage = stage_box_->currentIndex() >= 0 ? stage_box_->currentData().toInt() : -1;
    r.options.steps = steps_spin_->value();
    r.options.baseline = levit::Baseline(baseline_box_->currentData().toInt());
    r.options.occlusion_patch = std::min(patch_spin_->value(), config.image_size);
    // Live frames come faster than faithfulness can be measured: the maps only.
    r.faithfulness = result_->original.isNull();
    last_request_ = r;
    last_request_.pixels.clear();
    waiting_ = true;
    nudge_button_->setEnabled(!rollout);
    status_->setText(tr("Computing %1 for “%2”…").arg(explainMethodTitle(r.method), rollout ? tr("all classes") : className(r.options.class_index)));
    worker_->submit(std::move(r));
}

void ExplainView::requestNudge() {
    if (!result_) return;
    ExplainRequest r;
    r.id = ++next_id_;
    r.model = result_->model;
    r.model_path = model_path_;
    r.pixels = modelPixels();
    r.nudge = true;
    const HeadMode mode = headMode();
    r.options.head = mode == HeadMode::Cls ? levit::Head::Cls : mode == HeadMode::Distillation ? levit::Head::Distillation : levit::Head::Mean;
    nudge_head_ = r.options.head;
    waiting_id_ = r.id;
    waiting_ = true;
    nudge_->showWorking(tr("Searching for the smallest nudge that changes the %1's answer…").arg(explainHeadTitle(r.options.head).toLower()));
    worker_->submit(std::move(r));
}

void ExplainView::onOutcome(const ExplainOutcome& outcome) {
    if (outcome.id != waiting_id_ || !result_) return;  // for an image, model or setting no longer shown
    switch (outcome.part) {
        case ExplainOutcome::Part::Maps: showMaps(outcome); break;
        case ExplainOutcome::Part::Faithfulness: showFaithfulness(outcome); break;
        case ExplainOutcome::Part::Nudge: {
            waiting_ = false;
            const levit::Config& config = result_->model->config();
            QStringList labels;
            for (int k = 0; k < config.numLabels(); ++k) labels << className(k);
            nudge_->showNudge(outcome.nudge, picture_, config.image_size, config.preprocess, labels, explainHeadTitle(nudge_head_), outcome.ms);
            emit nudgeShown();
            break;
        }
        case ExplainOutcome::Part::Failed:
            waiting_ = false;
            maps_.clear();
            for (auto* p : panels_) p->setData(0, 0, {});
            status_->setText(tr("Could not explain this image: %1").arg(outcome.message));
            nudge_->clear();
            emit computed();
            if (deferred_) showResult(InferenceResultPtr(deferred_));
            break;
    }
}

void ExplainView::showMaps(const ExplainOutcome& outcome) {
    maps_ = outcome.maps;
    faithfulness_.clear();
    const ExplainRequest& r = last_request_;
    restyle();  // the colormap first: a diverging one makes the data's range symmetric around 0
    for (size_t i = 0; i < panels_.size(); ++i) {
        ExplainedHeatmap* panel = panels_[i];
        if (i >= maps_.size()) {
            panel->hide();
            continue;
        }
        const ExplainedMap& m = maps_[i];
        const levit::SquareMap& shown = m.grid.side > 0 ? m.grid : m.map;
        // Token grids stay sharp cells (the exact numbers); pixel-level maps fill the panel, interpolated.
        panel->map()->setFillArea(true, m.grid.side == 0);
        if (m.grid.side > 0) {
            panel->setData(shown.side, shown.side, shown.values);
        } else {
            const auto [low, high] = robustRange(shown.values, signedMethod(r.method) || m.difference);
            panel->setData(shown.side, shown.side, shown.values, low, high);
        }
        panel->setTitle(panelTitle(m));
        panel->setNote(r.faithfulness && !m.difference ? tr("Measuring faithfulness…") : QString());
        panel->setExplanation(methodExplanation() + (m.grid.side > 0 ? QString() : tr("<br><br>The colours saturate at the 99th percentile of the values' "
                                                                                         "magnitude, so a few extreme pixels do not wash out the rest.")));
        panel->show();
    }
    QString exact;
    if (r.method == levit::ExplainMethod::Token) {
        QStringList sums;
        for (const ExplainedMap& m : maps_) {
            if (m.difference) continue;
            const double total = std::accumulate(m.token.tokens.values.begin(), m.token.tokens.values.end(), 0.0);
            sums << tr("%1: %2 tokens sum to %3, + bias %4 = logit %5")
                        .arg(explainHeadTitle(m.head))
                        .arg(m.token.tokens.values.size())
                        .arg(total, 0, 'f', 3)
                        .arg(m.token.bias, 0, 'f', 3)
                        .arg(m.token.logit, 0, 'f', 3);
        }
        exact = tr("<b>Exact</b> on the final %1×%1 grid: the heads read the mean of the final tokens, so each token's share of "
                   "the logit is exact. %2. Earlier stages reach the heads through further attention and MLP blocks, so "
                   "their tokens' shares cannot be separated exactly (Grad-CAM on an earlier stage approximates them).")
                    .arg(maps_.front().grid.side)
                    .arg(sums.join(" · "));
    } else if (r.method == levit::ExplainMethod::GradCam && r.options.stage >= 0 && r.options.stage < result_->model->config().numStages() - 1) {
        exact = tr("Grad-CAM on stage %1 is an approximation: that stage's tokens reach the heads through the later stages.").arg(r.options.stage + 1);
    }
    if (r.difference)
        exact += (exact.isEmpty() ? QString() : QStringLiteral("<br>")) +
                 tr("Right panel: the classification head's map minus the distillation head's. Red: the classification "
                    "head relies on it more; blue: the distillation head does.");
    exactness_->setText(exact);
    exactness_->setVisible(!exact.isEmpty());
    meaning_->setVisible(r.faithfulness);
    double map_ms = 0;
    for (const ExplainedMap& m : maps_) map_ms += m.ms;
    status_->setText(r.faithfulness ? tr("%1 in %2 ms. Measuring faithfulness…").arg(explainMethodTitle(r.method)).arg(map_ms, 0, 'f', 0)
                                    : tr("%1 in %2 ms (live: faithfulness is measured on still images).").arg(explainMethodTitle(r.method)).arg(map_ms, 0, 'f', 0));
    emit computed();
    if (!r.faithfulness) {
        waiting_ = false;
        if (deferred_) showResult(InferenceResultPtr(deferred_));  // the newest live frame
    }
}

void ExplainView::showFaithfulness(const ExplainOutcome& outcome) {
    waiting_ = false;
    faithfulness_ = outcome.faithfulness;
    for (size_t i = 0; i < maps_.size() && i < panels_.size(); ++i) {
        if (maps_[i].difference) continue;
        const auto it = std::find_if(faithfulness_.begin(), faithfulness_.end(), [&](const ExplainFaithfulness& f) { return f.head == maps_[i].head; });
        if (it == faithfulness_.end()) continue;
        const bool deletion_better = it->map.deletion_auc < it->random.deletion_auc;
        const bool insertion_better = it->map.insertion_auc > it->random.insertion_auc;
        const QString verdict = deletion_better && insertion_better ? tr("better than a random map on both")
                                : deletion_better || insertion_better ? tr("better than a random map on one of the two")
                                                                      : tr("no better than a random map: do not trust this picture");
        panels_[i]->setNote(tr("Deletion AUC %1 (random %2) · insertion AUC %3 (random %4): %5")
                                .arg(aucText(it->map.deletion_auc), aucText(it->random.deletion_auc), aucText(it->map.insertion_auc),
                                     aucText(it->random.insertion_auc), verdict));
    }
    double map_ms = 0;
    for (const ExplainedMap& m : maps_) map_ms += m.ms;
    status_->setText(tr("%1 in %2 ms; faithfulness measured in %3 ms.").arg(explainMethodTitle(last_request_.method)).arg(map_ms, 0, 'f', 0).arg(outcome.ms, 0, 'f', 0));
    emit faithfulnessShown();
}

void ExplainView::updateOverlay() {
    const double opacity = opacity_slider_->value() / 100.0;
    for (ExplainedHeatmap* p : panels_) p->map()->setBackground(picture_, opacity);
}

void ExplainView::restyle() {
    const bool signed_values = signedMethod(method());
    for (size_t i = 0; i < panels_.size(); ++i) {
        const bool difference = i < maps_.size() && maps_[i].difference;
        const bool diverging = signed_values || difference;
        panels_[i]->setColormap(Colormap(diverging ? QStringLiteral("coolwarm") : colormap_));
        if (diverging) panels_[i]->setLegend(difference ? tr("red: classification") : tr("red: for the class"),
                                             difference ? tr("blue: distillation") : tr("blue: against it"));
        else panels_[i]->setLegend(tr("most important"), tr("least"));
    }
    updateOverlay();
}

QString ExplainView::methodExplanation() const {
    switch (method()) {
        case levit::ExplainMethod::Token:
            return tr("<b>Token contributions (exact).</b> LeViT has no class token: each head applies BatchNorm and a linear layer "
                      "to the <i>mean</i> of the final tokens. With the BatchNorm folded into the linear layer, the logit is a "
                      "bias plus one term per final token, so each cell shows exactly how much its token adds to (red) or takes "
                      "from (blue) the class's logit. The cells are coarse (the final grid), but nothing is approximated.");
        case levit::ExplainMethod::GradCam:
            return tr("<b>Grad-CAM</b> (Selvaraju et al. 2017) on a stage's output: each channel is weighted by the mean gradient "
                      "of the class logit with respect to it, the weighted channels are summed per token and negative values "
                      "dropped. It shows which tokens of that stage carry evidence the head uses, on that stage's grid.");
        case levit::ExplainMethod::Gradient:
            return tr("<b>Gradient (saliency)</b>: how much the class logit changes when a pixel changes, |∂logit/∂pixel| summed "
                      "over the colour channels. Fast (one backward pass) and fine-grained, but it shows sensitivity, not "
                      "contribution: a pixel can matter without pushing towards the class.");
        case levit::ExplainMethod::GradientTimesInput:
            return tr("<b>Gradient × input</b> (Shrikumar et al. 2016): each pixel's value times the gradient of the class logit, "
                      "summed over channels. Signed: red pixels push towards the class, blue away. One backward pass; a "
                      "one-step version of integrated gradients.");
        case levit::ExplainMethod::IntegratedGradients:
            return tr("<b>Integrated gradients</b> (Sundararajan et al. 2017): the gradient is averaged along the straight path "
                      "from a baseline (a black or blurred image) to the image, then multiplied by the difference. The "
                      "attributions add up to the logit of the image minus the logit of the baseline; more steps approach "
                      "that exactly, at one backward pass per step.");
        case levit::ExplainMethod::Occlusion:
            return tr("<b>Occlusion</b> (Zeiler and Fergus 2014): a square is filled with the dataset mean at every position in "
                      "turn, all copies run through the model in one batch, and each pixel shows how much the class logit "
                      "drops when it is hidden. Model-agnostic and easy to trust; as coarse as the square.");
        case levit::ExplainMethod::Rollout:
            return tr("<b>Attention rollout for LeViT</b>: how much each input patch can flow into the final tokens through the "
                      "attention maps, with the residual path counted as half of every block and the subsample blocks mapping "
                      "the finer grid to the coarser one; the final mean gives every final token the same weight. It does "
                      "not depend on the class or the head, and is measured like the others: do not assume it is good.");
    }
    return {};
}

QImage ExplainView::exportImage() { return figure_->grab().toImage(); }

QStringList ExplainView::exportCaptionLines() const {
    if (maps_.empty()) return {};
    const ExplainRequest& r = last_request_;
    QStringList lines;
    lines << tr("Explanation: %1 for “%2”").arg(explainMethodTitle(r.method), r.method == levit::ExplainMethod::Rollout ? tr("every class") : className(r.options.class_index));
    for (const ExplainFaithfulness& f : faithfulness_)
        lines << tr("%1: deletion AUC %2 (random %3), insertion AUC %4 (random %5)")
                     .arg(explainHeadTitle(f.head), aucText(f.map.deletion_auc), aucText(f.random.deletion_auc), aucText(f.map.insertion_auc),
                          aucText(f.random.insertion_auc));
    return lines;
}

void ExplainView::changeEvent(QEvent* event) {
    if (event->type() == QEvent::PaletteChange) restyle();
    ModelView::changeEvent(event);
}

}  // namespace levit::ui
