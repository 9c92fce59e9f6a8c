#include "palettes.h"

#include <QStyle>
#include <QStyleFactory>

#include <memory>

namespace levit::ui {

namespace {

const QStyle& fusion() {
    static const std::unique_ptr<QStyle> style(QStyleFactory::create("Fusion"));
    return *style;
}

}  // namespace

QPalette lightPalette() { return fusion().standardPalette(); }

QPalette darkPalette() {
    QPalette p = lightPalette();
    p.setColor(QPalette::Window, QColor(37, 37, 40));
    p.setColor(QPalette::WindowText, QColor(235, 235, 235));
    p.setColor(QPalette::Base, QColor(25, 25, 28));
    p.setColor(QPalette::AlternateBase, QColor(45, 45, 50));
    p.setColor(QPalette::Text, QColor(235, 235, 235));
    p.setColor(QPalette::Button, QColor(50, 50, 55));
    p.setColor(QPalette::ButtonText, QColor(235, 235, 235));
    p.setColor(QPalette::Highlight, QColor(53, 183, 121));
    p.setColor(QPalette::HighlightedText, Qt::black);
    p.setColor(QPalette::ToolTipBase, QColor(50, 50, 55));
    p.setColor(QPalette::ToolTipText, QColor(235, 235, 235));
    p.setColor(QPalette::PlaceholderText, QColor(150, 150, 155));
    p.setColor(QPalette::Link, QColor(110, 170, 255));
    // setColor(role, …) sets every colour group: without this a disabled button (Cancel while nothing runs,
    // Camera without a camera) would look exactly like an enabled one.
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(125, 125, 130));
    p.setColor(QPalette::Disabled, QPalette::Button, QColor(42, 42, 46));
    return p;
}

}  // namespace levit::ui
