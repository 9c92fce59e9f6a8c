// Issue "classroom window" 11: the bundled Fashion-MNIST model calls a cat "Bag — 79.6%" in big type with no
// context. Beside the prediction the window now says which classes the model knows (count, list in a tooltip
// and on click) and, from the model folder's card (README.md), what it was trained on; a 1000-class config
// that names its classes only LABEL_N offers the ImageNet-1k names.
#include <QtTest/QtTest>

#include <QListWidget>
#include <QPushButton>
#include <QTemporaryDir>

#include "levit/config.h"
#include "levit/imagenet_labels.h"
#include "levit/model.h"
#include "test_support.h"
#include "view_test_helpers.h"
#include "widgets/heads_comparison_view.h"
#include "widgets/label_set_panel.h"
#include "widgets/model_card.h"
#include "widgets/predictions_view.h"
#include "widgets/presentation_view.h"
#include "widgets/top_k_chart.h"

using namespace levit::ui;

namespace {

const QStringList kFashionClasses = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                     "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};

// A result of a 1000-class model whose config has only generic names, ranked as the worker ranks.
InferenceResultPtr genericThousandClassResult() {
    static const auto model = levit::Model::withRandomWeights(levit::Config::preset("128S", 1000));
    auto result = std::make_shared<InferenceResult>();
    result->model = model;
    std::vector<float> logits(1000, 0.0f);
    logits[281] = 6;  // "tabby" in ImageNet-1k
    logits[285] = 5;  // "Egyptian cat"
    result->classification.logits = result->classification.cls_logits = result->classification.distillation_logits = logits;
    result->classification.top_k = levit::topK(logits.data(), 1000, 1000, model->config().id2label);
    return result;
}

}  // namespace

class TestLabelSet : public QObject {
    Q_OBJECT

private slots:
    void cardFrontMatterAndFirstParagraph() {
        const ModelCard listed = parseModelCard("---\nlicense: apache-2.0\ndatasets:\n- imagenet-1k\n- 'imagenet-21k'\ntags: [x]\n---\n"
                                                "# Title\n\n![badge](b.svg)\nA **LeViT** trained on\n[ImageNet](https://x).\n\nMore.\n");
        QCOMPARE(listed.datasets, (QStringList{"imagenet-1k", "imagenet-21k"}));
        QCOMPARE(listed.summary, QString("A LeViT trained on ImageNet."));
        QCOMPARE(parseModelCard("---\r\ndatasets: [a, \"b\"]\r\n---\r\nText\r\n").datasets, (QStringList{"a", "b"}));
        QCOMPARE(parseModelCard("---\ndatasets: cifar10\n---\n").datasets, QStringList{"cifar10"});
        const ModelCard plain = parseModelCard("# No front matter\nJust prose.");
        QVERIFY(plain.datasets.isEmpty());
        QCOMPARE(plain.summary, QString("Just prose."));
        QVERIFY(parseModelCard("").empty());
        QTemporaryDir dir;
        QVERIFY(readModelCard(dir.path()).empty());             // no README.md
        QVERIFY(readModelCard(dir.filePath("w.safetensors")).empty());  // a file, not a folder
    }

    void bundledModelSaysItsDomain() {
        const ModelCard card = readModelCard(view_test::fashionModelDir());
        QCOMPARE(card.datasets, QStringList{"fashion_mnist"});
        QVERIFY2(card.summary.startsWith("Fashion-MNIST: 28×28 grayscale photos of clothing"), qPrintable(card.summary));
    }

