#pragma once
// The window's language: a setting ("system", "en" or "zh_CN") resolved against the system's languages, and
// the embedded translation (a Qt resource built from resources/translations/*.ts) installed for it. The
// CLI stays in English and never calls this.
#include <QString>
#include <QStringList>

namespace levit::ui {

// The values the language setting takes: "system" follows the system's languages, the others force one.
inline constexpr const char* kLanguageSystem = "system";
inline constexpr const char* kLanguageEnglish = "en";
inline constexpr const char* kLanguageChinese = "zh_CN";

// The language shown for `setting`: "zh_CN" or "en". "system" takes the first of `ui_languages` (most
// preferred first, as QLocale::uiLanguages() lists them) that is Chinese or English; anything else is English.
QString resolveLanguage(const QString& setting, const QStringList& ui_languages);

// The resource holding the window's translation into `language` (e.g. ":/i18n/levit-lens_zh_CN.qm").
QString translationResource(const QString& language);

// Installs into the application the translation for `setting` (resolved with the system's languages),
// replacing one installed before, and Qt's own translation of its standard dialogs when the system has it.
// Returns the language now shown: "zh_CN", or "en" (no translator needed, or the translation failed to load).
QString installTranslation(const QString& setting);

}  // namespace levit::ui
