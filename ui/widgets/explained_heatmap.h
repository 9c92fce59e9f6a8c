#pragma once
// One panel of a view: a plain-language title, a "?" button that opens a short explanation with the exact
// terms (CNN Explainer style), the heatmap, its colour bar (scale and what the colours mean) kept in step
// with the data, and a note line (e.g. how the values are shown, how the matrix is drawn at this size).
#include <QWidget>

#include <vector>

#include "colormap.h"

class QFrame;
class QLabel;
class QToolButton;

namespace levit::ui {

class ColorBar;
class HeatmapWidget;

class ExplainedHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit ExplainedHeatmap(QWidget* parent = nullptr);

    HeatmapWidget* map() const { return map_; }
    ColorBar* colorBar() const { return bar_; }
    QToolButton* helpButton() const { return help_; }

    void setTitle(const QString& title);
    QString title() const;
    void setExplanation(const QString& text);
    QString explanation() const { return explanation_; }
    bool explanationShown() const;
    // A line under the map; with showScale the map's scale description ("each value is 2×2 pixels") follows.
    void setNote(const QString& note);
    void setShowScale(bool on);
    QString noteText() const;
    void setLegend(const QString& high_meaning, const QString& low_meaning);
    void setColorBarVisible(bool visible);

    // The map's data; the colour bar takes the range the map uses.
    void setData(int rows, int cols, std::vector<float> values, float low = 0, float high = 0);
    void setColormap(const Colormap& colormap);

public slots:
    void showExplanation();

private:
    void updateNote();
    void fitToPlot();

    QLabel* title_;
    QToolButton* help_;
    HeatmapWidget* map_;
    ColorBar* bar_;
    QLabel* note_;
    QFrame* popup_;
    QLabel* popup_text_;
    QString explanation_;
    QString note_text_;
    bool show_scale_ = false;
    bool bar_wanted_ = true;
};

}  // namespace levit::ui
