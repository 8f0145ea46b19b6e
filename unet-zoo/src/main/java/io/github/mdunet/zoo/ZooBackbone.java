package io.github.mdunet.zoo;

import io.github.mdunet.core.encoder.ChannelOrder;
import io.github.mdunet.core.encoder.InputNormalization;
import io.github.mdunet.core.encoder.SkipTap;
import io.github.mdunet.zoo.graph.GraphSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.TinyYOLO;
import org.deeplearning4j.zoo.model.Xception;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * The DL4J zoo models that serve as U-Net encoders, each with its feature maps declared beside it (like timm's
 * {@code feature_info}): a skip tap at the last vertex before every change of spatial resolution, and the
 * bottleneck. Strides are those of the graph as adapted here: ResNet50 has the reference layout (total stride
 * 32) and DL4J's own (64) under its own name.
 *
 * <p>The classification head is whatever does not feed the bottleneck: it is dropped by {@link ZooEncoder}.
 * {@link #inputNormalization()} is the normalisation the zoo's pretrained weights expect (see the module README for
 * the sources).
 */
public enum ZooBackbone {

    /**
     * ResNet50 in the reference layout of Keras, torchvision, timm and segmentation_models_pytorch: stride 1 in
     * {@code res2a}, so the skips sit at /2, /4, /8, /16 and the bottleneck at /32. Built from DL4J's zoo graph with
     * two changes that carry no weights, so the zoo's ImageNet weights (converted from Keras, which has this layout)
     * load unchanged: {@code res2a}'s two stride-2 1x1 convolutions get stride 1, and the stem max-pool uses Same
     * mode, so sizes halve cleanly (224 -> 56, not 55).
     */
    RESNET50("ResNet50", 3,
            List.of(new SkipTap("stem-act1", 64, 2), new SkipTap("res2c_branch", 256, 4),
                    new SkipTap("res3d_branch", 512, 8), new SkipTap("res4f_branch", 1024, 16)),
            new SkipTap("res5c_branch", 2048, 32),
            InputNormalization.CAFFE_BGR,
            ZooBackbone::resNet50,
            () -> ResNet50.builder().build()) {
        @Override
        void adapt(String vertex, Layer layer) {
            sameModeStemPool(vertex, layer);
            if (vertex.equals("res2a_branch2a") || vertex.equals("res2a_branch1")) {
                ((ConvolutionLayer) layer).setStride(new int[] {1, 1});
            }
        }
    },

    /**
     * DL4J's own ResNet50 layout: stride 2 in {@code res2a}, so 64 in total, with a skip at every stride from 2 to
     * 32. Only the stem max-pool is changed (to Same mode, as in {@link #RESNET50}). Same weights as
     * {@link #RESNET50}; about a third of its work per pixel. Models saved before the reference layout became the
     * default load as this backbone.
     */
    RESNET50_DL4J("ResNet50 (DL4J layout)", 3,
            List.of(new SkipTap("stem-act1", 64, 2), new SkipTap("stem-maxpool1", 64, 4),
                    new SkipTap("res2c_branch", 256, 8), new SkipTap("res3d_branch", 512, 16),
                    new SkipTap("res4f_branch", 1024, 32)),
            new SkipTap("res5c_branch", 2048, 64),
            InputNormalization.CAFFE_BGR,
            ZooBackbone::resNet50,
            () -> ResNet50.builder().build()) {
        @Override
        void adapt(String vertex, Layer layer) {
            sameModeStemPool(vertex, layer);
        }
    },

    /**
     * VGG16 without batch norm: skips after each block's last convolution, bottleneck the fifth pool. The zoo's
     * graph names its vertices "0" to "20"; its pretrained file, converted from Keras, has Keras's names
     * ({@code block1_conv1} ... {@code block5_pool}, {@code fc1}, {@code fc2}, {@code predictions}): see
     * {@link #pretrainedNames()}.
     */
    VGG16("VGG16", 3,
            List.of(new SkipTap("1", 64, 1), new SkipTap("4", 128, 2), new SkipTap("8", 256, 4),
                    new SkipTap("12", 512, 8), new SkipTap("16", 512, 16)),
            new SkipTap("17", 512, 32),
            InputNormalization.CAFFE_BGR,
            channels -> org.deeplearning4j.zoo.model.VGG16.builder().numClasses(2)
                    .inputShape(new int[] {channels, 224, 224}).build().conf(),
            () -> org.deeplearning4j.zoo.model.VGG16.builder().build()),

