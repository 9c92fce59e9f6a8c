#pragma once
// A local stand-in for the Hugging Face Hub on 127.0.0.1, for tests that must not reach the internet.
// It answers like huggingface.co does:
//   HEAD/GET /{org}/{name}/resolve/{revision}/{file}
//     - small files: 200, ETag = git blob sha1, X-Repo-Commit, Content-Length (GET: the bytes; "Range:
//       bytes=N-" gives 206 with Content-Range)
//     - LFS files:   302 to http://127.0.0.1:PORT/cdn/{sha256}, X-Linked-Etag = sha256, X-Linked-Size,
//                    X-Repo-Commit
//     - unknown repository 401 + X-Error-Code: RepositoryNotFound; unknown revision 404 RevisionNotFound;
//       unknown file 404 EntryNotFound; a renamed repository 307 with a relative Location
//   GET /cdn/{sha256}: 200, or 206 for "Range: bytes=N-" with Content-Range
// and can misbehave on purpose: cut the connection once after N bytes of a file, serve a corrupted copy
// (always, or only in answers to a Range request), send slowly; and, through setHook(), anything a
// hostile server does: lie about sizes and commits, send endless or chunked bodies, drip the headers or
// the body a byte at a time, redirect anywhere. It runs on its own thread, so a test may block (e.g.
// waiting for a child process) while it serves. Every request is recorded with the number of body bytes
// actually sent.
#include <QByteArray>
#include <QCryptographicHash>
#include <QHostAddress>
#include <QMap>
#include <QMutex>
#include <QMutexLocker>
#include <QObject>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QUrl>

#include <functional>
#include <memory>

namespace levit_test {

class FakeHubServer {
public:
    struct File {
        QByteArray content;
        bool lfs = false;
    };
    struct Request {
        QString method;  // HEAD or GET
        QString path;    // as sent, percent-encoded
        QByteArray range;
        int status = 0;
        qint64 body_bytes = 0;  // bytes of the body actually written to the socket
        QByteArray host;           // the Host header: which of the server's names the client used
        QByteArray authorization;  // the Authorization header, empty when none was sent
    };
    // An answer, as the routing made it; a hook may change any of it before it is sent.
    struct Response {
        int status = 200;
        QList<QPair<QByteArray, QByteArray>> headers;  // a Content-Length here replaces the true one
        QByteArray body;          // sent for GET only
        qint64 cut_after = -1;    // close after this many body bytes
        bool chunked = false;     // Transfer-Encoding: chunked instead of Content-Length
        bool no_length = false;   // neither: the body ends when the connection closes
        qint64 endless = 0;       // after the body, this many more filler bytes (the client stops first)
        int drip_ms = 0;          // the body one byte per drip_ms
        int head_drip_ms = 0;     // the status line and headers one byte per head_drip_ms
        bool silent = false;      // never answer at all; the connection stays open

        void setHeader(const QByteArray& name, const QByteArray& value) {
            removeHeader(name);
            headers.append(qMakePair(name, value));
        }
        void removeHeader(const QByteArray& name) {
            headers.removeIf([&](const auto& h) { return h.first.compare(name, Qt::CaseInsensitive) == 0; });
        }
        QByteArray header(const QByteArray& name) const {
            for (const auto& h : headers)
                if (h.first.compare(name, Qt::CaseInsensitive) == 0) return h.second;
            return {};
        }
    };
    // Called on the server's thread for every request, after routing.
    using Hook = std::function<void(const QString& method, const QString& path, const QByteArray& range, Response& r)>;

    FakeHubServer() {
        thread_.start();
        context_ = new QObject;
        context_->moveToThread(&thread_);
        QMetaObject::invokeMethod(
            context_,
            [this] {
                auto* server = new QTcpServer(context_);
                server->listen(QHostAddress::LocalHost, 0);
                port_ = server->serverPort();
                QObject::connect(server, &QTcpServer::newConnection, context_, [this, server] {
                    while (QTcpSocket* socket = server->nextPendingConnection()) accept(socket);
                });
            },
            Qt::BlockingQueuedConnection);
    }
    ~FakeHubServer() {
        QMetaObject::invokeMethod(context_, [this] { delete context_; }, Qt::BlockingQueuedConnection);
        thread_.quit();
        thread_.wait();
    }
    FakeHubServer(const FakeHubServer&) = delete;
    FakeHubServer& operator=(const FakeHubServer&) = delete;

    quint16 port() const { return port_; }
    QString endpoint() const { return QStringLiteral("http://127.0.0.1:%1").arg(port_); }

