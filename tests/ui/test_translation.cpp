// The window's Simplified Chinese translation: the embedded .qm loads; the committed .ts has a finished
// translation for every entry with the source's placeholders, HTML tags and menu mnemonic; the .ts holds every
// string the sources pass to tr() (lupdate run on them now); and the window built under the translator
// shows Chinese menus and tabs, with no string asked for that the translation does not have.
#include <QtTest/QtTest>

#include <QMenuBar>
#include <QProcess>
#include <QRegularExpression>
#include <QSettings>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTranslator>
#include <QXmlStreamReader>

#include <memory>
#include <set>
#include <utility>

#include "widgets/main_window.h"
#include "widgets/settings.h"
#include "widgets/tour_view.h"
#include "widgets/translation.h"

using namespace levit::ui;

namespace {

const QString kTinyModel = QStringLiteral(LEVIT_TEST_DATA_DIR "/golden/tiny_seed0");
const QString kTsFile = QStringLiteral(LEVIT_SOURCE_DIR "/resources/translations/levit-lens_zh_CN.ts");

struct TsEntry {
    QString context;
    QString source;
    QString type;               // the translation's type attribute: "unfinished", "vanished", "obsolete" or ""
    QStringList translations;   // one, or the numerus forms
};

std::vector<TsEntry> readTs(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(path));
    std::vector<TsEntry> entries;
    QXmlStreamReader xml(&file);
    QString context;
    TsEntry entry;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) continue;
        const auto name = xml.name();
        if (name == QLatin1String("name")) context = xml.readElementText();
        else if (name == QLatin1String("message")) entry = TsEntry{context, {}, {}, {}};
        else if (name == QLatin1String("source")) entry.source = xml.readElementText();
        else if (name == QLatin1String("translation")) {
            entry.type = xml.attributes().value(QLatin1String("type")).toString();
            // Either text or <numerusform> children: read the children one by one.
            QString text;
            while (!(xml.isEndElement() && xml.name() == QLatin1String("translation")) && !xml.atEnd()) {
                xml.readNext();
                if (xml.isCharacters()) text += xml.text();
                else if (xml.isStartElement() && xml.name() == QLatin1String("numerusform")) entry.translations << xml.readElementText();
            }
            if (entry.translations.isEmpty()) entry.translations << text;
            entries.push_back(entry);
        }
    }
    if (xml.hasError()) qFatal("%s: %s", qPrintable(path), qPrintable(xml.errorString()));
    return entries;
}

// What a translation must keep from its source: %1 … %n, HTML tags (by name, opening and closing).
QStringList markers(const QString& text) {
    static const QRegularExpression pattern(QStringLiteral("%(?:\\d+|n)|</?[A-Za-z][A-Za-z0-9]*"));
    QStringList found;
    for (auto it = pattern.globalMatch(text); it.hasNext();) found << it.next().captured();
    found.sort();
    return found;
}

// A menu mnemonic: & before a character, not "&&" nor an HTML entity.
bool hasMnemonic(const QString& text) {
    static const QRegularExpression pattern(QStringLiteral("&(?!&|[a-z]+;)\\S"));
    return pattern.match(text).hasMatch();
}

bool hasChinese(const QString& text) {
    for (const QChar c : text)
        if (c.unicode() >= 0x4E00 && c.unicode() <= 0x9FFF) return true;
    return false;
}

// Passes every lookup to the real translation and remembers the ones of this application it had no answer
// for: a tr() whose context at run time is not the one lupdate saw, or a string never extracted.
class RecordingTranslator : public QTranslator {
public:
    QString translate(const char* context, const char* source, const char* disambiguation, int n) const override {
        const QString answer = QTranslator::translate(context, source, disambiguation, n);
        const QString ctx = QString::fromUtf8(context);
        if (answer.isEmpty() && (ctx.startsWith(QLatin1String("levit::")) || ctx == QLatin1String("QObject")))
            missed.insert(ctx + QStringLiteral(": ") + QString::fromUtf8(source));
        return answer;
    }
    mutable std::set<QString> missed;
};

}  // namespace

