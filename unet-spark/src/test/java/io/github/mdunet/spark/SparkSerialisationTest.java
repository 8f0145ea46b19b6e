package io.github.mdunet.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.optim.TorchAdam;
import io.github.mdunet.data.augment.AugmentConfig;
import io.github.mdunet.data.augment.AugmentPreset;
import io.github.mdunet.data.augment.ColorJitter;
import io.github.mdunet.data.augment.ElasticDeformation;
import io.github.mdunet.data.augment.Interpolation;
import io.github.mdunet.data.augment.PerspectiveWarp;
import io.github.mdunet.data.image.MaskEncoding;
import io.github.mdunet.data.pipeline.PipelineConfig;
import io.github.mdunet.data.testing.SmallShapes;
import io.github.mdunet.data.validate.BadSamplePolicy;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * What the driver broadcasts to the executors (the graph's configuration, parameters and updater state), through
 * Spark's own serialisers as the job is configured (Kryo with ND4J's registrator) and Java serialisation: the
 * executor's copy has an equal configuration, also as JSON, and computes the same output. The U-Net has every custom
 * layer, TorchAdam with non-default values and a weighted per-pixel loss.
 */
class SparkSerialisationTest {

    @ParameterizedTest
    @ValueSource(strings = {"kryo", "java"})
    void theBroadcastNetworkComesBackEqualAndComputesTheSame(String serialiser) {
        UNet unet = UNet.build(UNetConfig.builder()
                .encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                .input(new ImageShape(3, 34, 42))
                .numClasses(3)
                .upsample(new UpsampleMode.PixelShuffle(true))
                .midAttention(true)
                .attentionGates(1)
                .loss(new Loss.Focal(1.5, List.of(1.0, 2.0, 0.5)))
                .updater(new TorchAdam(2.5e-3, 0.85, 0.995, 1e-7))
                .build());
        ComputationGraph graph = unet.graph();
        NetBroadcastTuple tuple = new NetBroadcastTuple(graph.getConfiguration(), graph.params(),
                graph.getUpdater().getStateViewArray());
        Serializer spark = serialiser.equals("kryo") ? new KryoSerializer(LocalSpark.conf())
                : new JavaSerializer(LocalSpark.conf());
        SerializerInstance instance = spark.newInstance();
        ClassTag<NetBroadcastTuple> tag = ClassTag$.MODULE$.apply(NetBroadcastTuple.class);
        ByteBuffer bytes = instance.serialize(tuple, tag);
        NetBroadcastTuple received = instance.deserialize(bytes, tag);

        ComputationGraphConfiguration configuration = received.getGraphConfiguration();
        assertThat(configuration).isEqualTo(graph.getConfiguration());
        assertThat(configuration.toJson()).isEqualTo(graph.getConfiguration().toJson());
        // As ParameterAveragingTrainingWorker builds the executor's network.
        ComputationGraph copy = new ComputationGraph(configuration.clone());
        copy.init(received.getParameters().unsafeDuplication(), false);
        INDArray input = Nd4j.rand(DataType.FLOAT, 2, 3, 34, 42);
        assertThat(copy.outputSingle(false, input).equalsWithEps(graph.outputSingle(false, input), 1e-6)).isTrue();
    }

    /** The decoding settings reach the executors inside the task closure, which Spark serialises with Java's. */
    @Test
    void anExecutorPipelineWithColourMasksSurvivesJavaSerialisation() {
        ExecutorPipeline pipeline = ExecutorPipeline.of(PipelineConfig.training(SmallShapes.model(), 2, 5)
                .withAugment(AugmentPreset.FLIPS.config()), new MaskEncoding.Palette(Map.of(0x000000, 0, 0xFF0000, 1,
                        0x00FF00, 2, 0x0000FF, 3)), 4, 12, BadSamplePolicy.SKIP);
        SerializerInstance java = new JavaSerializer(LocalSpark.conf()).newInstance();
        ClassTag<ExecutorPipeline> tag = ClassTag$.MODULE$.apply(ExecutorPipeline.class);
        ExecutorPipeline received = java.deserialize(java.serialize(pipeline, tag), tag);
        assertThat(received).isEqualTo(pipeline);
        assertThat(received.masks()).isEqualTo(pipeline.masks()).isInstanceOf(MaskEncoding.Palette.class);
        assertThat(received.significantBits()).isEqualTo(12);
    }

    /**
     * A library caller's augmentation and shuffling reach the executors as configured (not a preset's): after Spark's
     * Java serialisation of the task, the executor's training pipeline is the caller's (without prefetch).
     */
    @Test
    void theCallersAugmentationAndShufflingReachTheExecutors() {
        AugmentConfig custom = AugmentConfig.standard().withScale(0.5, 1.5)
                .withJitter(new ColorJitter(0.1, 0.3, 0.05, 0.02)).withImageInterpolation(Interpolation.NEAREST)
                .withRotation(7).withElastic(new ElasticDeformation(2.5, 12)).withPerspective(new PerspectiveWarp(0.1));
        PipelineConfig config = PipelineConfig.training(SmallShapes.model(), 2, 5).withAugment(custom)
                .withShuffle(false);
        ExecutorPipeline pipeline = ExecutorPipeline.of(config, new MaskEncoding.ClassIds(), 4, 16,
                BadSamplePolicy.FAIL);
        SerializerInstance java = new JavaSerializer(LocalSpark.conf()).newInstance();
        ClassTag<ExecutorPipeline> tag = ClassTag$.MODULE$.apply(ExecutorPipeline.class);
        ExecutorPipeline received = java.deserialize(java.serialize(pipeline, tag), tag);
        assertThat(received.pipeline(true)).isEqualTo(config.withPrefetch(0, 1));
        assertThat(received.pipeline(false)).isEqualTo(config.withPrefetch(0, 1).forValidation());
    }

    @Test
    void aSampleRefSurvivesKryo() {
        SerializerInstance kryo = new KryoSerializer(LocalSpark.conf()).newInstance();
        ClassTag<SampleRef> tag = ClassTag$.MODULE$.apply(SampleRef.class);
        SampleRef sample = new SampleRef("a", "/data/images/a.png", "/data/masks/a.png");
        SampleRef received = kryo.deserialize(kryo.serialize(sample, tag), tag);
        assertThat(received).isEqualTo(sample);
        assertThat(received.toPair().input().toString()).isEqualTo("/data/images/a.png");
    }
}
