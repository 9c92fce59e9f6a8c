<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>QObject</name>
    <message>
        <source>Stage %1 · Block %2</source>
        <translation>阶段 %1 · 模块 %2</translation>
    </message>
    <message>
        <source>row %1, col %2 of %3×%3</source>
        <translation>第 %1 行，第 %2 列，共 %3×%3</translation>
    </message>
    <message>
        <source>Image: %1</source>
        <translation>图像：%1</translation>
    </message>
    <message>
        <source>Model: %1</source>
        <translation>模型：%1</translation>
    </message>
    <message>
        <source>Prediction (softmax of the mean of both heads&apos; logits): %1, %2%</source>
        <translation>预测（两个头 logit 均值的 softmax）：%1，%2%</translation>
    </message>
    <message>
        <source>Classification head: %1, %2% · distillation head: %3, %4%</source>
        <translation>分类头：%1，%2% · 蒸馏头：%3，%4%</translation>
    </message>
    <message>
        <source>%1 / %2 images · %3 images/s</source>
        <translation>%1 / %2 张图像 · 每秒 %3 张</translation>
    </message>
    <message>
        <source>Token contributions (exact)</source>
        <translation>词元贡献（精确）</translation>
    </message>
    <message>
        <source>Grad-CAM</source>
        <translation>Grad-CAM</translation>
    </message>
    <message>
        <source>Gradient (saliency)</source>
        <translation>梯度（显著性）</translation>
    </message>
    <message>
        <source>Gradient × input</source>
        <translation>梯度 × 输入</translation>
    </message>
    <message>
        <source>Integrated gradients</source>
        <translation>积分梯度</translation>
    </message>
    <message>
        <source>Occlusion</source>
        <translation>遮挡</translation>
    </message>
    <message>
        <source>Attention rollout</source>
        <translation>注意力展开（rollout）</translation>
    </message>
    <message>
        <source>Classification head</source>
        <translation>分类头</translation>
    </message>
    <message>
        <source>Distillation head</source>
        <translation>蒸馏头</translation>
    </message>
    <message>
        <source>Mean of both heads</source>
        <translation>两个头的均值</translation>
    </message>
    <message>
        <source>no model is loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <source>this model has no checkpoint on disk to explain it from</source>
        <translation>此模型在磁盘上没有可用于解释的检查点</translation>
    </message>
    <message>
        <source>%1: the checkpoint on disk is no longer the model the window loaded; open it again</source>
        <translation>%1：磁盘上的检查点已不是窗口加载的模型，请重新打开</translation>
    </message>
    <message>
        <source>the head difference needs both heads&apos; maps</source>
        <translation>计算两个头的差异需要两个头各自的图</translation>
    </message>
    <message>
        <source>there is no image to classify</source>
        <translation>没有可分类的图像</translation>
    </message>
    <message>
        <source>%1: there is no picture to show</source>
        <translation>%1：没有可显示的图片</translation>
    </message>
    <message>
        <source>%1 more files not added: a class holds at most %2 examples</source>
        <translation>另有 %1 个文件未添加：每个类别最多 %2 个样本</translation>
    </message>
    <message>
        <source>a class needs a name</source>
        <translation>类别需要一个名称</translation>
    </message>
    <message>
        <source>“%1”: a class name cannot contain / or \ or be . or ..</source>
        <translation>“%1”：类别名称不能包含 / 或 \，也不能是 . 或 ..</translation>
    </message>
    <message>
        <source>“%1”: there is already a class of that name</source>
        <translation>“%1”：已有同名类别</translation>
    </message>
    <message>
        <source>%1: the folder is not empty (choose an empty or new folder)</source>
        <translation>%1：文件夹不为空（请选择空文件夹或新文件夹）</translation>
    </message>
    <message>
        <source>%1: cannot create the folder</source>
        <translation>%1：无法创建文件夹</translation>
    </message>
    <message>
        <source>%1: cannot write the image</source>
        <translation>%1：无法写入图像</translation>
    </message>
    <message>
        <source>%1: already exists (choose a new folder; nothing was overwritten)</source>
        <translation>%1：已存在（请选择新文件夹；未覆盖任何内容）</translation>
    </message>
    <message>
        <source>%1: cannot write</source>
        <translation>%1：无法写入</translation>
    </message>
    <message>
        <source>no image was opened</source>
        <translation>未打开任何图像</translation>
    </message>
    <message>
        <source>%1: no video frame was classified (%2)</source>
        <translation>%1：没有任何视频帧被分类（%2）</translation>
    </message>
    <message>
        <source>timed out after %1 s waiting for %2</source>
        <translation>等待%2超时（%1 秒）</translation>
    </message>
    <message>
        <source>the model download (%1)</source>
        <translation>模型下载（%1）</translation>
    </message>
    <message>
        <source>the model and the images to load</source>
        <translation>模型和图像加载</translation>
    </message>
    <message>
        <source>a model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>a frame of %1 to be classified</source>
        <translation>%1 的一帧完成分类</translation>
    </message>
    <message>
        <source>the image to be classified</source>
        <translation>图像完成分类</translation>
    </message>
    <message>
        <source>the explanation</source>
        <translation>解释</translation>
    </message>
    <message>
        <source>failed (the window says no more)</source>
        <translation>失败（窗口未给出更多信息）</translation>
    </message>
    <message>
        <source>could not write the PNG</source>
        <translation>无法写入 PNG</translation>
    </message>
    <message>
        <source>%1: saving was cancelled after %2 of %3 images</source>
        <translation>%1：保存已在 %3 张图像中的第 %2 张后取消</translation>
    </message>
    <message>
        <source>%1: opening was cancelled</source>
        <translation>%1：打开已取消</translation>
    </message>
</context>
<context>
    <name>levit::ui::AttentionOverview</name>
    <message>
        <source>%1×%1 tokens</source>
        <translation>%1×%1 个词元</translation>
    </message>
    <message>
        <source>%1×%1 → %2×%2</source>
        <translation>%1×%1 → %2×%2</translation>
    </message>
    <message>
        <source>Stage 3 · Block 4</source>
        <translation>阶段 3 · 模块 4</translation>
    </message>
    <message>
        <source>The learned position preference of every head (|dy| down, |dx| across). Red: attends more, blue: less; one colour scale per row. Click a map to open it.</source>
        <translation>每个头学到的位置偏好（|dy| 向下，|dx| 横向）。红：关注更多，蓝：更少；每行一个色标。点击某张图可将其打开。</translation>
    </message>
    <message>
        <source>Load a model to see its attention heads.</source>
        <translation>加载模型后即可查看其注意力头。</translation>
    </message>
    <message>
        <source>H%1</source>
        <translation>H%1</translation>
    </message>
    <message>
        <source>%1 · Head %2 (%3): bias from −%4 (blue) to +%4 (red). Click to open.</source>
        <translation>%1 · 头 %2（%3）：偏置从 −%4（蓝）到 +%4（红）。点击打开。</translation>
    </message>
