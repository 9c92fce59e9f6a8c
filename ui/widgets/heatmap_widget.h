#pragma once
// A matrix of values drawn with a colormap, scaled to the widget with square cells. Hover reports the
// cell and value; a click selects a cell. Optionally drawn over an image with some opacity.
#include <QImage>
#include <QWidget>

#include <vector>

#include "colormap.h"

namespace levit::ui {

class HeatmapWidget : public QWidget {
    Q_OBJECT
public:
    explicit HeatmapWidget(QWidget* parent = nullptr);

    // rows x cols values, row-major. The colour range is [low, high] (auto from the data when low == high).
    void setData(int rows, int cols, std::vector<float> values, float low = 0, float high = 0);
    void setColormap(const Colormap& colormap);
    void setTitle(const QString& title);
    // Draws the heatmap upsampled (smooth) over `image` with the given opacity; a null image turns it off.
    void setBackground(const QImage& image, double opacity = 0.6);
    void setMarker(int row, int col);  // highlighted cell; (-1, -1) for none
    void setGrid(bool on) { grid_ = on; update(); }
    float low() const { return low_; }
    float high() const { return high_; }
    int rows() const { return rows_; }
    int cols() const { return cols_; }
    float value(int row, int col) const { return values_[size_t(row) * cols_ + col]; }
    const std::vector<float>& values() const { return values_; }
    // The cell under a widget position, or (-1, -1).
    QPoint cellAt(const QPoint& pos) const;
    QRect cellRect(int row, int col) const;
    QSize sizeHint() const override { return {240, 240}; }
    QSize minimumSizeHint() const override { return {60, 60}; }

signals:
    void cellHovered(int row, int col, float value);
    void cellClicked(int row, int col);

protected:
    void paintEvent(QPaintEvent*) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    QRect plotRect() const;
    void rebuildImage();

    int rows_ = 0, cols_ = 0;
    std::vector<float> values_;
    float low_ = 0, high_ = 1;
    Colormap colormap_;
    QString title_;
    QImage cells_;
    QImage background_;
    double opacity_ = 0.6;
    QPoint marker_{-1, -1};
    bool grid_ = false;
};

}  // namespace levit::ui