    /** VGG19 without batch norm, as {@link #VGG16} (Keras's names in the pretrained file, four convolutions in blocks
     * 3 to 5). */
    VGG19("VGG19", 3,
            List.of(new SkipTap("1", 64, 1), new SkipTap("4", 128, 2), new SkipTap("9", 256, 4),
                    new SkipTap("14", 512, 8), new SkipTap("19", 512, 16)),
            new SkipTap("20", 512, 32),
            InputNormalization.CAFFE_BGR,
            channels -> org.deeplearning4j.zoo.model.VGG19.builder().numClasses(2)
                    .inputShape(new int[] {channels, 224, 224}).build().conf(),
            () -> org.deeplearning4j.zoo.model.VGG19.builder().build()),

    /**
     * Darknet19 (YOLOv2's backbone); the 1x1 classifier convolution {@code convolution2d_19} is dropped. The zoo has
     * two ImageNet files: at 224 (its default) and at 448 (which it lists as IMAGENET for a 448 input shape).
     */
    DARKNET19("Darknet19", 3,
            List.of(new SkipTap("activation_1", 32, 1), new SkipTap("activation_2", 64, 2),
                    new SkipTap("activation_5", 128, 4), new SkipTap("activation_8", 256, 8),
                    new SkipTap("activation_13", 512, 16)),
            new SkipTap("activation_18", 1024, 32),
            InputNormalization.UNIT_RANGE,
            channels -> Darknet19.builder().numClasses(2).inputShape(new int[] {channels, 224, 224}).build().conf(),
            () -> Darknet19.builder().build()) {
        @Override
        public List<ZooModel<?>> zooModels() {
            return List.of(zooModel(), Darknet19.builder().inputShape(new int[] {3, 448, 448}).build());
        }
    },

    /** SqueezeNet 1.1 (total stride 16); the classifier {@code conv10} is dropped. */
    SQUEEZENET("SqueezeNet", 3,
            List.of(new SkipTap("conv1_act", 64, 2), new SkipTap("fire3", 128, 4), new SkipTap("fire5", 256, 8)),
            new SkipTap("fire9", 512, 16),
            InputNormalization.CAFFE_BGR,
            channels -> withInput(SqueezeNet.builder().numClasses(2).build().graphBuilder(), channels, 227),
            () -> SqueezeNet.builder().build()),

    /**
     * Xception; taps as timm's (the ReLU that opens each block after a resolution change). The two stem
     * convolutions are changed from Truncate to Same mode (same weights), so the stride-2 map is half the input
     * (48 for 96) and not 45: the decoder would otherwise meet a skip 3 pixels short. Every convolution (plain and
     * separable) gets the identity activation: the zoo's graph sets none, so DL4J's default sigmoid applied, where
     * Keras's Xception (whose ImageNet weights the zoo converted) has linear convolutions followed by batch norm and
     * the graph's explicit ReLU layers.
     */
    XCEPTION("Xception", 3,
            List.of(new SkipTap("block1_conv2_act", 64, 2), new SkipTap("block3_sepconv1_act", 128, 4),
                    new SkipTap("block4_sepconv1_act", 256, 8), new SkipTap("block13_sepconv1_act", 728, 16)),
            new SkipTap("block14_sepconv2_act", 2048, 32),
            new InputNormalization(ChannelOrder.RGB, 1.0 / 255, List.of(0.5), List.of(0.5)),
            channels -> withInput(Xception.builder().numClasses(2).build().graphBuilder(), channels, 299),
            () -> Xception.builder().build()) {
        @Override
        void adapt(String vertex, Layer layer) {
            if (vertex.equals("block1_conv1") || vertex.equals("block1_conv2")) {
                ((ConvolutionLayer) layer).setConvolutionMode(ConvolutionMode.Same);
            }
            if (layer instanceof ConvolutionLayer convolution) {
                convolution.setActivationFn(new ActivationIdentity());
            }
        }
    },

    /** Tiny YOLO (v2, VOC): the Darknet "tiny" backbone; its sixth pool has stride 1. Pretrained on Pascal VOC. */
    TINY_YOLO("TinyYOLO", 3,
            List.of(new SkipTap("activation_1", 16, 1), new SkipTap("activation_2", 32, 2),
                    new SkipTap("activation_3", 64, 4), new SkipTap("activation_4", 128, 8),
                    new SkipTap("activation_5", 256, 16)),
            new SkipTap("activation_8", 1024, 32),
            InputNormalization.UNIT_RANGE,
            channels -> TinyYOLO.builder().numClasses(2).inputShape(new int[] {channels, 416, 416}).build().conf(),
            () -> TinyYOLO.builder().build());

    private final String displayName;
    private final int pretrainedChannels;
    private final List<SkipTap> skips;
    private final SkipTap bottleneck;
    private final InputNormalization inputNormalization;
    private final IntFunction<ComputationGraphConfiguration> configuration;
    private final Supplier<ZooModel<?>> zooModel;