</context>
<context>
    <name>levit::ui::AttentionView</name>
    <message>
        <source>Raw content values</source>
        <translation>原始内容值</translation>
    </message>
    <message>
        <source>Off: the content term relative to the query&apos;s mean (what softmax responds to). On: q·k/√d as computed.</source>
        <translation>关：内容项减去该查询的均值（softmax 只对差异有反应）。开：按计算所得的 q·k/√d。</translation>
    </message>
    <message>
        <source>All blocks × heads</source>
        <translation>所有模块 × 头</translation>
    </message>
    <message>
        <source>Every block and head of the model at once; click one to open it</source>
        <translation>一次显示模型的每个模块和每个头；点击其中一个将其打开</translation>
    </message>
    <message>
        <source>Block:</source>
        <translation>模块：</translation>
    </message>
    <message>
        <source>Head:</source>
        <translation>头：</translation>
    </message>
    <message>
        <source>position share = range(bias row) / (range(bias row) + range(content row)), the ranges over the keys of the selected query</source>
        <translation>位置占比 = range(偏置行) / (range(偏置行) + range(内容行))，range 取所选查询的所有键</translation>
    </message>
    <message>
        <source>Classify an image to see where each patch looks. The learned biases are shown for any model.</source>
        <translation>对一张图像分类后，即可查看每个图块在看哪里。任何模型都会显示学到的偏置。</translation>
    </message>
    <message>
        <source>red: more</source>
        <translation>红：更多</translation>
    </message>
    <message>
        <source>blue: less</source>
        <translation>蓝：更少</translation>
    </message>
    <message>
        <source>Click a patch: where does it look?</source>
        <translation>点击一个图块：它在看哪里？</translation>
    </message>
    <message>
        <source>The model cuts the image into patches (tokens) on a grid, shown here. In an attention block every patch, the &lt;i&gt;query&lt;/i&gt;, gathers information from all patches, the &lt;i&gt;keys&lt;/i&gt;. Click a patch to see where it looks. In a subsample block (the grid shrinks, e.g. 14×14 → 7×7) the queries sit on the coarser grid and the keys on the finer one.</source>
        <translation>模型把图像按网格切成图块（词元），如图所示。在注意力模块中，每个图块作为&lt;i&gt;查询&lt;/i&gt;，从所有图块（即&lt;i&gt;键&lt;/i&gt;）收集信息。点击一个图块即可查看它在看哪里。在下采样模块中（网格缩小，例如 14×14 → 7×7），查询位于较粗的网格上，键位于较细的网格上。</translation>
    </message>
    <message>
        <source>What the patch looks for, by content</source>
        <translation>图块按内容寻找什么</translation>
    </message>
    <message>
        <source>The &lt;b&gt;content term&lt;/b&gt; q·k/√d: the query vector q of the chosen patch times the key vector k of every patch, divided by √d (d = key_dim). It depends on the image. &lt;b&gt;softmax&lt;/b&gt; ignores any constant added to all keys of one query, so by default each value is shown relative to this query&apos;s mean (the mean is 0): only the differences decide where the patch looks. Tick &lt;i&gt;Raw content values&lt;/i&gt; to see q·k/√d itself. Red: a better match than average, blue: a worse one.</source>
        <translation>&lt;b&gt;内容项&lt;/b&gt; q·k/√d：所选图块的查询向量 q 乘以每个图块的键向量 k，再除以 √d（d = key_dim）。它取决于图像。&lt;b&gt;softmax&lt;/b&gt; 会忽略对同一查询的所有键都加上的常数，因此默认每个值都相对于该查询的均值显示（均值为 0）：只有差异决定图块看向哪里。勾选&lt;i&gt;原始内容值&lt;/i&gt;可查看 q·k/√d 本身。红：比平均更匹配，蓝：比平均更不匹配。</translation>
    </message>
    <message>
        <source>Preference by position (learned)</source>
        <translation>按位置的偏好（学习得到）</translation>
    </message>
    <message>
        <source>The &lt;b&gt;position term&lt;/b&gt;, LeViT&apos;s learned &lt;b&gt;attention bias&lt;/b&gt;: one number per head for every relative offset (|dy|, |dx|) between the query and a key. It is added to the content term before softmax and does not depend on the image. Red raises the attention paid to that patch, blue lowers it.</source>
        <translation>&lt;b&gt;位置项&lt;/b&gt;，即 LeViT 学到的&lt;b&gt;注意力偏置&lt;/b&gt;：每个头对查询与键之间的每个相对偏移 (|dy|, |dx|) 各有一个数值。它在 softmax 之前加到内容项上，与图像无关。红色提高对该图块的关注，蓝色降低关注。</translation>
    </message>
    <message>
        <source>How much each image patch is looked at</source>
        <translation>每个图像图块被关注的程度</translation>
    </message>
    <message>
        <source>most</source>
        <translation>最多</translation>
    </message>
    <message>
        <source>least</source>
        <translation>最少</translation>
    </message>
    <message>
        <source>The &lt;b&gt;attention weights&lt;/b&gt; softmax(q·k/√d + bias) over all keys of the chosen query. They are positive and sum to 1 (100%): the share of each patch&apos;s value vector that the chosen patch mixes in. Bright: looked at a lot; dark: almost ignored. Scale from 0 to the largest weight.</source>
        <translation>&lt;b&gt;注意力权重&lt;/b&gt; softmax(q·k/√d + bias)，作用于所选查询的所有键。权重为正，总和为 1（100%）：即所选图块从每个图块的值向量中混入的份额。亮：关注很多；暗：几乎忽略。色标从 0 到最大权重。</translation>
    </message>
    <message>
        <source>Preference by distance between patches</source>
        <translation>按图块间距离的偏好</translation>
    </message>
    <message>
        <source>The learned &lt;b&gt;attention bias&lt;/b&gt; of this head for every &lt;b&gt;relative offset&lt;/b&gt;: |dy| rows down, |dx| columns across between query and key. Offset (0, 0) is the patch itself. Grey: no pair of patches is that far apart on this grid. This small table is the whole position term; the matrix beside it spreads it over every query/key pair.</source>
        <translation>该头对每个&lt;b&gt;相对偏移&lt;/b&gt;学到的&lt;b&gt;注意力偏置&lt;/b&gt;：查询与键之间向下 |dy| 行、横向 |dx| 列。偏移 (0, 0) 即图块自身。灰色：此网格上没有相距这么远的图块对。这张小表就是完整的位置项；旁边的矩阵把它展开到每一对查询/键上。</translation>
    </message>
    <message>
        <source>Every patch&apos;s preference for every other (query × key)</source>
        <translation>每个图块对其他每个图块的偏好（查询 × 键）</translation>
    </message>
    <message>
        <source>The same &lt;b&gt;attention bias&lt;/b&gt; as a &lt;b&gt;query × key matrix&lt;/b&gt;: a row per query patch, a column per key patch, both numbered row by row across the grid (the ticks mark where each grid row starts). Repeating stripes appear because equal offsets get equal bias. Drawn with whole pixels per value, or &lt;b&gt;area-averaged&lt;/b&gt; (each screen pixel is the mean of the values it covers) when the matrix has more values than the panel has pixels, so no moiré pattern appears; the note under the matrix says which.</source>
        <translation>同一&lt;b&gt;注意力偏置&lt;/b&gt;以&lt;b&gt;查询 × 键矩阵&lt;/b&gt;显示：每行一个查询图块，每列一个键图块，二者都在网格上逐行编号（刻度标出每个网格行的起点）。由于相同偏移得到相同偏置，会出现重复的条纹。每个值绘制为整数个像素；当矩阵的值多于面板的像素时则&lt;b&gt;按面积平均&lt;/b&gt;（每个屏幕像素是其覆盖的值的均值），因此不会出现摩尔纹；矩阵下方的说明会指出采用了哪种方式。</translation>
    </message>
    <message>
        <source>Patch %1: click to see where it looks.</source>
        <translation>图块 %1：点击查看它在看哪里。</translation>
    </message>
    <message>
        <source>Content term</source>
        <translation>内容项</translation>
    </message>
    <message>
        <source>Position bias</source>
        <translation>位置偏置</translation>
    </message>
    <message>
        <source>Attention weight</source>
        <translation>注意力权重</translation>
    </message>
    <message>
        <source>%1 (%2%)</source>
        <translation>%1（%2%）</translation>
    </message>
    <message>
        <source>%1 from %2 to key patch %3: %4</source>
        <translation>%1，从 %2 到键图块 %3：%4</translation>
    </message>
    <message>
        <source>no two patches are this far apart</source>
        <translation>没有相距这么远的两个图块</translation>
    </message>
    <message>
        <source>Bias of head %1 for offset |dy| = %2, |dx| = %3: %4</source>
        <translation>头 %1 在偏移 |dy| = %2、|dx| = %3 处的偏置：%4</translation>
    </message>
    <message>
        <source>Bias from query patch %1 (%2) to key patch %3 (%4): %5</source>
        <translation>从查询图块 %1（%2）到键图块 %3（%4）的偏置：%5</translation>
    </message>
    <message>
        <source>Point at any map to read the value under the cursor.</source>
        <translation>将鼠标指向任意一张图即可读取光标下的值。</translation>
    </message>
    <message>
        <source>query patch %1</source>
        <translation>查询图块 %1</translation>
    </message>
    <message>
        <source>subsample %1×%1 → %2×%2 tokens</source>
        <translation>下采样 %1×%1 → %2×%2 个词元</translation>
    </message>
    <message>
        <source>%1×%1 tokens</source>
        <translation>%1×%1 个词元</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 heads</source>
        <translation>%1 · %2 · %3 个头</translation>
    </message>
    <message>
        <source>Head %1</source>
        <translation>头 %1</translation>
    </message>
    <message>
        <source>|dx| (columns)</source>
        <translation>|dx|（列）</translation>
    </message>
    <message>
        <source>|dy| (rows)</source>
        <translation>|dy|（行）</translation>
    </message>
    <message>
        <source>key (grid row)</source>
        <translation>键（网格行）</translation>
    </message>
    <message>
        <source>query (grid row)</source>
        <translation>查询（网格行）</translation>
    </message>
    <message>
        <source>%1×%1 query patches</source>
        <translation>%1×%1 个查询图块</translation>
    </message>
    <message>
        <source>minus this query&apos;s mean %1 (softmax ignores it)</source>
        <translation>减去该查询的均值 %1（softmax 会忽略它）</translation>
    </message>
    <message>
        <source>raw q·k/√d</source>
        <translation>原始 q·k/√d</translation>
    </message>
    <message>
        <source>%1, Head %2, %3: %4% of the logit range comes from position, %5% from content.</source>
        <translation>%1，头 %2，%3：logit 范围的 %4% 来自位置，%5% 来自内容。</translation>
    </message>
    <message>
        <source>No image yet: the position panels show the learned bias alone.</source>
        <translation>尚无图像：位置面板只显示学到的偏置。</translation>
    </message>
    <message>
        <source>The attention of %1 did not come with this image&apos;s result. Choose the block again to ask for it.</source>
        <translation>%1 的注意力未随此图像的结果一起返回。请再次选择该模块以请求它。</translation>
    </message>
    <message>
        <source>Computing attention for %1…</source>
        <translation>正在计算 %1 的注意力…</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
</context>
<context>
    <name>levit::ui::CaptureWorker</name>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>end of %1</source>
        <translation>%1 已结束</translation>
    </message>
    <message>
        <source>%1 stopped delivering frames</source>
        <translation>%1 不再提供帧</translation>
    </message>
</context>
<context>
    <name>levit::ui::ClassCard</name>
    <message>
        <source>The class&apos;s name (the label the model will say)</source>
        <translation>类别名称（模型将给出的标签）</translation>
    </message>
    <message>
        <source>Remove selected examples</source>
        <translation>移除所选样本</translation>
    </message>
    <message>
        <source>Images…</source>
        <translation>图像…</translation>
    </message>
    <message>
        <source>Add image files to this class (or drop files and folders on the card)</source>
        <translation>向此类别添加图像文件（也可把文件和文件夹拖放到卡片上）</translation>
    </message>
    <message>
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <source>Add every image of a folder</source>
        <translation>添加一个文件夹中的所有图像</translation>
    </message>
    <message>
        <source>Paste</source>
        <translation>粘贴</translation>
    </message>
    <message>
        <source>Add the image on the clipboard</source>
        <translation>添加剪贴板中的图像</translation>
    </message>
    <message>
        <source>Hold to record</source>
        <translation>按住录制</translation>
    </message>
    <message>
        <source>While held down, adds a frame of the camera or video every few hundred ms</source>
        <translation>按住时，每隔几百毫秒添加一帧摄像头或视频画面</translation>
    </message>
    <message>
        <source>Delete class</source>
        <translation>删除类别</translation>
    </message>
    <message>
        <source>Add images to %1</source>
        <translation>向 %1 添加图像</translation>
    </message>
    <message>
        <source>Images (%1)</source>
        <translation>图像 (%1)</translation>
    </message>
    <message>
        <source>Add a folder of images to %1</source>
        <translation>向 %1 添加一个图像文件夹</translation>
    </message>
    <message>
        <source>%1: %2 examples not added, a class holds at most %3</source>
        <translation>%1：%2 个样本未添加，每个类别最多 %3 个</translation>
    </message>
    <message>
        <source>Nothing to record: start the camera or a video in the preview above first.</source>
        <translation>没有可录制的内容：请先在上方预览中启动摄像头或视频。</translation>
    </message>
    <message>
        <source>Recording…</source>
        <translation>正在录制…</translation>
    </message>
    <message>
        <source>camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>%1: no image files there</source>
        <translation>%1：那里没有图像文件</translation>
    </message>
    <message>
        <source>%1 files could not be added, e.g. %2</source>
        <translation>%1 个文件无法添加，例如 %2</translation>
    </message>
    <message>
        <source>clipboard</source>
        <translation>剪贴板</translation>
    </message>
    <message>
        <source>The clipboard holds no image.</source>
        <translation>剪贴板中没有图像。</translation>
    </message>
    <message numerus="yes">
        <source>%n example(s)</source>
        <translation>
            <numerusform>%n 个样本</numerusform>
        </translation>
    </message>
    <message>
        <source>dropped image</source>
        <translation>拖入的图像</translation>
    </message>
    <message>
        <source>%1: still adding the previous files; try again when they are in</source>
        <translation>%1：仍在添加之前的文件，请等它们添加完成后再试</translation>
    </message>
    <message>
        <source>adding…</source>
        <translation>正在添加…</translation>
    </message>
</context>
<context>
    <name>levit::ui::DownloadModelDialog</name>
    <message>
        <source>Download a model</source>
        <translation>下载模型</translation>
    </message>
    <message>
        <source>Gets a LeViT checkpoint from the Hugging Face Hub (&lt;tt&gt;%1&lt;/tt&gt;) into the Hugging Face cache (&lt;tt&gt;%2&lt;/tt&gt;), shared with Python tools. A model already in the cache opens at once, without a download; a cancelled download resumes next time.</source>
        <translation>从 Hugging Face Hub（&lt;tt&gt;%1&lt;/tt&gt;）获取 LeViT 检查点，存入与 Python 工具共用的 Hugging Face 缓存（&lt;tt&gt;%2&lt;/tt&gt;）。缓存中已有的模型会立即打开，无需下载；取消的下载下次会继续。</translation>
    </message>
    <message>
        <source>A Hugging Face model id, org/name; the list holds the published LeViT models</source>
        <translation>Hugging Face 模型 ID，格式为 组织/名称；列表中是已发布的 LeViT 模型</translation>
    </message>
    <message>
        <source>main</source>
        <translation>main</translation>
    </message>
    <message>
        <source>A branch, a tag or a commit hash (empty: main)</source>
        <translation>分支、标签或提交哈希（留空：main）</translation>
    </message>
    <message>
        <source>&amp;Model:</source>
        <translation>模型(&amp;M)：</translation>
    </message>
    <message>
        <source>&amp;Revision:</source>
        <translation>修订版本(&amp;R)：</translation>
    </message>
    <message>
        <source>Choose a model and press Download.</source>
        <translation>选择一个模型，然后按“下载”。</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>下载(&amp;D)</translation>
    </message>
    <message>
        <source>Looking up %1…</source>
        <translation>正在查找 %1…</translation>
    </message>
    <message>
        <source>Downloading %1: %2</source>
        <translation>正在下载 %1：%2</translation>
    </message>
    <message>
        <source>In the cache already: %1</source>
        <translation>已在缓存中：%1</translation>
    </message>
    <message>
        <source>Downloaded into %1</source>
        <translation>已下载到 %1</translation>
    </message>
    <message>
        <source>Cancelled. What arrived is kept; the next download resumes from there.</source>
        <translation>已取消。已下载的部分会保留，下次下载将从那里继续。</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
