#include "model_files.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include "hub_limits.h"

namespace levit::hub {

namespace {

bool isPlainFileName(const QString& name) {
    if (name.isEmpty() || name == QLatin1String(".") || name == QLatin1String("..")) return false;
    for (const QChar c : name)
        if (c == '/' || c == '\\' || c.unicode() < 0x20 || c.unicode() == 0x7f) return false;
    return true;
}

}  // namespace

bool isShardIndex(const QString& file) { return file == kSafetensorsIndex || file == kBinIndex; }

QStringList shardsOfIndex(const QString& index_path, const QString& index_name, QString* error) {
    QFile file(index_path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("%1: cannot read it: %2").arg(index_name, file.errorString());
        return {};
    }
    QJsonParseError parse_error;
    const QJsonDocument doc = QJsonDocument::fromJson(file.read(kMaxSmallFileBytes + 1), &parse_error);
    const QJsonValue weight_map = doc.object().value(QLatin1String("weight_map"));
    if (parse_error.error != QJsonParseError::NoError || !weight_map.isObject() || weight_map.toObject().isEmpty()) {
        *error = QStringLiteral("%1 is not a shard index: expected a JSON object with a non-empty \"weight_map\" (tensor name -> shard file)")
                     .arg(index_name);
        return {};
    }
    const QString extension = index_name == kSafetensorsIndex ? QStringLiteral(".safetensors") : QStringLiteral(".bin");
    QStringList shards;
    QSet<QString> seen;
    const QJsonObject map = weight_map.toObject();
    for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
        const QString shard = it.value().toString();
        if (seen.contains(shard)) continue;
        seen.insert(shard);
        if (!it.value().isString() || !isPlainFileName(shard) || !shard.endsWith(extension) || shard == extension) {
            *error = QStringLiteral("%1 names the shard '%2' for tensor '%3': shards must be plain %4 file names beside the index; refused")
                         .arg(index_name, shard.left(200), it.key().left(200), extension);
            return {};
        }
        if (seen.size() > kMaxShardFiles) {
            *error = QStringLiteral("%1 names more than %2 shards; refused").arg(index_name).arg(kMaxShardFiles);
            return {};
        }
        shards << shard;
    }
    return shards;
}

bool isCompleteModelFolder(const QString& dir) {
    if (!QFileInfo(dir + "/" + kConfigFile).isFile()) return false;  // isFile() follows symlinks
    for (const QString& weights : kWeightFiles) {
        if (!QFileInfo(dir + "/" + weights).isFile()) continue;
        if (!isShardIndex(weights)) return true;
        QString error;
        const QStringList shards = shardsOfIndex(dir + "/" + weights, weights, &error);
        if (shards.isEmpty()) return false;
        for (const QString& shard : shards)
            if (!QFileInfo(dir + "/" + shard).isFile()) return false;
        return true;
    }
    return false;
}

}  // namespace levit::hub
