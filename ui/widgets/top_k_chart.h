#pragma once
// A ranking as horizontal bars, best on top: a label column as wide as the longest name needs (up to 60% of the
// widget; only longer names lose their middle, "great grey … owl"), a bar on a 0–100% scale, the probability
// after the bar. Hovering a row shows the full name. Colours: the bar's by role (chart_style.h), the rest
// from the palette, so a palette change shows at the next paint.
#include <QColor>
#include <QFont>
#include <QStringList>
#include <QVector>
#include <QWidget>

#include <vector>

#include "levit/classify.h"

namespace levit::ui {

class TopKChart : public QWidget {
    Q_OBJECT
public:
    struct Row {
        QString label;
        double probability = 0;  // 0..1
        int index = 0;           // class index, for the tooltip
    };

    explicit TopKChart(QWidget* parent = nullptr);
    void setTitle(const QString& title);
    void setBarColor(const QColor& color);
    // The first k entries of a ranking (best first); `names`, when not empty, replaces the labels by class index.
    void setRanking(const std::vector<levit::Prediction>& ranking, int k, const QStringList& names = {});
    void clear();

    QString title() const { return title_; }
    QColor barColor() const { return color_; }
    int rowCount() const { return int(rows_.size()); }
    QString fullLabel(int row) const { return rows_[row].label; }
    // The label text as drawn at the current size (elided in the middle when it does not fit), one per row
    // drawn: when not even the smaller font fits k rows, the last row drawn says how many are left out.
    QStringList drawnLabels() const;
    int rowHeight() const;
    QFont drawnFont() const;  // the widget's font, or up to 20% smaller when the rows would not fit otherwise
    bool titleShown() const { return geometry().show_title; }
    // The tooltip at `pos`: a row's full name and probability; elsewhere the title when there was no room for it.
    QString toolTipAt(const QPoint& pos) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    // A row was clicked: its class (e.g. "explain this class").
    void classClicked(int class_index);

protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Geometry {
        QRect title, labels, bars, values, ticks;
        int row_height = 0;
        QFont font;
        bool show_title = false;
        int visible_rows = 0;
    };
    Geometry geometry() const;
    int rowAt(const QPoint& pos) const;
    bool isOverflowRow(const Geometry& g, int row) const;
    QString shownLabel(const Geometry& g, int row) const;
    static QString percentText(double probability);

    QString title_;
    QColor color_{Qt::gray};
    std::vector<Row> rows_;
};

}  // namespace levit::ui
