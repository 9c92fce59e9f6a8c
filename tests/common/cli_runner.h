#pragma once
// Runs the built `levit` executable and captures what it prints.
#include <QProcess>
#include <QStringList>

namespace levit_test {

struct CliRun {
    int exit_code = -1;  // -1 when the process crashed or timed out
    QString out, err;
};

inline CliRun runLevit(const QStringList& args, int timeout_ms = 600000) {
    QProcess p;
    p.start(QStringLiteral(LEVIT_BIN_DIR "/levit"), args);
    p.waitForFinished(timeout_ms);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

}  // namespace levit_test
