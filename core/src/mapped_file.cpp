#include "mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "levit/error.h"

namespace levit {

MappedFile::MappedFile(const std::string& path) {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below as not a regular file.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT) throw Error(path + ": no such file");
        throw Error(path + ": cannot open (" + std::strerror(errno) + ")");
    }
    struct stat st{};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw Error(path + ": not a regular file");
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ == 0) {  // mmap refuses zero bytes; the readers report the file as too short
        ::close(fd);
        return;
    }
    void* map = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
    const int map_errno = errno;
    ::close(fd);
    if (map == MAP_FAILED) throw Error(path + ": cannot map the file into memory (" + std::strerror(map_errno) + ")");
    data_ = static_cast<const unsigned char*>(map);
}

MappedFile::~MappedFile() {
    if (data_) munmap(const_cast<unsigned char*>(data_), size_);
}

}  // namespace levit
