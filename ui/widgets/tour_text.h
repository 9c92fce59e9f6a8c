#pragma once
// The tour's texts: a title and two to four sentences per step, with named placeholders ({tokens}) that the
// code fills with this image's numbers. They live in resources/tour/tour_steps.json (English) and
// tour_steps.<language>.json, compiled in as :/tour/, so they can be corrected and translated without
// touching code. A language without a file, or a step or text missing from it, falls back to English.
#include <QHash>
#include <QString>
#include <QStringList>
#include <QVector>

namespace levit::ui {

class TourText {
public:
    struct Step {
        QString id;                     // "resize_crop", ...
        QString title;
        QHash<QString, QString> texts;  // "text" and its variants ("text_no_crop", ...)
    };

    // The texts for `language` ("en", "zh_CN"), English where that language has none.
    static TourText load(const QString& language);
    // The texts of one JSON document (a resource's contents); `error` says what is wrong when it is not one.
    static TourText parse(const QByteArray& json, QString* error = nullptr);
    // The resource holding `language`'s texts (":/tour/tour_steps.json" for English).
    static QString resourcePath(const QString& language);

    const QVector<Step>& steps() const { return steps_; }
    bool isEmpty() const { return steps_.isEmpty(); }
    QString title(const QString& step) const;
    // The step's text `variant` ("text" or e.g. "text_no_crop"), the plain "text" when it has no such variant.
    QString text(const QString& step, const QString& variant = QStringLiteral("text")) const;

    // `text` with each {name} replaced by values[name]; names without a value stay as they are, visibly.
    static QString fill(const QString& text, const QHash<QString, QString>& values);
    // The {names} a text uses, in order of first use.
    static QStringList placeholders(const QString& text);

private:
    const Step* find(const QString& step) const;

    QVector<Step> steps_;
};

}  // namespace levit::ui
