#pragma once
// Presentation mode: a window of its own, shown full screen for a projector, with one of two pages: the
// presentation view (the picture and its answer, large) or the step-by-step tour in large fonts.
// F11 switches between full screen and a normal window (to move it to another screen first); Esc leaves
// presentation mode. On the tour, Left/Right, Space and PageUp/PageDown step through it.
#include <QWidget>

class QStackedWidget;

namespace levit::ui {

class PresentationView;
class TourView;

class PresentationWindow : public QWidget {
    Q_OBJECT
public:
    explicit PresentationWindow(QWidget* parent = nullptr);

    PresentationView* view() const { return view_; }
    // The tour shown in presentation mode (large fonts); it takes results like the tab's tour.
    TourView* tour() const { return tour_; }
    // Opens presentation mode on the picture and its answer: full screen, in front.
    void present();
    // Opens presentation mode on the tour, at what `tab_tour` shows: its result, picture and step.
    void presentTour(const TourView& tab_tour);
    bool showingTour() const;
    void showFullScreen();
    void toggleFullScreen();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void bringToFront();

    QStackedWidget* pages_;
    PresentationView* view_;
    TourView* tour_;
};

}  // namespace levit::ui
