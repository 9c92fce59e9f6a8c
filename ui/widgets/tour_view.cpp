#include "tour_view.h"

#include <QGridLayout>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

#include "chart_style.h"
#include "heatmap_widget.h"
#include "image_convert.h"
#include "levit/error.h"
#include "settings.h"
#include "top_k_chart.h"
#include "tour_figures.h"
#include "translation.h"

namespace levit::ui {

namespace {

// Presentation sizes as fractions of the view's height: the title and the text read from the back of a room.
constexpr double kPresentationTitle = 1.0 / 18.0;
constexpr double kPresentationTextMax = 1.0 / 24.0;
constexpr double kPresentationTextMin = 1.0 / 48.0;
constexpr double kPresentationFigure = 1.0 / 42.0;
constexpr double kTabTextMax = 1.5;  // times the window's font

constexpr int kPooledColumnsSmall = 16;
constexpr int kPooledColumnsLarge = 32;

bool hasTourInternals(const InferenceResult& result) { return !result.probe.hidden_states.empty(); }

// Block 0 in every published LeViT; a custom config with no blocks in stage 1 starts with a subsample.
int firstPlainAttentionBlock(const levit::Model& model) {
    const auto& blocks = model.attentionBlocks();
    for (size_t i = 0; i < blocks.size(); ++i)
        if (blocks[i].kind == levit::BlockKind::Attention) return int(i);
    return -1;
}

QLabel* wrappedLabel(QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    return label;
}

QWidget* column(QWidget* parent, std::initializer_list<std::pair<QWidget*, int>> widgets) {
    auto* page = new QWidget(parent);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    for (const auto& [widget, stretch] : widgets) layout->addWidget(widget, stretch);
    return page;
}

QWidget* row(QWidget* parent, std::initializer_list<std::pair<QWidget*, int>> widgets) {
    auto* page = new QWidget(parent);
    auto* layout = new QHBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    for (const auto& [widget, stretch] : widgets) layout->addWidget(widget, stretch);
    return page;
}

}  // namespace

QString tourLanguage() { return resolveLanguage(settings::language(), QLocale::system().uiLanguages()); }

TourView::TourView(QWidget* parent) : ModelView(parent), texts_(TourText::load(tourLanguage())) {
    setFocusPolicy(Qt::StrongFocus);
    title_ = new QLabel(this);
    title_->setWordWrap(true);
    text_ = wrappedLabel(this);
    hint_ = wrappedLabel(this);
    text_scroll_ = new QScrollArea(this);
    text_scroll_->setWidgetResizable(true);
    text_scroll_->setFrameShape(QFrame::NoFrame);
    text_scroll_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto* text_box = column(this, {{text_, 0}, {hint_, 0}});
    static_cast<QVBoxLayout*>(text_box->layout())->addStretch(1);
    text_scroll_->setWidget(text_box);
    // The text's font is fitted to the column once the column has its new size, not when the view has.
    text_scroll_->viewport()->installEventFilter(this);

    figures_ = buildFigures();
    frozen_ = new QLabel(this);
    frozen_->setWordWrap(true);

    back_ = new QPushButton(tr("◀ Back"), this);
    next_ = new QPushButton(tr("Next ▶"), this);
    restart_ = new QPushButton(tr("Restart with the current image"), this);
    counter_ = new QLabel(this);
    // The keys belong to the tour: a focused button would take Space for itself.
    for (QPushButton* b : {back_, next_, restart_}) b->setFocusPolicy(Qt::NoFocus);
    connect(back_, &QPushButton::clicked, this, &TourView::back);
    connect(next_, &QPushButton::clicked, this, &TourView::next);
    connect(restart_, &QPushButton::clicked, this, &TourView::restartWithCurrentImage);

    body_ = new QHBoxLayout;
    body_->addWidget(text_scroll_, 2);
    body_->addWidget(figures_, 3);
    auto* navigation = new QHBoxLayout;
    navigation->addWidget(back_);
    navigation->addWidget(counter_);
    navigation->addWidget(next_);
    navigation->addSpacing(16);
    navigation->addWidget(frozen_, 1);
    navigation->addWidget(restart_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title_);
    layout->addLayout(body_, 1);
    layout->addLayout(navigation);
    applyFonts();
    refresh();
}

QStackedWidget* TourView::buildFigures() {
    auto* stack = new QStackedWidget(this);
    crop_picture_ = new TourPicture(stack);
    stack->addWidget(crop_picture_);
    stack->addWidget(buildNormaliseFigure());
    stack->addWidget(buildFilterFigure());
    token_picture_ = new TourPicture(stack);
    stack->addWidget(token_picture_);
    stack->addWidget(buildAttentionFigure());
    stage_grids_ = new StageGridsFigure(stack);
    stack->addWidget(stage_grids_);
    pooled_map_ = new FittedHeatmap(stack);
    pooled_map_->map()->setColormap(Colormap(QStringLiteral("coolwarm")));
    pooled_map_->map()->setGrid(true);
    stack->addWidget(pooled_map_);
    stack->addWidget(buildHeadsFigure());
    answer_chart_ = new TopKChart(stack);
    answer_chart_->setBarColor(roleColor(SeriesRole::Averaged));
    answer_chart_->setTitle(tr("Probability (mean of both heads)"));
    auto* answer = column(stack, {{answer_chart_, 0}});
    static_cast<QVBoxLayout*>(answer->layout())->insertStretch(0, 1);
    static_cast<QVBoxLayout*>(answer->layout())->addStretch(1);
    stack->addWidget(answer);
    return stack;
}

QWidget* TourView::buildNormaliseFigure() {
    pixel_picture_ = new TourPicture(this);
    pixel_table_ = new QLabel(this);
    pixel_table_->setTextFormat(Qt::RichText);
    pixel_table_->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    return column(this, {{pixel_picture_, 3}, {pixel_table_, 0}});
}

QWidget* TourView::buildFilterFigure() {
    filter_weights_ = new FilterWeightsFigure(this);
    filter_input_ = new TourPicture(this);
    filter_response_ = new FittedHeatmap(this);
    filter_response_->map()->setColormap(Colormap(QStringLiteral("viridis")));
    filter_response_->map()->setFillArea(true, false);
    return column(this, {{filter_weights_, 2}, {row(this, {{filter_input_, 1}, {filter_response_, 1}}), 3}});
}

QWidget* TourView::buildAttentionFigure() {
    attention_maps_ = new HeatmapRow(3, this);
    const QString colormaps[3] = {QStringLiteral("coolwarm"), QStringLiteral("coolwarm"), QStringLiteral("viridis")};
    for (int i = 0; i < 3; ++i) {
        HeatmapWidget* map = attention_maps_->map(i);
        map->setColormap(Colormap(colormaps[i]));
        map->setFillArea(true, false);
        map->setToolTip(tr("Click a token to ask from there"));
        connect(map, &HeatmapWidget::cellClicked, this, &TourView::selectQuery);
    }
    attention_maps_->setLegend(tr("Left and middle: blue low, red high. Right: the brighter, the more attention. "
                                  "The square marks the token that asks; click another token to ask from there."));
    return attention_maps_;
}

QWidget* TourView::buildHeadsFigure() {
    cls_chart_ = new TopKChart(this);
    cls_chart_->setBarColor(roleColor(SeriesRole::ClassificationHead));
    cls_chart_->setTitle(tr("Classification head (learned from labels)"));
    distillation_chart_ = new TopKChart(this);
    distillation_chart_->setBarColor(roleColor(SeriesRole::DistillationHead));
    distillation_chart_->setTitle(tr("Distillation head (learned from a teacher)"));
    auto* page = column(this, {{cls_chart_, 0}, {distillation_chart_, 0}});
    static_cast<QVBoxLayout*>(page->layout())->insertStretch(0, 1);
    static_cast<QVBoxLayout*>(page->layout())->addStretch(1);
    return page;
}

levit::Probe TourView::probeNeeded() const {
    levit::Probe probe;
    probe.hidden_states = true;      // token grid, stages, pooled vector
    probe.patch_embed_convs = true;  // the first filter's response
    probe.attention = attention_block_ >= 0;
    probe.attention_blocks = {std::max(0, attention_block_)};
    return probe;
}

void TourView::showResult(const InferenceResultPtr& result) {
    const QImage picture = !result->original.isNull() ? result->original : pending_picture_;
    pending_picture_ = QImage();
    const bool complete = hasTourInternals(*result);
    if (shown_ && !complete && hasTourInternals(*shown_)) return;  // classified for another view
    latest_ = result;
    latest_picture_ = picture;
    const bool live = !result->original.isNull();
    const bool holding = shown_ && !shown_->original.isNull() && started_;
    if (live && holding) return refresh();  // frozen: the frame waits for "Restart with the current image"
    adopt(result, picture);
}

void TourView::clearResult() {
    shown_.reset();
    latest_.reset();
    shown_picture_ = latest_picture_ = pending_picture_ = QImage();
    numbers_ = TourNumbers{};
    started_ = false;
    refresh();
}

void TourView::setPicture(const QImage& picture) { pending_picture_ = picture; }

void TourView::setClassNames(const QStringList& names) {
    class_names_ = names;
    recompute();
}

void TourView::setLanguage(const QString& language) {
    texts_ = TourText::load(language);
    refresh();
}

void TourView::setPresentationMode(bool on) {
    presentation_ = on;
    // Large text needs a wider column to stay at a few lines per sentence.
    body_->setStretch(0, on ? 1 : 2);
    body_->setStretch(1, on ? 1 : 3);
    applyFonts();
}

void TourView::showSameAs(const TourView& other) {
    class_names_ = other.class_names_;
    shown_ = other.shown_;
    latest_ = other.latest_;
    shown_picture_ = other.shown_picture_;
    latest_picture_ = other.latest_picture_;
    shown_at_ = other.shown_at_;
    choices_ = other.choices_;
    attention_block_ = other.attention_block_;
    filters_model_ = other.filters_model_;
    filters_ = other.filters_;
    started_ = other.started_;
    recompute();
    setStep(other.step_);
}

void TourView::adopt(const InferenceResultPtr& result, const QImage& picture) {
    if (result->model) {
        const int block = firstPlainAttentionBlock(*result->model);
        if (block != attention_block_) {
            attention_block_ = block;
            emit probeChanged();
        }
    }
    shown_ = result;
    shown_picture_ = picture;
    shown_at_ = QTime::currentTime();
    if (result->model && result->model != filters_model_) {
        filters_model_ = result->model;
        try {
            filters_ = recoverFirstConvFilters(result->model);
        } catch (const levit::Error&) {
            filters_ = {};  // the step then shows the response without the weights
        }
    }
    recompute();
}

void TourView::recompute() {
    numbers_ = shown_ ? computeTourNumbers(*shown_, class_names_, &filters_, choices_) : TourNumbers{};
    refresh();
}

void TourView::setStep(int step) {
    step = std::clamp(step, 0, stepCount() - 1);
    if (step > 0) started_ = true;
    if (step == step_) return refresh();
    step_ = step;
    refresh();
    emit stepChanged(step_);
}

void TourView::next() { setStep(step_ + 1); }
void TourView::back() { setStep(step_ - 1); }

void TourView::restartWithCurrentImage() {
    started_ = false;
    if (latest_ && latest_ != shown_) adopt(latest_, latest_picture_);
    setStep(0);
}

bool TourView::navigate(int key) {
    switch (key) {
    case Qt::Key_Right:
    case Qt::Key_Space:
    case Qt::Key_PageDown:
        next();
        return true;
    case Qt::Key_Left:
    case Qt::Key_PageUp:
    case Qt::Key_Backspace:
        back();
        return true;
    default:
        return false;
    }
}

void TourView::keyPressEvent(QKeyEvent* event) {
    if (event->modifiers() & (Qt::ControlModifier | Qt::AltModifier) || !navigate(event->key())) ModelView::keyPressEvent(event);
}

void TourView::resizeEvent(QResizeEvent* event) {
    ModelView::resizeEvent(event);
    if (presentation_) applyFonts();  // its sizes follow the view's height
}

bool TourView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == text_scroll_->viewport() && event->type() == QEvent::Resize) fitTextFont();
    return ModelView::eventFilter(watched, event);
}

