#pragma once
// The Live tab's controls: camera choice, Start / Stop, Pause, Snapshot, Open video, Loop and Play again,
// with the state line and the frame statistics. It only says what the user asked for (signals) and shows
// what the window tells it; the window owns the capture and the classification.
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace levit::ui {

class LivePanel : public QWidget {
    Q_OBJECT
public:
    explicit LivePanel(QWidget* parent = nullptr);
    // Running: Start reads "Stop". Stopped: Start plays the camera chosen, or the last video again when
    // there is no camera (a video that ended is the natural thing to start again).
    void setRunning(bool running);
    void setStatus(const QString& text);
    void setStats(const QString& text);
    void setLastVideo(const QString& path);
    bool loop() const;
    bool paused() const;
    // Where the large live view goes (the window puts it there).
    QVBoxLayout* viewArea() const { return view_area_; }
    QString status() const;

signals:
    void cameraRequested(int index);
    void videoRequested(const QString& path);  // empty: ask for a file
    void stopRequested();
    void pauseToggled(bool paused);
    void snapshotRequested();

private:
    QComboBox* camera_box_;
    QPushButton* start_button_;
    QPushButton* pause_button_;
    QPushButton* replay_button_;
    QCheckBox* loop_box_;
    QLabel* status_;
    QLabel* stats_;
    QVBoxLayout* view_area_;
    QString last_video_;
    bool running_ = false;
};

}  // namespace levit::ui
