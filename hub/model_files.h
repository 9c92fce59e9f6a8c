#pragma once
// The files a LeViT checkpoint on the Hub consists of, as LeViT Lens fetches and recognises them.
#include <QString>
#include <QStringList>

namespace levit::hub {

inline const QString kConfigFile = QStringLiteral("config.json");
inline const QString kProcessorFile = QStringLiteral("preprocessor_config.json");  // optional
// In order of preference: the first one the repository has is the one fetched.
inline const QStringList kWeightFiles = {QStringLiteral("model.safetensors"), QStringLiteral("pytorch_model.bin")};

// A folder holding config.json and one of kWeightFiles (symlinks are followed).
bool isCompleteModelFolder(const QString& dir);

}  // namespace levit::hub
