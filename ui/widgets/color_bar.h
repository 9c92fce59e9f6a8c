#pragma once
// A vertical colour bar with its value range, for a heatmap's colormap; optionally with what the two ends
// mean in words (a legend, e.g. "red: favoured" above and "blue: avoided" below).
#include <QWidget>

#include "colormap.h"

namespace levit::ui {

class ColorBar : public QWidget {
    Q_OBJECT
public:
    explicit ColorBar(QWidget* parent = nullptr);
    void setRange(float low, float high);
    void setColormap(const Colormap& colormap);
    // Words shown above (high end) and below (low end) the bar; empty strings for none.
    void setLegend(const QString& high_meaning, const QString& low_meaning);
    // Draw the bar from y = top for `height` pixels (the plot beside it), room for the legend kept; a height
    // <= 0 fills the widget as before.
    void setBarSpan(int top, int height);
    float low() const { return low_; }
    float high() const { return high_; }
    QString highMeaning() const { return high_meaning_; }
    QString lowMeaning() const { return low_meaning_; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent*) override;

private:
    QStringList tickTexts() const;

    float low_ = 0, high_ = 1;
    Colormap colormap_;
    QString high_meaning_, low_meaning_;
    int span_top_ = 0, span_height_ = 0;
};

}  // namespace levit::ui
