#pragma once
// One model repository in the Hugging Face cache, laid out exactly as huggingface_hub lays it out so
// Python tools and LeViT Lens share downloads:
//   <hub>/models--org--name/blobs/<etag>                  file contents (sha256 for LFS files, git sha1 else)
//   <hub>/models--org--name/refs/<revision>               the commit hash a branch or tag points to
//   <hub>/models--org--name/snapshots/<commit>/<file>     relative symlink to ../../blobs/<etag>
//   <hub>/models--org--name/.no_exist/<commit>/<file>     marker: the repository has no such file
//   <hub>/.locks/models--org--name/<etag>.lock            held (flock) while a process downloads that blob
#include <QString>

namespace levit::hub {

class RepoCache {
public:
    RepoCache(const QString& hub_dir, const QString& repo);

    // "models--org--name"
    static QString folderName(const QString& repo);

    QString repoDir() const { return repo_dir_; }
    QString blobPath(const QString& etag) const;
    QString incompletePath(const QString& etag) const { return blobPath(etag) + ".incomplete"; }
    QString snapshotDir(const QString& commit) const;
    QString lockPath(const QString& etag) const;

    // The commit `revision` stands for: itself when it is a commit hash, else the content of refs/<revision>.
    // Empty when unknown.
    QString commitFor(const QString& revision) const;
    // The snapshot folder of `revision` when it holds a complete model (config.json + weights), else empty.
    QString completeSnapshot(const QString& revision) const;
    // Empty when every file of the snapshot folder `dir` whose blob is named by a git blob sha1 (the small,
    // non-LFS files) has that content; else "<file>: <problem>" for the first that does not. Cheap (a few kB):
    // it catches a cache poisoned by a program that stored such files unchecked.
    static QString snapshotProblem(const QString& dir);

    // All writes are atomic (temporary name, then rename) and throw HubError naming the path on failure.
    void writeRef(const QString& revision, const QString& commit) const;
    void linkSnapshotFile(const QString& commit, const QString& file, const QString& etag) const;
    void markMissing(const QString& commit, const QString& file) const;
    void ensureBlobDir() const;

private:
    QString repo_dir_;
};

}  // namespace levit::hub