bool TourView::isFrozen() const { return shown_ && !shown_->original.isNull() && started_; }

QString TourView::frozenText() const {
    if (!isFrozen()) return {};
    return tr("Frozen on the frame of %1: the live video goes on; “Restart with the current image” takes the newest frame.")
        .arg(shown_at_.toString(QStringLiteral("HH:mm:ss")));
}

QString TourView::stepTitle() const { return texts_.title(tourStepKey(currentStep())); }

QString TourView::stepText() const {
    if (!shown_) return {};
    return TourText::fill(texts_.text(tourStepKey(currentStep()), numbers_.variant(currentStep())), numbers_.values);
}

QString TourView::hintText() const {
    if (!shown_) return tr("Open a picture (or start the camera) to walk it through the model, step by step.");
    if (currentStep() == TourStep::Attention && attention_block_ < 0)
        return tr("This model has no attention block that compares the tokens of one grid with each other.");
    if (!stepAvailable(currentStep()))
        return tr("This step needs the model's internals for this picture; they come with its next classification.");
    return {};
}

bool TourView::stepAvailable(TourStep step) const {
    switch (step) {
    case TourStep::PatchFilter: return numbers_.filter.available;
    case TourStep::TokenGrid:
    case TourStep::Subsample:
    case TourStep::Pooling: return numbers_.tokens_available;
    case TourStep::Attention: return numbers_.attention.available;
    default: return true;
    }
}