</context>
<context>
    <name>levit::ui::EvaluateDialog</name>
    <message>
        <source>Evaluate a model on a folder of labelled images</source>
        <translation>在带标签的图像文件夹上评估模型</translation>
    </message>
    <message>
        <source>A folder with one sub-folder of images per class, named as the model&apos;s classes</source>
        <translation>每个类别一个图像子文件夹的文件夹，子文件夹按模型的类别命名</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>导出 JSON…</translation>
    </message>
    <message>
        <source>Choose a folder and press Evaluate.</source>
        <translation>选择一个文件夹，然后按“评估”。</translation>
    </message>
    <message>
        <source>Rows: the true class; columns: the class the model said (mean of both heads). Colour: the share of the row&apos;s images. Click a cell to list its images.</source>
        <translation>行：真实类别；列：模型给出的类别（两个头的均值）。颜色：占该行图像的比例。点击一个单元格可列出其中的图像。</translation>
    </message>
    <message>
        <source>accuracy per class</source>
        <translation>各类别准确率</translation>
    </message>
    <message>
        <source>Click a cell of the matrix to list its images; double-click one to open it.</source>
        <translation>点击矩阵中的单元格可列出其中的图像；双击某张图像可将其打开。</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Where the two heads disagree (classification head / distillation head):</source>
        <translation>两个头意见不一致之处（分类头 / 蒸馏头）：</translation>
    </message>
    <message>
        <source>A folder of labelled images</source>
        <translation>带标签的图像文件夹</translation>
    </message>
    <message>
        <source>Export the evaluation</source>
        <translation>导出评估结果</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>True %1, said %2: %3 image(s), %4% of the %1 images</source>
        <translation>真实为 %1，判为 %2：%3 张图像，占 %1 图像的 %4%</translation>
    </message>
    <message>
        <source>Model: the one in the window, %1 (%2 classes) — %3</source>
        <translation>模型：窗口中的模型，%1（%2 个类别）— %3</translation>
    </message>
    <message>
        <source>Load a model first.</source>
        <translation>请先加载模型。</translation>
    </message>
    <message>
        <source>Choose a folder of labelled images.</source>
        <translation>请选择一个带标签的图像文件夹。</translation>
    </message>
    <message>
        <source>Reading and classifying %1…</source>
        <translation>正在读取并分类 %1…</translation>
    </message>
    <message>
        <source>Cancelled: nothing was counted.</source>
        <translation>已取消：未统计任何结果。</translation>
    </message>
    <message>
        <source>Could not evaluate: %1</source>
        <translation>无法评估：%1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1 images&lt;/b&gt;: mean of both heads &lt;b&gt;%2&lt;/b&gt; · classification head %3 · distillation head %4 · the heads agree on %5 · %6 images/s on 2 threads</source>
        <translation>&lt;b&gt;%1 张图像&lt;/b&gt;：两个头的均值 &lt;b&gt;%2&lt;/b&gt; · 分类头 %3 · 蒸馏头 %4 · 两个头一致率 %5 · 每秒 %6 张（2 个线程）</translation>
    </message>
    <message>
        <source> · %1 unreadable files skipped</source>
        <translation> · 跳过了 %1 个无法读取的文件</translation>
    </message>
    <message>
        <source>said by the model</source>
        <translation>模型给出的类别</translation>
    </message>
    <message>
        <source>true class</source>
        <translation>真实类别</translation>
    </message>
    <message>
        <source>%1 — %2 / %3 (true: %4)</source>
        <translation>%1 — %2 / %3（真实：%4）</translation>
    </message>
    <message numerus="yes">
        <source>True %1, said %2: %n image(s) (double-click to open)</source>
        <translation>
            <numerusform>真实为 %1，判为 %2：%n 张图像（双击打开）</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: cannot write (%2)</source>
        <translation>%1：无法写入（%2）</translation>
    </message>
</context>
<context>
    <name>levit::ui::ExplainView</name>
    <message>
        <source>How the map is computed</source>
        <translation>图的计算方式</translation>
    </message>
    <message>
        <source>Mean of both heads (the model&apos;s answer)</source>
        <translation>两个头的均值（模型的回答）</translation>
    </message>
    <message>
        <source>Classification head</source>
        <translation>分类头</translation>
    </message>
    <message>
        <source>Distillation head</source>
        <translation>蒸馏头</translation>
    </message>
    <message>
        <source>All three side by side</source>
        <translation>三者并排</translation>
    </message>
    <message>
        <source>Where the heads look differently</source>
        <translation>两个头看的地方有何不同</translation>
    </message>
    <message>
        <source>The class to explain (best first). Clicking a bar in any chart explains that class.</source>
        <translation>要解释的类别（最可能的在前）。点击任一图表中的条形即可解释该类别。</translation>
    </message>
    <message>
        <source>How strongly the map covers the image</source>
        <translation>图覆盖在图像上的强度</translation>
    </message>
    <message>
        <source>What is this method?</source>
        <translation>这个方法是什么？</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Integrated gradients: images between the baseline and the image (more: closer to exact, slower)</source>
        <translation>积分梯度：基线与图像之间的插值图像数（越多越接近精确，越慢）</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>black image</source>
        <translation>黑色图像</translation>
    </message>
    <message>
        <source>blurred image</source>
        <translation>模糊图像</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>Grad-CAM: the stage whose output is weighted (its token grid)</source>
        <translation>Grad-CAM：对其输出加权的阶段（决定词元网格）</translation>
    </message>
    <message>
        <source>Patch</source>
        <translation>图块</translation>
    </message>
    <message>
        <source>one token cell</source>
        <translation>一个词元格</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Occlusion: the side of the grey square slid over the image (stride = side)</source>
        <translation>遮挡：在图像上滑动的灰色方块边长（步长 = 边长）</translation>
    </message>
    <message>
        <source>Nudge it to another class</source>
        <translation>轻推到另一个类别</translation>
    </message>
    <message>
        <source>The smallest fast-gradient-sign step (Goodfellow et al. 2015) that changes the top-1 class: original, the change magnified, and the new answer</source>
        <translation>改变 top-1 类别所需的最小快速梯度符号步长（Goodfellow 等，2015）：原图、放大的变化量和新的回答</translation>
    </message>
    <message>
        <source>Next disagreement</source>
        <translation>下一处分歧</translation>
    </message>
    <message>
        <source>Opens the next image in the strip whose two heads pick different classes, and shows where they look differently</source>
        <translation>打开图像条中下一张两个头给出不同类别的图像，并显示它们看的地方有何不同</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>头</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>Overlay</source>
        <translation>叠加</translation>
    </message>
    <message>
        <source>Open an image: its explanation appears here.</source>
        <translation>打开一张图像：它的解释会显示在这里。</translation>
    </message>
    <message>
        <source>Faithfulness: removing the pixels a map ranks first should make the class fall fast (deletion AUC, &lt;b&gt;lower&lt;/b&gt; is better); adding them to a blurred copy should make it rise fast (insertion AUC, &lt;b&gt;higher&lt;/b&gt; is better). A random map is the baseline to beat.</source>
        <translation>忠实度：移除图中排在最前的像素应使该类别的概率迅速下降（删除 AUC，&lt;b&gt;越低&lt;/b&gt;越好）；把它们加到模糊副本上应使概率迅速上升（插入 AUC，&lt;b&gt;越高&lt;/b&gt;越好）。随机图是需要超越的基线。</translation>
    </message>
    <message>
        <source>RISE (Petsiuk et al. 2018): pixels are removed (set to the dataset mean) or inserted (into a blurred copy of the image) in the map&apos;s order, in 16 equal steps; the area under the curve of the class probability (of the head shown) measures how well the map&apos;s order predicts what the model needs.</source>
        <translation>RISE（Petsiuk 等，2018）：按图给出的顺序，分 16 个等步移除像素（设为数据集均值）或插入像素（插入图像的模糊副本）；类别概率（所示头的）曲线下面积衡量图的顺序能多好地预测模型需要什么。</translation>
    </message>
    <message>
        <source>Attention rollout (every class)</source>
        <translation>注意力展开（所有类别）</translation>
    </message>
    <message>
        <source>Classification − distillation: “%1”</source>
        <translation>分类 − 蒸馏：“%1”</translation>
    </message>
    <message>
        <source>%1: “%2”</source>
        <translation>%1：“%2”</translation>
    </message>
    <message>
        <source>class %1</source>
        <translation>类别 %1</translation>
    </message>
    <message>
        <source>%1 — %2%</source>
        <translation>%1 — %2%</translation>
    </message>
    <message>
        <source>%1 · %2×%2</source>
        <translation>%1 · %2×%2</translation>
    </message>
    <message>
        <source>No explanation yet</source>
        <translation>尚无解释</translation>
    </message>
    <message>
        <source>Computing %1 for “%2”…</source>
        <translation>正在为“%2”计算 %1…</translation>
    </message>
    <message>
        <source>all classes</source>
        <translation>所有类别</translation>
    </message>
    <message>
        <source>Searching for the smallest nudge that changes the %1&apos;s answer…</source>
        <translation>正在寻找能改变%1回答的最小轻推…</translation>
    </message>
    <message>
        <source>Could not explain this image: %1</source>
        <translation>无法解释此图像：%1</translation>
    </message>
    <message>
        <source>Measuring faithfulness…</source>
        <translation>正在测量忠实度…</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;br&gt;The colours saturate at the 99th percentile of the values&apos; magnitude, so a few extreme pixels do not wash out the rest.</source>
        <translation>&lt;br&gt;&lt;br&gt;颜色在值幅度的第 99 百分位处饱和，因此少数极端像素不会冲淡其余部分。</translation>
    </message>
    <message>
        <source>%1: %2 tokens sum to %3, + bias %4 = logit %5</source>
        <translation>%1：%2 个词元之和为 %3，+ 偏置 %4 = logit %5</translation>
    </message>
    <message>
        <source>&lt;b&gt;Exact&lt;/b&gt; on the final %1×%1 grid: the heads read the mean of the final tokens, so each token&apos;s share of the logit is exact. %2. Earlier stages reach the heads through further attention and MLP blocks, so their tokens&apos; shares cannot be separated exactly (Grad-CAM on an earlier stage approximates them).</source>
        <translation>在最终的 %1×%1 网格上&lt;b&gt;精确&lt;/b&gt;：各个头读取最终词元的均值，因此每个词元在 logit 中的份额是精确的。%2。更早的阶段要经过后续的注意力和 MLP 模块才到达各个头，因此其词元的份额无法精确分离（在更早阶段上的 Grad-CAM 是其近似）。</translation>
    </message>
    <message>
        <source>Grad-CAM on stage %1 is an approximation: that stage&apos;s tokens reach the heads through the later stages.</source>
        <translation>阶段 %1 上的 Grad-CAM 是近似：该阶段的词元要经过后续阶段才到达各个头。</translation>
    </message>
    <message>
        <source>Right panel: the classification head&apos;s map minus the distillation head&apos;s. Red: the classification head relies on it more; blue: the distillation head does.</source>
        <translation>右侧面板：分类头的图减去蒸馏头的图。红：分类头更依赖此处；蓝：蒸馏头更依赖此处。</translation>
    </message>
    <message>
        <source>%1 in %2 ms. Measuring faithfulness…</source>
        <translation>%1，用时 %2 毫秒。正在测量忠实度…</translation>
    </message>
    <message>
        <source>%1 in %2 ms (live: faithfulness is measured on still images).</source>
        <translation>%1，用时 %2 毫秒（实时模式：忠实度只在静态图像上测量）。</translation>
    </message>
    <message>
        <source>better than a random map on both</source>
        <translation>两项都优于随机图</translation>
    </message>
    <message>
        <source>better than a random map on one of the two</source>
        <translation>两项中有一项优于随机图</translation>
    </message>
    <message>
        <source>no better than a random map: do not trust this picture</source>
        <translation>不比随机图好：不要相信这张图</translation>
    </message>
    <message>
        <source>Deletion AUC %1 (random %2) · insertion AUC %3 (random %4): %5</source>
        <translation>删除 AUC %1（随机 %2）· 插入 AUC %3（随机 %4）：%5</translation>
    </message>
    <message>
        <source>%1 in %2 ms; faithfulness measured in %3 ms.</source>
        <translation>%1，用时 %2 毫秒；忠实度测量用时 %3 毫秒。</translation>
    </message>
    <message>
        <source>red: classification</source>
        <translation>红：分类</translation>
    </message>
    <message>
        <source>red: for the class</source>
        <translation>红：支持该类别</translation>
    </message>
    <message>
        <source>blue: distillation</source>
        <translation>蓝：蒸馏</translation>
    </message>
    <message>
        <source>blue: against it</source>
        <translation>蓝：反对该类别</translation>
    </message>
    <message>
        <source>most important</source>
        <translation>最重要</translation>
    </message>
    <message>
        <source>least</source>
        <translation>最少</translation>
    </message>
    <message>
        <source>&lt;b&gt;Token contributions (exact).&lt;/b&gt; LeViT has no class token: each head applies BatchNorm and a linear layer to the &lt;i&gt;mean&lt;/i&gt; of the final tokens. With the BatchNorm folded into the linear layer, the logit is a bias plus one term per final token, so each cell shows exactly how much its token adds to (red) or takes from (blue) the class&apos;s logit. The cells are coarse (the final grid), but nothing is approximated.</source>
        <translation>&lt;b&gt;词元贡献（精确）。&lt;/b&gt;LeViT 没有类别词元：每个头对最终词元的&lt;i&gt;均值&lt;/i&gt;先做 BatchNorm，再做线性层。把 BatchNorm 折叠进线性层后，logit 等于一个偏置加上每个最终词元各一项，因此每个格子精确地显示其词元为该类别的 logit 增加了多少（红）或减少了多少（蓝）。格子较粗（最终网格），但没有任何近似。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Grad-CAM&lt;/b&gt; (Selvaraju et al. 2017) on a stage&apos;s output: each channel is weighted by the mean gradient of the class logit with respect to it, the weighted channels are summed per token and negative values dropped. It shows which tokens of that stage carry evidence the head uses, on that stage&apos;s grid.</source>
        <translation>&lt;b&gt;Grad-CAM&lt;/b&gt;（Selvaraju 等，2017），作用于某个阶段的输出：每个通道按类别 logit 对它的平均梯度加权，加权后的通道按词元求和并去掉负值。它显示该阶段的哪些词元携带了头所用的证据，分辨率为该阶段的网格。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Gradient (saliency)&lt;/b&gt;: how much the class logit changes when a pixel changes, |∂logit/∂pixel| summed over the colour channels. Fast (one backward pass) and fine-grained, but it shows sensitivity, not contribution: a pixel can matter without pushing towards the class.</source>
        <translation>&lt;b&gt;梯度（显著性）&lt;/b&gt;：像素变化时类别 logit 变化多少，即 |∂logit/∂pixel| 在颜色通道上求和。速度快（一次反向传播）且精细，但它显示的是敏感度而非贡献：一个像素可能很重要，却并不推向该类别。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Gradient × input&lt;/b&gt; (Shrikumar et al. 2016): each pixel&apos;s value times the gradient of the class logit, summed over channels. Signed: red pixels push towards the class, blue away. One backward pass; a one-step version of integrated gradients.</source>
        <translation>&lt;b&gt;梯度 × 输入&lt;/b&gt;（Shrikumar 等，2016）：每个像素的值乘以类别 logit 的梯度，在通道上求和。有正负：红色像素推向该类别，蓝色推离。一次反向传播；是积分梯度的单步版本。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Integrated gradients&lt;/b&gt; (Sundararajan et al. 2017): the gradient is averaged along the straight path from a baseline (a black or blurred image) to the image, then multiplied by the difference. The attributions add up to the logit of the image minus the logit of the baseline; more steps approach that exactly, at one backward pass per step.</source>
        <translation>&lt;b&gt;积分梯度&lt;/b&gt;（Sundararajan 等，2017）：沿从基线（黑色或模糊图像）到图像的直线路径对梯度求平均，再乘以两者之差。归因之和等于图像的 logit 减去基线的 logit；步数越多越接近精确，每步需一次反向传播。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Occlusion&lt;/b&gt; (Zeiler and Fergus 2014): a square is filled with the dataset mean at every position in turn, all copies run through the model in one batch, and each pixel shows how much the class logit drops when it is hidden. Model-agnostic and easy to trust; as coarse as the square.</source>
        <translation>&lt;b&gt;遮挡&lt;/b&gt;（Zeiler 和 Fergus，2014）：依次在每个位置用数据集均值填充一个方块，所有副本在一个批次中通过模型，每个像素显示它被遮住时类别 logit 下降多少。与模型无关，容易信任；精细程度与方块相当。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Attention rollout for LeViT&lt;/b&gt;: how much each input patch can flow into the final tokens through the attention maps, with the residual path counted as half of every block and the subsample blocks mapping the finer grid to the coarser one; the final mean gives every final token the same weight. It does not depend on the class or the head, and is measured like the others: do not assume it is good.</source>
        <translation>&lt;b&gt;LeViT 的注意力展开&lt;/b&gt;：每个输入图块经由注意力图能有多少流入最终词元，其中残差路径在每个模块中计为一半，下采样模块把较细的网格映射到较粗的网格；最终的均值给每个最终词元相同的权重。它与类别和头无关，并且与其他方法一样接受测量：不要假定它是好的。</translation>
    </message>
    <message>
        <source>Explanation: %1 for “%2”</source>
        <translation>解释：“%2”的 %1</translation>
    </message>
    <message>
        <source>every class</source>
        <translation>每个类别</translation>
    </message>
    <message>
        <source>%1: deletion AUC %2 (random %3), insertion AUC %4 (random %5)</source>
        <translation>%1：删除 AUC %2（随机 %3），插入 AUC %4（随机 %5）</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>解释</translation>
    </message>
