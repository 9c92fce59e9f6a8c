// The step-by-step tour (issue 18): on the bundled model and on a levit-128S-shaped model every step shows
// this image's own numbers (source size, resize, crop and what was cut, the pixel before and after
// normalisation, the first filter, the token grid, one attention head, the subsample, pooling, both heads,
// the answer); Next/Back and the keys walk it and stop at the ends; live frames do not disturb a tour under
// way; the English and Chinese texts have the same steps and placeholders, all of them filled by the code;
// presentation mode shows the tour at the same step in larger fonts. With LEVIT_SCREENSHOT_DIR set, every
// step is saved at 1280x720- and 1920x1080-like sizes, light and dark, and in presentation mode.
#include <QtTest/QtTest>

#include <QFile>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>

#include <cmath>
#include <memory>

#include "levit/checkpoint.h"
#include "levit/classifier.h"
#include "levit/config.h"
#include "levit/model.h"
#include "levit/preprocess.h"
#include "media/bundled_model.h"
#include "media/image_decoder.h"
#include "test_support.h"
#include "view_test_helpers.h"
#include "widgets/image_convert.h"
#include "widgets/palettes.h"
#include "widgets/presentation_window.h"
#include "widgets/top_k_chart.h"
#include "widgets/tour_figures.h"
#include "widgets/tour_steps.h"
#include "widgets/tour_text.h"
#include "widgets/tour_view.h"

using namespace levit::ui;

namespace {

const QString kSinus = QString::fromStdString(levit_test::testDataDir() + "/golden/tiny_seed0/images/sinus_640x427.png");

QByteArray resource(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

// What the shortest-edge resize of transformers gives a w x h picture for `target` (its own arithmetic,
// written out here to check the tour against): the short side becomes target, the long one int(target*long/short).
QSize shortestEdgeResize(QSize source, int target) {
    const bool wide = source.width() >= source.height();
    const int short_side = wide ? source.height() : source.width(), long_side = wide ? source.width() : source.height();
    const int scaled_long = int(double(target) * long_side / short_side);
    return wide ? QSize(scaled_long, target) : QSize(target, scaled_long);
}

QString percent(double p) { return QString::number(p * 100.0, 'f', 1); }

}  // namespace

class TestTourView : public QObject {
    Q_OBJECT

    std::shared_ptr<const levit::Model> bundled_, levit128s_;
    levit::ImageRGB8 sinus_;
    quint64 next_id_ = 1;

    // What the window's worker hands the tour for `image`: classified with the tour's probe, with the picture's size.
    InferenceResultPtr classify(const std::shared_ptr<const levit::Model>& model, const levit::ImageRGB8& image,
                                const levit::Probe& probe, bool live = false) {
        levit::Classifier classifier(model);
        classifier.setTopK(model->config().numLabels());
        auto result = std::make_shared<InferenceResult>();
        result->id = next_id_++;
        result->source = live ? QStringLiteral("live") : kSinus;
        result->model = model;
        result->source_size = QSize(image.width, image.height);
        if (live) result->original = toQImage(image);
        result->classification = classifier.classify(image, probe, &result->probe, &result->model_input);
        return result;
    }

