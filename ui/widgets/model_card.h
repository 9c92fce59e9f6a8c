#pragma once
// What a model folder's card (README.md, as on the Hugging Face Hub) says about the model's training domain:
// the `datasets:` of its YAML front matter and its first paragraph of prose.
#include <QString>
#include <QStringList>

namespace levit::ui {

struct ModelCard {
    QStringList datasets;  // front matter `datasets:` (a list, "[a, b]" or one name)
    QString summary;       // the first paragraph after the front matter and headings, Markdown marks removed
    bool empty() const { return datasets.isEmpty() && summary.isEmpty(); }
};

ModelCard parseModelCard(const QString& markdown);
// README.md of `model_path` when it is a folder; an empty card for files, missing or unreadable cards.
ModelCard readModelCard(const QString& model_path);

}  // namespace levit::ui
