#include "settings.h"

#include <QDir>
#include <QSettings>

namespace levit::ui::settings {

namespace {

const QString kWindowGeometry = QStringLiteral("window/geometry");
const QString kSplitter = QStringLiteral("window/splitter");
const QString kTab = QStringLiteral("window/tab");
const QString kTopK = QStringLiteral("view/topK");
const QString kColormap = QStringLiteral("view/colormap");
const QString kPalette = QStringLiteral("view/palette");
const QString kLanguage = QStringLiteral("view/language");
const QString kRecentFiles = QStringLiteral("files/recent");
const QString kLastModel = QStringLiteral("model/last");
const QString kLastFolder = QStringLiteral("files/last_folder");

}  // namespace

QByteArray windowGeometry() { return QSettings().value(kWindowGeometry).toByteArray(); }
void setWindowGeometry(const QByteArray& geometry) { QSettings().setValue(kWindowGeometry, geometry); }
QByteArray splitterState() { return QSettings().value(kSplitter).toByteArray(); }
void setSplitterState(const QByteArray& state) { QSettings().setValue(kSplitter, state); }
int tab() { return QSettings().value(kTab, 0).toInt(); }
void setTab(int index) { QSettings().setValue(kTab, index); }

QString explainChoice(const QString& key, const QString& fallback) {
    return QSettings().value(QStringLiteral("explain/") + key, fallback).toString();
}
void setExplainChoice(const QString& key, const QString& value) { QSettings().setValue(QStringLiteral("explain/") + key, value); }

int topK() { return QSettings().value(kTopK, 5).toInt(); }
void setTopK(int k) { QSettings().setValue(kTopK, k); }
QString colormap() { return QSettings().value(kColormap, QStringLiteral("viridis")).toString(); }
void setColormap(const QString& name) { QSettings().setValue(kColormap, name); }
QString palette() { return QSettings().value(kPalette, QStringLiteral("system")).toString(); }
void setPalette(const QString& mode) { QSettings().setValue(kPalette, mode); }
QString language() { return QSettings().value(kLanguage, QStringLiteral("system")).toString(); }
void setLanguage(const QString& language) { QSettings().setValue(kLanguage, language); }

QStringList recentFiles() { return QSettings().value(kRecentFiles).toStringList(); }

void addRecentFile(const QString& path) {
    QSettings store;
    QStringList recent = store.value(kRecentFiles).toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecentFiles) recent.removeLast();
    store.setValue(kRecentFiles, recent);
}

QString lastFolder() { return QSettings().value(kLastFolder, QDir::homePath()).toString(); }
void setLastFolder(const QString& folder) { QSettings().setValue(kLastFolder, folder); }

QString lastModel() { return QSettings().value(kLastModel).toString(); }
void setLastModel(const QString& path) { QSettings().setValue(kLastModel, path); }

}  // namespace levit::ui::settings
