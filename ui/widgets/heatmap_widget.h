#pragma once
// A matrix of values drawn with a colormap. Cells are whole pixels: each value gets n x n screen pixels
// (n an integer, so a fine matrix shows no moire), or, when the matrix has more values than the widget has
// pixels, each pixel shows the mean of the values it covers (area averaging). Hover reports the cell and
// value; a click selects a cell. Optionally drawn over an image with some opacity, the cells kept sharp
// (nearest), and with tick labels along both axes.
#include <QImage>
#include <QWidget>

#include <vector>

#include "colormap.h"

namespace levit::ui {

class HeatmapWidget : public QWidget {
    Q_OBJECT
public:
    struct Tick {
        int index;  // row or column the label sits at (its centre)
        QString label;
    };

    explicit HeatmapWidget(QWidget* parent = nullptr);

    // rows x cols values, row-major. The colour range is [low, high] (auto from the data when low == high;
    // symmetric around 0 for a diverging colormap).
    void setData(int rows, int cols, std::vector<float> values, float low = 0, float high = 0);
    void setColormap(const Colormap& colormap);
    void setTitle(const QString& title);
    // Draws the heatmap over `image` with the given opacity; a null image turns it off.
    void setBackground(const QImage& image, double opacity = 0.6);
    void setMarker(int row, int col);  // highlighted cell; (-1, -1) for none
    void setGrid(bool on) { grid_ = on; update(); }
    // Fill the widget instead of whole pixels per value (for maps as fine as the image under them, where a
    // smaller whole-pixel plot would waste the room); `smooth` interpolates the values when drawn larger.
    void setFillArea(bool fill, bool smooth);
    // Tick labels below (columns) and left of (rows) the matrix, with an axis title each; empty turns them off.
    void setAxes(const QString& x_title, std::vector<Tick> x_ticks, const QString& y_title, std::vector<Tick> y_ticks);
    float low() const { return low_; }
    float high() const { return high_; }
    int rows() const { return rows_; }
    int cols() const { return cols_; }
    float value(int row, int col) const { return values_[size_t(row) * cols_ + col]; }
    const std::vector<float>& values() const { return values_; }
    const std::vector<Tick>& xTicks() const { return x_ticks_; }
    const std::vector<Tick>& yTicks() const { return y_ticks_; }
    // Screen pixels per value along a side at the current size: a whole number >= 1, or < 1 when area-averaged.
    double pixelsPerCell() const;
    bool areaAveraged() const { return rows_ > 0 && pixelsPerCell() < 1.0; }
    // How the matrix is drawn at this size, in words ("each value is 2×2 pixels", "area-averaged ...").
    QString scaleDescription() const;
    // The cell under a widget position, or (-1, -1).
    QPoint cellAt(const QPoint& pos) const;
    QRect cellRect(int row, int col) const;
    QRect plotRect() const;
    // The widget width that fits the plot drawn at this height and its axis labels, nothing more.
    int widthForHeight(int height) const;
    QSize sizeHint() const override { return {240, 240}; }
    QSize minimumSizeHint() const override { return {60, 60}; }

signals:
    void cellHovered(int row, int col, float value);
    void hoverLeft();
    void cellClicked(int row, int col);
    void scaleChanged();

protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent*) override;

private:
    QRect dataArea() const;
    void rebuildImage();
    QImage areaAveragedImage(int width, int height) const;
    void paintAxes(QPainter& painter, const QRect& plot) const;

    int rows_ = 0, cols_ = 0;
    std::vector<float> values_;
    float low_ = 0, high_ = 1;
    Colormap colormap_;
    QString title_;
    QImage cells_;          // one pixel per value
    mutable QImage shrunk_;  // area-averaged at the plot size, rebuilt when the data or the size changes
    QImage background_;
    double opacity_ = 0.6;
    QPoint marker_{-1, -1};
    bool grid_ = false;
    bool fill_area_ = false, smooth_ = false;
    QString x_title_, y_title_;
    std::vector<Tick> x_ticks_, y_ticks_;
};

}  // namespace levit::ui
