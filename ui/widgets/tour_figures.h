#pragma once
// The tour's own figures, where the app's views have none that fits: a picture with what was kept, a grid
// or a marked pixel drawn over it; a filter's weights as small numbered grids; the token grid of each
// stage side by side. Text and lines take the palette's colours (light and dark); sizes follow the font.
#include <QFont>
#include <QImage>
#include <QPixmap>
#include <QRectF>
#include <QStringList>
#include <QWidget>

#include <vector>

class QLabel;

#include "colormap.h"

namespace levit::ui {

class TourPicture : public QWidget {
    Q_OBJECT
public:
    explicit TourPicture(QWidget* parent = nullptr);
    void setImage(const QImage& image);
    // The part kept, in image pixels: the rest is shaded; `label` is written in its corner. Null: none.
    void setKeptRect(const QRectF& rect, const QString& label = {});
    // Token grid lines over the image (cols x rows cells); 0 for none.
    void setGrid(int cols, int rows);
    // A pixel outlined (in image pixels); (-1, -1) for none.
    void setMarker(const QPoint& pixel);
    // A line under the picture (e.g. its size).
    void setCaption(const QString& caption);

    QString caption() const { return caption_; }
    QRectF keptRect() const { return kept_; }
    QRect imageRect() const;  // where the image is drawn, in widget pixels
    QSize sizeHint() const override { return {360, 300}; }
    QSize minimumSizeHint() const override { return {120, 100}; }

protected:
    void paintEvent(QPaintEvent*) override;

private:
    QImage image_;
    QRectF kept_;
    QString kept_label_;
    int grid_cols_ = 0, grid_rows_ = 0;
    QPoint marker_{-1, -1};
    QString caption_;
};

class HeatmapWidget;

// A heatmap kept to its data's shape (plus its title), centred in the room given, so that its title sits on
// the map and not at the top of a tall empty area. Call refit() after new data of another shape.
class FittedHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit FittedHeatmap(QWidget* parent = nullptr);
    HeatmapWidget* map() const { return map_; }
    void refit();
    QSize sizeHint() const override { return {240, 240}; }
    QSize minimumSizeHint() const override { return {60, 60}; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    HeatmapWidget* map_;
};

// Heatmaps of the same shape side by side, as large as the room allows, with a legend right under them.
class HeatmapRow : public QWidget {
    Q_OBJECT
public:
    HeatmapRow(int count, QWidget* parent = nullptr);
    HeatmapWidget* map(int index) const { return maps_[size_t(index)]; }
    void setLegend(const QString& legend);
    void relayout();
    QSize sizeHint() const override { return {600, 260}; }
    QSize minimumSizeHint() const override { return {180, 100}; }

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    std::vector<HeatmapWidget*> maps_;
    QLabel* legend_;
};

// One first-layer filter: a k x k grid per input colour, each weight a cell coloured on a diverging scale
// (blue negative, red positive, the same scale for all colours) with its value written in it.
class FilterWeightsFigure : public QWidget {
    Q_OBJECT
public:
    explicit FilterWeightsFigure(QWidget* parent = nullptr);
    // weights: [channels][kernel][kernel]; `channel_names` one per channel ("Red", ...).
    void setWeights(int channels, int kernel, std::vector<float> weights, const QStringList& channel_names);
    void setMessage(const QString& message);

    const std::vector<float>& weights() const { return weights_; }
    QString message() const { return message_; }
    QSize sizeHint() const override { return {360, 160}; }
    QSize minimumSizeHint() const override { return {180, 80}; }

protected:
    void paintEvent(QPaintEvent*) override;

private:
    int channels_ = 0, kernel_ = 0;
    std::vector<float> weights_;
    QStringList names_;
    QString message_;
    Colormap colormap_{QStringLiteral("coolwarm")};
};

// The token grid after the patch embedding and after each stage, side by side over the picture, each with
// its grid and the numbers per token as a bar: resolution shrinks, width grows.
class StageGridsFigure : public QWidget {
    Q_OBJECT
public:
    struct Stage {
        int grid = 0, channels = 0;
        QString label;  // e.g. "Stage 1"
    };
    explicit StageGridsFigure(QWidget* parent = nullptr);
    void setStages(const QImage& picture, std::vector<Stage> stages);

    int stageCount() const { return int(stages_.size()); }
    // Where each stage's square and caption go at the current size.
    struct Layout {
        std::vector<QRect> squares, captions;
        int gap = 0, bar_height = 0;
        QFont font;          // the captions' font: the widget's, or smaller where they would not fit
        bool fits = false;
    };
    Layout layout() const;
    // A stage's caption lines: its label, its grid, its numbers per token.
    QStringList lines(const Stage& stage) const;
    QSize sizeHint() const override { return {560, 300}; }
    QSize minimumSizeHint() const override { return {240, 140}; }

protected:
    void paintEvent(QPaintEvent*) override;

private:
    Layout layoutFor(const QFont& font) const;

    QImage picture_;
    std::vector<Stage> stages_;
};

}  // namespace levit::ui
