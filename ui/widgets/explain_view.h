#pragma once
// "Why this class?": the Explain tab. One attribution map per head (or the three side by side, or where the two
// heads look differently) over the image the model saw, for any class, each map with its faithfulness (RISE
// deletion and insertion, against a random map) and what the method is one click away; the adversarial nudge
// as a teaching extra. The maps are computed by an ExplainWorker, off the GUI thread.
#include <QImage>
#include <QStringList>
#include <QVector>

#include <optional>
#include <vector>

#include "explain_worker.h"
#include "model_view.h"

class QComboBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;
class QToolButton;

namespace levit::ui {

class ExplainedHeatmap;
class NudgePanel;

class ExplainView : public ModelView {
    Q_OBJECT
public:
    // Which heads are explained: one, all three side by side, or both heads and their difference.
    enum class HeadMode { Mean, Cls, Distillation, AllThree, Difference };

    explicit ExplainView(QWidget* parent = nullptr);
    levit::Probe probeNeeded() const override { return {}; }
    void showResult(const InferenceResultPtr& result) override;
    void clearResult() override;
    QString viewTitle() const override { return tr("Explain"); }
    QImage exportImage() override;
    QStringList exportCaptionLines() const override;

    // The checkpoint of the model the results come from (the explainer reads its unfolded weights).
    void setModelPath(const QString& path);
    void setColormap(const QString& name);
    // Class names by index instead of the config's (e.g. ImageNet-1k names); empty for the config's.
    void setClassNames(const QStringList& names);
    // Explains `class_index` (a bar clicked in a chart); with a head, that head alone.
    void explainClass(int class_index, std::optional<levit::Head> head = std::nullopt);
    void setMethod(levit::ExplainMethod method);
    void setHeadMode(HeadMode mode);
    void setOpacity(double opacity);  // 0..1
    void requestNudge();

    // For tests and scripts.
    levit::ExplainMethod method() const;
    HeadMode headMode() const;
    int explainedClass() const;
    int panelCount() const;
    const ExplainedHeatmap* panel(int i) const { return panels_[size_t(i)]; }
    const std::vector<ExplainedMap>& maps() const { return maps_; }
    const std::vector<ExplainFaithfulness>& faithfulness() const { return faithfulness_; }
    QString statusText() const;
    QString exactnessText() const;
    QString nudgeText() const;
    bool computing() const { return waiting_; }
    QPushButton* disagreementButton() const { return disagreement_button_; }

signals:
    // The maps of the current request are shown (computed()), then their faithfulness (faithfulnessShown()).
    void computed();
    void faithfulnessShown();
    void nudgeShown();
    // "Next image where the heads disagree": the window picks it.
    void nextDisagreementRequested();

protected:
    void changeEvent(QEvent* event) override;

private:
    void request();
    void onOutcome(const ExplainOutcome& outcome);
    void showMaps(const ExplainOutcome& outcome);
    void showFaithfulness(const ExplainOutcome& outcome);
    void fillClassBox();
    void updateOptionsShown();
    void updateOverlay();
    void restyle();
    std::vector<levit::Head> headsOfMode() const;
    int defaultClass() const;
    QString className(int index) const;
    QString panelTitle(const ExplainedMap& map) const;
    QString methodExplanation() const;
    std::vector<float> modelPixels() const;

    ExplainWorker* worker_;
    QComboBox* method_box_;
    QComboBox* head_box_;
    QComboBox* class_box_;
    QSlider* opacity_slider_;
    QLabel* steps_label_;
    QSpinBox* steps_spin_;
    QLabel* baseline_label_;
    QComboBox* baseline_box_;
    QLabel* stage_label_;
    QComboBox* stage_box_;
    QLabel* patch_label_;
    QSpinBox* patch_spin_;
    QToolButton* what_button_;
    QPushButton* nudge_button_;
    QPushButton* disagreement_button_;
    QLabel* status_;
    QWidget* figure_;
    std::vector<ExplainedHeatmap*> panels_;
    QLabel* exactness_;
    QLabel* meaning_;
    NudgePanel* nudge_;

    InferenceResultPtr result_;
    InferenceResultPtr deferred_;  // live: the newest frame, explained when the current one is done
    QString model_path_;
    QString colormap_ = "viridis";
    QStringList names_;
    QImage picture_;  // the model's input, under the maps
    int class_index_ = -1;
    bool class_chosen_ = false;  // by the reader: kept while the image stays
    quint64 next_id_ = 0;
    quint64 waiting_id_ = 0;
    bool waiting_ = false;
    bool updating_controls_ = false;
    std::vector<ExplainedMap> maps_;
    std::vector<ExplainFaithfulness> faithfulness_;
    levit::Head nudge_head_ = levit::Head::Mean;
    ExplainRequest last_request_;  // what the maps shown were asked with (for captions and skipping repeats)
};

}  // namespace levit::ui
