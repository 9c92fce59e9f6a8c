#pragma once
// Attention, block by block and head by head: the learned position bias as a heatmap over relative
// offsets (|dy|, |dx|) and as the full query x key matrix; and, for the current image and a query the
// user clicks, the content term (q.k scaled), the position term (bias) and the softmaxed attention side
// by side over the image, with the share of the logit range that comes from position versus content.
#include <QWidget>

#include "colormap.h"
#include "model_view.h"

class QComboBox;
class QLabel;

namespace levit::ui {

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
    int selectedBlock() const { return block_; }
    int selectedHead() const { return head_; }
    QPoint selectedQuery() const { return {query_col_, query_row_}; }
    // What the three overlays show now (keys grid, row-major), for tests.
    std::vector<float> shownContent() const;
    std::vector<float> shownPosition() const;
    std::vector<float> shownProbabilities() const;
    double positionShare() const { return position_share_; }
    const HeatmapWidget* queryImage() const { return query_image_; }

signals:
    void probeChanged();

private:
    void rebuildSelectors();
    void refresh();

    InferenceResultPtr result_;
    std::shared_ptr<const levit::Model> model_;
    int block_ = 0, head_ = 0, query_row_ = 0, query_col_ = 0;
    double position_share_ = 0;
    Colormap colormap_;
    QComboBox* block_box_;
    QComboBox* head_box_;
    HeatmapWidget* query_image_;
    HeatmapWidget* content_;
    HeatmapWidget* position_;
    HeatmapWidget* probabilities_;
    HeatmapWidget* by_offset_;
    HeatmapWidget* full_matrix_;
    QLabel* share_;
    QLabel* hint_;
};

}  // namespace levit::ui
