#pragma once
// The files a LeViT checkpoint on the Hub consists of, as LeViT Lens fetches and recognises them.
#include <QString>
#include <QStringList>

namespace levit::hub {

inline const QString kConfigFile = QStringLiteral("config.json");
inline const QString kProcessorFile = QStringLiteral("preprocessor_config.json");  // optional
// In order of preference (transformers' own): the first one the repository has is the one fetched. The
// index files stand for a sharded checkpoint: the index, then every shard its "weight_map" names.
inline const QString kSafetensorsIndex = QStringLiteral("model.safetensors.index.json");
inline const QString kBinIndex = QStringLiteral("pytorch_model.bin.index.json");
inline const QStringList kWeightFiles = {QStringLiteral("model.safetensors"), kSafetensorsIndex,
                                         QStringLiteral("pytorch_model.bin"), kBinIndex};
// The same bound the engine puts on an index (core/src/checkpoint_shards.h).
inline constexpr int kMaxShardFiles = 256;

bool isShardIndex(const QString& file);

// The shard files a downloaded index names, each once, in the order first named. Empty, with `error`
// set, when the index is refused: not JSON with a "weight_map" object, a shard that is not a plain file
// name of the index's format (model-00001-of-00002.safetensors; never a path), more than kMaxShardFiles.
QStringList shardsOfIndex(const QString& index_path, const QString& index_name, QString* error);

// A folder holding config.json and weights: one of kWeightFiles, and for an index every shard it names
// (symlinks are followed).
bool isCompleteModelFolder(const QString& dir);

}  // namespace levit::hub