</context>
<context>
    <name>levit::ui::ExplainedHeatmap</name>
    <message>
        <source>What am I looking at?</source>
        <translation>我看到的是什么？</translation>
    </message>
</context>
<context>
    <name>levit::ui::FeatureMapView</name>
    <message>
        <source>channel order</source>
        <translation>通道顺序</translation>
    </message>
    <message>
        <source>strongest mean first</source>
        <translation>均值最强的在前</translation>
    </message>
    <message>
        <source>strongest peak first</source>
        <translation>峰值最强的在前</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>per channel</source>
        <translation>按通道</translation>
    </message>
    <message>
        <source>whole stage</source>
        <translation>整个阶段</translation>
    </message>
    <message>
        <source>automatic: each channel on its own range for the stage outputs, one range for the patch embedding.
Deep stages have small grids whose channels differ in range: on one shared range every tile is
one flat colour. On its own range, each tile shows where its channel is strong.</source>
        <translation>自动：各阶段输出的每个通道使用各自的范围，图块嵌入使用统一范围。
深层阶段的网格较小，各通道的取值范围不同：在同一共享范围下每个小图都是
一片单色。使用各自的范围时，每个小图都能显示其通道在哪里较强。</translation>
    </message>
    <message>
        <source>overlay on image</source>
        <translation>叠加到图像上</translation>
    </message>
    <message>
        <source>Stage:</source>
        <translation>阶段：</translation>
    </message>
    <message>
        <source>Sort:</source>
        <translation>排序：</translation>
    </message>
    <message>
        <source>Colours:</source>
        <translation>颜色：</translation>
    </message>
    <message>
        <source>Hover over a map to read its values; click one to enlarge it.</source>
        <translation>将鼠标悬停在图上可读取其值；点击可放大。</translation>
    </message>
    <message>
        <source>Classify an image to see what each stage computes.</source>
        <translation>对一张图像分类后，即可查看每个阶段计算了什么。</translation>
    </message>
    <message>
        <source>%1 · channel %2, row %3, column %4: %5</source>
        <translation>%1 · 通道 %2，第 %3 行，第 %4 列：%5</translation>
    </message>
    <message>
        <source>%1 channels</source>
        <translation>%1 个通道</translation>
    </message>
    <message>
        <source>Patch embedding</source>
        <translation>图块嵌入</translation>
    </message>
    <message>
        <source>Stage %1 output</source>
        <translation>阶段 %1 输出</translation>
    </message>
    <message>
        <source>%1 · %2×%3 tokens</source>
        <translation>%1 · %2×%3 个词元</translation>
    </message>
    <message>
        <source>%1 · channel %2 of %3</source>
        <translation>%1 · 通道 %2 / %3</translation>
    </message>
    <message>
        <source>Each tile on its own range; the colour bar: channel %1, %2 to %3</source>
        <translation>每个小图使用各自的范围；色条：通道 %1，%2 到 %3</translation>
    </message>
    <message>
        <source>One range for all %1 channels: %2 to %3</source>
        <translation>全部 %1 个通道使用同一范围：%2 到 %3</translation>
    </message>
    <message>
        <source>Feature maps</source>
        <translation>特征图</translation>
    </message>
</context>
<context>
    <name>levit::ui::HeadsComparisonView</name>
    <message>
        <source>Classify an image to compare the two heads.</source>
        <translation>对一张图像分类后，即可比较两个头。</translation>
    </message>
    <message>
        <source>classification head (trained on labels)</source>
        <translation>分类头（用标签训练）</translation>
    </message>
    <message>
        <source>distillation head (trained on the teacher)</source>
        <translation>蒸馏头（用教师模型训练）</translation>
    </message>
    <message>
        <source>Hover over a point to see its class; click it to see why.</source>
        <translation>悬停在某个点上可查看其类别；点击可查看原因。</translation>
    </message>
    <message>
        <source>Where do the heads look differently? →</source>
        <translation>两个头看的地方有何不同？→</translation>
    </message>
    <message>
        <source>The Explain tab: each head&apos;s map and their difference, for this image</source>
        <translation>“解释”标签页：此图像上每个头的图及其差异</translation>
    </message>
    <message>
        <source>The model reports the softmax of the mean of the two heads&apos; logits: %1 (%2%).</source>
        <translation>模型报告两个头 logit 均值的 softmax：%1（%2%）。</translation>
    </message>
    <message>
        <source>The heads disagree: %1 (classification) vs %2 (distillation). %3</source>
        <translation>两个头意见不一：%1（分类）对 %2（蒸馏）。%3</translation>
    </message>
    <message>
        <source>Both heads say %1. %2</source>
        <translation>两个头都判为 %1。%2</translation>
    </message>
    <message>
        <source>classification top 3</source>
        <translation>分类头 top 3</translation>
    </message>
    <message>
        <source>distillation top 3</source>
        <translation>蒸馏头 top 3</translation>
    </message>
    <message>
        <source>in both top 3 (outlined)</source>
        <translation>同在两者的 top 3 中（带轮廓）</translation>
    </message>
    <message>
        <source>reported: softmax of the mean logits, %1</source>
        <translation>报告值：logit 均值的 softmax，%1</translation>
    </message>
    <message>
        <source>other classes</source>
        <translation>其他类别</translation>
    </message>
    <message>
        <source>equal logits</source>
        <translation>logit 相等</translation>
    </message>
    <message>
        <source>in both top 3</source>
        <translation>同在两者的 top 3 中</translation>
    </message>
    <message>
        <source>reported (mean logits): %1</source>
        <translation>报告值（logit 均值）：%1</translation>
    </message>
    <message>
        <source>classification head logit</source>
        <translation>分类头 logit</translation>
    </message>
    <message>
        <source>distillation head logit</source>
        <translation>蒸馏头 logit</translation>
    </message>
    <message>
        <source>all %1 logits, correlation r = %2</source>
        <translation>全部 %1 个 logit，相关系数 r = %2</translation>
    </message>
    <message>
        <source>%1 (class %2): classification logit %3, distillation logit %4</source>
        <translation>%1（类别 %2）：分类 logit %3，蒸馏 logit %4</translation>
    </message>
    <message>
        <source>Classifier vs distillation</source>
        <translation>分类头与蒸馏头</translation>
    </message>
</context>
<context>
    <name>levit::ui::HeatmapWidget</name>
    <message>
        <source>each value is %1×%1 pixels</source>
        <translation>每个值占 %1×%1 像素</translation>
    </message>
    <message>
        <source>area-averaged: each pixel is the mean of %1×%1 values</source>
        <translation>按面积平均：每个像素是 %1×%1 个值的均值</translation>
    </message>