    // Walks every step of `view`, checking this image's numbers in the text of each.
    void checkEveryStep(TourView& view, const InferenceResult& result) {
        const levit::Config& config = result.model->config();
        const int crop = config.preprocess.crop_width;
        const int resize_target = int(256.0 / 224.0 * config.preprocess.shortest_edge);
        const QSize resized = shortestEdgeResize(result.source_size, resize_target);
        const int grid = config.image_size / config.patch_size;
        const auto& blocks = result.model->attentionBlocks();
        view.setStep(0);
        QSignalSpy stepped(&view, &TourView::stepChanged);
        for (int step = 0; step < TourView::stepCount(); ++step) {
            QCOMPARE(view.step(), step);
            const QString text = view.stepText();
            QVERIFY2(!text.contains('{'), qPrintable(text));  // every placeholder filled
            QVERIFY(view.hintText().isEmpty());
            switch (view.currentStep()) {
            case TourStep::ResizeCrop: {
                QVERIFY2(text.contains(QStringLiteral("%1×%2").arg(result.source_size.width()).arg(result.source_size.height())), qPrintable(text));
                QVERIFY2(text.contains(QStringLiteral("%1×%2").arg(resized.width()).arg(resized.height())), qPrintable(text));
                QVERIFY2(text.contains(QStringLiteral("%1×%1").arg(crop)), qPrintable(text));
                // Cut on the left and right: (W - crop) // 2 and the rest.
                const int left = (resized.width() - crop) / 2, right = resized.width() - crop - left;
                QVERIFY2(text.contains(QStringLiteral(" %1 pixels go on the left, %2 on the right").arg(left).arg(right)), qPrintable(text));
                QCOMPARE(view.numbers().crop.cut_top, (resized.height() - crop) / 2);
                break;
            }
            case TourStep::Normalise: {
                const PixelNumbers& p = view.numbers().pixel;
                QCOMPARE(p.pixel, QPoint(crop / 2, crop / 2));
                const uint8_t* px = result.model_input.row(crop / 2) + (crop / 2) * 3;
                for (int c = 0; c < 3; ++c) {
                    QCOMPARE(p.rgb[c], int(px[c]));
                    const double expected = (px[c] / 255.0 - config.preprocess.image_mean[c]) / config.preprocess.image_std[c];
                    QVERIFY(std::abs(p.model_value[c] - expected) < 1e-4);
                }
                QVERIFY2(text.contains(QStringLiteral("R %1, G %2, B %3").arg(px[0]).arg(px[1]).arg(px[2])), qPrintable(text));
                QVERIFY2(text.contains(QString::number((px[0] / 255.0 - 0.485) / 0.229, 'f', 2)), qPrintable(text));
                break;
            }
            case TourStep::PatchFilter: {
                const FilterNumbers& f = view.numbers().filter;
                QVERIFY(f.available);
                QCOMPARE(f.filters, config.hidden_sizes[0] / 8);
                QCOMPARE(f.response_size, config.image_size / 2);
                QVERIFY2(text.contains(QStringLiteral("%1 small filters").arg(f.filters)), qPrintable(text));
                QVERIFY2(text.contains(QStringLiteral("%1×%1 map").arg(config.image_size / 2)), qPrintable(text));
                checkFilterWeightsGiveTheResponse(result, f);
                break;
            }
            case TourStep::TokenGrid:
                QVERIFY2(text.contains(QStringLiteral("%1×%1 = %2 tokens").arg(grid).arg(grid * grid)), qPrintable(text));
                QVERIFY2(text.contains(QStringLiteral("described by %1 numbers").arg(config.hidden_sizes[0])), qPrintable(text));
                break;
            case TourStep::Attention: {
                const AttentionNumbers& a = view.numbers().attention;
                QVERIFY(a.available);
                QCOMPARE(a.heads, config.num_attention_heads[0]);
                QCOMPARE(int(a.content.size()), grid * grid);
                QVERIFY2(text.contains(QStringLiteral("all %1 tokens").arg(grid * grid)), qPrintable(text));
                QVERIFY2(text.contains(QStringLiteral("head 1 of %1").arg(a.heads)), qPrintable(text));
                QVERIFY2(text.contains(QStringLiteral("row %1, column %1").arg(grid / 2 + 1)), qPrintable(text));
                // The three maps are the real terms: softmax(content + bias) is the attention the model used.
                double denominator = 0;
                std::vector<double> e(a.content.size());
                for (size_t k = 0; k < e.size(); ++k) denominator += e[k] = std::exp(double(a.content[k]) + a.bias[k]);
                for (size_t k = 0; k < e.size(); ++k) QVERIFY(std::abs(e[k] / denominator - a.probabilities[k]) < 1e-4);
                break;
            }
            case TourStep::Subsample: {
                const levit::AttentionBlockInfo* first = nullptr;
                for (const auto& b : blocks)
                    if (b.kind == levit::BlockKind::AttentionSubsample && !first) first = &b;
                QVERIFY(first);
                QCOMPARE(first->resolution_in, grid);
                QVERIFY2(text.contains(QStringLiteral("from %1×%1 (%2 tokens) to %3×%3 (%4 tokens)").arg(grid).arg(grid * grid)
                                           .arg(first->resolution_out).arg(first->resolution_out * first->resolution_out)), qPrintable(text));
                QVERIFY2(text.contains(QStringLiteral("from %1 to %2 numbers").arg(config.hidden_sizes[0]).arg(config.hidden_sizes[1])), qPrintable(text));
                const std::vector<int> grids = config.stageResolutions();
                QVERIFY2(text.contains(QStringLiteral("%1×%1×%2 → %3×%3×%4").arg(grids[0]).arg(config.hidden_sizes[0]).arg(grids[1]).arg(config.hidden_sizes[1])), qPrintable(text));
                break;
            }
            case TourStep::Pooling: {
                const int final_grid = config.stageResolutions().back();
                QVERIFY2(text.contains(QStringLiteral("%1 tokens (%2×%2) of %3 numbers").arg(final_grid * final_grid).arg(final_grid).arg(config.hidden_sizes.back())), qPrintable(text));
                QCOMPARE(int(view.numbers().pooled.size()), config.hidden_sizes.back());
                break;
            }
            case TourStep::Heads: {
                const levit::Classification& c = result.classification;
                QVERIFY2(text.contains(QString::fromStdString(c.cls_top1.label)), qPrintable(text));
                QVERIFY2(text.contains(QString::fromStdString(c.distillation_top1.label)), qPrintable(text));
                QVERIFY2(text.contains(QString::number(c.cls_top1.logit, 'f', 2)), qPrintable(text));
                QVERIFY2(text.contains(QStringLiteral("%1 classes").arg(config.numLabels())), qPrintable(text));
                QCOMPARE(text.contains("disagree"), c.cls_top1.index != c.distillation_top1.index);
                break;
            }
            case TourStep::Probabilities: {
                const levit::Prediction& top = result.classification.top_k[0];
                QVERIFY2(text.contains(QStringLiteral("%1 with %2%").arg(QString::fromStdString(top.label), percent(top.probability))), qPrintable(text));
                QCOMPARE(view.answerChart()->rowCount(), std::min(5, config.numLabels()));
                QCOMPARE(view.answerChart()->fullLabel(0), QString::fromStdString(top.label));
                break;
            }
            }
            if (step + 1 < TourView::stepCount()) view.next();
        }
        QCOMPARE(stepped.count(), TourView::stepCount() - 1);
    }