QImage TourView::modelInputImage() const { return shown_ ? toQImage(shown_->model_input) : QImage(); }

void TourView::refresh() {
    title_->setText(QStringLiteral("%1 · %2").arg(tr("Step %1 of %2").arg(step_ + 1).arg(stepCount()), stepTitle()));
    counter_->setText(tr("%1 / %2").arg(step_ + 1).arg(stepCount()));
    const QString text = stepText();
    text_->setText(text);
    text_->setVisible(!text.isEmpty());
    hint_->setText(hintText());
    hint_->setVisible(!hint_->text().isEmpty());
    figures_->setVisible(shown_ && stepAvailable(currentStep()));
    figures_->setCurrentIndex(step_);
    back_->setEnabled(step_ > 0);
    next_->setEnabled(step_ + 1 < stepCount());
    restart_->setEnabled(hasNewerResult() || step_ > 0);
    frozen_->setText(frozenText());
    refreshFigures();
    fitTextFont();
}

void TourView::refreshFigures() {
    if (!shown_) return;
    refreshPictureFigures();
    refreshFilterFigure();
    refreshAttentionFigure();
    refreshLaterFigures();
}

void TourView::refreshPictureFigures() {
    const CropNumbers& c = numbers_.crop;
    const QImage model_input = modelInputImage();
    if (!shown_picture_.isNull()) {
        crop_picture_->setImage(shown_picture_);
        // The picture as shown may be a smaller copy of the one classified: scale the kept part to it.
        const double sx = c.source.width() > 0 ? double(shown_picture_.width()) / c.source.width() : 1.0;
        const double sy = c.source.height() > 0 ? double(shown_picture_.height()) / c.source.height() : 1.0;
        const QRectF kept = c.crop_in_source;
        crop_picture_->setKeptRect(QRectF(kept.left() * sx, kept.top() * sy, kept.width() * sx, kept.height() * sy),
                                   tr("%1×%2 seen").arg(c.crop.width()).arg(c.crop.height()));
    } else {
        crop_picture_->setImage(model_input);
        crop_picture_->setKeptRect({});
    }
    crop_picture_->setCaption(tr("%1×%2 picture → %3×%4 scaled → %5×%6 cut out")
                                  .arg(c.source.width()).arg(c.source.height())
                                  .arg(c.resized.width()).arg(c.resized.height())
                                  .arg(c.crop.width()).arg(c.crop.height()));

    const PixelNumbers& p = numbers_.pixel;
    pixel_picture_->setImage(model_input);
    pixel_picture_->setMarker(p.pixel);
    pixel_picture_->setCaption(tr("The model's input, %1×%2, centre pixel marked").arg(model_input.width()).arg(model_input.height()));
    const QString names[3] = {tr("Red"), tr("Green"), tr("Blue")};
    QString table = QStringLiteral("<table align='center' cellspacing='0' cellpadding='4'><tr><th></th><th>%1</th><th>%2</th><th>%3</th><th>%4</th><th>%5</th></tr>")
                        .arg(tr("value"), tr("÷ 255"), tr("mean"), tr("std"), tr("model gets"));
    for (int i = 0; i < 3; ++i)
        table += QStringLiteral("<tr><td><b>%1</b></td><td align='right'>%2</td><td align='right'>%3</td><td align='right'>%4</td>"
                                "<td align='right'>%5</td><td align='right'><b>%6</b></td></tr>")
                     .arg(names[i], QString::number(p.rgb[i]), tourNumber(p.rgb[i] / 255.0, 3), tourNumber(p.mean[i], 3),
                          tourNumber(p.std[i], 3), tourNumber(p.model_value[i], 2));
    pixel_table_->setText(table + QStringLiteral("</table>"));

    token_picture_->setImage(model_input);
    token_picture_->setGrid(numbers_.tokens.grid, numbers_.tokens.grid);
    token_picture_->setCaption(tr("%1×%1 tokens, %2 numbers each").arg(numbers_.tokens.grid).arg(numbers_.tokens.channels));
}

