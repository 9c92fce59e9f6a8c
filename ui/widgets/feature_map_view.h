#pragma once
// Per-stage feature maps: for the patch embedding and each stage, every channel's activation map
// (C x H x W) on one shared colour scale; sort channels, click one to enlarge it, hover to read values,
// overlay a channel (upsampled) on the image the model saw.
#include <QWidget>

#include "colormap.h"
#include "model_view.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;

namespace levit::ui {

class ChannelGrid;
class ColorBar;
class HeatmapWidget;

class FeatureMapView : public ModelView {
    Q_OBJECT
public:
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
    int selectedChannel() const { return channel_; }
    const HeatmapWidget* enlargedMap() const { return enlarged_; }

private:
    void refresh();

    InferenceResultPtr result_;
    int stage_ = 0, channel_ = 0;
    Colormap colormap_;
    QComboBox* stage_box_;
    QComboBox* sort_box_;
    QCheckBox* overlay_;
    QSlider* opacity_;
    ChannelGrid* grid_;
    HeatmapWidget* enlarged_;
    ColorBar* color_bar_;
    QLabel* hover_;
    QLabel* hint_;
};

}  // namespace levit::ui
