#include "live_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "media/frame_source.h"

namespace levit::ui {

LivePanel::LivePanel(QWidget* parent) : QWidget(parent) {
    camera_box_ = new QComboBox(this);
    start_button_ = new QPushButton(tr("Start"), this);
    pause_button_ = new QPushButton(tr("Pause"), this);
    pause_button_->setCheckable(true);
    replay_button_ = new QPushButton(tr("Play again"), this);
    replay_button_->setToolTip(tr("Play the last video file again from its start"));
    replay_button_->setEnabled(false);
    loop_box_ = new QCheckBox(tr("Loop video"), this);
    loop_box_->setToolTip(tr("Start a video file again when it ends"));
    auto* snapshot = new QPushButton(tr("Snapshot to strip"), this);
    auto* video = new QPushButton(tr("Open video file…"), this);
    status_ = new QLabel(this);
    status_->setWordWrap(true);
    stats_ = new QLabel(this);
    stats_->setWordWrap(true);
    stats_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    // Two short rows rather than one long one: the panel must fit a narrow window.
    auto* row = new QHBoxLayout();
    row->addWidget(new QLabel(tr("Camera:"), this));
    row->addWidget(camera_box_, 1);
    row->addWidget(start_button_);
    row->addWidget(pause_button_);
    row->addWidget(snapshot);
    auto* video_row = new QHBoxLayout();
    video_row->addWidget(video);
    video_row->addWidget(replay_button_);
    video_row->addWidget(loop_box_);
    video_row->addStretch(1);
    view_area_ = new QVBoxLayout();
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addLayout(video_row);
    layout->addWidget(status_);
    layout->addLayout(view_area_, 1);
    layout->addWidget(stats_);

    const std::vector<int> cameras = levit::media::availableCameras();
    for (int c : cameras) camera_box_->addItem(tr("camera %1 (/dev/video%1)").arg(c), c);
    if (cameras.empty()) {
        camera_box_->addItem(tr("no camera"));
        camera_box_->setEnabled(false);
        status_->setText(tr("No camera found (checked /dev/video0..9). You can still play a video file."));
    }
    connect(start_button_, &QPushButton::clicked, this, [this] {
        if (running_) return emit stopRequested();
        if (camera_box_->currentData().isValid()) return emit cameraRequested(camera_box_->currentData().toInt());
        emit videoRequested(last_video_);  // no camera: the last video again, or a file dialog
    });
    connect(pause_button_, &QPushButton::toggled, this, &LivePanel::pauseToggled);
    connect(snapshot, &QPushButton::clicked, this, &LivePanel::snapshotRequested);
    connect(video, &QPushButton::clicked, this, [this] { emit videoRequested({}); });
    connect(replay_button_, &QPushButton::clicked, this, [this] {
        if (!last_video_.isEmpty()) emit videoRequested(last_video_);
    });
    setRunning(false);
}

void LivePanel::setRunning(bool running) {
    running_ = running;
    start_button_->setText(running ? tr("Stop") : tr("Start"));
    const bool camera = camera_box_->currentData().isValid();
    start_button_->setEnabled(running || camera || !last_video_.isEmpty());
    start_button_->setToolTip(running ? tr("Stop the live view")
                              : camera ? tr("Start the camera")
                                       : tr("Play the last video again (there is no camera)"));
    pause_button_->setEnabled(running);
    if (!running) pause_button_->setChecked(false);
    replay_button_->setEnabled(!running && !last_video_.isEmpty());
}

void LivePanel::setStatus(const QString& text) { status_->setText(text); }
void LivePanel::setStats(const QString& text) { stats_->setText(text); }
QString LivePanel::status() const { return status_->text(); }

void LivePanel::setLastVideo(const QString& path) {
    last_video_ = path;
    replay_button_->setToolTip(tr("Play %1 again from its start").arg(QFileInfo(path).fileName()));
    setRunning(running_);
}

bool LivePanel::loop() const { return loop_box_->isChecked(); }
bool LivePanel::paused() const { return pause_button_->isChecked(); }

}  // namespace levit::ui