class TestTranslation : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QCoreApplication::setOrganizationName("levit-lens-translation-tests"); }
    void init() { QSettings().clear(); }
    void cleanup() { installTranslation(kLanguageEnglish); }

    void embeddedChineseTranslationLoads() {
        QTranslator translator;
        QVERIFY2(translator.load(translationResource(kLanguageChinese)), qPrintable(translationResource(kLanguageChinese)));
        QCOMPARE(translator.language(), QStringLiteral("zh_CN"));
        QVERIFY(hasChinese(translator.translate("levit::ui::MainWindow", "&File")));
        QCOMPARE(installTranslation(kLanguageChinese), QStringLiteral("zh_CN"));
        QVERIFY(hasChinese(QCoreApplication::translate("levit::ui::MainWindow", "&View")));
        QCOMPARE(installTranslation(kLanguageEnglish), QStringLiteral("en"));
        QCOMPARE(QCoreApplication::translate("levit::ui::MainWindow", "&View"), QStringLiteral("&View"));
    }

    void languageFollowsTheSystemUnlessChosen() {
        QCOMPARE(resolveLanguage("system", {"zh-CN", "en-US"}), QStringLiteral("zh_CN"));
        QCOMPARE(resolveLanguage("system", {"zh-Hant-TW"}), QStringLiteral("zh_CN"));
        QCOMPARE(resolveLanguage("system", {"en-GB", "zh-CN"}), QStringLiteral("en"));
        QCOMPARE(resolveLanguage("system", {"de-DE", "zh-CN"}), QStringLiteral("zh_CN"));  // no German: the next one
        QCOMPARE(resolveLanguage("system", {"fr-FR"}), QStringLiteral("en"));
        QCOMPARE(resolveLanguage("system", {}), QStringLiteral("en"));
        QCOMPARE(resolveLanguage("en", {"zh-CN"}), QStringLiteral("en"));
        QCOMPARE(resolveLanguage("zh_CN", {"en-US"}), QStringLiteral("zh_CN"));
        QCOMPARE(settings::language(), QStringLiteral("system"));
        settings::setLanguage("zh_CN");
        QCOMPARE(settings::language(), QStringLiteral("zh_CN"));
    }

    // View > Language saves the choice for the next start and leaves the running window's language alone.
    void languageMenuSavesTheChoice() {
        MainWindow window;
        QAction* chinese = nullptr;
        for (QAction* a : window.findChildren<QAction*>())
            if (a->data().toString() == QLatin1String(kLanguageChinese)) chinese = a;
        QVERIFY(chinese);
        QVERIFY(!chinese->isChecked());
        chinese->trigger();
        QCOMPARE(settings::language(), QStringLiteral("zh_CN"));
        QVERIFY(chinese->isChecked());
        QCOMPARE(window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
        QVERIFY(window.statusBar()->currentMessage().contains(QLatin1String("restarts")));
    }

    // Every entry of the committed .ts is translated, keeps %1 … %n and the HTML tags of its source, and has
    // a mnemonic where the source has one.
    void everyEntryIsTranslated() {
        const std::vector<TsEntry> entries = readTs(kTsFile);
        QVERIFY(entries.size() > 400);
        QStringList problems;
        for (const TsEntry& e : entries) {
            const QString where = e.context + QStringLiteral(": \"") + e.source + QStringLiteral("\"");
            if (!e.type.isEmpty()) problems << where + QStringLiteral(" is ") + e.type;
            for (const QString& t : e.translations) {
                if (t.trimmed().isEmpty()) problems << where + QStringLiteral(" has no translation");
                else if (markers(t) != markers(e.source))
                    problems << where + QStringLiteral(": placeholders or tags %1 in the translation, %2 in the source")
                                            .arg(markers(t).join(' '), markers(e.source).join(' '));
                else if (hasMnemonic(t) != hasMnemonic(e.source)) problems << where + QStringLiteral(": mnemonic (&) differs");
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join('\n')));
    }

    // lupdate on the sources now finds no string the committed .ts lacks, and the .ts holds none they lost.
    void translationFileIsCurrent() {
#ifndef LEVIT_LUPDATE
        QSKIP("lupdate was not found when the build was configured (Debian: qt6-l10n-tools)");
#else
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString fresh = dir.filePath("fresh.ts");
        QProcess lupdate;
        lupdate.setWorkingDirectory(QStringLiteral(LEVIT_SOURCE_DIR));
        lupdate.start(QStringLiteral(LEVIT_LUPDATE), {"-silent", "-locations", "none", "ui/widgets", "app/gui/main.cpp", "-ts", fresh});
        QVERIFY(lupdate.waitForFinished(120'000));
        QVERIFY2(lupdate.exitCode() == 0, lupdate.readAllStandardError().constData());
        auto keys = [](const std::vector<TsEntry>& entries) {
            std::set<std::pair<QString, QString>> out;
            for (const TsEntry& e : entries)
                if (e.type != QLatin1String("vanished") && e.type != QLatin1String("obsolete")) out.emplace(e.context, e.source);
            return out;
        };
        const auto in_sources = keys(readTs(fresh));
        const auto committed = keys(readTs(kTsFile));
        QStringList problems;
        for (const auto& [context, source] : in_sources)
            if (!committed.count({context, source})) problems << QStringLiteral("not in the .ts: %1: \"%2\"").arg(context, source);
        for (const auto& [context, source] : committed)
            if (!in_sources.count({context, source})) problems << QStringLiteral("no longer in the sources: %1: \"%2\"").arg(context, source);
        QVERIFY2(problems.isEmpty(),
                 qPrintable(problems.join('\n') +
                            "\nRefresh it (see README, Languages): lupdate -locations none -no-obsolete ui/widgets app/gui/main.cpp "
                            "-ts resources/translations/levit-lens_zh_CN.ts, then translate the new entries"));
        QVERIFY(in_sources.size() > 400);
#endif
    }

    // The window built under the Chinese translation: Chinese menu and tab titles, and every text it asked
    // the translation for was there.
    void windowShowsChinese() {
        installTranslation(kLanguageEnglish);  // only the recording translator below
        RecordingTranslator recorder;
        QVERIFY(recorder.load(translationResource(kLanguageChinese)));
        QCoreApplication::installTranslator(&recorder);
        {
            MainWindow window;
            window.resize(1280, 720);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            // A model and a classified image, so every tab fills in its texts under the translation.
            QSignalSpy loaded(&window, &MainWindow::modelLoaded);
            window.loadModel(kTinyModel);
            QVERIFY(loaded.wait(20000));
            QSignalSpy shown(&window, &MainWindow::resultShown);
            window.addImageFiles({kTinyModel + "/images/sinus_640x427.png"});
            QVERIFY(shown.wait(20000));
            QStringList english;
            for (QAction* menu : window.menuBar()->actions())
                if (!hasChinese(menu->text())) english << QStringLiteral("menu ") + menu->text();
            QCOMPARE(window.menuBar()->actions().size(), 4);
            for (int i = 0; i < window.tabs()->count(); ++i) {
                window.tabs()->setCurrentIndex(i);
                QTest::qWait(300);  // the tab's own work (attention, explanation, results) reports back
                if (!hasChinese(window.tabs()->tabText(i))) english << QStringLiteral("tab ") + window.tabs()->tabText(i);
            }
            QCOMPARE(window.tabs()->count(), MainWindow::kTabCount);
            // The Model tab's second page: every step of the tour asks for its strings.
            window.showTour(0);
            QTest::qWait(300);
            for (int step = 1; step < TourView::stepCount(); ++step) window.tourView()->next();
            QVERIFY2(english.isEmpty(), qPrintable(english.join('\n')));
        }
        QCoreApplication::removeTranslator(&recorder);
        QStringList missed(recorder.missed.begin(), recorder.missed.end());
        QVERIFY2(missed.isEmpty(), qPrintable("asked for but not in the translation:\n" + missed.join('\n')));
    }
};

QTEST_MAIN(TestTranslation)
#include "test_translation.moc"
