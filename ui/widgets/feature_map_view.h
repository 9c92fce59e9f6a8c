#pragma once
// Per-stage feature maps: for the patch embedding and each stage's output ("Stage 2 output · 4×4 tokens"),
// every channel's activation map (C x H x W); sort channels, click one to enlarge it, hover to read values,
// overlay a channel (upsampled) on the image the model saw. Colours: each channel on its own range (the default
// for the stage outputs, small grids whose channels' ranges differ so much that one shared scale paints every
// 4×4 or 2×2 tile one flat colour) or one range for the whole stage (tiles comparable, the default for the
// patch embedding); the colour bar and its caption show the range in use.
#include <QImage>
#include <QWidget>

#include <utility>

#include "colormap.h"
#include "model_view.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;

namespace levit::ui {

class ChannelGrid;

// The values that map to the two ends of a colormap.
struct ValueRange {
    float low = 0, high = 1;
};
class ColorBar;
class HeatmapWidget;

class FeatureMapView : public ModelView {
    Q_OBJECT
public:
    enum class Scale { Automatic, PerChannel, SharedByStage };

    explicit FeatureMapView(QWidget* parent = nullptr);
    levit::Probe probeNeeded() const override;
    void showResult(const InferenceResultPtr& result) override;
    void clearResult() override;
    QString viewTitle() const override { return tr("Feature maps"); }
    void setColormap(const QString& name);

    void selectStage(int index);  // 0 = patch embedding, 1 + s = stage s
    void selectChannel(int channel);
    int stageCount() const;
    QSize currentGrid() const;    // (width, height) of the selected stage's maps
    int selectedStage() const { return stage_; }
    int selectedChannel() const { return channel_; }
    const HeatmapWidget* enlargedMap() const { return enlarged_; }

    void setScale(Scale scale);
    Scale scale() const { return scale_; }
    bool perChannelScale() const;  // the scale in use for the selected stage
    // "Patch embedding · 14×14 tokens", "Stage 1 output · 7×7 tokens" (stages counted from 1, as in the attention tab).
    QString stageTitle(int index) const;
    QString hoverText() const;  // the value readout under the maps, for tests
    QImage tileImage(int channel) const;  // the selected stage's tile of `channel`, as drawn (one pixel per token)
    std::pair<float, float> colorBarRange() const { return {bar_low_, bar_high_}; }
    QString colorBarCaption() const;

private:
    void refresh();
    bool deepStage(int index) const;

    Scale scale_ = Scale::Automatic;
    float bar_low_ = 0, bar_high_ = 1;
    InferenceResultPtr result_;
    int stage_ = 0, channel_ = 0;
    Colormap colormap_;
    QComboBox* stage_box_;
    QComboBox* sort_box_;
    QComboBox* scale_box_;
    QLabel* bar_caption_;
    QCheckBox* overlay_;
    QSlider* opacity_;
    ChannelGrid* grid_;
    HeatmapWidget* enlarged_;
    ColorBar* color_bar_;
    QLabel* hover_;
    QLabel* hint_;
};

}  // namespace levit::ui
