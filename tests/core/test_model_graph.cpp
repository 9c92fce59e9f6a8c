// The model graph (levit/model_graph.h): its nodes add up to Model::summary() for every published variant,
// a trained checkpoint and irregular custom configs; shapes and node order follow the real layers (levit-128S:
// 196 tokens x 128, 49 x 256, 16 x 384; a custom config with a stage of depth 0 and stages without MLPs);
// the names and attention indices agree with the forward pass's own; and a timed pass times every node.
#include <QtTest/QtTest>

#include <cmath>
#include <numeric>
#include <random>

#include "levit/checkpoint.h"
#include "levit/classifier.h"
#include "levit/model.h"
#include "levit/model_graph.h"
#include "irregular_config.h"
#include "test_support.h"

using namespace levit;

namespace {

const std::string kTiny = levit_test::testDataDir() + "/golden/tiny_seed0";

int64_t parameterSum(const std::vector<GraphNode>& graph) {
    return std::accumulate(graph.begin(), graph.end(), int64_t(0), [](int64_t s, const GraphNode& n) { return s + n.parameters; });
}

std::vector<GraphNodeKind> kinds(const std::vector<GraphNode>& graph) {
    std::vector<GraphNodeKind> k;
    for (const GraphNode& n : graph) k.push_back(n.kind);
    return k;
}

std::vector<float> randomPixels(const Session& session, int batch) {
    std::vector<float> pixels(session.inputSize() * size_t(batch));
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(-2, 2);
    for (float& v : pixels) v = u(rng);
    return pixels;
}

}  // namespace

class TestModelGraph : public QObject {
    Q_OBJECT

    // Parameters and FLOPs of the nodes against the summary: in total and per summary section.
    void checkAgainstSummary(const Model& model) {
        const std::vector<GraphNode> graph = modelGraph(model);
        const ModelSummary summary = model.summary();
        QCOMPARE(parameterSum(graph), summary.parameters);
        std::vector<double> sections(summary.stage_gflops.size(), 0.0);
        for (const GraphNode& n : graph) {
            const size_t section = n.kind == GraphNodeKind::PatchConvolution ? 0
                                   : n.stage >= 0                           ? size_t(1 + n.stage)
                                                                            : sections.size() - 1;
            sections[section] += n.flops / 1e9;
        }
        for (size_t i = 0; i < sections.size(); ++i)
            QVERIFY2(std::abs(sections[i] - summary.stage_gflops[i]) <= 1e-9 * std::max(1.0, summary.stage_gflops[i]),
                     qPrintable(QString("section %1: %2 vs %3").arg(i).arg(sections[i]).arg(summary.stage_gflops[i])));
        const double total = std::accumulate(sections.begin(), sections.end(), 0.0);
        QVERIFY(std::abs(total - summary.total_gflops) <= 1e-9 * summary.total_gflops);
        for (const GraphNode& n : graph)
            for (int input : n.inputs) QVERIFY(input >= 0 && input < int(&n - graph.data()));  // top to bottom
    }

private slots:
    void nodesAddUpToTheSummaryForEveryVariant() {
        for (const char* variant : {"128S", "128", "192", "256", "384"}) {
            auto model = Model::withRandomWeights(Config::preset(variant));
            checkAgainstSummary(*model);
        }
        checkAgainstSummary(*loadModel(kTiny));  // parameters counted by the loader from the real tensors
        checkAgainstSummary(*Model::withRandomWeights(levit_test::irregularConfig()));
    }

