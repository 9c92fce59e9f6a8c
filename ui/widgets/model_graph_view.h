#pragma once
// The "Model" view: the loaded LeViT drawn as a graph, top to bottom (image, preprocessing, the four patch
// convolutions, each stage's attention and MLP blocks and subsample, pooling, both heads, their mean). Every
// box shows the operation, its output shape, parameters, FLOPs and the time it took on the current image,
// tinted by its share of the total time. Hover explains the operation in plain words; a click (or Enter on
// the box chosen with Tab / the arrow keys) asks to open its output in the matching view (openRequested).
#include <QMetaType>
#include <QRect>

#include <memory>
#include <vector>

#include "levit/model.h"
#include "levit/model_graph.h"
#include "model_view.h"

namespace levit::ui {

// Where a graph node's output is shown in the window.
struct GraphTarget {
    enum class View {
        Input,        // the image and what the model saw (the picture beside the tabs)
        FeatureMaps,  // FeatureMapView::selectStage(stage)
        Attention,    // AttentionView::selectBlock(block), selectHead(head)
        Heads,        // HeadsComparisonView
        Predictions,  // the final probabilities (the predictions beside the tabs)
    };
    View view = View::Input;
    int stage = -1;  // FeatureMaps: 0 = patch embedding, 1 + s = output of stage s
    int block = -1;  // Attention: index into Model::attentionBlocks()
    int head = 0;    // Attention
    int node = -1;   // the graph node it came from (index into levit::modelGraph)
};

// Boxes, group frames and the legend of one drawing, in widget coordinates.
struct GraphLayout {
    struct Group {
        QRect frame;
        QString title;
    };
    std::vector<QRect> boxes;  // one per node
    std::vector<Group> groups;
    QRect legend;
    int height = 0;
};

class ModelGraphView : public ModelView {
    Q_OBJECT
public:
    explicit ModelGraphView(QWidget* parent = nullptr);
    levit::Probe probeNeeded() const override;
    void showResult(const InferenceResultPtr& result) override;
    void clearResult() override;  // keeps the model's graph, times back to "—"
    QString viewTitle() const override { return tr("Model"); }
    QImage exportImage() override;
    QStringList exportCaptionLines() const override;

    // Draws `model` without times (before any result, e.g. right after a model loads); null shows a hint.
    void setModel(std::shared_ptr<const levit::Model> model);

    int nodeCount() const { return int(nodes_.size()); }
    const levit::GraphNode& node(int index) const { return nodes_[size_t(index)]; }
    QRect nodeRect(int index) const;       // where node `index` is drawn, in this widget's coordinates
    QString nodeToolTip(int index) const;  // what hovering it says
    QString nodeTimeText(int index) const; // "1.23 ms · 12%" or "—"
    GraphTarget targetOf(int index) const;
    int currentNode() const { return current_; }
    void setCurrentNode(int index);        // the keyboard's node (drawn with a focus frame)

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void openRequested(const levit::ui::GraphTarget& target);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool focusNextPrevChild(bool next) override;
    bool event(QEvent* event) override;

private:
    GraphLayout computeLayout(int width) const;
    void relayout();
    int nodeAt(const QPoint& point) const;
    void activate(int index);
    void moveCurrent(int step);
    void scrollToCurrent();
    void paintGraph(QPainter& p, const GraphLayout& layout, bool interactive) const;
    void paintGroups(QPainter& p, const GraphLayout& layout) const;
    void paintEdges(QPainter& p, const GraphLayout& layout) const;
    void paintNode(QPainter& p, const GraphLayout& layout, int index, bool interactive) const;
    void paintLegend(QPainter& p, const GraphLayout& layout) const;
    QColor shareColor(double intensity) const;
    void setTimes(std::vector<double> times);
    double share(int index) const;  // of the timed total, NaN when untimed

    std::shared_ptr<const levit::Model> model_;
    std::vector<levit::GraphNode> nodes_;
    std::vector<double> times_;  // ms per node, NaN where untimed
    double total_ms_ = 0;        // of the timed nodes
    double largest_share_ = 0;   // the slowest node's share: the strongest tint
    QSize source_size_;          // of the current image, when there is one
    GraphLayout layout_;
    int current_ = 0;
    int hovered_ = -1;
};

}  // namespace levit::ui

Q_DECLARE_METATYPE(levit::ui::GraphTarget)
