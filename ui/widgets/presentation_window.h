#pragma once
// Presentation mode: the presentation view in a window of its own, shown full screen for a projector.
// F11 switches between full screen and a normal window (to move it to another screen first); Esc leaves
// presentation mode.
#include <QWidget>

namespace levit::ui {

class PresentationView;

class PresentationWindow : public QWidget {
    Q_OBJECT
public:
    explicit PresentationWindow(QWidget* parent = nullptr);

    PresentationView* view() const { return view_; }
    // Opens presentation mode: full screen, in front.
    void present();
    void showFullScreen();
    void toggleFullScreen();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    PresentationView* view_;
};

}  // namespace levit::ui