    // A cat photo through the clothing model: the answer comes with the ten classes and the training domain.
    void predictionShowsTheClassesTheModelKnows() {
        const std::string cat_path = levit_test::goldenDir("levit-128S_seed0") + "/images/photo_chelsea.png";
        LEVIT_REQUIRE_SHARED_PATH(cat_path);
        const QString cat = QString::fromStdString(cat_path);
        PredictionsView view;
        view.resize(400, 500);
        view.setModel(view_test::fashionModel(), view_test::fashionModelDir());
        view.showResult(view_test::classify(view_test::fashionModel(), cat));
        const LabelSetPanel* panel = view.labelSet();
        QVERIFY2(panel->countText().contains("10 classes"), qPrintable(panel->countText()));
        for (const QString& name : kFashionClasses) QVERIFY2(panel->classesToolTip().contains(name), qPrintable(name));
        QVERIFY(panel->domainText().contains("Fashion-MNIST"));
        QVERIFY(!panel->offersImagenetNames());
        QVERIFY(kFashionClasses.contains(view.shownLabels().first()));
        const_cast<LabelSetPanel*>(panel)->showClassList();
        QCOMPARE(panel->classList()->count(), 10);
        QVERIFY(panel->classList()->item(8)->text().contains("Bag"));
        view_test::saveScreenshot(&view, "predictions_cat_on_fashion");
    }

    void genericThousandLabelsOfferTheImagenetNames() {
        const InferenceResultPtr result = genericThousandClassResult();
        PredictionsView view;
        HeadsComparisonView heads;
        connect(&view, &PredictionsView::classNamesChanged, &heads, &HeadsComparisonView::setClassNames);
        view.setModel(result->model, {});
        view.showResult(result);
        heads.showResult(result);
        QCOMPARE(view.shownLabels().first(), QString("LABEL_281"));
        LabelSetPanel* panel = view.labelSet();
        QVERIFY(panel->offersImagenetNames());
        QVERIFY2(panel->noteText().contains("LABEL_0…LABEL_999"), qPrintable(panel->noteText()));
        QPushButton* use = panel->findChild<QPushButton*>();
        QVERIFY(use && use->isVisibleTo(panel));
        QSignalSpy changed(&view, &PredictionsView::classNamesChanged);
        PresentationView large;  // presentation mode and the live view follow the names chosen too
        connect(&view, &PredictionsView::classNamesChanged, &large, &PresentationView::setClassNames);
        large.showResult(result, QImage(8, 8, QImage::Format_RGB888));
        QCOMPARE(large.shownLabel(), QString("LABEL_281"));
        use->click();
        QCOMPARE(changed.size(), 1);
        QVERIFY(panel->usingImagenetNames());
        const auto& imagenet = levit::imagenet1kLabels();
        QCOMPARE(view.shownLabels().mid(0, 2), (QStringList{QString::fromStdString(imagenet[281]), QString::fromStdString(imagenet[285])}));
        QVERIFY(view.headline().startsWith(QString::fromStdString(imagenet[281])));
        QVERIFY(panel->noteText().contains("ImageNet-1k"));
        // The heads view follows, and the large view, at once and for the next result.
        QCOMPARE(heads.clsChart()->fullLabel(0), QString::fromStdString(imagenet[281]));
        QCOMPARE(large.shownLabel(), QString::fromStdString(imagenet[281]));
        large.showResult(result, QImage(8, 8, QImage::Format_RGB888));
        QCOMPARE(large.barLabels().mid(0, 2), (QStringList{QString::fromStdString(imagenet[281]), QString::fromStdString(imagenet[285])}));
        use->click();  // and back
        QCOMPARE(view.shownLabels().first(), QString("LABEL_281"));
        QCOMPARE(heads.clsChart()->fullLabel(0), QString("LABEL_281"));
    }

    // A small config with generic names has no ImageNet names to offer; real names are no "generic" names.
    void onlyThousandGenericLabelsAreOffered() {
        LabelSetPanel panel;
        panel.setModel(levit::Config::preset("128S", 10), {});
        QVERIFY(!panel.offersImagenetNames());
        QVERIFY(panel.noteText().contains("LABEL_0…LABEL_9"));
        panel.setUseImagenetNames(true);
        QVERIFY(!panel.usingImagenetNames());
        panel.setModel(view_test::fashionModel()->config(), {});
        QVERIFY(panel.noteText().isEmpty());
        QCOMPARE(panel.classNames(), kFashionClasses);
    }
};

QTEST_MAIN(TestLabelSet)
#include "test_label_set.moc"
