#include "hub_limits.h"

#include "model_files.h"

namespace levit::hub {

qint64 maxFileBytes(const QString& file) {
    // Anything but the small JSON files is weights: a single file or one shard of a sharded checkpoint.
    return file == kConfigFile || file == kProcessorFile || isShardIndex(file) ? kMaxSmallFileBytes : kMaxWeightsBytes;
}

QString SpeedRule::text() const {
    return QStringLiteral("less than %1 bytes/s over %2 s").arg(min_bytes_per_s).arg(window_ms / 1000.0);
}

SpeedRule speedRule() {
    SpeedRule rule;
    bool ok = false;
    const qint64 speed = qEnvironmentVariable("LEVIT_HUB_MIN_SPEED").toLongLong(&ok);
    if (ok && speed > 0) rule.min_bytes_per_s = speed;
    const double window_s = qEnvironmentVariable("LEVIT_HUB_SPEED_WINDOW").toDouble(&ok);
    // At least 100 ms so a tick is meaningful; at most a day so the int holds it.
    if (ok && window_s >= 0.1 && window_s <= 86400) rule.window_ms = int(window_s * 1000);
    return rule;
}

}  // namespace levit::hub
