#pragma once
// An exclusive advisory lock on a file, the kind huggingface_hub takes (the filelock package's
// UnixFileLock: flock on <hub>/.locks/models--org--name/<etag>.lock), so a download by LeViT Lens and one by
// Python, or by another LeViT Lens process, never write the same blob at the same time.
#include <QString>

namespace levit::hub {

class FileLock {
public:
    explicit FileLock(const QString& path) : path_(path) {}
    ~FileLock() { unlock(); }
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;

    // Takes the lock without waiting. False when another holder has it; `error` (when given) is set
    // instead when the file cannot be created or locked at all.
    bool tryLock(QString* error = nullptr);
    void unlock();
    bool locked() const { return fd_ >= 0; }
    const QString& path() const { return path_; }

private:
    QString path_;
    int fd_ = -1;
};

}  // namespace levit::hub
