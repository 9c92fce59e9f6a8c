#pragma once
// Attention, block by block and head by head: the learned position bias as a heatmap over relative
// offsets (|dy|, |dx|) and as the full query x key matrix; and, for the current image and a query the
// user clicks, the content term (q.k scaled), the position term (bias) and the softmaxed attention side
// by side over the image, with the share of the logit range that comes from position versus content.
// Every panel has a plain title, a "?" explanation, a colour bar with a legend and a hover readout; an
// overview of all blocks x heads selects a block and head with one click.
#include <QPointF>
#include <QWidget>

#include "colormap.h"
#include "model_view.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QStackedWidget;
class QToolButton;

namespace levit::ui {

class AttentionOverview;
class ExplainedHeatmap;
class HeatmapWidget;

class AttentionView : public ModelView {
    Q_OBJECT
public:
    explicit AttentionView(QWidget* parent = nullptr);
    levit::Probe probeNeeded() const override;
    void showResult(const InferenceResultPtr& result) override;
    void clearResult() override;
    QString viewTitle() const override { return tr("Attention"); }
    void setColormap(const QString& name);

    void selectBlock(int block);
    void selectHead(int head);
    void selectQuery(int row, int col);  // on the block's query grid
    // Content term relative to each query's mean (default; softmax ignores a per-query constant) or raw.
    void setContentRelativeToMean(bool relative);
    bool contentRelativeToMean() const { return content_relative_; }
    void setOverviewShown(bool shown);
    bool overviewShown() const;

    int selectedBlock() const { return block_; }
    int selectedHead() const { return head_; }
    QPoint selectedQuery() const { return {query_col_, query_row_}; }
    // "Stage 1 · Block 3" for a block of the current model.
    QString blockName(int block) const;
    // What the three overlays show now (keys grid, row-major), for tests.
    std::vector<float> shownContent() const;
    std::vector<float> shownPosition() const;
    std::vector<float> shownProbabilities() const;
    double positionShare() const { return position_share_; }
    const HeatmapWidget* queryImage() const;
    QString hoverReadout() const;
    QString statusText() const;
    ExplainedHeatmap* contentPanel() const { return content_; }
    ExplainedHeatmap* positionPanel() const { return position_; }
    ExplainedHeatmap* attentionPanel() const { return probabilities_; }
    ExplainedHeatmap* offsetPanel() const { return by_offset_; }
    ExplainedHeatmap* matrixPanel() const { return full_matrix_; }
    QList<ExplainedHeatmap*> panels() const;
    AttentionOverview* overview() const { return overview_; }

signals:
    void probeChanged();

private:
    // The block whose maps the view asked the window for, and how many results came without them since.
    struct ProbeRequest {
        const levit::Model* model = nullptr;
        int block = -1;
        int results_without = 0;
    };

    void buildPanels();
    void connectHover();
    void adoptModel(const std::shared_ptr<const levit::Model>& model);
    void placeQuery(int row, int col);
    void moveQueryToGrid(int side);
    void askForMaps();
    void rebuildSelectors();
    void refresh();
    void showBias(const levit::BiasTables& bias);
    void showQueryAndPosition(const levit::BiasTables& bias);
    void showImageTerms(const levit::BiasTables& bias);
    void showMissingMaps();
    void resetReadout();
    void setReadout(const QString& text);
    QString queryText() const;

    InferenceResultPtr result_;
    std::shared_ptr<const levit::Model> model_;
    int block_ = 0, head_ = 0, query_row_ = 0, query_col_ = 0;
    // The selected query as a point of the image (0..1 across and down): carried from grid to grid.
    QPointF query_point_{0.5 / 14, 0.5 / 14};
    bool content_relative_ = true;
    double position_share_ = 0;
    ProbeRequest request_;
    Colormap colormap_;
    QComboBox* block_box_;
    QComboBox* head_box_;
    QCheckBox* raw_content_;
    QToolButton* overview_button_;
    QStackedWidget* pages_;
    AttentionOverview* overview_;
    ExplainedHeatmap* query_image_;
    ExplainedHeatmap* content_;
    ExplainedHeatmap* position_;
    ExplainedHeatmap* probabilities_;
    ExplainedHeatmap* by_offset_;
    ExplainedHeatmap* full_matrix_;
    QLabel* share_;
    QLabel* readout_;
    QLabel* hint_;
};

}  // namespace levit::ui