    void levit128SHasThePublishedShapes() {
        auto model = Model::withRandomWeights(Config::preset("128S"));
        const std::vector<GraphNode> g = modelGraph(*model);
        // image, preprocessing, 4 convs; stage 0: 2 x (attention, MLP), subsample + MLP; stage 1: 3 x (attention,
        // MLP), subsample + MLP; stage 2: 4 x (attention, MLP); pooling, two heads, their mean.
        QCOMPARE(int(g.size()), 6 + 6 + 8 + 8 + 4);
        QCOMPARE(g[1].output.layout, ShapeLayout::Image);
        QCOMPARE(g[1].output.height, 224);
        const int conv_channels[4] = {16, 32, 64, 128}, conv_sizes[4] = {112, 56, 28, 14};
        for (int i = 0; i < 4; ++i) {
            const GraphNode& conv = g[size_t(2 + i)];
            QCOMPARE(conv.kind, GraphNodeKind::PatchConvolution);
            QCOMPARE(conv.output.channels, conv_channels[i]);
            QCOMPARE(conv.output.width, conv_sizes[i]);
            QCOMPARE(conv.hardswish_after, i < 3);
        }
        QCOMPARE(g[6].kind, GraphNodeKind::Attention);
        QCOMPARE(g[6].output.tokens(), 196);
        QCOMPARE(g[6].output.channels, 128);
        QCOMPARE(g[6].heads, 4);
        QCOMPARE(g[6].key_dim, 16);
        QCOMPARE(g[6].value_dim, 32);
        QCOMPARE(g[7].kind, GraphNodeKind::Mlp);
        QCOMPARE(g[7].hidden, 256);
        QCOMPARE(g[10].kind, GraphNodeKind::AttentionSubsample);
        QCOMPARE(g[10].output.tokens(), 49);
        QCOMPARE(g[10].output.channels, 256);
        QCOMPARE(g[10].heads, 8);
        QCOMPARE(g[10].key_dim, 16);
        QCOMPARE(g[10].value_dim, 64);
        QCOMPARE(g[10].stride, 2);
        QCOMPARE(g[11].kind, GraphNodeKind::Mlp);
        QCOMPARE(g[11].output.tokens(), 49);
        QCOMPARE(g[18].kind, GraphNodeKind::AttentionSubsample);
        QCOMPARE(g[18].output.tokens(), 16);
        QCOMPARE(g[18].output.channels, 384);
        const GraphNode& pooling = g[g.size() - 4];
        QCOMPARE(pooling.kind, GraphNodeKind::Pooling);
        QCOMPARE(pooling.output.channels, 384);
        QCOMPARE(g[g.size() - 3].kind, GraphNodeKind::ClassificationHead);
        QCOMPARE(g[g.size() - 2].kind, GraphNodeKind::DistillationHead);
        QCOMPARE(g[g.size() - 3].inputs, std::vector<int>{int(g.size()) - 4});
        QCOMPARE(g[g.size() - 2].inputs, std::vector<int>{int(g.size()) - 4});
        QCOMPARE(g.back().kind, GraphNodeKind::Average);
        QCOMPARE(g.back().inputs, (std::vector<int>{int(g.size()) - 3, int(g.size()) - 2}));
        QCOMPARE(g.back().output.channels, 1000);
        // Feature-map links: the convs show the patch embedding, the last is it; a stage's last layer is its output.
        QCOMPARE(g[2].feature_stage, 0);
        QVERIFY(!g[2].feature_maps_exact && g[5].feature_maps_exact);
        QCOMPARE(g[6].feature_stage, 1);
        QVERIFY(!g[6].feature_maps_exact && !g[10].feature_maps_exact && g[11].feature_maps_exact);
        QCOMPARE(pooling.feature_stage, 3);
    }

    void irregularConfigsFollowTheirOwnLayers() {
        auto model = Model::withRandomWeights(levit_test::irregularConfig());
        const std::vector<GraphNode> g = modelGraph(*model);
        using K = GraphNodeKind;
        const std::vector<K> expected{K::Image, K::Preprocessing, K::PatchConvolution, K::PatchConvolution,
                                      K::PatchConvolution, K::PatchConvolution,
                                      K::Attention, K::Mlp, K::Attention, K::Mlp,  // stage 0
                                      K::AttentionSubsample, K::Mlp,               // subsample 0 with its MLP
                                      K::AttentionSubsample,                       // stage 1: no blocks, no MLP
                                      K::Attention, K::Attention, K::Attention,    // stage 2: no MLPs
                                      K::Pooling, K::ClassificationHead, K::DistillationHead, K::Average};
        QCOMPARE(kinds(g), expected);
        QCOMPARE(g[5].output.width, 7);
        QCOMPARE(g[6].output.tokens(), 49);
        QCOMPARE(g[6].output.channels, 48);
        QCOMPARE(g[6].heads, 2);
        QCOMPARE(g[6].key_dim, 8);
        QCOMPARE(g[6].value_dim, 16);
        QCOMPARE(g[7].hidden, 144);
        QCOMPARE(g[10].output.tokens(), 16);  // 7x7 -> 4x4
        QCOMPARE(g[10].output.channels, 96);
        QCOMPARE(g[10].heads, 6);
        QCOMPARE(g[10].value_dim, 32);
        QCOMPARE(g[11].hidden, 192);
        QCOMPARE(g[12].stage, 1);
        QCOMPARE(g[12].output.tokens(), 4);  // 4x4 -> 2x2
        QCOMPARE(g[12].output.channels, 160);
        QCOMPARE(g[12].key_dim, 16);
        QVERIFY(g[12].feature_maps_exact);  // the subsample is all stage 1 has
        QCOMPARE(g[13].heads, 5);
        QCOMPARE(g[13].key_dim, 20);
        QCOMPARE(g[13].value_dim, 20);
        QCOMPARE(g[15].output.tokens(), 4);
        QCOMPARE(g.back().output.channels, 5);
    }