    // The filter read back from the model, applied to the normalised input, gives the response the model computed.
    static void checkFilterWeightsGiveTheResponse(const InferenceResult& result, const FilterNumbers& f) {
        const levit::Config& config = result.model->config();
        QCOMPARE(int(f.weights.size()), config.num_channels * config.kernel_size * config.kernel_size);
        const levit::ImageRGB8& input = result.model_input;
        std::vector<float> chw(size_t(3) * input.width * input.height);
        levit::normalizeInto(input, config.preprocess, chw);
        const levit::FeatureMaps& conv = result.probe.patch_embed_convs[0];
        const size_t plane = size_t(input.width) * input.height;
        double bias_estimate = 0;
        // At two positions: their difference cancels the bias, so the weights alone are checked.
        auto weighted = [&](int oy, int ox) {
            double sum = 0;
            for (int c = 0; c < 3; ++c)
                for (int ky = 0; ky < 3; ++ky)
                    for (int kx = 0; kx < 3; ++kx)
                        sum += f.weights[size_t((c * 3 + ky) * 3 + kx)] * chw[c * plane + size_t(2 * oy - 1 + ky) * input.width + (2 * ox - 1 + kx)];
            return sum;
        };
        auto response = [&](int oy, int ox) { return double(conv.values[(size_t(f.filter) * conv.height + oy) * conv.width + ox]); };
        bias_estimate = response(5, 7) - weighted(5, 7);
        for (const QPoint p : {QPoint(20, 9), QPoint(conv.width / 2, conv.height / 2), QPoint(conv.width - 3, conv.height - 4)})
            QVERIFY2(std::abs(response(p.y(), p.x()) - weighted(p.y(), p.x()) - bias_estimate) < 1e-3,
                     qPrintable(QStringLiteral("%1 vs %2").arg(response(p.y(), p.x())).arg(weighted(p.y(), p.x()) + bias_estimate)));
    }

