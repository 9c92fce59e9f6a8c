#pragma once
// A Hugging Face model id as typed by a user: "org/name", optionally "org/name@revision" (a branch, a tag
// or a commit hash). The revision defaults to "main", as on the Hub.
#include <QString>

namespace levit::hub {

struct ModelId {
    QString repo;                 // "facebook/levit-128S"
    QString revision = "main";    // branch, tag or 40-hex commit hash

    QString display() const { return revision == "main" ? repo : repo + "@" + revision; }
};

// True when `text` has the shape of a repo id ("org/name" with the Hub's allowed characters, an
// optional "@revision"). Says nothing about whether the model exists.
bool looksLikeModelId(const QString& text);

// Parses "org/name[@revision]"; `revision`, when not empty, overrides the "@" part. Throws HubError with
// a message naming the text when it is not a valid id.
ModelId parseModelId(const QString& text, const QString& revision = {});

// A full 40-hex commit hash (revisions like this need no refs/ lookup).
bool isCommitHash(const QString& revision);

}  // namespace levit::hub
