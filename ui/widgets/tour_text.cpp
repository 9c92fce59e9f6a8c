#include "tour_text.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

namespace levit::ui {

namespace {

const QRegularExpression& placeholderPattern() {
    static const QRegularExpression pattern(QStringLiteral("\\{([a-z0-9_]+)\\}"));
    return pattern;
}

QByteArray readResource(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return file.readAll();
}

}  // namespace

QString TourText::resourcePath(const QString& language) {
    if (language.isEmpty() || language == QLatin1String("en")) return QStringLiteral(":/tour/tour_steps.json");
    return QStringLiteral(":/tour/tour_steps.%1.json").arg(language);
}

TourText TourText::parse(const QByteArray& json, QString* error) {
    QJsonParseError parse_error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parse_error);
    TourText result;
    if (!document.isObject() || !document.object().value("steps").isArray()) {
        if (error) *error = parse_error.error != QJsonParseError::NoError ? parse_error.errorString() : QStringLiteral("no \"steps\" array");
        return result;
    }
    for (const QJsonValue& value : document.object().value("steps").toArray()) {
        const QJsonObject object = value.toObject();
        Step step;
        step.id = object.value("id").toString();
        step.title = object.value("title").toString();
        for (auto it = object.begin(); it != object.end(); ++it)
            if (it.key().startsWith(QLatin1String("text"))) step.texts.insert(it.key(), it.value().toString());
        if (!step.id.isEmpty()) result.steps_.append(step);
    }
    if (error) error->clear();
    return result;
}

TourText TourText::load(const QString& language) {
    TourText english = parse(readResource(resourcePath(QStringLiteral("en"))));
    if (language.isEmpty() || language == QLatin1String("en")) return english;
    TourText translated = parse(readResource(resourcePath(language)));
    // The English file decides which steps exist and in what order; a translation only supplies words.
    TourText result = english;
    for (Step& step : result.steps_) {
        const Step* own = translated.find(step.id);
        if (!own) continue;
        if (!own->title.isEmpty()) step.title = own->title;
        for (auto it = own->texts.begin(); it != own->texts.end(); ++it)
            if (!it.value().isEmpty()) step.texts.insert(it.key(), it.value());
    }
    return result;
}

const TourText::Step* TourText::find(const QString& step) const {
    for (const Step& s : steps_)
        if (s.id == step) return &s;
    return nullptr;
}

QString TourText::title(const QString& step) const {
    const Step* s = find(step);
    return s ? s->title : QString();
}

QString TourText::text(const QString& step, const QString& variant) const {
    const Step* s = find(step);
    if (!s) return {};
    return s->texts.value(variant, s->texts.value(QStringLiteral("text")));
}

QString TourText::fill(const QString& text, const QHash<QString, QString>& values) {
    QString result;
    qsizetype last = 0;
    auto matches = placeholderPattern().globalMatch(text);
    while (matches.hasNext()) {
        const QRegularExpressionMatch match = matches.next();
        result += text.mid(last, match.capturedStart() - last);
        const auto value = values.constFind(match.captured(1));
        result += value != values.constEnd() ? *value : match.captured(0);
        last = match.capturedEnd();
    }
    return result + text.mid(last);
}

QStringList TourText::placeholders(const QString& text) {
    QStringList names;
    auto matches = placeholderPattern().globalMatch(text);
    while (matches.hasNext()) {
        const QString name = matches.next().captured(1);
        if (!names.contains(name)) names << name;
    }
    return names;
}

}  // namespace levit::ui
