#include "translation.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <memory>

namespace levit::ui {

namespace {

// The installed translators live as long as the application; a later install replaces them.
std::unique_ptr<QTranslator>& windowTranslator() {
    static std::unique_ptr<QTranslator> translator;
    return translator;
}
std::unique_ptr<QTranslator>& qtTranslator() {
    static std::unique_ptr<QTranslator> translator;
    return translator;
}

void uninstall(std::unique_ptr<QTranslator>& translator) {
    if (translator) QCoreApplication::removeTranslator(translator.get());
    translator.reset();
}

}  // namespace

QString resolveLanguage(const QString& setting, const QStringList& ui_languages) {
    if (setting == QLatin1String(kLanguageChinese) || setting == QLatin1String(kLanguageEnglish)) return setting;
    for (const QString& name : ui_languages) {
        // "zh-CN", "zh_TW", "zh-Hans-CN": Chinese of any region gets the Simplified translation, the only one.
        if (name.startsWith(QLatin1String("zh"))) return kLanguageChinese;
        if (name.startsWith(QLatin1String("en")) || name == QLatin1String("C")) return kLanguageEnglish;
    }
    return kLanguageEnglish;
}

QString translationResource(const QString& language) { return QStringLiteral(":/i18n/levit-lens_%1.qm").arg(language); }

QString installTranslation(const QString& setting) {
    uninstall(windowTranslator());
    uninstall(qtTranslator());
    const QString language = resolveLanguage(setting, QLocale::system().uiLanguages());
    if (language == QLatin1String(kLanguageEnglish)) return language;

    auto window = std::make_unique<QTranslator>();
    if (!window->load(translationResource(language))) return kLanguageEnglish;
    QCoreApplication::installTranslator(window.get());
    windowTranslator() = std::move(window);

    // Qt's own texts (the buttons of file and message dialogs) come from Debian's qt6-translations-l10n
    // when it is installed; without it those few stay in English.
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(QStringLiteral("qtbase_") + language, QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        qtTranslator() = std::move(qt);
    }
    return language;
}

}  // namespace levit::ui
