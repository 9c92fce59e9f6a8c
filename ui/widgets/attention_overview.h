#pragma once
// Every block and head of the model at once (like bertviz's "model view"): one small map of the learned
// attention bias by offset (|dy| down, |dx| across) per head, a row per block, one colour scale per row.
// Clicking a map selects that block and head.
#include <QImage>
#include <QWidget>

#include <memory>
#include <vector>

#include "levit/model.h"

namespace levit::ui {

// "Stage 1 · Block 3": stages and the attention blocks within a stage counted from 1, the way a person reads
// them (the engine counts from 0 and numbers HF's layers, MLPs included).
QString attentionBlockName(const std::vector<levit::AttentionBlockInfo>& blocks, int block);

class AttentionOverview : public QWidget {
    Q_OBJECT
public:
    explicit AttentionOverview(QWidget* parent = nullptr);
    void setModel(const std::shared_ptr<const levit::Model>& model);
    void setSelection(int block, int head);
    int blockCount() const { return int(rows_.size()); }
    int headCount(int block) const { return int(rows_[size_t(block)].heads.size()); }
    // Where the map of (block, head) is drawn, in widget coordinates; empty when there is none.
    QRect cellRect(int block, int head) const;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void cellSelected(int block, int head);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

private:
    struct Row {
        QString name;    // "Stage 1 · Block 3"
        QString detail;  // "14×14 · 4 heads" or "14×14 → 7×7"
        float scale = 1;  // largest |bias| in the block: the colour range is [-scale, scale]
        std::vector<QImage> heads;
    };
    struct Hit {
        int block = -1, head = -1;
    };
    int labelWidth() const;
    int cellSize(int width) const;
    QString legendText() const;
    int legendHeight(int width) const;
    int headerHeight(int width) const;
    Hit hitAt(const QPoint& pos) const;

    std::vector<Row> rows_;
    int max_heads_ = 0;
    int selected_block_ = -1, selected_head_ = -1;
};

}  // namespace levit::ui