void TourView::refreshFilterFigure() {
    const FilterNumbers& f = numbers_.filter;
    if (!f.available) return;
    if (f.weights.empty())
        filter_weights_->setMessage(tr("The weights of this model's first convolution could not be read."));
    else
        filter_weights_->setWeights(f.in_channels, f.kernel, f.weights, {tr("Red"), tr("Green"), tr("Blue")});
    filter_input_->setImage(modelInputImage());
    filter_input_->setCaption(tr("Input %1×%1").arg(modelInputImage().width()));
    filter_response_->map()->setData(f.response_size, f.response_size, f.response);
    filter_response_->map()->setTitle(tr("Response of filter %1 (%2×%2)").arg(f.filter + 1).arg(f.response_size));
    filter_response_->refit();
}

void TourView::refreshAttentionFigure() {
    const AttentionNumbers& a = numbers_.attention;
    if (!a.available) return;
    const std::vector<float>* rows[3] = {&a.content, &a.bias, &a.probabilities};
    const QString titles[3] = {tr("Query × key"), tr("+ learned bias"), tr("= softmax weights")};
    // The query's place on the key grid (the same grid in a plain attention block).
    const int marker_row = a.query_row * a.key_grid / std::max(1, a.query_grid);
    const int marker_col = a.query_col * a.key_grid / std::max(1, a.query_grid);
    for (int i = 0; i < 3; ++i) {
        HeatmapWidget* map = attention_maps_->map(i);
        map->setData(a.key_grid, a.key_grid, *rows[i], 0, i == 2 ? *std::max_element(rows[i]->begin(), rows[i]->end()) : 0);
        map->setTitle(titles[i]);
        map->setMarker(marker_row, marker_col);
    }
    attention_maps_->map(2)->setBackground(modelInputImage(), 0.65);
}

