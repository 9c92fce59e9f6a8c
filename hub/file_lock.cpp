#include "file_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QDir>
#include <QFileInfo>

#include <cerrno>
#include <cstring>

namespace levit::hub {

bool FileLock::tryLock(QString* error) {
    if (fd_ >= 0) return true;
    if (!QDir().mkpath(QFileInfo(path_).absolutePath())) {
        if (error) *error = QStringLiteral("cannot create the folder of the lock file %1").arg(path_);
        return false;
    }
    const QByteArray native = QFile::encodeName(path_);
    // A holder may delete the file when it lets go (huggingface_hub does on some errors): a lock on a file
    // no longer at `path_` guards nothing, so check after locking that the path still names our file.
    for (int tries = 0; tries < 3; ++tries) {
        const int fd = ::open(native.constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0664);
        if (fd < 0) {
            if (error) *error = QStringLiteral("cannot open the lock file %1: %2").arg(path_, QString::fromLocal8Bit(std::strerror(errno)));
            return false;
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int e = errno;
            ::close(fd);
            if (e == EWOULDBLOCK || e == EINTR) return false;
            if (error) *error = QStringLiteral("cannot lock %1: %2").arg(path_, QString::fromLocal8Bit(std::strerror(e)));
            return false;
        }
        struct stat opened{}, named{};
        if (::fstat(fd, &opened) == 0 && ::stat(native.constData(), &named) == 0 && opened.st_ino == named.st_ino &&
            opened.st_dev == named.st_dev) {
            fd_ = fd;
            return true;
        }
        ::close(fd);  // replaced or removed meanwhile: lock the file that is there now
    }
    return false;
}

void FileLock::unlock() {
    if (fd_ < 0) return;
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
    fd_ = -1;
}

}  // namespace levit::hub