    // Layer names and attention indices are the forward pass's: its layer outputs come in graph order.
    void namesAndBlocksMatchTheForwardPass() {
        auto model = loadModel(kTiny);
        const std::vector<GraphNode> g = modelGraph(*model);
        Session session(model, 1);
        Probe probe;
        probe.layer_outputs = true;
        ProbeResult pr;
        session.run(randomPixels(session, 1), 1, probe, &pr);
        std::vector<std::string> encoder_names;
        for (const GraphNode& n : g) {
            if (n.layer < 0) continue;
            encoder_names.push_back(n.name);
            QCOMPARE(n.layer, int(encoder_names.size()) - 1);
            QVERIFY(QString::fromStdString(n.name).startsWith(QString("stage%1_layer%2_").arg(n.stage).arg(n.layer_in_stage)));
            if (n.attention_block >= 0) QCOMPARE(model->attentionBlocks()[size_t(n.attention_block)].name, n.name);
        }
        QCOMPARE(encoder_names.size(), pr.layer_outputs.size());
        for (size_t i = 0; i < encoder_names.size(); ++i) QCOMPARE(encoder_names[i], pr.layer_outputs[i].name);
        int attention_nodes = 0;
        for (const GraphNode& n : g) attention_nodes += n.attention_block >= 0;
        QCOMPARE(attention_nodes, int(model->attentionBlocks().size()));
    }

    // Every computed node gets a positive time that adds up to the coarse timings, in both patch-embedding
    // paths (one image over all threads; images spread over threads).
    void aTimedPassTimesEveryNode_data() {
        QTest::addColumn<int>("batch");
        QTest::addColumn<int>("threads");
        QTest::newRow("one image") << 1 << 2;
        QTest::newRow("images over threads") << 4 << 2;
    }
    void aTimedPassTimesEveryNode() {
        QFETCH(int, batch);
        QFETCH(int, threads);
        auto model = Model::withRandomWeights(levit_test::irregularConfig());
        const std::vector<GraphNode> g = modelGraph(*model);
        Session session(model, threads);
        Probe probe;
        probe.timings = true;
        ProbeResult pr;
        session.run(randomPixels(session, batch), batch, probe, &pr);
        const StageTimings& t = pr.timings;
        const std::vector<double> times = nodeTimes(g, t);
        QCOMPARE(times.size(), g.size());
        for (size_t i = 0; i < g.size(); ++i) {
            if (g[i].kind == GraphNodeKind::Image || g[i].kind == GraphNodeKind::Preprocessing) {
                QVERIFY(std::isnan(times[i]));  // a bare Session neither decodes nor preprocesses
                continue;
            }
            QVERIFY2(times[i] > 0, g[i].name.c_str());
        }
        QCOMPARE(int(t.layer_ms.size()), int(g.size()) - 10);
        QCOMPARE(int(t.stage_ms.size()), 3);
        const double convs = t.patch_conv_ms[0] + t.patch_conv_ms[1] + t.patch_conv_ms[2] + t.patch_conv_ms[3];
        QVERIFY(std::abs(convs - t.patch_embedding_ms) <= 1e-9 * t.patch_embedding_ms);
        double stages = 0, layers = 0;
        for (double s : t.stage_ms) stages += s;
        for (double l : t.layer_ms) layers += l;
        QVERIFY(std::abs(stages - layers) <= 1e-9 * layers);
        QCOMPARE(t.heads_ms, t.pooling_ms + t.classifier_ms + t.distillation_ms + t.average_ms);
        QVERIFY(t.patch_embedding_ms + stages + t.heads_ms <= t.total_ms);
    }

    // The Classifier also times what it does before the pass: resize, crop and normalise.
    void theClassifierTimesThePreprocessing() {
        auto model = loadModel(kTiny);
        Classifier classifier(model);
        ImageRGB8 image;
        image.width = 200;
        image.height = 130;
        image.pixels.assign(size_t(image.width) * image.height * 3, 90);
        Probe probe;
        probe.timings = true;
        ProbeResult pr;
        classifier.classify(image, probe, &pr);
        const std::vector<GraphNode> g = modelGraph(*model);
        const std::vector<double> times = nodeTimes(g, pr.timings);
        QCOMPARE(g[1].kind, GraphNodeKind::Preprocessing);
        QVERIFY(times[1] > 0);
        QVERIFY(std::isnan(times[0]));
    }

    void untimedOrForeignTimingsTimeNothing() {
        auto model = loadModel(kTiny);
        const std::vector<GraphNode> g = modelGraph(*model);
        Session session(model, 1);
        ProbeResult pr;
        session.run(randomPixels(session, 1), 1, Probe{}, &pr);
        for (double v : nodeTimes(g, pr.timings)) QVERIFY(std::isnan(v));
        // Timings of a model with more layers do not describe this graph.
        auto other = Model::withRandomWeights(levit_test::irregularConfig());
        Session other_session(other, 1);
        Probe probe;
        probe.timings = true;
        other_session.run(randomPixels(other_session, 1), 1, probe, &pr);
        for (double v : nodeTimes(g, pr.timings)) QVERIFY(std::isnan(v));
    }
};

QTEST_APPLESS_MAIN(TestModelGraph)
#include "test_model_graph.moc"