    void screenshotEveryStep(TourView& view, const QString& name) {
        if (qEnvironmentVariable("LEVIT_SCREENSHOT_DIR").isEmpty()) return;
        const int step = view.step();
        for (int s = 0; s < TourView::stepCount(); ++s) {
            view.setStep(s);
            QCoreApplication::processEvents();
            view_test::saveScreenshot(&view, QStringLiteral("%1_step%2").arg(name).arg(s + 1));
        }
        view.setStep(step);
    }

private slots:
    void initTestCase() {
        QCoreApplication::setOrganizationName("levit-lens-tests");
        QCoreApplication::setApplicationName("test_tour_view");
        bundled_ = levit::loadModel(levit::media::defaultModelPath());
        levit128s_ = levit::Model::withRandomWeights(levit::Config::preset("128S"));
        sinus_ = levit::media::decodeImageFile(kSinus.toStdString());
        QCOMPARE(sinus_.width, 640);
        QCOMPARE(sinus_.height, 427);
    }

    void theTextFilesHaveTheSameStepsAndPlaceholdersAllFilledByTheCode() {
        QString error;
        const TourText english = TourText::parse(resource(TourText::resourcePath("en")), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        const TourText chinese = TourText::parse(resource(TourText::resourcePath("zh_CN")), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(english.steps().size(), kTourStepCount);
        QCOMPARE(chinese.steps().size(), kTourStepCount);
        const QStringList filled = tourPlaceholderNames();
        for (int i = 0; i < kTourStepCount; ++i) {
            const auto& en = english.steps()[i];
            const auto& zh = chinese.steps()[i];
            QCOMPARE(en.id, tourStepKey(TourStep(i)));
            QCOMPARE(zh.id, en.id);
            QVERIFY(!en.title.isEmpty() && !zh.title.isEmpty());
            QVERIFY(en.texts.contains("text"));
            QCOMPARE(QSet<QString>(zh.texts.keyBegin(), zh.texts.keyEnd()), QSet<QString>(en.texts.keyBegin(), en.texts.keyEnd()));
            for (auto it = en.texts.begin(); it != en.texts.end(); ++it) {
                const QStringList names = TourText::placeholders(it.value());
                const QStringList translated = TourText::placeholders(zh.texts.value(it.key()));
                QCOMPARE(QSet<QString>(translated.begin(), translated.end()), QSet<QString>(names.begin(), names.end()));
                for (const QString& name : names) QVERIFY2(filled.contains(name), qPrintable(en.id + ": {" + name + "}"));
                // A translation is a translation: not the English text left in place.
                QVERIFY2(zh.texts.value(it.key()) != it.value(), qPrintable(en.id + "." + it.key()));
            }
        }
    }

    void aMissingLanguageOrTextFallsBackToEnglish() {
        const TourText english = TourText::load("en");
        const TourText unknown = TourText::load("fr");
        QCOMPARE(unknown.title("attention"), english.title("attention"));
        QCOMPARE(unknown.text("attention"), english.text("attention"));
        // A variant missing from a step gives its plain text.
        QCOMPARE(english.text("token_grid", "text_no_crop"), english.text("token_grid"));
        QCOMPARE(TourText::fill("{a} and {b}", {{"a", "1"}}), QStringLiteral("1 and {b}"));
        QCOMPARE(TourText::placeholders("{x}{y} {x}"), QStringList({"x", "y"}));
    }

    void everyStepShowsThisImagesNumbersOnTheBundledModel() {
        TourView view;
        view.setLanguage("en");
        view.resize(1240, 600);
        view.show();
        const auto result = classify(bundled_, sinus_, view.probeNeeded());
        view.setPicture(toQImage(sinus_));
        view.showResult(result);
        QCOMPARE(view.numbers().crop.crop, QSize(112, 112));
        QCOMPARE(view.numbers().crop.resized, QSize(191, 128));
        QCOMPARE(view.numbers().tokens.tokens(), 49);
        checkEveryStep(view, *result);
    }

    void everyStepShowsThisImagesNumbersOnALevit128SModel() {
        TourView view;
        view.setLanguage("en");
        view.resize(1240, 600);
        view.show();
        const auto result = classify(levit128s_, sinus_, view.probeNeeded());
        view.setPicture(toQImage(sinus_));
        view.showResult(result);
        QCOMPARE(view.numbers().crop.crop, QSize(224, 224));
        QCOMPARE(view.numbers().crop.resized, QSize(383, 256));
        QCOMPARE(view.numbers().tokens.grid, 14);
        QCOMPARE(view.numbers().tokens.tokens(), 196);
        QCOMPARE(view.numbers().tokens.channels, 128);
        view.setStep(int(TourStep::Subsample));
        QVERIFY2(view.stepText().contains(QStringLiteral("14×14×128 → 7×7×256 → 4×4×384")), qPrintable(view.stepText()));
        QVERIFY2(view.stepText().contains("one token out of every 2 in each direction"), qPrintable(view.stepText()));
        checkEveryStep(view, *result);
    }

    // The subsample step names the model's own stride (it said "every second token" whatever the stride).
    void theSubsampleStepNamesTheModelsStride() {
        levit::Config config = levit::Config::preset("128S", 10);
        config.down_ops[0]->stride = 3;  // 14x14 -> 5x5
        config.validate("test");
        const auto model = levit::Model::withRandomWeights(config);
        TourView view;
        view.setLanguage("en");
        view.showResult(classify(model, sinus_, view.probeNeeded()));
        view.setStep(int(TourStep::Subsample));
        QCOMPARE(view.numbers().subsample.stride, 3);
        QCOMPARE(view.numbers().subsample.after.grid, 5);
        QVERIFY2(view.stepText().contains("one token out of every 3 in each direction"), qPrintable(view.stepText()));
        QVERIFY2(view.stepText().contains(QStringLiteral("from 14×14 (196 tokens) to 5×5 (25 tokens)")), qPrintable(view.stepText()));
        view.setLanguage("zh_CN");
        QVERIFY2(view.stepText().contains(QStringLiteral("每 3 个词元只保留一个")), qPrintable(view.stepText()));
    }

    void backReturnsTheLastStepStopsAndTheKeysWalk() {
        TourView view;
        view.resize(1000, 600);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.showResult(classify(bundled_, sinus_, view.probeNeeded()));
        QVERIFY(!view.backButton()->isEnabled());
        view.back();
        QCOMPARE(view.step(), 0);
        QTest::mouseClick(view.nextButton(), Qt::LeftButton);
        QCOMPARE(view.step(), 1);
        const QString second = view.stepText();
        QTest::mouseClick(view.backButton(), Qt::LeftButton);
        QCOMPARE(view.step(), 0);
        QVERIFY(view.stepText() != second);
        QTest::keyClick(&view, Qt::Key_Right);
        QTest::keyClick(&view, Qt::Key_Space);
        QTest::keyClick(&view, Qt::Key_PageDown);
        QCOMPARE(view.step(), 3);
        QTest::keyClick(&view, Qt::Key_Left);
        QTest::keyClick(&view, Qt::Key_PageUp);
        QCOMPARE(view.step(), 1);
        for (int i = 0; i < 20; ++i) QTest::keyClick(&view, Qt::Key_Right);
        QCOMPARE(view.step(), TourView::stepCount() - 1);
        QVERIFY(!view.nextButton()->isEnabled());
        QTest::mouseClick(view.nextButton(), Qt::LeftButton);
        QCOMPARE(view.step(), TourView::stepCount() - 1);
    }

    void withoutAPictureTheTourSaysWhatToDo() {
        TourView view;
        QVERIFY(!view.hintText().isEmpty());
        QVERIFY(view.stepText().isEmpty());
        view.showResult(classify(bundled_, sinus_, view.probeNeeded()));
        QVERIFY(view.hintText().isEmpty());
        view.clearResult();
        QVERIFY(!view.shownResult());
        QVERIFY(!view.hintText().isEmpty());
    }

    // A result classified for another view (no internals) does not replace the tour's; a new still image does.
    void stillImagesReplaceTheTourButResultsWithoutItsInternalsDoNot() {
        TourView view;
        const auto first = classify(bundled_, sinus_, view.probeNeeded());
        view.showResult(first);
        view.setStep(4);
        view.showResult(classify(bundled_, sinus_, levit::Probe{}));
        QCOMPARE(view.shownResult(), first);
        const auto second = classify(bundled_, sinus_, view.probeNeeded());
        view.showResult(second);
        QCOMPARE(view.shownResult(), second);
        QCOMPARE(view.step(), 4);
        QVERIFY(!view.isFrozen());
    }

    void aTourUnderWayFreezesOnItsLiveFrameUntilRestarted() {
        TourView view;
        view.setLanguage("en");
        const auto frame1 = classify(bundled_, sinus_, view.probeNeeded(), true);
        const auto frame2 = classify(bundled_, sinus_, view.probeNeeded(), true);
        const auto frame3 = classify(bundled_, sinus_, view.probeNeeded(), true);
        view.showResult(frame1);
        view.showResult(frame2);
        QCOMPARE(view.shownResult(), frame2);  // on the first step the tour follows the video
        QVERIFY(!view.isFrozen());
        view.next();
        QVERIFY(view.isFrozen());
        view.showResult(frame3);
        QCOMPARE(view.shownResult(), frame2);
        QCOMPARE(view.step(), 1);
        QVERIFY(view.hasNewerResult());
        QVERIFY(view.restartButton()->isEnabled());
        QVERIFY2(QRegularExpression("frame of \\d\\d:\\d\\d:\\d\\d").match(view.frozenText()).hasMatch(), qPrintable(view.frozenText()));
        view.resize(1240, 560);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.textFits());  // fitted to the column it has now, not the one it had before it was shown
        view_test::saveScreenshot(&view, "tour_live_frozen");
        view.back();  // back on the first step it still holds its frame: only Restart takes a new one
        QCOMPARE(view.shownResult(), frame2);
        QTest::mouseClick(view.restartButton(), Qt::LeftButton);
        QCOMPARE(view.shownResult(), frame3);
        QCOMPARE(view.step(), 0);
        QVERIFY(!view.isFrozen());
        QVERIFY(view.frozenText().isEmpty());
        QCOMPARE(view.shownPicture().size(), QSize(640, 427));  // the frame itself is the picture
    }

    void theTextsFollowTheLanguage() {
        TourView view;
        view.setLanguage("zh_CN");
        const auto result = classify(levit128s_, sinus_, view.probeNeeded());
        view.showResult(result);
        view.setStep(int(TourStep::TokenGrid));
        QVERIFY2(view.stepText().contains(QStringLiteral("14×14 = 196 个词元")), qPrintable(view.stepText()));
        QCOMPARE(view.stepTitle(), QStringLiteral("图片变成词元"));
        view.setLanguage("en");
        QVERIFY(view.stepText().contains("196 tokens"));
    }

    void presentationModeShowsTheTourAtTheSameStepInLargerFonts() {
        TourView tab;
        tab.setLanguage("en");
        tab.resize(1240, 600);
        tab.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tab));
        tab.setPicture(toQImage(sinus_));
        tab.showResult(classify(levit128s_, sinus_, tab.probeNeeded()));
        tab.setStep(int(TourStep::Attention));
        PresentationWindow window;
        window.tour()->setLanguage("en");
        window.presentTour(tab);
        window.showNormal();  // a projector's size (the offscreen screen is smaller)
        window.setGeometry(0, 0, 1920, 1080);
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTRY_VERIFY(window.tour()->height() > 900);
        QVERIFY(window.showingTour());
        TourView* shown = window.tour();
        QCOMPARE(shown->step(), int(TourStep::Attention));
        QCOMPARE(shown->shownResult(), tab.shownResult());
        QCOMPARE(shown->stepText(), tab.stepText());
        QVERIFY2(shown->textPixelSize() >= 1.5 * tab.textPixelSize(), qPrintable(QStringLiteral("%1 vs %2").arg(shown->textPixelSize()).arg(tab.textPixelSize())));
        QVERIFY(shown->titlePixelSize() > tab.titlePixelSize());
        QVERIFY(shown->textPixelSize() >= shown->height() / 48);  // readable from the back of a room
        QTest::keyClick(&window, Qt::Key_Right);
        QCOMPARE(shown->step(), int(TourStep::Attention) + 1);
        QTest::keyClick(&window, Qt::Key_Left);
        QTest::keyClick(&window, Qt::Key_Left);
        QCOMPARE(shown->step(), int(TourStep::Attention) - 1);
        // Every step's text fits its column in large letters, not cut off or scrolled away.
        for (int step = 0; step < TourView::stepCount(); ++step) {
            shown->setStep(step);
            QCoreApplication::processEvents();
            QVERIFY2(shown->textFits(), qPrintable(QStringLiteral("step %1").arg(step + 1)));
            QVERIFY(shown->textPixelSize() >= shown->height() / 48);
        }
        shown->setStep(int(TourStep::Attention) - 1);
        screenshotEveryStep(*shown, "tour_presentation_1920x1080");
        QTest::keyClick(shown, Qt::Key_Escape);  // from the tour itself too
        QVERIFY(!window.isVisible());
        window.present();  // the picture page again
        QVERIFY(!window.showingTour());
        QTest::keyClick(&window, Qt::Key_Escape);
        QVERIFY(!window.isVisible());
    }

