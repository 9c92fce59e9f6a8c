#include "colormap.h"

#include <cmath>
#include <vector>

namespace levit::ui {

namespace {

std::vector<QColor> anchors(const QString& name) {
    auto hex = [](std::initializer_list<const char*> list) {
        std::vector<QColor> out;
        for (const char* h : list) out.emplace_back(QString(h));
        return out;
    };
    if (name == "magma")
        return hex({"#000004", "#180f3d", "#440f76", "#721f81", "#9e2f7f", "#cd4071", "#f1605d", "#fd9668", "#feca8d", "#fcfdbf"});
    if (name == "inferno")
        return hex({"#000004", "#1b0c41", "#4a0c6b", "#781c6d", "#a52c60", "#cf4446", "#ed6925", "#fb9b06", "#f7d13d", "#fcffa4"});
    if (name == "cividis")
        return hex({"#00224e", "#123570", "#3b496c", "#575d6d", "#707173", "#8a8779", "#a69d75", "#c4b56c", "#e4cf5b", "#fee838"});
    if (name == "coolwarm")
        return hex({"#3b4cc0", "#6282ea", "#8db0fe", "#b8d0f9", "#dddcdc", "#f5c4ad", "#f49a7b", "#de604d", "#b40426"});
    return hex({"#440154", "#482878", "#3e4a89", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"});
}

}  // namespace

QStringList Colormap::names() { return {"viridis", "magma", "inferno", "cividis", "coolwarm"}; }

Colormap::Colormap(const QString& name) : name_(names().contains(name) ? name : QString("viridis")) {
    diverging_ = name_ == "coolwarm";
    const std::vector<QColor> a = anchors(name_);
    for (int i = 0; i < 256; ++i) {
        const double pos = i / 255.0 * (a.size() - 1);
        const int lo = std::min(static_cast<int>(pos), static_cast<int>(a.size()) - 2);
        const double f = pos - lo;
        auto mix = [&](int c0, int c1) { return static_cast<int>(std::lround(c0 + (c1 - c0) * f)); };
        table_[i] = qRgb(mix(a[lo].red(), a[lo + 1].red()), mix(a[lo].green(), a[lo + 1].green()),
                         mix(a[lo].blue(), a[lo + 1].blue()));
    }
}

QRgb Colormap::map(double t) const {
    if (std::isnan(t)) return qRgb(128, 128, 128);
    const int i = static_cast<int>(std::lround(std::clamp(t, 0.0, 1.0) * 255.0));
    return table_[i];
}

}  // namespace levit::ui
