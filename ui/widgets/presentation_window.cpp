#include "presentation_window.h"

#include <QKeyEvent>
#include <QScreen>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "presentation_view.h"
#include "tour_view.h"

namespace levit::ui {

PresentationWindow::PresentationWindow(QWidget* parent) : QWidget(parent, Qt::Window) {
    setWindowTitle(tr("LeViT Lens — presentation"));
    pages_ = new QStackedWidget(this);
    view_ = new PresentationView(pages_);
    tour_ = new TourView(pages_);
    tour_->setPresentationMode(true);
    pages_->addWidget(view_);
    pages_->addWidget(tour_);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(pages_);
    resize(1280, 720);
}

void PresentationWindow::present() {
    pages_->setCurrentWidget(view_);
    bringToFront();
}

void PresentationWindow::presentTour(const TourView& tab_tour) {
    tour_->showSameAs(tab_tour);
    pages_->setCurrentWidget(tour_);
    bringToFront();
    tour_->setFocus();
}

bool PresentationWindow::showingTour() const { return pages_->currentWidget() == tour_; }

void PresentationWindow::bringToFront() {
    showFullScreen();
    raise();
    activateWindow();
}

void PresentationWindow::showFullScreen() {
    // Without a window manager (a kiosk PC at a projector, Xvfb) the full-screen state alone does not
    // resize the window: cover the screen it is on.
    if (const QScreen* s = screen()) setGeometry(s->geometry());
    QWidget::showFullScreen();
}

void PresentationWindow::toggleFullScreen() {
    if (!isFullScreen()) return showFullScreen();
    showNormal();
    // Half the screen, centred: small enough to drag to the projector's screen, then F11 again.
    if (const QScreen* s = screen()) {
        const QRect area = s->availableGeometry();
        setGeometry(QRect(area.topLeft() + QPoint(area.width() / 4, area.height() / 4), area.size() / 2));
    }
}

void PresentationWindow::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
    case Qt::Key_F11:
        toggleFullScreen();
        break;
    case Qt::Key_Escape:
        close();
        break;
    default:
        // The tour's keys, also when the focus is elsewhere in the window.
        if (!(showingTour() && tour_->navigate(event->key()))) QWidget::keyPressEvent(event);
    }
}

}  // namespace levit::ui