    // A custom model without a crop and with a single stage gets the texts for that: nothing cut, no subsample.
    void aSingleStageModelWithoutACropGetsItsOwnTexts() {
        levit::Config config = levit::Config::preset("128S", 10);
        config.hidden_sizes = {128};
        config.num_attention_heads = {4};
        config.depths = {2};
        config.key_dim = {16};
        config.attention_ratio = {2};
        config.mlp_ratio = {2};
        config.down_ops = {std::nullopt};
        config.preprocess.do_center_crop = false;
        config.preprocess.resize_height = 224;
        config.preprocess.resize_width = 224;
        config.validate("test");
        const auto model = levit::Model::withRandomWeights(config);
        TourView view;
        view.setLanguage("en");
        view.showResult(classify(model, sinus_, view.probeNeeded()));
        for (int step = 0; step < TourView::stepCount(); ++step) {
            view.setStep(step);
            QVERIFY2(!view.stepText().contains('{'), qPrintable(view.stepText()));
            QVERIFY2(view.hintText().isEmpty(), qPrintable(view.hintText()));
        }
        view.setStep(int(TourStep::ResizeCrop));
        QVERIFY2(view.stepText().contains("scale it to 224×224 pixels and cut nothing away"), qPrintable(view.stepText()));
        QCOMPARE(view.numbers().crop.cut_fraction, 0.0);
        view.setStep(int(TourStep::Subsample));
        QVERIFY2(view.stepText().contains("single stage: its grid stays 14×14 for the whole way, with 128 numbers"), qPrintable(view.stepText()));
    }

