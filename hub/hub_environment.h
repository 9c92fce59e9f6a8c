#pragma once
// The environment variables huggingface_hub reads, read the same way so both share one cache and obey
// the same switches.
#include <QString>

namespace levit::hub {

// $HF_HUB_CACHE, else $HUGGINGFACE_HUB_CACHE (older name), else $HF_HOME/hub, else
// $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub.
QString hubCacheDir();

// $HF_ENDPOINT without a trailing '/', else https://huggingface.co.
QString hubEndpoint();

// $HF_HUB_OFFLINE is 1/true/yes/on (any case): never touch the network.
bool hubOffline();

}  // namespace levit::hub
