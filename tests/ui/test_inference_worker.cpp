// The window's inference worker on its own: the golden answer through levit::Classifier, the newest
// request wins, and a model whose preprocessing does not give its input size fails with a message (never
// a result computed from the wrong number of pixels). The worker emits from its own thread; the test
// collects on its own thread through queued connections (no data race) and awaits counts with QTRY_*.
#include <QtTest/QtTest>

#include <QJsonDocument>
#include <QList>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cmath>

#include "levit/checkpoint.h"
#include "levit/npy.h"
#include "media/image_decoder.h"
#include "test_support.h"
#include "widgets/inference_worker.h"

using namespace levit::ui;

namespace {

const QString kTiny = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0");

std::vector<float> goldenRow(const char* file, int row) {
    const auto a = levit::readNpy(kTiny.toStdString() + "/npy/" + file);
    const auto v = a.toFloat();
    const int n = static_cast<int>(a.shape[1]);
    return std::vector<float>(v.begin() + row * n, v.begin() + (row + 1) * n);
}

std::shared_ptr<const levit::ImageRGB8> image(const char* name) {
    return std::make_shared<const levit::ImageRGB8>(levit::media::decodeImageFile((kTiny + "/images/" + name).toStdString()));
}

// What the worker reported, collected on the test's thread.
struct Reports : QObject {
    QList<InferenceResultPtr> results;
    QList<QVariantList> failures;  // id, source, message
    explicit Reports(InferenceWorker& worker) {
        connect(&worker, &InferenceWorker::resultReady, this, [this](InferenceResultPtr r) { results << r; }, Qt::QueuedConnection);
        connect(&worker, &InferenceWorker::failed, this, [this](quint64 id, const QString& source, const QString& message) {
            failures << QVariantList{id, source, message};
        }, Qt::QueuedConnection);
    }
};

// A request for a decoded image (the worker's other inputs left empty).
InferenceRequest request(quint64 id, const QString& source, std::shared_ptr<const levit::ImageRGB8> image, const levit::Probe& probe = {}) {
    InferenceRequest r;
    r.id = id;
    r.source = source;
    r.image = std::move(image);
    r.probe = probe;
    return r;
}

}  // namespace

class TestInferenceWorker : public QObject {
    Q_OBJECT
    QTemporaryDir tmp;

    // The tiny model with do_center_crop false: the resize alone gives 109 px on the short side.
    QString uncroppedModel() {
        const QString model = tmp.filePath("no-crop");
        QDir().mkpath(model);
        for (const char* f : {"config.json", "model.safetensors"}) QFile::copy(kTiny + "/" + f, model + "/" + f);
        QFile in(kTiny + "/preprocessor_config.json");
        in.open(QIODevice::ReadOnly);
        QJsonObject config = QJsonDocument::fromJson(in.readAll()).object();
        config["do_center_crop"] = false;
        QFile out(model + "/preprocessor_config.json");
        out.open(QIODevice::WriteOnly);
        out.write(QJsonDocument(config).toJson());
        return model;
    }

private slots:
    void classifiesLikeTheGoldenModel() {
        InferenceWorker worker;
        worker.setModel(levit::loadModel(kTiny.toStdString()), 1);
        Reports reports(worker);
        auto& ready = reports.results;
        auto& failed = reports.failures;
        levit::Probe probe;
        probe.hidden_states = true;
        worker.submit(request(7, "sinus", image("sinus_640x427.png"), probe));
        QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 20000);
        QCOMPARE(failed.size(), 0);
        const auto result = ready.first();
        QCOMPARE(result->id, quint64(7));
        QCOMPARE(result->model_input.width, 96);
        QCOMPARE(result->model_input.height, 96);
        QVERIFY(!result->probe.hidden_states.empty());
        QVERIFY(result->probe.timings.total_ms > 0);  // the window always shows the timings
        const auto logits = goldenRow("logits.npy", 4), cls = goldenRow("cls_logits.npy", 4);
        QCOMPARE(result->classification.logits.size(), logits.size());
        for (size_t i = 0; i < logits.size(); ++i) {
            QVERIFY(std::abs(result->classification.logits[i] - logits[i]) <= 1e-4);
            QVERIFY(std::abs(result->classification.cls_logits[i] - cls[i]) <= 1e-4);
        }
    }

    void aPreprocessingThatDoesNotFitTheModelFailsWithAMessage() {
        const QString model = uncroppedModel();
        InferenceWorker worker;
        worker.setModel(levit::loadModel(model.toStdString()), 1);
        Reports reports(worker);
        auto& ready = reports.results;
        auto& failed = reports.failures;
        worker.submit(request(1, "sinus", image("sinus_640x427.png")));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(failed.first().at(0).toULongLong(), quint64(1));
        QCOMPARE(failed.first().at(1).toString(), QString("sinus"));
        const QString message = failed.first().at(2).toString();
        QVERIFY2(message.contains(model) && message.contains("preprocessor_config.json") && message.contains("163x109") &&
                     message.contains("96x96"),
                 qPrintable(message));
        // The worker goes on: the same model fails again the same way, and a fitting model answers.
        worker.submit(request(2, "square", image("noise_224x224.png")));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 20000);
        QVERIFY2(failed.last().at(2).toString().contains("109x109"), qPrintable(failed.last().at(2).toString()));
        worker.setModel(levit::loadModel(kTiny.toStdString()), 1);
        worker.submit(request(3, "square", image("noise_224x224.png")));
        QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 20000);
        QCOMPARE(failed.size(), 2);
    }

    void withoutAModelOrAnImageItSaysSo() {
        InferenceWorker worker;
        Reports reports(worker);
        auto& failed = reports.failures;
        worker.submit(request(1, "sinus", image("sinus_640x427.png")));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QVERIFY(failed.last().at(2).toString().contains("No model"));
        worker.setModel(levit::loadModel(kTiny.toStdString()), 1);
        worker.submit(request(2, "nothing", nullptr));
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 2, 20000);
        QVERIFY(failed.last().at(2).toString().contains("no image"));
    }

    // A burst of requests: only the newest of those waiting runs; the last one always does.
    void theNewestRequestWins() {
        InferenceWorker worker;
        worker.setModel(levit::loadModel(kTiny.toStdString()), 1);
        Reports reports(worker);
        auto& ready = reports.results;
        const auto picture = image("sinus_640x427.png");
        for (quint64 id = 1; id <= 50; ++id) worker.submit(request(id, "burst", picture));
        QTRY_VERIFY_WITH_TIMEOUT(!ready.isEmpty() && ready.last()->id == 50, 20000);
        QTest::qWait(50);
        QCOMPARE(quint64(ready.size()) + worker.droppedRequests(), quint64(50));
        QVERIFY(worker.droppedRequests() > 0);
    }
};

QTEST_MAIN(TestInferenceWorker)
#include "test_inference_worker.moc"