    // A custom model whose first stage has no attention blocks starts with a subsample block: the tour asks
    // for the first plain attention block instead and shows it once classified again.
    void aModelStartingWithASubsampleShowsItsFirstPlainAttentionBlock() {
        levit::Config config = levit::Config::preset("128S", 10);
        config.depths = {0, 2, 2};
        config.validate("test");
        const auto model = levit::Model::withRandomWeights(config);
        QCOMPARE(model->attentionBlocks()[0].kind, levit::BlockKind::AttentionSubsample);
        TourView view;
        view.setLanguage("en");
        QSignalSpy asked(&view, &TourView::probeChanged);
        view.showResult(classify(model, sinus_, view.probeNeeded()));
        QCOMPARE(asked.count(), 1);
        QCOMPARE(view.probeNeeded().attention_blocks, std::vector<int>{1});
        view.showResult(classify(model, sinus_, view.probeNeeded()));
        view.setStep(int(TourStep::Attention));
        QVERIFY(view.numbers().attention.available);
        QCOMPARE(view.numbers().attention.heads, config.num_attention_heads[1]);
        QVERIFY2(view.stepText().contains("all 49 tokens"), qPrintable(view.stepText()));
        QCOMPARE(asked.count(), 1);
    }

    // The caption under a picture used to be pushed below the widget's bottom edge when the picture filled
    // the height (the token grid's "7×7 tokens" line was cut in half).
    void aPicturesCaptionStaysInsideItsWidget() {
        TourPicture picture;
        picture.setImage(QImage(112, 112, QImage::Format_RGB888));
        picture.setCaption("7×7 tokens, 64 numbers each");
        for (const QSize size : {QSize(600, 480), QSize(300, 600), QSize(900, 300)}) {
            picture.resize(size);
            const QRect image = picture.imageRect();
            QVERIFY(picture.rect().contains(image));
            QVERIFY2(image.bottom() + 4 + picture.fontMetrics().height() <= picture.height(),
                     qPrintable(QStringLiteral("%1x%2").arg(size.width()).arg(size.height())));
        }
    }

