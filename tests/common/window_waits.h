#pragma once
// Waiting for the main window in UI tests. An open's imagesAdded comes when the whole open has finished,
// which can be after its first image's answer is shown: a helper that returns at the answer would let that
// signal reach a spy the test makes next. So these wait for both.
#include <QSignalSpy>
#include <QtTest/QtTest>

#include <functional>

#include "widgets/main_window.h"

namespace levit_test {

// Runs `open` (an addImageFiles or a drop) and waits until its answer is shown and the open has finished.
inline bool openAndWaitForAnswer(levit::ui::MainWindow& window, const std::function<void()>& open) {
    QSignalSpy shown(&window, &levit::ui::MainWindow::resultShown);
    QSignalSpy added(&window, &levit::ui::MainWindow::imagesAdded);
    open();
    if (!shown.wait(20000)) return false;
    return QTest::qWaitFor([&] { return !added.isEmpty(); }, 20000);
}

}  // namespace levit_test