</context>
<context>
    <name>levit::ui::ImageLoader</name>
    <message>
        <source>Listing %1: %2 images</source>
        <translation>正在列出 %1：%2 张图像</translation>
    </message>
    <message>
        <source>%1: not opened, the window holds at most %2 images</source>
        <translation>%1：未打开，窗口最多容纳 %2 张图像</translation>
    </message>
    <message>
        <source>%1: no images in this folder</source>
        <translation>%1：此文件夹中没有图像</translation>
    </message>
    <message>
        <source>%1: opened the first %2 of its %3 images (the window holds at most %4 images)</source>
        <translation>%1：已打开其 %3 张图像中的前 %2 张（窗口最多容纳 %4 张图像）</translation>
    </message>
    <message>
        <source>Opening images: %1 / %2</source>
        <translation>正在打开图像：%1 / %2</translation>
    </message>
</context>
<context>
    <name>levit::ui::InferenceWorker</name>
    <message>
        <source>No model is loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>There is no image to classify.</source>
        <translation>没有可分类的图像。</translation>
    </message>
</context>
<context>
    <name>levit::ui::LabelSetPanel</name>
    <message>
        <source>A 1000-class LeViT is usually an ImageNet-1k model: show the ImageNet-1k class names
by class index. Only right if the model was trained on ImageNet-1k in its usual order.</source>
        <translation>1000 类的 LeViT 通常是 ImageNet-1k 模型：按类别索引显示 ImageNet-1k 类别名称。
只有当模型按通常顺序在 ImageNet-1k 上训练时才正确。</translation>
    </message>
    <message>
        <source>The one class this model knows</source>
        <translation>此模型认识的唯一类别</translation>
    </message>
    <message>
        <source>One of the %1 classes this model knows</source>
        <translation>此模型认识的 %1 个类别之一</translation>
    </message>
    <message>
        <source>Every picture gets one of these %1 classes, whatever it shows:</source>
        <translation>无论图片内容是什么，都会被归为这 %1 个类别之一：</translation>
    </message>
    <message>
        <source>… and %1 more (click for the whole list)</source>
        <translation>……另外还有 %1 个（点击查看完整列表）</translation>
    </message>
    <message>
        <source>Training data: %1</source>
        <translation>训练数据：%1</translation>
    </message>
    <message>
        <source>LABEL_0…LABEL_%1</source>
        <translation>LABEL_0…LABEL_%1</translation>
    </message>
    <message>
        <source>ImageNet-1k names by class index (the config says %1).</source>
        <translation>按类别索引使用 ImageNet-1k 名称（配置中为 %1）。</translation>
    </message>
    <message>
        <source>Classes named only %1.</source>
        <translation>类别只有 %1 这样的名称。</translation>
    </message>
    <message>
        <source>Show LABEL_N names</source>
        <translation>显示 LABEL_N 名称</translation>
    </message>
    <message>
        <source>Use ImageNet-1k names</source>
        <translation>使用 ImageNet-1k 名称</translation>
    </message>
</context>
<context>
    <name>levit::ui::LivePanel</name>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play again</source>
        <translation>重新播放</translation>
    </message>
    <message>
        <source>Play the last video file again from its start</source>
        <translation>从头重新播放上一个视频文件</translation>
    </message>
    <message>
        <source>Loop video</source>
        <translation>循环播放视频</translation>
    </message>
    <message>
        <source>Start a video file again when it ends</source>
        <translation>视频文件结束时从头再播放</translation>
    </message>
    <message>
        <source>Snapshot to strip</source>
        <translation>快照到图像条</translation>
    </message>
    <message>
        <source>Open video file…</source>
        <translation>打开视频文件…</translation>
    </message>
    <message>
        <source>Camera:</source>
        <translation>摄像头：</translation>
    </message>
    <message>
        <source>camera %1 (/dev/video%1)</source>
        <translation>摄像头 %1（/dev/video%1）</translation>
    </message>
    <message>
        <source>no camera</source>
        <translation>无摄像头</translation>
    </message>
    <message>
        <source>No camera found (checked /dev/video0..9). You can still play a video file.</source>
        <translation>未找到摄像头（已检查 /dev/video0..9）。仍可播放视频文件。</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the live view</source>
        <translation>停止实时视图</translation>
    </message>
    <message>
        <source>Start the camera</source>
        <translation>启动摄像头</translation>
    </message>
    <message>
        <source>Play the last video again (there is no camera)</source>
        <translation>重新播放上一个视频（没有摄像头）</translation>
    </message>
    <message>
        <source>Play %1 again from its start</source>
        <translation>从头重新播放 %1</translation>
    </message>
