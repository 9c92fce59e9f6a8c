#pragma once
// Perceptual colormaps (matplotlib's viridis, magma, inferno, cividis from their published 10-step
// palettes, interpolated) and a diverging one for signed data.
#include <QColor>
#include <QString>
#include <QStringList>

#include <array>

namespace levit::ui {

class Colormap {
public:
    explicit Colormap(const QString& name = "viridis");
    static QStringList names();
    const QString& name() const { return name_; }
    bool diverging() const { return diverging_; }
    // t in [0, 1]; clamped. NaN gives a neutral grey.
    QRgb map(double t) const;

private:
    QString name_;
    bool diverging_ = false;
    std::array<QRgb, 256> table_{};
};

}  // namespace levit::ui
