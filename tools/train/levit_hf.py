"""LeViT in PyTorch with exactly Hugging Face's module and parameter names and semantics
(transformers' modeling_levit, LevitForImageClassificationWithTeacher), so that a checkpoint written
from it loads in LeViT Lens and in transformers alike. Checked against ../shared/golden before training.
"""
import itertools

import torch
from torch import nn


class LevitConvEmbeddings(nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride, padding):
        super().__init__()
        self.convolution = nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding, bias=False)
        self.batch_norm = nn.BatchNorm2d(out_channels)

    def forward(self, x):
        return self.batch_norm(self.convolution(x))


class LevitPatchEmbeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = cfg["hidden_sizes"][0]
        k, s, p = cfg["kernel_size"], cfg["stride"], cfg["padding"]
        self.embedding_layer_1 = LevitConvEmbeddings(cfg["num_channels"], c // 8, k, s, p)
        self.activation_layer_1 = nn.Hardswish()
        self.embedding_layer_2 = LevitConvEmbeddings(c // 8, c // 4, k, s, p)
        self.activation_layer_2 = nn.Hardswish()
        self.embedding_layer_3 = LevitConvEmbeddings(c // 4, c // 2, k, s, p)
        self.activation_layer_3 = nn.Hardswish()
        self.embedding_layer_4 = LevitConvEmbeddings(c // 2, c, k, s, p)

    def forward(self, x):
        x = self.activation_layer_1(self.embedding_layer_1(x))
        x = self.activation_layer_2(self.embedding_layer_2(x))
        x = self.activation_layer_3(self.embedding_layer_3(x))
        x = self.embedding_layer_4(x)
        return x.flatten(2).transpose(1, 2)


class MLPLayerWithBN(nn.Module):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.linear = nn.Linear(input_dim, output_dim, bias=False)
        self.batch_norm = nn.BatchNorm1d(output_dim)

    def forward(self, x):
        x = self.linear(x)
        return self.batch_norm(x.flatten(0, 1)).reshape_as(x)


def bias_index_table(resolution_in, resolution_out, stride):
    """HF's numbering: offsets in the order they are first met, queries outer, keys inner."""
    points = list(itertools.product(range(resolution_in), range(resolution_in)))
    queries = list(itertools.product(range(resolution_out), range(resolution_out)))
    offsets, idxs = {}, []
    for p1 in queries:
        for p2 in points:
            off = (abs(p1[0] * stride - p2[0]), abs(p1[1] * stride - p2[1]))
            if off not in offsets:
                offsets[off] = len(offsets)
            idxs.append(offsets[off])
    return len(offsets), torch.LongTensor(idxs).view(len(queries), len(points))


class LevitAttention(nn.Module):
    def __init__(self, hidden, key_dim, heads, ratio, resolution):
        super().__init__()
        self.num_attention_heads, self.key_dim, self.attention_ratio = heads, key_dim, ratio
        self.scale = key_dim ** -0.5
        self.out_dim_projection = ratio * key_dim * heads
        self.queries_keys_values = MLPLayerWithBN(hidden, ratio * key_dim * heads + key_dim * heads * 2)
        self.activation = nn.Hardswish()
        self.projection = MLPLayerWithBN(self.out_dim_projection, hidden)
        n_offsets, idxs = bias_index_table(resolution, resolution, 1)
        self.attention_biases = nn.Parameter(torch.zeros(heads, n_offsets))
        self.register_buffer("attention_bias_idxs", idxs, persistent=False)

    def forward(self, x):
        b, n, _ = x.shape
        qkv = self.queries_keys_values(x)
        q, k, v = qkv.view(b, n, self.num_attention_heads, -1).split(
            [self.key_dim, self.key_dim, self.attention_ratio * self.key_dim], dim=3)
        q, k, v = q.permute(0, 2, 1, 3), k.permute(0, 2, 1, 3), v.permute(0, 2, 1, 3)
        attn = q @ k.transpose(-2, -1) * self.scale + self.attention_biases[:, self.attention_bias_idxs]
        attn = attn.softmax(dim=-1)
        x = (attn @ v).transpose(1, 2).reshape(b, n, self.out_dim_projection)
        return self.projection(self.activation(x))


class LevitSubsample(nn.Module):
    def __init__(self, stride, resolution):
        super().__init__()
        self.stride, self.resolution = stride, resolution

    def forward(self, x):
        b, _, c = x.shape
        return x.view(b, self.resolution, self.resolution, c)[:, ::self.stride, ::self.stride].reshape(b, -1, c)


class LevitAttentionSubsample(nn.Module):
    def __init__(self, input_dim, output_dim, key_dim, heads, ratio, stride, resolution_in, resolution_out):
        super().__init__()
        self.num_attention_heads, self.key_dim, self.attention_ratio = heads, key_dim, ratio
        self.scale = key_dim ** -0.5
        self.out_dim_projection = ratio * key_dim * heads
        self.resolution_out = resolution_out
        self.keys_values = MLPLayerWithBN(input_dim, ratio * key_dim * heads + key_dim * heads)
        self.queries_subsample = LevitSubsample(stride, resolution_in)
        self.queries = MLPLayerWithBN(input_dim, key_dim * heads)
        self.activation = nn.Hardswish()
        self.projection = MLPLayerWithBN(self.out_dim_projection, output_dim)
        n_offsets, idxs = bias_index_table(resolution_in, resolution_out, stride)
        self.attention_biases = nn.Parameter(torch.zeros(heads, n_offsets))
        self.register_buffer("attention_bias_idxs", idxs, persistent=False)

    def forward(self, x):
        b, n, _ = x.shape
        k, v = self.keys_values(x).view(b, n, self.num_attention_heads, -1).split(
            [self.key_dim, self.attention_ratio * self.key_dim], dim=3)
        k, v = k.permute(0, 2, 1, 3), v.permute(0, 2, 1, 3)
        q = self.queries(self.queries_subsample(x))
        q = q.view(b, self.resolution_out ** 2, self.num_attention_heads, self.key_dim).permute(0, 2, 1, 3)
        attn = q @ k.transpose(-2, -1) * self.scale + self.attention_biases[:, self.attention_bias_idxs]
        attn = attn.softmax(dim=-1)
        x = (attn @ v).transpose(1, 2).reshape(b, -1, self.out_dim_projection)
        return self.projection(self.activation(x))


class LevitMLPLayer(nn.Module):
    def __init__(self, input_dim, hidden_dim):
        super().__init__()
        self.linear_up = MLPLayerWithBN(input_dim, hidden_dim)
        self.activation = nn.Hardswish()
        self.linear_down = MLPLayerWithBN(hidden_dim, input_dim)

    def forward(self, x):
        return self.linear_down(self.activation(self.linear_up(x)))


class LevitResidualLayer(nn.Module):
    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, x):
        return x + self.module(x)


class LevitStage(nn.Module):
    def __init__(self, cfg, idx, resolution_in):
        super().__init__()
        hidden = cfg["hidden_sizes"][idx]
        layers = []
        for _ in range(cfg["depths"][idx]):
            layers.append(LevitResidualLayer(LevitAttention(
                hidden, cfg["key_dim"][idx], cfg["num_attention_heads"][idx], cfg["attention_ratio"][idx], resolution_in)))
            if cfg["mlp_ratio"][idx] > 0:
                layers.append(LevitResidualLayer(LevitMLPLayer(hidden, hidden * cfg["mlp_ratio"][idx])))
        self.resolution_out = resolution_in
        down = cfg["down_ops"][idx] if idx < len(cfg["down_ops"]) else [""]
        if down[0] == "Subsample":
            self.resolution_out = (resolution_in - 1) // down[5] + 1
            layers.append(LevitAttentionSubsample(
                hidden, cfg["hidden_sizes"][idx + 1], key_dim=down[1], heads=down[2], ratio=down[3], stride=down[5],
                resolution_in=resolution_in, resolution_out=self.resolution_out))
            if down[4] > 0:
                nxt = cfg["hidden_sizes"][idx + 1]
                layers.append(LevitResidualLayer(LevitMLPLayer(nxt, nxt * down[4])))
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class LevitEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        resolution = cfg["image_size"] // cfg["patch_size"]
        stages = []
        for i in range(len(cfg["depths"])):
            stage = LevitStage(cfg, i, resolution)
            resolution = stage.resolution_out
            stages.append(stage)
        self.stages = nn.ModuleList(stages)

    def forward(self, x, hidden_states=None):
        for stage in self.stages:
            x = stage(x)
            if hidden_states is not None:
                hidden_states.append(x)
        return x


class LevitModel(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.patch_embeddings = LevitPatchEmbeddings(cfg)
        self.encoder = LevitEncoder(cfg)

    def forward(self, pixel_values, hidden_states=None):
        x = self.patch_embeddings(pixel_values)
        if hidden_states is not None:
            hidden_states.append(x)
        return self.encoder(x, hidden_states)


class LevitClassificationLayer(nn.Module):
    def __init__(self, input_dim, output_dim):
        super().__init__()
        self.batch_norm = nn.BatchNorm1d(input_dim)
        self.linear = nn.Linear(input_dim, output_dim)

    def forward(self, x):
        return self.linear(self.batch_norm(x))


class LevitForImageClassificationWithTeacher(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.levit = LevitModel(cfg)
        labels = len(cfg["id2label"])
        self.classifier = LevitClassificationLayer(cfg["hidden_sizes"][-1], labels)
        self.classifier_distill = LevitClassificationLayer(cfg["hidden_sizes"][-1], labels)

    def forward(self, pixel_values):
        """Returns (logits, cls_logits, distillation_logits); logits is their mean, as in HF."""
        pooled = self.levit(pixel_values).mean(1)
        cls_logits, distill_logits = self.classifier(pooled), self.classifier_distill(pooled)
        return (cls_logits + distill_logits) / 2, cls_logits, distill_logits
