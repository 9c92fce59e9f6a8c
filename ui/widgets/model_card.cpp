#include "model_card.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

namespace levit::ui {

namespace {

constexpr int kMaxSummary = 400;  // characters; a card's first paragraph is a sentence or two, not an essay
constexpr qint64 kMaxCardBytes = 1 << 20;

QString unquoted(QString value) {
    value = value.trimmed();
    if (value.size() >= 2 && (value.startsWith('"') || value.startsWith('\'')) && value.endsWith(value[0]))
        value = value.mid(1, value.size() - 2);
    return value;
}

// `datasets:` in YAML front matter: "datasets: name", "datasets: [a, b]" or a block of "- name" lines.
QStringList frontMatterDatasets(const QStringList& lines) {
    QStringList out;
    for (int i = 0; i < lines.size(); ++i) {
        if (!lines[i].startsWith("datasets:")) continue;
        QString inline_value = lines[i].mid(9).trimmed();
        if (inline_value.startsWith('[')) {
            inline_value = inline_value.mid(1, inline_value.indexOf(']') - 1);
            for (const QString& item : inline_value.split(',', Qt::SkipEmptyParts)) out << unquoted(item);
        } else if (!inline_value.isEmpty()) {
            out << unquoted(inline_value);
        } else {
            for (int j = i + 1; j < lines.size() && lines[j].trimmed().startsWith('-'); ++j) out << unquoted(lines[j].trimmed().mid(1));
        }
        break;
    }
    out.removeAll(QString());
    return out;
}

QString plainText(QString text) {
    text.remove(QRegularExpression(R"(\*\*|__|`)"));
    text.replace(QRegularExpression(R"(\[([^\]]*)\]\([^)]*\))"), "\\1");  // [text](link) -> text
    return text.simplified();
}

bool isProse(const QString& line) {
    const QString t = line.trimmed();
    return !t.isEmpty() && !t.startsWith('#') && !t.startsWith("<!--") && !t.startsWith("![") && !t.startsWith('|') &&
           !t.startsWith("```");
}

}  // namespace

ModelCard parseModelCard(const QString& markdown) {
    QStringList lines = markdown.split('\n');
    for (QString& l : lines) l.remove('\r');
    ModelCard card;
    int body = 0;
    if (!lines.isEmpty() && lines[0].trimmed() == "---") {
        const int end = lines.indexOf(QRegularExpression(R"(^\s*---\s*$)"), 1);
        if (end > 0) {
            card.datasets = frontMatterDatasets(lines.mid(1, end - 1));
            body = end + 1;
        }
    }
    int i = body;
    while (i < lines.size() && !isProse(lines[i])) ++i;
    QStringList paragraph;
    for (; i < lines.size() && isProse(lines[i]); ++i) paragraph << lines[i];
    card.summary = plainText(paragraph.join(' '));
    if (card.summary.size() > kMaxSummary) {
        const int cut = card.summary.lastIndexOf(' ', kMaxSummary);
        card.summary = card.summary.left(cut > 0 ? cut : kMaxSummary) + "…";
    }
    return card;
}

ModelCard readModelCard(const QString& model_path) {
    if (!QFileInfo(model_path).isDir()) return {};
    QFile file(QDir(model_path).filePath("README.md"));
    if (!file.open(QIODevice::ReadOnly)) return {};
    return parseModelCard(QString::fromUtf8(file.read(kMaxCardBytes)));
}

}  // namespace levit::ui
