#pragma once
// What the window remembers between runs, with its defaults: every QSettings key the application uses is
// read and written here only, so a key or a default cannot drift apart between two places.
#include <QByteArray>
#include <QString>
#include <QStringList>

namespace levit::ui::settings {

// Most recently opened image files kept in File > Open recent.
constexpr int kMaxRecentFiles = 10;

QByteArray windowGeometry();  // empty before the first close
void setWindowGeometry(const QByteArray& geometry);
QByteArray splitterState();
void setSplitterState(const QByteArray& state);
int tab();  // default 0 (feature maps)
void setTab(int index);

// The Explain tab's choices, by name ("method": a levit::methodName, "head": "mean", "cls", "distillation",
// "all", "difference"; "opacity": percent; "steps"), so the tab opens as it was left.
QString explainChoice(const QString& key, const QString& fallback);
void setExplainChoice(const QString& key, const QString& value);
int topK();  // default 5
void setTopK(int k);
QString colormap();  // default "viridis"
void setColormap(const QString& name);
QString palette();  // "system" (default), "light" or "dark"
void setPalette(const QString& mode);
QString language();  // "system" (default: the system's languages), "en" or "zh_CN"; read once at startup
void setLanguage(const QString& language);

QStringList recentFiles();  // newest first
// Puts path first (once) and keeps at most kMaxRecentFiles.
void addRecentFile(const QString& path);

QString lastFolder();  // where file dialogs open; the home folder before the first use
void setLastFolder(const QString& folder);

QString lastModel();  // the model path last loaded successfully; empty when none
void setLastModel(const QString& path);

}  // namespace levit::ui::settings
