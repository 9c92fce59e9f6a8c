#pragma once
// The environment variables huggingface_hub reads, read the same way so both share one cache and obey
// the same switches.
#include <QString>

namespace levit::hub {

// $HF_HOME, else $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface.
QString hubHomeDir();

// $HF_HUB_CACHE, else $HUGGINGFACE_HUB_CACHE (older name), else hubHomeDir()/hub.
QString hubCacheDir();

// The user access token for private and gated models, as huggingface_hub finds it: $HF_TOKEN, else the
// file `huggingface-cli login` writes ($HF_TOKEN_PATH, else hubHomeDir()/token). Empty when there is none,
// or when it holds anything but printable ASCII (it goes into an HTTP header). Never print it.
QByteArray hubToken();

// $HF_ENDPOINT without a trailing '/', else https://huggingface.co.
QString hubEndpoint();

// $HF_HUB_OFFLINE is 1/true/yes/on (any case): never touch the network.
bool hubOffline();

}  // namespace levit::hub