    ZooBackbone(String displayName, int pretrainedChannels, List<SkipTap> skips, SkipTap bottleneck,
                InputNormalization inputNormalization, IntFunction<ComputationGraphConfiguration> configuration,
                Supplier<ZooModel<?>> zooModel) {
        this.displayName = displayName;
        this.pretrainedChannels = pretrainedChannels;
        this.skips = List.copyOf(skips);
        this.bottleneck = bottleneck;
        this.inputNormalization = inputNormalization;
        this.configuration = configuration;
        this.zooModel = zooModel;
    }

    /** The zoo's name, as in its class name: "ResNet50". */
    public String displayName() {
        return displayName;
    }

    /** The declared skip taps, highest resolution first (strides of the adapted graph). */
    public List<SkipTap> skips() {
        return skips;
    }

    /** The declared bottleneck: the deepest feature map, where the head is cut off. */
    public SkipTap bottleneck() {
        return bottleneck;
    }

    /** The input normalisation the zoo's pretrained weights were trained with. */
    public InputNormalization inputNormalization() {
        return inputNormalization;
    }

    /** The input channels of the pretrained weights. */
    public int pretrainedChannels() {
        return pretrainedChannels;
    }

    /**
     * The zoo's own configuration, head included, for {@code channels} input channels (built for the zoo's default
     * input size; only the channel count matters to the encoder).
     */
    public ComputationGraphConfiguration zooConfiguration(int channels) {
        return configuration.apply(channels);
    }

    /** The zoo model object, for its pretrained URLs, checksums and cache directory name. */
    public ZooModel<?> zooModel() {
        return zooModel.get();
    }

    /**
     * Every zoo model object whose pretrained files fit this backbone: {@link #zooModel()}, and for Darknet19 also
     * the one at 448 (another file and checksum).
     */
    public List<ZooModel<?>> zooModels() {
        return List.of(zooModel());
    }

    /**
     * The names that the zoo's pretrained file gives the zoo graph's vertices, where they differ from the graph's own
     * (vertex name to the file's layer name); empty where the file uses the graph's names, as for every backbone
     * but VGG. {@code PretrainedWeights} looks a layer up by its own name first, then by this one.
     */
    public Map<String, String> pretrainedNames() {
        return switch (this) {
            case VGG16, VGG19 -> kerasVggNames(zooConfiguration(pretrainedChannels()));
            case RESNET50, RESNET50_DL4J, DARKNET19, SQUEEZENET, XCEPTION, TINY_YOLO -> Map.of();
        };
    }

    /** Changes a copied layer where the zoo's graph does not suit an encoder; the default changes nothing. */
    void adapt(String vertex, Layer layer) {
    }

    private static ComputationGraphConfiguration resNet50(int channels) {
        return ResNet50.builder().numClasses(2).inputShape(new int[] {channels, 224, 224}).build().graphBuilder()
                .build();
    }

    /** DL4J's stem max-pool truncates (224 -> 55); Same mode halves (224 -> 56), as Keras's padded pool does. */
    private static void sameModeStemPool(String vertex, Layer layer) {
        if (vertex.equals("stem-maxpool1")) {
            ((SubsamplingLayer) layer).setConvolutionMode(ConvolutionMode.Same);
        }
    }

    /**
     * Keras's VGG names for the zoo's numbered VGG vertices, by position: the convolutions of block b are
     * {@code block<b>_conv1, _conv2, ...}, the pool that ends it {@code block<b>_pool}; the dense layers
     * {@code fc1, fc2}, the output layer {@code predictions}.
     */
    private static Map<String, String> kerasVggNames(ComputationGraphConfiguration zoo) {
        Map<String, String> names = new LinkedHashMap<>();
        int block = 1;
        int convolution = 0;
        int dense = 0;
        GraphSource graph = GraphSource.of(zoo);
        for (String vertex : graph.topologicalOrder()) {
            if (!(graph.vertices().get(vertex) instanceof LayerVertex layerVertex)) {
                continue;
            }
            Layer layer = layerVertex.getLayerConf().getLayer();
            if (layer instanceof ConvolutionLayer) {
                names.put(vertex, "block" + block + "_conv" + ++convolution);
            } else if (layer instanceof SubsamplingLayer) {
                names.put(vertex, "block" + block++ + "_pool");
                convolution = 0;
            } else if (layer instanceof OutputLayer) {
                names.put(vertex, "predictions");
            } else if (layer instanceof DenseLayer) {
                names.put(vertex, "fc" + ++dense);
            }
        }
        return Map.copyOf(names);
    }

    private static ComputationGraphConfiguration withInput(GraphBuilder builder, int channels, int size) {
        return builder.addInputs("input").setInputTypes(InputType.convolutional(size, size, channels)).build();
    }

    @Override
    public String toString() {
        return displayName;
    }
}
