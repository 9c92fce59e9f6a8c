#pragma once
// A vertical colour bar with its value range, for a heatmap's colormap.
#include <QWidget>

#include "colormap.h"

namespace levit::ui {

class ColorBar : public QWidget {
    Q_OBJECT
public:
    explicit ColorBar(QWidget* parent = nullptr);
    void setRange(float low, float high);
    void setColormap(const Colormap& colormap);
    QSize sizeHint() const override { return {70, 200}; }

protected:
    void paintEvent(QPaintEvent*) override;

private:
    float low_ = 0, high_ = 1;
    Colormap colormap_;
};

}  // namespace levit::ui
