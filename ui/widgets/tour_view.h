#pragma once
// The step-by-step tour: one screen per step of LeViT's pipeline (resize and crop, normalisation, a
// first-layer filter, the token grid, one attention head, the subsample, pooling, the two heads, the
// answer), each with this image's real numbers in a few sentences for a classroom (resources/tour/*.json,
// in the window's language) and a figure. Next/Back (buttons, or Left/Right, Space, PageUp/PageDown) walk it.
//
// Which result it shows: a still image's result always replaces the one shown (the step stays). A live frame
// is taken while the tour is on its first step; once the user has moved on, the tour holds the frame it
// started on ("frozen on the frame of HH:MM:SS") and newer frames wait until "Restart with the current
// image". Results without the tour's internals (classified for another view) never replace one that has them.
#include <QImage>
#include <QTime>

#include "model_view.h"
#include "tour_steps.h"
#include "tour_text.h"

class QHBoxLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class QStackedWidget;

namespace levit::ui {

class FilterWeightsFigure;
class FittedHeatmap;
class HeatmapRow;
class HeatmapWidget;
class StageGridsFigure;
class TopKChart;
class TourPicture;

class TourView : public ModelView {
    Q_OBJECT
public:
    explicit TourView(QWidget* parent = nullptr);

    levit::Probe probeNeeded() const override;
    void showResult(const InferenceResultPtr& result) override;
    void clearResult() override;
    QString viewTitle() const override { return tr("Tour"); }

    // The picture as shown in the window, for the result that comes next (a live result brings its own frame).
    void setPicture(const QImage& picture);
    // Class names by index to show instead of the config's (e.g. ImageNet-1k names); empty for the config's.
    void setClassNames(const QStringList& names);
    // The texts' language ("en", "zh_CN"); the window's language setting by default.
    void setLanguage(const QString& language);
    // Large fonts that scale with the view's height, for presentation mode.
    void setPresentationMode(bool on);
    bool presentationMode() const { return presentation_; }
    // Shows what `other` shows: its result, picture, step and frozen state (presentation mode taking over).
    void showSameAs(const TourView& other);

    int step() const { return step_; }
    static int stepCount() { return kTourStepCount; }
    TourStep currentStep() const { return TourStep(step_); }
    void setStep(int step);
    void next();
    void back();
    // Takes the newest result received (the current live frame) and starts again at the first step.
    void restartWithCurrentImage();
    // Next/Back for a navigation key (Left, Right, Space, PageUp, PageDown); false for any other key.
    bool navigate(int key);

    // What is shown (for the window, presentation mode and tests).
    InferenceResultPtr shownResult() const { return shown_; }
    QImage shownPicture() const { return shown_picture_; }
    bool hasNewerResult() const { return latest_ && latest_ != shown_; }
    bool isFrozen() const;
    QString frozenText() const;
    QString stepTitle() const;
    QString stepText() const;
    QString hintText() const;
    const TourNumbers& numbers() const { return numbers_; }
    const TourText& texts() const { return texts_; }
    int textPixelSize() const;
    // The tour fits the room it is given (its text column scrolls, its fonts fit): it never asks a scroll area
    // around it for the height its wrapped labels would like, which would push the figure and Next out of view.
    bool hasHeightForWidth() const override { return false; }
    // The step's text fits its column at the current size (no scrolling needed).
    bool textFits() const;
    int titlePixelSize() const;
    QPushButton* nextButton() const { return next_; }
    QPushButton* backButton() const { return back_; }
    QPushButton* restartButton() const { return restart_; }
    TopKChart* answerChart() const { return answer_chart_; }

signals:
    void stepChanged(int step);
    // probeNeeded() changed (a model whose first plain attention block is another one): classify again.
    void probeChanged();

protected:
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QStackedWidget* buildFigures();
    QWidget* buildNormaliseFigure();
    QWidget* buildFilterFigure();
    QWidget* buildAttentionFigure();
    QWidget* buildHeadsFigure();
    void adopt(const InferenceResultPtr& result, const QImage& picture);
    void recompute();
    void refresh();
    void refreshFigures();
    void refreshPictureFigures();
    void refreshFilterFigure();
    void refreshAttentionFigure();
    void refreshLaterFigures();
    bool stepAvailable(TourStep step) const;
    void applyFonts();
    void fitTextFont();
    void selectQuery(int row, int col);
    QImage modelInputImage() const;

    TourText texts_;
    QStringList class_names_;
    bool presentation_ = false;

    InferenceResultPtr shown_, latest_;
    QImage shown_picture_, latest_picture_, pending_picture_;
    QTime shown_at_;
    bool started_ = false;  // moved past the first step since the result shown was taken
    int step_ = 0;
    TourChoices choices_;
    int attention_block_ = 0;  // the first plain attention block of the last model seen (-1: it has none)
    TourNumbers numbers_;
    std::shared_ptr<const levit::Model> filters_model_;
    FirstConvFilters filters_;

    QLabel* title_ = nullptr;
    QLabel* text_ = nullptr;
    QScrollArea* text_scroll_ = nullptr;
    QHBoxLayout* body_ = nullptr;
    QLabel* hint_ = nullptr;
    QLabel* frozen_ = nullptr;
    QLabel* counter_ = nullptr;
    QStackedWidget* figures_ = nullptr;
    QPushButton* back_ = nullptr;
    QPushButton* next_ = nullptr;
    QPushButton* restart_ = nullptr;

    TourPicture* crop_picture_ = nullptr;
    TourPicture* pixel_picture_ = nullptr;
    QLabel* pixel_table_ = nullptr;
    FilterWeightsFigure* filter_weights_ = nullptr;
    TourPicture* filter_input_ = nullptr;
    FittedHeatmap* filter_response_ = nullptr;
    TourPicture* token_picture_ = nullptr;
    HeatmapRow* attention_maps_ = nullptr;
    StageGridsFigure* stage_grids_ = nullptr;
    FittedHeatmap* pooled_map_ = nullptr;
    TopKChart* cls_chart_ = nullptr;
    TopKChart* distillation_chart_ = nullptr;
    TopKChart* answer_chart_ = nullptr;
};

// The tour texts' language for the window's language setting ("en" or "zh_CN").
QString tourLanguage();

}  // namespace levit::ui