</context>
<context>
    <name>levit::ui::MainWindow</name>
    <message>
        <source>LeViT Lens</source>
        <translation>LeViT Lens</translation>
    </message>
    <message>
        <source>Drop images here, open them (Ctrl+O) or paste one (Ctrl+V).</source>
        <translation>把图像拖放到这里、打开图像（Ctrl+O）或粘贴一张（Ctrl+V）。</translation>
    </message>
    <message>
        <source>No model loaded.</source>
        <translation>未加载模型。</translation>
    </message>
    <message>
        <source>Start the camera or open a video file: its frames appear here with the model&apos;s answer.</source>
        <translation>启动摄像头或打开视频文件：其画面会与模型的回答一起显示在这里。</translation>
    </message>
    <message>
        <source>Live camera</source>
        <translation>实时摄像头</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Teach</source>
        <translation>教学</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop opening images or exporting predictions</source>
        <translation>停止打开图像或导出预测</translation>
    </message>
    <message>
        <source>%v / %m</source>
        <translation>%v / %m</translation>
    </message>
    <message>
        <source>Open a video file</source>
        <translation>打开视频文件</translation>
    </message>
    <message>
        <source>Videos (*.mp4 *.avi *.mkv *.mov *.webm);;All files (*)</source>
        <translation>视频 (*.mp4 *.avi *.mkv *.mov *.webm);;所有文件 (*)</translation>
    </message>
    <message>
        <source>No live frame to take a snapshot of yet.</source>
        <translation>还没有可截取快照的实时画面。</translation>
    </message>
    <message>
        <source>snapshot %1</source>
        <translation>快照 %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open images…</source>
        <translation>打开图像(&amp;O)…</translation>
    </message>
    <message>
        <source>Open images</source>
        <translation>打开图像</translation>
    </message>
    <message>
        <source>Images (%1);;All files (*)</source>
        <translation>图像 (%1);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open &amp;folder…</source>
        <translation>打开文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Open a folder of images</source>
        <translation>打开图像文件夹</translation>
    </message>
    <message>
        <source>&amp;Paste image</source>
        <translation>粘贴图像(&amp;P)</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export current view as PNG…</source>
        <translation>将当前视图导出为 PNG(&amp;E)…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Export view</source>
        <translation>导出视图</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Export predictions as CSV…</source>
        <translation>将预测导出为 CSV…</translation>
    </message>
    <message>
        <source>Export predictions</source>
        <translation>导出预测</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>Export predictions as JSON…</source>
        <translation>将预测导出为 JSON…</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <source>Open model &amp;folder…</source>
        <translation>打开模型文件夹(&amp;F)…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Open a model folder (config.json + model.safetensors or pytorch_model.bin)</source>
        <translation>打开模型文件夹（config.json + model.safetensors 或 pytorch_model.bin）</translation>
    </message>
    <message>
        <source>Open &amp;weights file…</source>
        <translation>打开权重文件(&amp;W)…</translation>
    </message>
    <message>
        <source>Open weights</source>
        <translation>打开权重</translation>
    </message>
    <message>
        <source>LeViT weights (*.safetensors *.bin *.pth *.pt *.index.json)</source>
        <translation>LeViT 权重 (*.safetensors *.bin *.pth *.pt *.index.json)</translation>
    </message>
    <message>
        <source>&amp;Bundled default model</source>
        <translation>内置默认模型(&amp;B)</translation>
    </message>
    <message>
        <source>&amp;Download model…</source>
        <translation>下载模型(&amp;D)…</translation>
    </message>
    <message>
        <source>From the &amp;Hugging Face cache</source>
        <translation>从 &amp;Hugging Face 缓存</translation>
    </message>
    <message>
        <source>&amp;Evaluate on a folder of labelled images…</source>
        <translation>在带标签的图像文件夹上评估(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Top-&amp;k</source>
        <translation>Top-&amp;k</translation>
    </message>
    <message>
        <source>&amp;Colormap</source>
        <translation>色图(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Palette</source>
        <translation>配色(&amp;P)</translation>
    </message>
    <message>
        <source>system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>&amp;Previous image</source>
        <translation>上一张图像(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Next image</source>
        <translation>下一张图像(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Run again</source>
        <translation>重新运行(&amp;R)</translation>
    </message>
    <message>
        <source>Pre&amp;sentation mode</source>
        <translation>演示模式(&amp;S)</translation>
    </message>
    <message>
        <source>Show %1</source>
        <translation>显示%1</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About LeViT Lens</source>
        <translation>关于 LeViT Lens(&amp;A)</translation>
    </message>
    <message>
        <source>About LeViT Lens</source>
        <translation>关于 LeViT Lens</translation>
    </message>
    <message>
        <source>&lt;h3&gt;LeViT Lens %1&lt;/h3&gt;&lt;p&gt;Classifies images with the LeViT vision transformer, computed by its own engine faithful to Hugging Face&apos;s, and shows what happens inside the model.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;LeViT Lens %1&lt;/h3&gt;&lt;p&gt;使用 LeViT 视觉 Transformer 对图像进行分类，由其自带的、与 Hugging Face 实现一致的引擎计算，并展示模型内部发生了什么。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>The language takes effect when LeViT Lens restarts.</source>
        <translation>语言设置将在 LeViT Lens 重新启动后生效。</translation>
    </message>
    <message>
        <source>(no models in the cache)</source>
        <translation>（缓存中没有模型）</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Could not load the model: %1</source>
        <translation>无法加载模型：%1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; · %2 parameters · %3 px input · token grids %4 · %5 labels · %6 GFLOPs/image&lt;br&gt;&lt;small&gt;%7&lt;/small&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; · %2 个参数 · 输入 %3 像素 · 词元网格 %4 · %5 个标签 · 每张图像 %6 GFLOPs&lt;br&gt;&lt;small&gt;%7&lt;/small&gt;</translation>
    </message>
    <message>
        <source>LeViT Lens — %1</source>
        <translation>LeViT Lens — %1</translation>
    </message>
    <message>
        <source>Opening images was cancelled after %1 images.</source>
        <translation>打开 %1 张图像后已取消打开。</translation>
    </message>
    <message>
        <source>… and %1 more</source>
        <translation>……另外还有 %1 条</translation>
    </message>
    <message>
        <source>%1: not opened, the window holds at most %2 images</source>
        <translation>%1：未打开，窗口最多容纳 %2 张图像</translation>
    </message>
    <message>
        <source>%1: not opened, the window holds at most %2 megapixels of images</source>
        <translation>%1：未打开，窗口最多容纳 %2 百万像素的图像</translation>
    </message>
    <message>
        <source>%1: there is no image to add</source>
        <translation>%1：没有可添加的图像</translation>
    </message>
    <message>
        <source>clipboard</source>
        <translation>剪贴板</translation>
    </message>
    <message>
        <source>The clipboard holds no image.</source>
        <translation>剪贴板中没有图像。</translation>
    </message>
    <message>
        <source> · stage %1 %2 ms</source>
        <translation> · 阶段 %1 %2 毫秒</translation>
    </message>
    <message>
        <source>%1 frames/s from the source · inference %2 ms (patch embedding %3 ms%4 · heads %5 ms) · %6 frames skipped to stay live</source>
        <translation>来源每秒 %1 帧 · 推理 %2 毫秒（图块嵌入 %3 毫秒%4 · 头 %5 毫秒）· 为保持实时跳过了 %6 帧</translation>
    </message>
    <message>
        <source>live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>No prediction for %1</source>
        <translation>%1 没有预测结果</translation>
    </message>
    <message>
        <source>camera %1</source>
        <translation>摄像头 %1</translation>
    </message>
    <message>
        <source>Live from camera %1</source>
        <translation>来自摄像头 %1 的实时画面</translation>
    </message>
    <message>
        <source>Playing %1</source>
        <translation>正在播放 %1</translation>
    </message>
    <message>
        <source>Load a model before starting the live view.</source>
        <translation>启动实时视图前请先加载模型。</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>last frame of %1</source>
        <translation>%1 的最后一帧</translation>
    </message>
    <message>
        <source>%1: could not write the PNG</source>
        <translation>%1：无法写入 PNG</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Load a model first.</source>
        <translation>请先加载模型。</translation>
    </message>
    <message>
        <source>cancelled, nothing written</source>
        <translation>已取消，未写入任何内容</translation>
    </message>
    <message>
        <source>Saved the predictions of %1 images to %2</source>
        <translation>已将 %1 张图像的预测保存到 %2</translation>
    </message>
    <message>
        <source>%1: cannot write the predictions (%2)</source>
        <translation>%1：无法写入预测（%2）</translation>
    </message>
    <message>
        <source>Classifying for the export: %1 of %2</source>
        <translation>正在为导出进行分类：第 %1 张，共 %2 张</translation>
    </message>
    <message>
        <source>No image classified so far has heads that disagree; the Results tab is classifying the rest.</source>
        <translation>目前已分类的图像中没有两个头意见不一的；“结果”标签页正在对其余图像分类。</translation>
    </message>
    <message>
        <source>In every open image the two heads agree on the top-1 class.</source>
        <translation>在每张打开的图像中，两个头的 top-1 类别都一致。</translation>
    </message>
    <message>
        <source>dropped image</source>
        <translation>拖入的图像</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
</context>
<context>
    <name>levit::ui::MessageArea</name>
    <message>
        <source>Dismiss this message</source>
        <translation>关闭此消息</translation>
    </message>
</context>
<context>
    <name>levit::ui::ModelGraphView</name>
    <message>
        <source>%1 parameters</source>
        <translation>%1 个参数</translation>
    </message>
    <message>
        <source>no parameters</source>
        <translation>无参数</translation>
    </message>
    <message>
        <source>%1FLOPs</source>
        <translation>%1FLOPs</translation>
    </message>
    <message>
        <source>no multiply-adds</source>
        <translation>无乘加运算</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 µs</source>
        <translation>%1 微秒</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Preprocessing</source>
        <translation>预处理</translation>
    </message>
    <message>
        <source>Convolution %1</source>
        <translation>卷积 %1</translation>
    </message>
    <message>
        <source>Attention · block %1</source>
        <translation>注意力 · 模块 %1</translation>
    </message>
    <message>
        <source>MLP</source>
        <translation>MLP</translation>
    </message>
    <message>
        <source>Subsample · block %1</source>
        <translation>下采样 · 模块 %1</translation>
    </message>
    <message>
        <source>Mean pooling</source>
        <translation>平均池化</translation>
    </message>
    <message>
        <source>Classification head</source>
        <translation>分类头</translation>
    </message>
    <message>
        <source>Distillation head</source>
        <translation>蒸馏头</translation>
    </message>
    <message>
        <source>Mean of both heads</source>
        <translation>两个头的均值</translation>
    </message>
    <message>
        <source>resize to %1 × %2</source>
        <translation>缩放到 %1 × %2</translation>
    </message>
    <message>
        <source>shorter side → %1</source>
        <translation>短边 → %1</translation>
    </message>
    <message>
        <source>crop %1 × %2</source>
        <translation>裁剪 %1 × %2</translation>
    </message>
    <message>
        <source>normalise</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>the picture as opened</source>
        <translation>打开时的图片</translation>
    </message>
    <message>
        <source>%1×%1, stride %2, %3 → %4 channels%5</source>
        <translation>%1×%1，步长 %2，%3 → %4 个通道%5</translation>
    </message>
    <message>
        <source>, hardswish</source>
        <translation>，hardswish</translation>
    </message>
    <message>
        <source>%1 heads, key %2, value %3, + residual</source>
        <translation>%1 个头，键 %2，值 %3，+ 残差</translation>
    </message>
    <message>
        <source>%1 heads, key %2, value %3, stride %4</source>
        <translation>%1 个头，键 %2，值 %3，步长 %4</translation>
    </message>
    <message>
        <source>%1 → %2 → %1, hardswish, + residual</source>
        <translation>%1 → %2 → %1，hardswish，+ 残差</translation>
    </message>
    <message>
        <source>average over the tokens, per channel</source>
        <translation>对词元逐通道求平均</translation>
    </message>
    <message>
        <source>BatchNorm + linear, %1 → %2</source>
        <translation>BatchNorm + 线性层，%1 → %2</translation>
    </message>
    <message>
        <source>(classification + distillation) / 2</source>
        <translation>（分类 + 蒸馏）/ 2</translation>
    </message>
    <message>
        <source>%1 × %2 pixels, RGB</source>
        <translation>%1 × %2 像素，RGB</translation>
    </message>
    <message>
        <source>any size, RGB</source>
        <translation>任意尺寸，RGB</translation>
    </message>
    <message>
        <source>%1 × %2 × %3</source>
        <translation>%1 × %2 × %3</translation>
    </message>
    <message>
        <source>%1 tokens (%2×%3) × %4</source>
        <translation>%1 个词元（%2×%3）× %4</translation>
    </message>
    <message>
        <source>%1 numbers</source>
        <translation>%1 个数</translation>
    </message>
    <message>
        <source>%1 class scores</source>
        <translation>%1 个类别得分</translation>
    </message>
    <message>
        <source>The picture you opened, at its own size. To the computer it is just a grid of red, green and blue values from 0 to 255.</source>
        <translation>你打开的图片，保持原始尺寸。对计算机来说，它只是一个由 0 到 255 的红、绿、蓝数值组成的网格。</translation>
    </message>
    <message>
        <source>The picture is resized and its centre cut out (%1), so the model always gets %2 × %2 pixels. Each colour value is then scaled to 0–1, minus the mean (%3, %4, %5) and divided by the spread (%6, %7, %8) of the training photos, so the numbers are centred on zero.</source>
        <translation>图片先被缩放并裁出中心部分（%1），因此模型总是得到 %2 × %2 像素。随后每个颜色值被缩放到 0–1，减去训练照片的均值（%3、%4、%5）并除以其离散程度（%6、%7、%8），使数值以零为中心。</translation>
    </message>
    <message>
        <source>%1 small %2×%2 filters slide over the picture in steps of %3, so it gets %3 times smaller and each position gets %1 numbers. Early filters respond to simple patterns such as edges and colour blobs; hardswish then keeps strong responses and damps negative ones.</source>
        <translation>%1 个 %2×%2 的小滤波器以步长 %3 在图片上滑动，因此图片缩小为原来的 1/%3，每个位置得到 %1 个数。早期的滤波器对边缘、色块等简单图案有反应；hardswish 随后保留强响应、抑制负响应。</translation>
    </message>
    <message>
        <source>The last filters (%1 of them, %2×%2, steps of %3) turn each %4 × %4 pixel patch into one token: a list of %1 numbers. From here on the picture is a grid of tokens, like words in a sentence.</source>
        <translation>最后一组滤波器（共 %1 个，%2×%2，步长 %3）把每个 %4 × %4 像素的图块变成一个词元：一串 %1 个数。从这里开始，图片就是一个词元网格，就像句子里的词。</translation>
    </message>
    <message>
        <source>Every token looks at all %1 tokens and takes a weighted mix of what they hold, in %2 heads that each look for something else. The weights come from how well a token&apos;s query matches the others&apos; keys, plus a learned bias for their distance; the mix is added to the token (a residual connection), so the block only learns a correction.</source>
        <translation>每个词元查看全部 %1 个词元，并按权重混合它们的内容；共有 %2 个头，各自寻找不同的东西。权重取决于该词元的查询与其他词元的键的匹配程度，再加上一个按距离学到的偏置；混合结果被加回该词元（残差连接），因此这个模块只需学习一个修正。</translation>
    </message>
    <message>
        <source>Each token on its own goes through two layers: widened to %1 numbers, passed through hardswish, and narrowed back to %2. The result is added to the token, so the block refines what attention gathered instead of replacing it.</source>
        <translation>每个词元各自经过两层：先扩展到 %1 个数，经过 hardswish，再压缩回 %2 个数。结果被加回该词元，因此这个模块是在完善注意力收集到的信息，而不是替换它。</translation>
    </message>
    <message>
        <source>Attention in which only a %1 × %1 grid of the tokens asks (the queries, one every %2 rows and columns) while all %3 tokens answer: each token grows from %4 to %5 numbers. Fewer, richer tokens let the next stage look at larger parts of the picture at a lower cost.</source>
        <translation>一种注意力：只有 %1 × %1 网格上的词元提问（查询，行和列都每隔 %2 个取一个），而全部 %3 个词元作答：每个词元从 %4 个数增长到 %5 个数。更少但更丰富的词元，让下一阶段能以更低的代价观察图片中更大的区域。</translation>
    </message>
    <message>
        <source>The %1 tokens are averaged into one list of %2 numbers that describes the whole picture. Where something was no longer matters here, only what was found.</source>
        <translation>%1 个词元被平均成一串 %2 个数，用来描述整张图片。在这里，东西在哪里已不再重要，重要的只是找到了什么。</translation>
    </message>
    <message>
        <source>One linear layer turns the %1 numbers into a score for each of the %2 classes. It was trained on the true labels of the training pictures.</source>
        <translation>一个线性层把这 %1 个数变成 %2 个类别各自的得分。它是用训练图片的真实标签训练的。</translation>
    </message>
    <message>
        <source>A second linear layer of the same shape, trained to copy the answers of a larger teacher network (distillation). It usually agrees with the classification head, but not always.</source>
        <translation>第二个形状相同的线性层，被训练去模仿一个更大的教师网络的回答（蒸馏）。它通常与分类头一致，但并非总是如此。</translation>
    </message>
    <message>
        <source>The two heads&apos; scores are averaged, and softmax turns them into the probabilities shown with the predictions. This average is the model&apos;s answer.</source>
        <translation>两个头的得分取平均，softmax 再把它们变成预测中显示的概率。这个平均就是模型的回答。</translation>
    </message>
    <message>
        <source>the picture the model saw</source>
        <translation>模型看到的图片</translation>
    </message>
    <message>
        <source>Feature maps, patch embedding</source>
        <translation>特征图，图块嵌入</translation>
    </message>
    <message>
        <source>Feature maps, stage %1 output</source>
        <translation>特征图，阶段 %1 输出</translation>
    </message>
    <message>
        <source>Attention, stage %1 · block %2, head %3</source>
        <translation>注意力，阶段 %1 · 模块 %2，头 %3</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>两个头</translation>
    </message>
    <message>
        <source>the predictions</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Stage %1 · %2 × %2 tokens × %3</source>
        <translation>阶段 %1 · %2 × %2 个词元 × %3</translation>
    </message>
    <message>
        <source> · %1 × attention (%2 heads, key dim %3, ratio %4)</source>
        <translation> · %1 × 注意力（%2 个头，键维度 %3，比例 %4）</translation>
    </message>
    <message>
        <source> + MLP (×%1)</source>
        <translation> + MLP（×%1）</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Patch embedding · %1 × %1 pixels → %2 × %2 tokens</source>
        <translation>图块嵌入 · %1 × %1 像素 → %2 × %2 个词元</translation>
    </message>
    <message>
        <source>Pooling and heads</source>
        <translation>池化与分类头</translation>
    </message>
    <message>
        <source>Model graph</source>
        <translation>模型图</translation>
    </message>
    <message>
        <source>%1, %2 GFLOPs per image</source>
        <translation>%1，每张图像 %2 GFLOPs</translation>
    </message>
    <message>
        <source>Click to open: %1</source>
        <translation>点击打开：%1</translation>
    </message>
    <message>
        <source>%1 · %2%</source>
        <translation>%1 · %2%</translation>
    </message>
    <message>
        <source>Load a model to see it drawn as a graph, from the picture to the answer.</source>
        <translation>加载模型后，即可看到它被画成一张从图片到回答的图。</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 GFLOPs per image</source>
        <translation>%1 · %2 · 每张图像 %3 GFLOPs</translation>
    </message>
    <message>
        <source>LeViT</source>
        <translation>LeViT</translation>
    </message>
    <message>
        <source>0% … %1% of the time</source>
        <translation>耗时占比 0% … %1%</translation>
    </message>
    <message>
        <source>no times yet</source>
        <translation>尚无耗时</translation>
    </message>
    <message>
        <source>%1 · this image took %2 in all</source>
        <translation>%1 · 这张图像共耗时 %2</translation>
    </message>
    <message>
        <source>A box&apos;s colour is its share of the time this image took: the more orange, the slower the step. Hover over a box for what it does, click it to open its output. FLOPs count a multiply-add as 2.</source>
        <translation>方框的颜色表示它在这张图像总耗时中的占比：越橙，这一步越慢。将鼠标悬停在方框上可查看它做什么，点击可打开它的输出。FLOPs 把一次乘加计为 2。</translation>
    </message>
    <message>
        <source>Times appear when an image has been classified. Hover over a box for what it does, click it to open its output. FLOPs count a multiply-add as 2.</source>
        <translation>对一张图像分类后会显示耗时。将鼠标悬停在方框上可查看它做什么，点击可打开它的输出。FLOPs 把一次乘加计为 2。</translation>
    </message>
    <message>
        <source>→ %1</source>
        <translation>→ %1</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
</context>
<context>
    <name>levit::ui::ModelTab</name>
    <message>
        <source>Architecture graph</source>
        <translation>架构图</translation>
    </message>
    <message>
        <source>Every layer of this model with its output shape, parameters, FLOPs and time</source>
        <translation>此模型的每一层，及其输出形状、参数量、FLOPs 和耗时</translation>
    </message>
    <message>
        <source>Step-by-step tour</source>
        <translation>分步导览</translation>
    </message>
    <message>
        <source>Walk the current image through the model, one step per screen</source>
        <translation>带着当前图像逐步走过模型，每屏一步</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
</context>
<context>
    <name>levit::ui::NudgePanel</name>
    <message>
        <source>class %1</source>
        <translation>类别 %1</translation>
    </message>
    <message>
        <source>No step up to ±%1 grey levels changes the answer of the %2 (%3): this prediction is robust to the fast-gradient-sign nudge. (%4 ms)</source>
        <translation>在 ±%1 个灰度级以内的任何步长都不会改变%2的回答（%3）：此预测对快速梯度符号轻推是稳健的。（%4 毫秒）</translation>
    </message>
    <message>
        <source>Moving every pixel by at most &lt;b&gt;%1 grey levels of 255&lt;/b&gt; — in the direction that lowers the answer&apos;s score fastest — changes the answer of the %2 from &lt;b&gt;%3&lt;/b&gt; to &lt;b&gt;%4&lt;/b&gt;. The change is too small to see; it is magnified ×%5 in the middle picture. (%6 ms)</source>
        <translation>将每个像素最多改变 &lt;b&gt;255 中的 %1 个灰度级&lt;/b&gt;（沿着使回答得分下降最快的方向），就会使%2的回答从 &lt;b&gt;%3&lt;/b&gt; 变为 &lt;b&gt;%4&lt;/b&gt;。这一变化小得看不见；中间的图片将其放大了 ×%5。（%6 毫秒）</translation>
    </message>
    <message>
        <source>What the model saw: %1 (%2%)</source>
        <translation>模型看到的：%1（%2%）</translation>
    </message>
    <message>
        <source>The nudge ×%1 (grey: unchanged)</source>
        <translation>轻推 ×%1（灰色：未改变）</translation>
    </message>
    <message>
        <source>Nudged: %1 (%2%)</source>
        <translation>轻推后：%1（%2%）</translation>
    </message>
    <message>
        <source>Each pixel&apos;s change, magnified: mid grey = unchanged, white/black = ±%1 grey levels; colours where the channels move differently</source>
        <translation>每个像素的变化（已放大）：中灰 = 未改变，白/黑 = ±%1 个灰度级；各通道变化不同处显示为彩色</translation>
    </message>
</context>
<context>
    <name>levit::ui::PredictionsView</name>
    <message>
        <source>No image yet</source>
        <translation>尚无图像</translation>
    </message>
    <message>
        <source>, stage %1 %2</source>
        <translation>，阶段 %1 %2</translation>
    </message>
    <message>
        <source>%1 ms in all (model %2 ms: patch embedding %3%4, heads %5)</source>
        <translation>共 %1 毫秒（模型 %2 毫秒：图块嵌入 %3%4，头 %5）</translation>
    </message>
    <message>
        <source>Top %1 · softmax of the mean of both heads&apos; logits</source>
        <translation>Top %1 · 两个头 logit 均值的 softmax</translation>
    </message>
    <message>
        <source>%1 — %2%</source>
        <translation>%1 — %2%</translation>
    </message>
</context>
<context>
    <name>levit::ui::PresentationView</name>
    <message>
        <source>Waiting for a picture to classify…</source>
        <translation>正在等待要分类的图片…</translation>
    </message>
    <message>
        <source>custom model</source>
        <translation>自定义模型</translation>
    </message>
    <message>
        <source>The model gave no prediction for this picture.</source>
        <translation>模型没有为这张图片给出预测。</translation>
    </message>
    <message>
        <source>model: %1</source>
        <translation>模型：%1</translation>
    </message>
</context>
<context>
    <name>levit::ui::PresentationWindow</name>
    <message>
        <source>LeViT Lens — presentation</source>
        <translation>LeViT Lens — 演示</translation>
    </message>
</context>
<context>
    <name>levit::ui::ResultsTable</name>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Classifier head</source>
        <translation>分类头</translation>
    </message>
    <message>
        <source>conf.</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Distillation head</source>
        <translation>蒸馏头</translation>
    </message>
    <message>
        <source>Average</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>Heads agree</source>
        <translation>两头一致</translation>
    </message>
    <message>
        <source>The file (its path in the tooltip)</source>
        <translation>文件（工具提示中为其路径）</translation>
    </message>
    <message>
        <source>Top-1 class of the classification head</source>
        <translation>分类头的 top-1 类别</translation>
    </message>
    <message>
        <source>Its probability (softmax of the classification head&apos;s logits)</source>
        <translation>其概率（分类头 logit 的 softmax）</translation>
    </message>
    <message>
        <source>Top-1 class of the distillation head</source>
        <translation>蒸馏头的 top-1 类别</translation>
    </message>
    <message>
        <source>Its probability (softmax of the distillation head&apos;s logits)</source>
        <translation>其概率（蒸馏头 logit 的 softmax）</translation>
    </message>
    <message>
        <source>Top-1 class of the averaged logits: the model&apos;s answer, as levit classify prints it</source>
        <translation>平均 logit 的 top-1 类别：模型的回答，与 levit classify 的输出相同</translation>
    </message>
    <message>
        <source>Its probability</source>
        <translation>其概率</translation>
    </message>
    <message>
        <source>Whether both heads give the same top-1 class</source>
        <translation>两个头是否给出相同的 top-1 类别</translation>
    </message>
    <message>
        <source>Filter by file name or label</source>
        <translation>按文件名或标签筛选</translation>
    </message>
    <message>
        <source>Heads disagree only</source>
        <translation>仅显示两头不一致</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Export JSON…</source>
        <translation>导出 JSON…</translation>
    </message>
    <message>
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop classifying; the rows without a result are classified the next time the tab is shown</source>
        <translation>停止分类；没有结果的行将在下次显示此标签页时分类</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>cannot classify</source>
        <translation>无法分类</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message numerus="yes">
        <source>%n image(s); load a model to classify them.</source>
        <translation>
            <numerusform>%n 张图像；加载模型后即可对其分类。</numerusform>
        </translation>
    </message>
    <message>
        <source>Classifying: %1 / %2 images</source>
        <translation>正在分类：%1 / %2 张图像</translation>
    </message>
    <message>
        <source>Open a folder (File &gt; Open folder…) to see every image&apos;s prediction here.</source>
        <translation>打开一个文件夹（文件 &gt; 打开文件夹…）即可在此查看每张图像的预测。</translation>
    </message>
    <message>
        <source>%1 / %2 images classified</source>
        <translation>已分类 %1 / %2 张图像</translation>
    </message>
    <message>
        <source>Export predictions</source>
        <translation>导出预测</translation>
    </message>
</context>
<context>
    <name>levit::ui::StageGridsFigure</name>
    <message>
        <source>%1×%1 = %2 tokens</source>
        <translation>%1×%1 = %2 个词元</translation>
    </message>
    <message>
        <source>%1 numbers per token</source>
        <translation>每个词元 %1 个数</translation>
    </message>
</context>
<context>
    <name>levit::ui::TeachView</name>
    <message>
        <source>Training failed: %1</source>
        <translation>训练失败：%1</translation>
    </message>
    <message>
        <source>Add a class</source>
        <translation>添加类别</translation>
    </message>
    <message>
        <source>Open dataset…</source>
        <translation>打开数据集…</translation>
    </message>
    <message>
        <source>Load an ImageFolder (one sub-folder of images per class) into cards</source>
        <translation>将 ImageFolder（每个类别一个图像子文件夹）加载为卡片</translation>
    </message>
    <message>
        <source>Save dataset…</source>
        <translation>保存数据集…</translation>
    </message>
    <message>
        <source>Save the examples as an ImageFolder that `levit train --data` reads</source>
        <translation>将样本保存为 `levit train --data` 可读取的 ImageFolder</translation>
    </message>
    <message>
        <source>Name a few classes and give each some examples: drop images or folders on a card, add them with its buttons, or hold &lt;i&gt;Hold to record&lt;/i&gt; while the camera or a video shows the thing. Then press &lt;b&gt;Train&lt;/b&gt;.</source>
        <translation>为几个类别命名，并为每个类别提供一些样本：把图像或文件夹拖放到卡片上、用卡片上的按钮添加，或在摄像头或视频显示该物体时按住&lt;i&gt;按住录制&lt;/i&gt;。然后按&lt;b&gt;训练&lt;/b&gt;。</translation>
    </message>
    <message>
        <source>Start the camera or a video: its frames show here with the model&apos;s answer.</source>
        <translation>启动摄像头或视频：其画面会与模型的回答一起显示在这里。</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>Video file…</source>
        <translation>视频文件…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Camera %1</source>
        <translation>摄像头 %1</translation>
    </message>
    <message>
        <source>No camera found: add examples from files, folders, the clipboard or a video file.</source>
        <translation>未找到摄像头：可从文件、文件夹、剪贴板或视频文件添加样本。</translation>
    </message>
    <message>
        <source>Record from a video</source>
        <translation>从视频录制</translation>
    </message>
    <message>
        <source>Videos (*.mp4 *.avi *.mkv *.mov *.webm);;All files (*)</source>
        <translation>视频 (*.mp4 *.avi *.mkv *.mov *.webm);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>起始模型</translation>
    </message>
    <message>
        <source>What trains</source>
        <translation>训练哪些部分</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>教师模型</translation>
    </message>
    <message>
        <source>Open a dataset (one sub-folder of images per class)</source>
        <translation>打开数据集（每个类别一个图像子文件夹）</translation>
    </message>
    <message>
        <source>Save the examples into an empty folder</source>
        <translation>将样本保存到空文件夹中</translation>
    </message>
    <message>
        <source>Class 1</source>
        <translation>类别 1</translation>
    </message>
    <message>
        <source>Class 2</source>
        <translation>类别 2</translation>
    </message>
    <message>
        <source>The model whose knowledge is the starting point (its classes are replaced by yours)</source>
        <translation>以其知识为起点的模型（其类别将被你的类别替换）</translation>
    </message>
    <message>
        <source>the heads only (fastest)</source>
        <translation>仅训练头（最快）</translation>
    </message>
    <message>
        <source>the last stage and the heads</source>
        <translation>最后一个阶段和头</translation>
    </message>
    <message>
        <source>everything (slowest, most flexible)</source>
        <translation>全部（最慢，最灵活）</translation>
    </message>
    <message>
        <source>With a teacher trained on the same classes, the distillation head learns the teacher&apos;s answers and the classification head your labels (the two ways LeViT is fine-tuned); the heads tab then shows what each head learnt.</source>
        <translation>若教师模型在相同类别上训练过，蒸馏头学习教师模型的回答，分类头学习你的标签（这是微调 LeViT 的两种方式）；之后“头”标签页会显示每个头学到了什么。</translation>
    </message>
    <message>
        <source>Advanced ▸</source>
        <translation>高级 ▸</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Passes over the examples; automatic: about 9,000 images seen, 10 to 200 passes</source>
        <translation>遍历样本的轮数；自动：约看 9,000 张图像，10 到 200 轮</translation>
    </message>
    <message>
        <source>random crops</source>
        <translation>随机裁剪</translation>
    </message>
    <message>
        <source>mirror left-right</source>
        <translation>左右镜像</translation>
    </message>
    <message>
        <source>Off for digits, letters and signs (mirrored, they are other classes); on for objects</source>
        <translation>对数字、字母和标志关闭（镜像后它们是其他类别）；对物体开启</translation>
    </message>
    <message>
        <source>colour jitter</source>
        <translation>颜色抖动</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>Examples of each class kept aside to measure accuracy on images the model did not train on</source>
        <translation>每个类别留出的样本比例，用于在模型未训练过的图像上测量准确率</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Validation share</source>
        <translation>验证集比例</translation>
    </message>
    <message>
        <source>Advanced ▾</source>
        <translation>高级 ▾</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop after the current step; the best epoch so far is kept and used</source>
        <translation>在当前步骤后停止；保留并使用目前最好的一轮</translation>
    </message>
    <message>
        <source>Save model…</source>
        <translation>保存模型…</translation>
    </message>
    <message>
        <source>Save the trained model as a Hugging Face folder (transformers loads it)</source>
        <translation>将训练好的模型保存为 Hugging Face 文件夹（transformers 可加载）</translation>
    </message>
    <message>
        <source>Save the trained model as a new folder</source>
        <translation>将训练好的模型保存为新文件夹</translation>
    </message>
    <message>
        <source>Choose a model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <source>the model in the window (%1)</source>
        <translation>窗口中的模型（%1）</translation>
    </message>
    <message>
        <source>the bundled model</source>
        <translation>内置模型</translation>
    </message>
    <message>
        <source>a model folder…</source>
        <translation>模型文件夹…</translation>
    </message>
    <message>
        <source>none: one head learns your labels</source>
        <translation>无：由一个头学习你的标签</translation>
    </message>
    <message>
        <source>Class %1</source>
        <translation>类别 %1</translation>
    </message>
    <message>
        <source>%1: %2 images could not be read, e.g. %3</source>
        <translation>%1：%2 张图像无法读取，例如 %3</translation>
    </message>
    <message>
        <source>Could not open the dataset: %1</source>
        <translation>无法打开数据集：%1</translation>
    </message>
    <message>
        <source>Saved the examples to %1</source>
        <translation>已将样本保存到 %1</translation>
    </message>
    <message>
        <source>Could not save the dataset: %1</source>
        <translation>无法保存数据集：%1</translation>
    </message>
    <message>
        <source>Train a model first.</source>
        <translation>请先训练模型。</translation>
    </message>
    <message>
        <source>Saved the trained model to %1 (Hugging Face transformers and LeViT Lens load it)</source>
        <translation>已将训练好的模型保存到 %1（Hugging Face transformers 和 LeViT Lens 都能加载）</translation>
    </message>
    <message>
        <source>Could not save the model: %1</source>
        <translation>无法保存模型：%1</translation>
    </message>
    <message>
        <source>Stopping after the current step; the best epoch so far will be kept…</source>
        <translation>将在当前步骤后停止；会保留目前最好的一轮…</translation>
    </message>
    <message>
        <source>Add at least two classes.</source>
        <translation>请至少添加两个类别。</translation>
    </message>
    <message>
        <source>“%1” needs at least two examples.</source>
        <translation>“%1”至少需要两个样本。</translation>
    </message>
    <message>
        <source>Choose a model to start from.</source>
        <translation>请选择一个起始模型。</translation>
    </message>
    <message>
        <source>Training on %1 images (%2 kept aside for validation), %3 epochs…</source>
        <translation>正在用 %1 张图像训练（另留出 %2 张用于验证），共 %3 轮…</translation>
    </message>
    <message>
        <source>Epoch %1/%2 · loss %3 · training %4%</source>
        <translation>第 %1/%2 轮 · 损失 %3 · 训练 %4%</translation>
    </message>
    <message>
        <source> · validation %1%</source>
        <translation> · 验证 %1%</translation>
    </message>
    <message>
        <source> · %1 images/s · about %2 left</source>
        <translation> · 每秒 %1 张图像 · 约剩 %2</translation>
    </message>
    <message>
        <source>%1 in %2 (best epoch %3). The window now uses the new model: the preview, the Live camera and every tab show what it learnt. Save model… keeps it.</source>
        <translation>%1，用时 %2（最佳轮次 %3）。窗口现在使用新模型：预览、实时摄像头和每个标签页都会显示它学到了什么。用“保存模型…”可保留它。</translation>
    </message>
    <message>
        <source>Stopped; the best epoch so far is kept. Trained</source>
        <translation>已停止；保留了目前最好的一轮。已训练</translation>
    </message>
    <message>
        <source>Trained</source>
        <translation>已训练</translation>
    </message>
    <message>
        <source>Fine-tune the model on these examples</source>
        <translation>在这些样本上微调模型</translation>
    </message>
    <message>
        <source>record every </source>
        <translation>录制间隔 </translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>While a card&apos;s Hold to record is held down, a frame is added this often</source>
        <translation>按住某个卡片的“按住录制”时，每隔这么长时间添加一帧</translation>
    </message>
    <message>
        <source>%1: wait until the examples being opened, saved or trained on are done</source>
        <translation>%1：请等待正在打开、保存或训练的示例完成</translation>
    </message>
    <message numerus="yes">
        <source>Opened %1: %2 classes, %n example(s)</source>
        <translation>
            <numerusform>已打开 %1：%2 个类别，%n 个示例</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: wait until the examples being opened or saved are done</source>
        <translation>%1：请等待正在打开或保存的示例完成</translation>
    </message>
    <message>
        <source>%1: not saved</source>
        <translation>%1：未保存</translation>
    </message>
    <message>
        <source>Wait until the examples being opened or saved are done.</source>
        <translation>请等待正在打开或保存的示例完成。</translation>
    </message>
    <message>
        <source>Opening %1 was cancelled; the classes are as they were.</source>
        <translation>已取消打开 %1；类别保持不变。</translation>
    </message>
</context>
<context>
    <name>levit::ui::TopKChart</name>
    <message>
        <source>under 0.1%</source>
        <translation>低于 0.1%</translation>
    </message>
    <message>
        <source>… %1 more</source>
        <translation>……另外还有 %1 个</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 (class %2): %3%
Click to see why (Explain tab)</source>
        <translation>%1（类别 %2）：%3%
点击查看原因（“解释”标签页）</translation>
    </message>
</context>
<context>
    <name>levit::ui::TourView</name>
    <message>
        <source>◀ Back</source>
        <translation>◀ 上一步</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一步 ▶</translation>
    </message>
    <message>
        <source>Restart with the current image</source>
        <translation>用当前图像重新开始</translation>
    </message>
    <message>
        <source>Probability (mean of both heads)</source>
        <translation>概率（两个头的均值）</translation>
    </message>
    <message>
        <source>Click a token to ask from there</source>
        <translation>点击一个词元，从那里提问</translation>
    </message>
    <message>
        <source>Left and middle: blue low, red high. Right: the brighter, the more attention. The square marks the token that asks; click another token to ask from there.</source>
        <translation>左图和中图：蓝色低，红色高。右图：越亮，注意力越多。方框标出提问的词元；点击另一个词元即可从那里提问。</translation>
    </message>
    <message>
        <source>Classification head (learned from labels)</source>
        <translation>分类头（从标签学习）</translation>
    </message>
    <message>
        <source>Distillation head (learned from a teacher)</source>
        <translation>蒸馏头（从教师学习）</translation>
    </message>
    <message>
        <source>Frozen on the frame of %1: the live video goes on; “Restart with the current image” takes the newest frame.</source>
        <translation>定格在 %1 的画面：实时视频仍在继续；“用当前图像重新开始”会取用最新的画面。</translation>
    </message>
    <message>
        <source>Open a picture (or start the camera) to walk it through the model, step by step.</source>
        <translation>打开一张图片（或启动摄像头），即可带着它一步一步走过模型。</translation>
    </message>
    <message>
        <source>This model has no attention block that compares the tokens of one grid with each other.</source>
        <translation>此模型没有在同一网格的词元之间相互比较的注意力模块。</translation>
    </message>
    <message>
        <source>This step needs the model&apos;s internals for this picture; they come with its next classification.</source>
        <translation>这一步需要模型处理这张图片时的内部数据；它们会随下一次分类一起得到。</translation>
    </message>
    <message>
        <source>Step %1 of %2</source>
        <translation>第 %1 步，共 %2 步</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1×%2 seen</source>
        <translation>看到 %1×%2</translation>
    </message>
    <message>
        <source>%1×%2 picture → %3×%4 scaled → %5×%6 cut out</source>
        <translation>%1×%2 图片 → 缩放为 %3×%4 → 裁出 %5×%6</translation>
    </message>
    <message>
        <source>The model&apos;s input, %1×%2, centre pixel marked</source>
        <translation>模型的输入，%1×%2，已标出中心像素</translation>
    </message>
    <message>
        <source>Red</source>
        <translation>红</translation>
    </message>
    <message>
        <source>Green</source>
        <translation>绿</translation>
    </message>
    <message>
        <source>Blue</source>
        <translation>蓝</translation>
    </message>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>÷ 255</source>
        <translation>÷ 255</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <source>std</source>
        <translation>标准差</translation>
    </message>
    <message>
        <source>model gets</source>
        <translation>模型得到</translation>
    </message>
    <message>
        <source>%1×%1 tokens, %2 numbers each</source>
        <translation>%1×%1 个词元，每个 %2 个数</translation>
    </message>
    <message>
        <source>The weights of this model&apos;s first convolution could not be read.</source>
        <translation>无法读取此模型第一个卷积层的权重。</translation>
    </message>
    <message>
        <source>Input %1×%1</source>
        <translation>输入 %1×%1</translation>
    </message>
    <message>
        <source>Response of filter %1 (%2×%2)</source>
        <translation>滤波器 %1 的响应（%2×%2）</translation>
    </message>
    <message>
        <source>Query × key</source>
        <translation>查询 × 键</translation>
    </message>
    <message>
        <source>+ learned bias</source>
        <translation>+ 学到的偏置</translation>
    </message>
    <message>
        <source>= softmax weights</source>
        <translation>= softmax 权重</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Stage %1</source>
        <translation>阶段 %1</translation>
    </message>
    <message>
        <source>The %1 numbers that describe the whole picture (mean of %2 tokens)</source>
        <translation>描述整张图片的 %1 个数（%2 个词元的平均）</translation>
    </message>
    <message>
        <source>Tour</source>
        <translation>导览</translation>
    </message>
</context>
<context>
    <name>levit::ui::TrainingChart</name>
    <message>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>training accuracy</source>
        <translation>训练准确率</translation>
    </message>
    <message>
        <source>validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>accuracy (%)</source>
        <translation>准确率 (%)</translation>
    </message>
</context>
</TS>
