#pragma once
// Whether bytes on disk are what the Hub's ETag names: the sha256 of the content for LFS files (64 hex
// digits), git's blob id for the others (40 hex: sha1 of "blob <size>\0" + content). A blob is only ever
// promoted into the cache, or reused from it, after this check.
#include <QString>

namespace levit::hub {

enum class EtagKind { Sha256, GitBlobSha1, Unverifiable };

EtagKind etagKind(const QString& etag);

// The digest of the file at `path` in the form `kind` names, lowercase hex; empty when it cannot be read.
QString fileDigest(const QString& path, EtagKind kind);

// Empty when the file at `path` matches `etag`, else what is wrong ("its git blob sha1 is …").
QString contentProblem(const QString& path, const QString& etag);

}  // namespace levit::hub