    // The stages' captions were clipped at the figure's edges in large fonts ("28 numbers per token" for 128).
    void theStagesCaptionsFitBesideEachOther() {
        StageGridsFigure figure;
        QImage picture(224, 224, QImage::Format_RGB888);
        picture.fill(Qt::gray);
        figure.setStages(picture, {{14, 128, "Tokens"}, {7, 256, "Stage 1"}, {4, 384, "Stage 2"}});
        for (const int pixels : {12, 26, 40}) {
            QFont font = figure.font();
            font.setPixelSize(pixels);
            figure.setFont(font);
            for (const QSize size : {QSize(960, 540), QSize(640, 500), QSize(1100, 900)}) {
                figure.resize(size);
                const StageGridsFigure::Layout l = figure.layout();
                QCOMPARE(int(l.captions.size()), 3);
                QVERIFY(l.fits);
                const QFontMetrics metrics(l.font);
                for (size_t i = 0; i < l.captions.size(); ++i) {
                    const QString where = QStringLiteral("%1 px font, %2x%3, stage %4").arg(pixels).arg(size.width()).arg(size.height()).arg(i);
                    QVERIFY2(l.captions[i].left() >= 0 && l.captions[i].right() < size.width(),
                             qPrintable(where + QStringLiteral(": %1..%2").arg(l.captions[i].left()).arg(l.captions[i].right())));
                    QVERIFY2(metrics.horizontalAdvance(figure.lines({i == 0 ? 14 : 7, i == 0 ? 128 : 384, "Stage 1"})[2]) <= l.captions[i].width(), qPrintable(where));
                    if (i > 0) QVERIFY2(l.captions[i - 1].right() < l.captions[i].left(), qPrintable(where));
                }
            }
        }
    }

