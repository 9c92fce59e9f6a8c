#pragma once
// Bounds on everything a Hub server controls, so a hostile or broken server ends in an error instead of a
// hang, a full disk or a poisoned cache. The speed rule can be changed through the environment (tests
// use a window of a second or two):
//   LEVIT_HUB_MIN_SPEED    bytes per second a transfer must average over each window (default 1024)
//   LEVIT_HUB_SPEED_WINDOW the window in seconds, fractions allowed (default 30)
#include <QString>
#include <QtGlobal>

namespace levit::hub {

// config.json and preprocessor_config.json are a few kB; anything near this is not a LeViT config.
inline constexpr qint64 kMaxSmallFileBytes = qint64(1) << 20;  // 1 MiB
// The largest published LeViT (levit-384) is 156 MB in float32; ten times that is still refused as
// far beyond any LeViT checkpoint. For a sharded checkpoint it bounds the shards together.
inline constexpr qint64 kMaxWeightsBytes = qint64(2) << 30;  // 2 GiB
// Redirects followed for one request (a renamed repository, then the CDN).
inline constexpr int kMaxRedirects = 5;

// The largest size accepted for `file` of a model repository.
qint64 maxFileBytes(const QString& file);

struct SpeedRule {
    qint64 min_bytes_per_s = 1024;
    int window_ms = 30000;

    // "less than 1024 bytes/s over 30 s": for messages.
    QString text() const;
};

// The rule from the environment; a malformed or non-positive value falls back to the default.
SpeedRule speedRule();

}  // namespace levit::hub
