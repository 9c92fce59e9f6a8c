#pragma once
// Where the bundled default model and sample images live: beside an installed binary
// (../share/levit-lens), the install prefix baked in at build time, or the source tree when run from a
// build folder. LEVIT_DEFAULT_MODEL overrides the model.
#include <string>

namespace levit::media {

// Throws levit::Error listing where it looked when no model is found.
std::string defaultModelPath();
// The samples folder (may not exist).
std::string samplesPath();

}  // namespace levit::media