    void screenshots_data() {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("dark");
        QTest::addColumn<QString>("language");
        QTest::newRow("bundled_1280_light") << "bundled" << QSize(1240, 560) << false << "en";
        QTest::newRow("128S_1280_dark") << "128S" << QSize(1240, 560) << true << "en";
        QTest::newRow("128S_1920_light") << "128S" << QSize(1880, 900) << false << "en";
        QTest::newRow("bundled_1920_dark_zh") << "bundled" << QSize(1880, 900) << true << "zh_CN";
    }

    void screenshots() {
        if (qEnvironmentVariable("LEVIT_SCREENSHOT_DIR").isEmpty()) return;  // only for looking at by eye
        QFETCH(QString, model);
        QFETCH(QSize, size);
        QFETCH(bool, dark);
        QFETCH(QString, language);
        // A photo when the shared golden set is there (nicer to look at), else the bundled test pattern.
        const QString photo = QString::fromStdString(levit_test::goldenDir("levit-128S_seed0") + "/images/photo_chelsea.png");
        const QString image_path = model == "bundled" ? view_test::fashionSample("sample_00_ankle_boot.png")
                                                      : (QFile::exists(photo) ? photo : kSinus);
        const levit::ImageRGB8 image = levit::media::decodeImageFile(image_path.toStdString());
        TourView view;
        view.setLanguage(language);
        if (dark) view.setPalette(darkPalette());
        view.setAutoFillBackground(true);
        view.resize(size);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        view.setPicture(toQImage(image));
        view.showResult(classify(model == "bundled" ? bundled_ : levit128s_, image, view.probeNeeded()));
        screenshotEveryStep(view, QStringLiteral("tour_%1").arg(QTest::currentDataTag()));
    }
};

QTEST_MAIN(TestTourView)
#include "test_tour_view.moc"
