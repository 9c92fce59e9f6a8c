#pragma once
// How a worker thread hands results to the GUI thread: items go into a queue under a mutex, and Qt is asked to
// call the receiver's invokable method (by name) on the receiver's thread, where it takes them. By name, so the
// queued call is built inside Qt: a lambda would be a functor written on the worker thread and read on the GUI
// thread through Qt's event-queue lock, which ThreadSanitizer cannot see in an uninstrumented Qt. A receiver
// destroyed first drops the call.
#include <QObject>

#include <deque>
#include <mutex>
#include <utility>

namespace levit::ui {

template <class T>
class GuiThreadQueue {
public:
    // Worker thread: queues `item`, then asks for receiver->method() on the receiver's thread.
    void post(QObject* receiver, const char* method, T item) {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            items_.push_back(std::move(item));
        }
        QMetaObject::invokeMethod(receiver, method, Qt::QueuedConnection);
    }
    // Receiver's thread: everything queued so far, oldest first.
    std::deque<T> take() {
        std::deque<T> ready;
        std::lock_guard<std::mutex> lock(mutex_);
        ready.swap(items_);
        return ready;
    }

private:
    std::mutex mutex_;
    std::deque<T> items_;
};

}  // namespace levit::ui