void TourView::refreshLaterFigures() {
    const QImage model_input = modelInputImage();
    std::vector<StageGridsFigure::Stage> stages;
    for (size_t i = 0; i < numbers_.stages.size(); ++i)
        stages.push_back({numbers_.stages[i].grid, numbers_.stages[i].channels,
                          i == 0 ? tr("Tokens") : tr("Stage %1").arg(int(i))});
    stage_grids_->setStages(model_input, std::move(stages));

    const int channels = int(numbers_.pooled.size());
    if (channels > 0) {
        const int cols = channels > 128 ? kPooledColumnsLarge : kPooledColumnsSmall;
        const int rows = (channels + cols - 1) / cols;
        std::vector<float> cells(size_t(rows) * cols, std::numeric_limits<float>::quiet_NaN());
        std::copy(numbers_.pooled.begin(), numbers_.pooled.end(), cells.begin());
        pooled_map_->map()->setData(rows, cols, std::move(cells));
        pooled_map_->map()->setTitle(tr("The %1 numbers that describe the whole picture (mean of %2 tokens)")
                                         .arg(channels).arg(numbers_.final_grid.tokens()));
        pooled_map_->refit();
    }

    cls_chart_->setRanking(numbers_.heads.cls_ranking, 3, class_names_);
    distillation_chart_->setRanking(numbers_.heads.distillation_ranking, 3, class_names_);
    answer_chart_->setRanking(numbers_.top, int(numbers_.top.size()), class_names_);
}