    // A repository whose `branches` (e.g. "main") all point at `commit`.
    void addModel(const QString& repo, const QString& commit, const QMap<QString, File>& files,
                  const QStringList& branches = {"main"}) {
        QMutexLocker lock(&mutex_);
        Repo& r = repos_[repo];
        r.commits[commit] = files;
        for (const QString& b : branches) r.branches[b] = commit;
        for (const File& f : files)
            if (f.lfs) cdn_[sha256Hex(f.content)] = f.content;
    }
    // A gated repository: its files are answered (401, X-Error-Code: GatedRepo, as the Hub does) unless
    // the request carries "Authorization: Bearer <token>".
    void gate(const QString& repo, const QByteArray& token) {
        QMutexLocker lock(&mutex_);
        gated_[repo] = token;
    }
    // Requests for `old_repo` are redirected (307, relative Location) to `new_repo`, as after a rename.
    void renameRepo(const QString& old_repo, const QString& new_repo) {
        QMutexLocker lock(&mutex_);
        renamed_[old_repo] = new_repo;
    }
    // The next GET of this content (LFS from the CDN, or a small file) sends `bytes` bytes of the body
    // (counted from the start of the file), then closes the connection. Once.
    void cutOnce(const QByteArray& content, qint64 bytes) {
        QMutexLocker lock(&mutex_);
        cut_after_[sha256Hex(content)] = bytes;
    }
    // This content is served with one byte changed (the metadata still reports the true hash).
    void corrupt(const QByteArray& content) {
        QMutexLocker lock(&mutex_);
        corrupt_ << sha256Hex(content);
    }
    // Only answers to a Range request for this content are corrupted: a server that lies on resume.
    void corruptResumes(const QByteArray& content) {
        QMutexLocker lock(&mutex_);
        corrupt_resumes_ << sha256Hex(content);
    }
    // Bodies go out in 16 KiB chunks, one every `ms` milliseconds (0: as fast as possible).
    void setThrottle(int ms) {
        QMutexLocker lock(&mutex_);
        throttle_ms_ = ms;
    }
    void setHook(Hook hook) {
        QMutexLocker lock(&mutex_);
        hook_ = std::move(hook);
    }

    QList<Request> requests() const {
        QMutexLocker lock(&mutex_);
        return requests_;
    }
    void clearRequests() {
        QMutexLocker lock(&mutex_);
        requests_.clear();
    }

    static QString sha256Hex(const QByteArray& content) {
        return QString::fromLatin1(QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex());
    }
    // git's object id of a file ("blob <size>\0" + content), the Hub's ETag for non-LFS files.
    static QString gitBlobSha1(const QByteArray& content) {
        QByteArray object = "blob " + QByteArray::number(content.size());
        object.append('\0');
        object.append(content);
        return QString::fromLatin1(QCryptographicHash::hash(object, QCryptographicHash::Sha1).toHex());
    }

private:
    struct Repo {
        QMap<QString, QString> branches;                 // branch -> commit
        QMap<QString, QMap<QString, File>> commits;      // commit -> files
    };
    // One answer on its way out.
    struct Pump {
        QPointer<QTcpSocket> socket;
        QByteArray head;
        qint64 head_sent = 0;
        QByteArray body;
        qint64 offset = 0;
        qint64 filler_left = 0;
        bool chunked = false;
        bool complete = true;  // false: cut on purpose, so no chunked terminator either
        int pace_ms = 0;     // between writes
        qint64 step = 0;     // bytes per write
        int head_drip_ms = 0;
        int index = 0;
    };
    // Filler of an endless body stops here even if the client never does, so a broken test cannot fill
    // the machine.
    static constexpr qint64 kMaxFiller = qint64(256) << 20;
    static constexpr qint64 kMaxBuffered = qint64(1) << 20;

