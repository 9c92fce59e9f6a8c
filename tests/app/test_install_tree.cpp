// What `cmake --install` puts on a system besides the programs: the launcher (the desktop id the AppStream
// metainfo names), the icon in every size, the man pages of both programs and bash completion for levit.
// The man pages and the completion are checked against the programs' own --help: every sub-command of
// levit, and every option its usage lists for it, must be in both, so neither can drift from the CLI.
#include <QtTest/QtTest>

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include "cli_runner.h"

using levit_test::runLevit;

namespace {

QString readText(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

// The text of a gzip'd file, through gzip itself (as man reads it).
QString gunzip(const QString& path) {
    QProcess gzip;
    gzip.start("gzip", {"-dc", path});
    gzip.waitForFinished(30000);
    return gzip.exitCode() == 0 ? QString::fromUtf8(gzip.readAllStandardOutput()) : QString();
}

// Width and height from a PNG's IHDR chunk; {0, 0} when the file is not a PNG.
QSize pngSize(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray head = f.read(24);
    if (head.size() < 24 || !head.startsWith("\x89PNG\r\n\x1a\n")) return {};
    auto big_endian = [&](int at) {
        return (uchar(head[at]) << 24) | (uchar(head[at + 1]) << 16) | (uchar(head[at + 2]) << 8) | uchar(head[at + 3]);
    };
    return QSize(int(big_endian(16)), int(big_endian(20)));
}

// levit's sub-commands and, for each, the options its usage lines in `levit --help` name.
QMap<QString, QSet<QString>> cliUsage() {
    const QString help = runLevit({"--help"}).out;
    QMap<QString, QSet<QString>> usage;
    static const QRegularExpression command_line("^  levit ([a-z]+)\\s");
    static const QRegularExpression option("--[a-z0-9][a-z0-9-]*");
    QString command;
    for (const QString& line : help.section("usage:", 1).section("\n\n", 0, 0).split('\n')) {
        const auto match = command_line.match(line);
        if (match.hasMatch()) command = match.captured(1);
        if (command.isEmpty()) continue;
        auto options = option.globalMatch(line);
        usage[command];
        while (options.hasNext()) usage[command].insert(options.next().captured(0));
    }
    return usage;
}

}  // namespace

class TestInstallTree : public QObject {
    Q_OBJECT
    QTemporaryDir prefix;
    QString share;

private slots:
    void initTestCase() {
        QVERIFY(prefix.isValid());
        const QString build_dir = QDir(LEVIT_BIN_DIR "/..").absolutePath();
        QProcess install;
        install.start("cmake", {"--install", build_dir, "--prefix", prefix.path()});
        QVERIFY(install.waitForFinished(300000));
        QVERIFY2(install.exitCode() == 0, install.readAllStandardError().constData());
        share = prefix.path() + "/share";
    }

    void theLauncherIsTheDesktopIdTheMetainfoNames() {
        const QString metainfo = readText(share + "/metainfo/io.github.levit_lens.LevitLens.metainfo.xml");
        const QString launchable = QRegularExpression("<launchable type=\"desktop-id\">([^<]+)</launchable>").match(metainfo).captured(1);
        QCOMPARE(launchable, QString("io.github.levit_lens.LevitLens.desktop"));
        const QString desktop = readText(share + "/applications/" + launchable);
        QVERIFY2(!desktop.isEmpty(), qPrintable(share + "/applications/" + launchable + " is not installed"));
        for (const QString line : {"Exec=levit-lens %F", "Icon=levit-lens", "Type=Application"})
            QVERIFY2(desktop.split('\n').contains(line), qPrintable(line));
        // "Open with LeViT Lens" for the common formats.
        for (const QString mime : {"image/png;", "image/jpeg;", "image/webp;", "image/tiff;", "image/bmp;"})
            QVERIFY2(desktop.contains(mime), qPrintable(mime));
    }

    void theIconIsInstalledInEverySize() {
        QVERIFY(QFileInfo(share + "/icons/hicolor/scalable/apps/levit-lens.svg").isFile());
        for (int size : {16, 22, 24, 32, 48, 64, 128, 256, 512}) {
            const QString png = share + QString("/icons/hicolor/%1x%1/apps/levit-lens.png").arg(size);
            QCOMPARE(pngSize(png), QSize(size, size));
        }
    }

    void theManPagesCoverEverySubcommandAndOption() {
        const QString levit = gunzip(share + "/man/man1/levit.1.gz");
        QVERIFY2(levit.startsWith(".\\\"") || levit.contains(".TH LEVIT"), "levit.1.gz is not a man page");
        const auto usage = cliUsage();
        QVERIFY2(usage.size() >= 8, qPrintable(QStringList(usage.keys()).join(' ')));
        for (auto it = usage.cbegin(); it != usage.cend(); ++it) {
            QVERIFY2(levit.contains("levit " + it.key()), qPrintable("levit.1 lacks " + it.key()));
            // help2man escapes dashes: "\-\-model".
            for (const QString& option : it.value())
                QVERIFY2(levit.contains(QString(option).replace("-", "\\-")), qPrintable("levit.1 lacks " + option));
        }
        const QString gui = gunzip(share + "/man/man1/levit-lens.1.gz");
        QVERIFY(gui.contains(".TH LEVIT-LENS"));
        for (const QString option : {"model", "tab", "tour", "screenshot", "quit-after-ms", "video", "presentation"})
            QVERIFY2(gui.contains("\\-\\-" + QString(option).replace("-", "\\-")), qPrintable("levit-lens.1 lacks --" + option));
    }

    void bashCompletionOffersEverySubcommandAndItsOptions() {
        const QString completion = readText(share + "/bash-completion/completions/levit");
        QVERIFY(completion.contains("complete -o filenames -F _levit levit"));
        const auto usage = cliUsage();
        const QString commands = QRegularExpression("local commands=\"([^\"]*)\"").match(completion).captured(1);
        for (auto it = usage.cbegin(); it != usage.cend(); ++it) {
            QVERIFY2(commands.split(' ').contains(it.key()), qPrintable("no " + it.key() + " in: " + commands));
            // The case branch of this sub-command, up to its ";;".
            const QString branch = QRegularExpression("\\n\\s+" + it.key() + "\\)\\s+echo \"([^\"]*)\"").match(completion).captured(1);
            QVERIFY2(!branch.isEmpty(), qPrintable("no options listed for " + it.key()));
            const QStringList offered = (QString("--model --revision ") + branch).split(QRegularExpression("\\s+"));
            for (const QString& option : it.value())
                QVERIFY2(offered.contains(option), qPrintable(it.key() + " " + option + " is not offered"));
        }
    }
};

QTEST_GUILESS_MAIN(TestInstallTree)
#include "test_install_tree.moc"