void TourView::selectQuery(int row, int col) {
    if (!numbers_.attention.available || row < 0 || col < 0) return;
    // The maps are drawn on the key grid; the query grid is the same in a plain attention block.
    choices_.query_row = row * numbers_.attention.query_grid / std::max(1, numbers_.attention.key_grid);
    choices_.query_col = col * numbers_.attention.query_grid / std::max(1, numbers_.attention.key_grid);
    recompute();
}

int TourView::titlePixelSize() const { return title_->font().pixelSize() > 0 ? title_->font().pixelSize() : QFontInfo(title_->font()).pixelSize(); }
int TourView::textPixelSize() const { return text_->font().pixelSize() > 0 ? text_->font().pixelSize() : QFontInfo(text_->font()).pixelSize(); }

bool TourView::textFits() const {
    const QWidget* box = text_scroll_->widget();
    return box->heightForWidth(text_scroll_->viewport()->width()) <= text_scroll_->viewport()->height() ||
           box->sizeHint().height() <= text_scroll_->viewport()->height();
}

void TourView::applyFonts() {
    QFont base = QWidget::font();
    QFont title = base, text = base, figure = base;
    if (presentation_) {
        const int h = std::max(height(), 360);
        title.setPixelSize(int(std::lround(h * kPresentationTitle)));
        figure.setPixelSize(std::max(12, int(std::lround(h * kPresentationFigure))));
        text.setPixelSize(int(std::lround(h * kPresentationTextMax)));
    } else {
        const int px = QFontInfo(base).pixelSize();
        title.setPixelSize(int(std::lround(px * 1.4)));
        text.setPixelSize(int(std::lround(px * kTabTextMax)));
        figure.setPixelSize(px);
    }
    title.setBold(true);
    title_->setFont(title);
    text_->setFont(text);
    hint_->setFont(text);
    figures_->setFont(figure);
    for (QWidget* w : std::initializer_list<QWidget*>{back_, next_, restart_, counter_, frozen_}) w->setFont(figure);
    fitTextFont();
}

// The text takes the largest font that fits its column without scrolling, between a smallest and a largest
// size: in presentation mode 1/48 and 1/24 of the height (readable from the back of a room), in the tab the
// window's font and half again as large. Below the smallest the column scrolls.
void TourView::fitTextFont() {
    const int h = std::max(height(), 360);
    const int width = text_scroll_->viewport()->width() - 4;
    const int available = text_scroll_->viewport()->height() - 4;
    if (width <= 0 || available <= 0) return;
    const QString plain = text_->text() + QStringLiteral("\n") + hint_->text();
    QFont font = text_->font();
    const int base = QFontInfo(QWidget::font()).pixelSize();
    int size = presentation_ ? int(std::lround(h * kPresentationTextMax)) : int(std::lround(base * kTabTextMax));
    const int smallest = presentation_ ? std::max(10, int(std::lround(h * kPresentationTextMin))) : base;
    for (; size > smallest; --size) {
        font.setPixelSize(size);
        const QRect needed = QFontMetrics(font).boundingRect(QRect(0, 0, width, 100000), Qt::TextWordWrap, plain);
        if (needed.height() <= available) break;
    }
    font.setPixelSize(size);
    text_->setFont(font);
    hint_->setFont(font);
}

}  // namespace levit::ui