    void accept(QTcpSocket* socket) {
        auto buffer = std::make_shared<QByteArray>();
        QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
            buffer->append(socket->readAll());
            const int end = buffer->indexOf("\r\n\r\n");
            if (end < 0) return;
            const QList<QByteArray> lines = buffer->left(end).split('\n');
            buffer->clear();
            const QList<QByteArray> first = lines.value(0).trimmed().split(' ');
            QMap<QByteArray, QByteArray> headers;
            for (int i = 1; i < lines.size(); ++i) {
                const int colon = lines[i].indexOf(':');
                if (colon > 0) headers[lines[i].left(colon).trimmed().toLower()] = lines[i].mid(colon + 1).trimmed();
            }
            respond(socket, QString::fromLatin1(first.value(0)), QString::fromLatin1(first.value(1)), headers);
        });
    }

    // The bytes of `content` for a GET with `range`, with the configured faults.
    void serveContent(Response& r, const QString& method, const QByteArray& range, const QByteArray& full) {
        const QString sha = sha256Hex(full);
        QByteArray content = full;
        qint64 start = 0;
        if (range.startsWith("bytes=") && range.endsWith('-')) start = range.mid(6, range.size() - 7).toLongLong();
        const bool ranged = start > 0 && start < content.size();
        if (!ranged) start = 0;
        if ((corrupt_.contains(sha) || (ranged && corrupt_resumes_.contains(sha))) && start < content.size()) {
            const qsizetype at = start + (content.size() - start) / 2;  // inside what is sent
            content[at] = char(content[at] ^ 0x5a);
        }
        if (ranged) {
            r.status = 206;
            addHeader(r, "Content-Range", QStringLiteral("bytes %1-%2/%3").arg(start).arg(content.size() - 1).arg(content.size()).toLatin1());
        }
        r.body = content.mid(start);
        addHeader(r, "Accept-Ranges", "bytes");
        if (cut_after_.contains(sha) && method == "GET") r.cut_after = cut_after_.take(sha) - start;
    }

    Response route(const QString& method, const QString& path, const QByteArray& range) {
        Response r;
        if (path.startsWith("/cdn/")) {
            const QString sha = path.mid(5);
            if (!cdn_.contains(sha)) return notFound(r, "EntryNotFound");
            serveContent(r, method, range, cdn_[sha]);
            addHeader(r, "ETag", '"' + sha.toLatin1() + '"');
            return r;
        }
        // /{org}/{name}/resolve/{revision}/{file...}
        const QStringList parts = path.mid(1).split('/');
        if (parts.size() < 5 || parts[2] != "resolve") return notFound(r, "");
        const QString repo = parts[0] + "/" + parts[1];
        const QString revision = QUrl::fromPercentEncoding(parts[3].toLatin1());
        const QString file = QUrl::fromPercentEncoding(parts.mid(4).join('/').toLatin1());
        if (renamed_.contains(repo)) {
            r.status = 307;
            addHeader(r, "Location", ("/" + renamed_[repo] + "/resolve/" + parts.mid(3).join('/')).toLatin1());
            return r;
        }
        if (!repos_.contains(repo)) {
            r.status = 401;
            addHeader(r, "X-Error-Code", "RepositoryNotFound");
            r.body = "Repository not found";
            return r;
        }
        const Repo& rp = repos_[repo];
        const QString commit = rp.commits.contains(revision) ? revision : rp.branches.value(revision);
        if (commit.isEmpty()) return notFound(r, "RevisionNotFound");
        addHeader(r, "X-Repo-Commit", commit.toLatin1());
        const QMap<QString, File>& files = rp.commits[commit];
        if (!files.contains(file)) return notFound(r, "EntryNotFound");
        const File& f = files[file];
        if (f.lfs) {
            const QString sha = sha256Hex(f.content);
            r.status = 302;
            addHeader(r, "X-Linked-Etag", '"' + sha.toLatin1() + '"');
            addHeader(r, "X-Linked-Size", QByteArray::number(f.content.size()));
            addHeader(r, "ETag", '"' + gitBlobSha1(f.content).toLatin1() + '"');
            addHeader(r, "Location", QStringLiteral("http://127.0.0.1:%1/cdn/%2").arg(port_).arg(sha).toLatin1());
            return r;
        }
        addHeader(r, "ETag", '"' + gitBlobSha1(f.content).toLatin1() + '"');
        if (method == "HEAD") {
            r.body = f.content;  // only its length is sent
            return r;
        }
        serveContent(r, method, range, f.content);
        return r;
    }

    static void addHeader(Response& r, const QByteArray& name, const QByteArray& value) {
        r.headers.append(qMakePair(name, value));
    }

    static Response& notFound(Response& r, const QByteArray& code) {
        r.status = 404;
        if (!code.isEmpty()) addHeader(r, "X-Error-Code", code);
        r.body = "Not found";
        return r;
    }

    void respond(QTcpSocket* socket, const QString& method, const QString& path,
                 const QMap<QByteArray, QByteArray>& headers) {
        const QByteArray range = headers.value("range");
        Response r;
        int throttle;
        Hook hook;
        int index;
        const QByteArray authorization = headers.value("authorization");
        {
            QMutexLocker lock(&mutex_);
            r = route(method, path, range);
            for (auto it = gated_.cbegin(); it != gated_.cend(); ++it)
                if (path.startsWith("/" + it.key() + "/") && authorization != "Bearer " + it.value()) {
                    r = Response();
                    r.status = 401;
                    addHeader(r, "X-Error-Code", "GatedRepo");
                    r.body = "Access to this model is restricted";
                }
            throttle = throttle_ms_;
            hook = hook_;
        }
        if (hook) hook(method, path, range, r);
        {
            QMutexLocker lock(&mutex_);
            index = int(requests_.size());
            requests_.append({method, path, range, r.status, 0, headers.value("host"), authorization});
        }
        if (r.silent) return;
        QByteArray head = "HTTP/1.1 " + QByteArray::number(r.status) + " " + reason(r.status) + "\r\n";
        for (const auto& h : r.headers) head += h.first + ": " + h.second + "\r\n";
        if (r.chunked)
            head += "Transfer-Encoding: chunked\r\n";
        else if (!r.no_length && r.header("Content-Length").isEmpty())
            head += "Content-Length: " + QByteArray::number(r.body.size()) + "\r\n";
        head += "Connection: close\r\n\r\n";
        auto pump = std::make_shared<Pump>();
        pump->socket = socket;
        pump->head = head;
        pump->head_drip_ms = r.head_drip_ms;
        pump->index = index;
        if (method == "GET") {
            pump->body = r.cut_after >= 0 ? r.body.left(r.cut_after) : r.body;
            pump->filler_left = r.cut_after >= 0 ? 0 : qMin(r.endless, kMaxFiller);
        }
        pump->chunked = r.chunked;
        pump->complete = r.cut_after < 0;
        pump->pace_ms = r.drip_ms > 0 ? r.drip_ms : throttle;
        pump->step = r.drip_ms > 0 ? 1 : throttle > 0 ? 16 * 1024 : 256 * 1024;
        send(pump);
    }

    // Writes the next piece of the answer, then schedules the rest; closes when everything is out.
    void send(const std::shared_ptr<Pump>& p) {
        QTcpSocket* socket = p->socket;
        if (!socket || socket->state() != QAbstractSocket::ConnectedState) return;
        if (p->head_sent < p->head.size()) {
            const qint64 n = p->head_drip_ms > 0 ? 1 : p->head.size() - p->head_sent;
            socket->write(p->head.constData() + p->head_sent, n);
            p->head_sent += n;
            if (p->head_sent < p->head.size()) return later(p, p->head_drip_ms);
        }
        if (socket->bytesToWrite() > kMaxBuffered) return later(p, 5);  // the client reads slowly
        QByteArray piece;
        const qint64 from_body = qMin(p->step, qint64(p->body.size()) - p->offset);
        if (from_body > 0) {
            piece = p->body.mid(p->offset, from_body);
            p->offset += from_body;
        } else if (p->filler_left > 0) {
            const qint64 n = qMin(p->step, p->filler_left);
            piece = QByteArray(n, 'x');
            p->filler_left -= n;
        }
        if (!piece.isEmpty()) {
            socket->write(p->chunked ? QByteArray::number(piece.size(), 16) + "\r\n" + piece + "\r\n" : piece);
            QMutexLocker lock(&mutex_);
            requests_[p->index].body_bytes += piece.size();
        }
        if (p->offset < p->body.size() || p->filler_left > 0) return later(p, p->pace_ms);
        if (p->chunked && p->complete) socket->write("0\r\n\r\n");
        socket->disconnectFromHost();  // after the pending bytes: a short body reads as a cut connection
    }

    void later(const std::shared_ptr<Pump>& p, int ms) {
        QTimer::singleShot(ms, context_, [this, p] { send(p); });
    }

    static QByteArray reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 206: return "Partial Content";
            case 301: return "Moved Permanently";
            case 302: return "Found";
            case 307: return "Temporary Redirect";
            case 401: return "Unauthorized";
            case 404: return "Not Found";
            default: return "Status";
        }
    }

    QThread thread_;
    QObject* context_ = nullptr;
    quint16 port_ = 0;
    mutable QMutex mutex_;
    QMap<QString, Repo> repos_;
    QMap<QString, QString> renamed_;
    QMap<QString, QByteArray> gated_;  // repo -> the token that opens it
    QMap<QString, QByteArray> cdn_;
    QMap<QString, qint64> cut_after_;
    QStringList corrupt_;
    QStringList corrupt_resumes_;
    int throttle_ms_ = 0;
    Hook hook_;
    QList<Request> requests_;
};

}  // namespace levit_test
