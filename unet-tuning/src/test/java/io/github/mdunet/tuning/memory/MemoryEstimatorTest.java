package io.github.mdunet.tuning.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.graph.GraphBlock;
import io.github.mdunet.core.graph.UNetGraphFactory;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.LookalikeEncoder;
import io.github.mdunet.zoo.Weights;
import io.github.mdunet.zoo.features.Vgg16Features;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class MemoryEstimatorTest {

    private final MemoryEstimator estimator = new MemoryEstimator();

    private static UNetConfig config(String encoder, int size, ChannelReduction reduction, double scale) {
        return new CalibrationCase(encoder, size, 1, reduction, scale).toConfig();
    }

    @Test
    void termsAddUpAndParameterCountIsExact() {
        UNetConfig config = config("classic:3:8", 48, ChannelReduction.HALVE, 0.75);
        MemoryEstimate estimate = estimator.estimate(config, 2);

        assertThat(estimate.parameterCount()).isEqualTo(UNet.build(config).numParams());
        assertThat(estimate.total()).isEqualTo(estimate.parameters() + estimate.gradients() + estimate.updaterState()
                + estimate.activations() + estimate.workspace() + estimate.overhead() + estimate.shortfall());
        assertThat(estimate.inference()).isPositive().isLessThan(estimate.total());
        assertThat(estimator.estimate(config, 8).inference()).as("a forward pass's activations grow with the batch")
                .isGreaterThan(estimate.inference() + estimate.parameters() / 100);
        assertThat(estimate.perBlock()).extracting(BlockMemory::block).containsExactly(GraphBlock.INPUT,
                GraphBlock.ENCODER, GraphBlock.MIDDLE, GraphBlock.decoderStage(1), GraphBlock.decoderStage(2),
                GraphBlock.decoderStage(3), GraphBlock.HEAD);
        assertThat(estimate.perBlock().stream().mapToLong(BlockMemory::parameterCount).sum())
                .isEqualTo(estimate.parameterCount());
        assertThat(estimate.toTable()).contains("decoder stage 2");
    }

    /**
     * A perceptual loss's VGG16 is counted apart and added to the U-Net's total: its parameters once, whatever the
     * batch (so twice the count at batch 4 less the count at batch 8 is their bytes), everything else per image.
     */
    @Test
    void aPerceptualLossesNetworkIsCountedApartWithItsParametersOnce() {
        UNetConfig l1 = config("classic:3:8", 64, ChannelReduction.EQ_SKIP, 1.0).toBuilder()
                .head(new HeadActivation.Residual()).numClasses(3).loss(new Loss.L1()).build();
        UNetConfig perceptual = l1.toBuilder()
                .loss(new Loss.Perceptual(Vgg16Features.fastai(Weights.random()), 1, 5000)).build();
        long vgg16ParameterBytes = 14_714_688L * Float.BYTES; // conv1_1 to conv5_3

        MemoryEstimate withL1 = estimator.estimate(l1, 4);
        MemoryEstimate withVgg = estimator.estimate(perceptual, 4);
        long atBatch8 = estimator.estimate(perceptual, 8).lossNetwork();

        assertThat(withL1.lossNetwork()).isZero();
        assertThat(withVgg.total()).isEqualTo(withL1.total() + withVgg.lossNetwork());
        assertThat(withVgg.total()).isEqualTo(withVgg.parameters() + withVgg.gradients() + withVgg.updaterState()
                + withVgg.activations() + withVgg.workspace() + withVgg.overhead() + withVgg.shortfall()
                + withVgg.lossNetwork());
        assertThat(2 * withVgg.lossNetwork() - atBatch8).isCloseTo(vgg16ParameterBytes, Offset.offset(2L));
        assertThat(withVgg.toTable()).contains("loss network " + MemoryBudget.format(withVgg.lossNetwork()));
        assertThat(withL1.toTable()).doesNotContain("loss network");
    }

    /**
     * The blocks' parameter and activation bytes add up to the estimate's; their workspaces, each block's own peak, add
     * up to more than the estimate's, and the table says so.
     */
    @Test
    void blockRowsAddUpExceptForEachBlocksOwnPeakWorkspace() {
        MemoryEstimate estimate = estimator.estimate(config("classic:4:16", 128, ChannelReduction.EQ_SKIP, 1.0), 4);
        List<BlockMemory> blocks = estimate.perBlock();
        long rounding = 3L * blocks.size();

        assertThat(blocks.stream().mapToLong(BlockMemory::parameterBytes).sum()).isCloseTo(estimate.parameters()
                + estimate.gradients() + estimate.updaterState(), Offset.offset(rounding));
        assertThat(blocks.stream().mapToLong(BlockMemory::activationBytes).sum())
                .isCloseTo(estimate.activations(), Offset.offset(rounding));
        assertThat(blocks.stream().mapToLong(b -> b.residentBytes() + b.workspaceBytes()).sum())
                .isGreaterThan(estimate.total());
        assertThat(estimate.toTable()).endsWith(String.format("a block's workspace is its own peak, as if it ran"
                + " alone: the rows add up to more than the training total, which counts one peak at a time%n"));
    }

    @Test
    void growsWithBatchInputAndWidth() {
        UNetConfig small = config("classic:3:8", 64, ChannelReduction.EQ_SKIP, 1.0);
        long base = estimator.estimate(small, 2).total();

        assertThat(estimator.estimate(small, 8).total()).isGreaterThan(base);
        assertThat(estimator.estimate(config("classic:3:8", 128, ChannelReduction.EQ_SKIP, 1.0), 2).total())
                .isGreaterThan(base);
        assertThat(estimator.estimate(small.withChannelReduction(ChannelReduction.NONE), 2).total())
                .isGreaterThan(base);
        assertThat(estimator.estimate(small.withMidChannelScale(3.0), 2).parameterCount())
                .isGreaterThan(estimator.estimate(small, 2).parameterCount());
    }

    @Test
    void fusedBlocksAreCountedApartFromDl4jsConvolutions() {
        CalibrationCase stockCase = new CalibrationCase("classic:3:8", 64, 2, ChannelReduction.EQ_SKIP, 1.0);
        CalibrationCase fusedCase = new CalibrationCase("classic:3:8", 64, 2, ChannelReduction.EQ_SKIP, 1.0,
                BlockLayers.FUSED);
        MemoryEstimate.RawTerms stock = estimator.estimate(stockCase.toConfig(), 2).raw();
        MemoryEstimate.RawTerms fused = estimator.estimate(fusedCase.toConfig(), 2).raw();
        assertThat(stock.spatialConvolutions()).isPositive();
        assertThat(stock.fusedSpatialBlocks()).isZero();
        assertThat(stock.fusedPointwiseBlocks()).isZero();
        // every 3 x 3 convolution is a fused block; the sub-pixel convolutions are the 1 x 1 ones
        assertThat(fused.fusedSpatialBlocks()).isEqualTo(stock.spatialConvolutions());
        assertThat(fused.fusedPointwiseBlocks()).isPositive();
        assertThat(fused.spatialConvolutions()).isZero();
        assertThat(fused.customLayers()).as("no SameDiff layer on the fused path").isZero();
        assertThat(estimator.estimate(fusedCase.toConfig(), 2).parameterCount())
                .isEqualTo(estimator.estimate(stockCase.toConfig(), 2).parameterCount());
        assertThat(CalibrationCase.parse(fusedCase.toString())).isEqualTo(fusedCase);
        assertThat(CalibrationCase.parse(stockCase.toString())).isEqualTo(stockCase);
    }

    @Test
    void aMalformedCalibrationCaseNamesItsTextAndTheForm() {
        for (String text : new String[] {"classic:3:8/64/2/EQ_SKIP", "classic:3:8/64/two/EQ_SKIP/1.0",
                "classic:3:8/64/2/QUARTER/1.0", "classic:3:8/64/2/EQ_SKIP/1.0/FAST"}) {
            assertThatThrownBy(() -> CalibrationCase.parse(text)).as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("calibration case must be encoder/size/batch/reduction/midScale[/layers]")
                    .hasMessageContaining("but was '" + text + "'");
        }
    }

    @Test
    void rejectsBadBatchSize() {
        assertThatThrownBy(() -> estimator.estimate(config("classic:2:4", 32, ChannelReduction.HALVE, 1.0), 0))
                .hasMessageContaining("batchSize must be >= 1 but was 0");
    }

    /**
     * The acceptance test: three configurations, each trained for two steps in a fresh JVM, rank by measured peak
     * memory in the same order as by the estimate. They differ by at least 2x, well above the measurement noise.
     */
    @Test
    void ranksConfigurationsInTheOrderOfMeasuredMemory() throws Exception {
        List<CalibrationCase> cases = List.of(
                new CalibrationCase("classic:4:16", 96, 4, ChannelReduction.NONE, 1.0),
                new CalibrationCase("classic:3:8", 64, 2, ChannelReduction.EQ_SKIP, 1.0),
                new CalibrationCase("classic:3:16", 128, 2, ChannelReduction.HALVE, 0.5));
        List<long[]> estimatedAndMeasured = new ArrayList<>();
        for (CalibrationCase c : cases) {
            estimatedAndMeasured.add(new long[] {estimator.estimate(c.toConfig(), c.batch()).total(),
                    MemoryCalibration.measureInChild(c.toConfig(), c.batch(), MemoryProbe.Mode.TRAIN, 2, "256m")});
        }
        List<Integer> byEstimate = IntStream.range(0, cases.size()).boxed()
                .sorted(Comparator.comparingLong(i -> estimatedAndMeasured.get(i)[0])).toList();
        List<Integer> byMeasured = IntStream.range(0, cases.size()).boxed()
                .sorted(Comparator.comparingLong(i -> estimatedAndMeasured.get(i)[1])).toList();

        assertThat(byEstimate).as("cases ordered by estimate vs by measured peak memory").isEqualTo(byMeasured);
    }

    @Test
    void blocksComeFromTheBlueprintNotFromVertexNames() {
        UNetConfig config = UNetConfig.builder().encoder(new LookalikeEncoder()).input(new ImageShape(1, 32, 32))
                .numClasses(1).head(new HeadActivation.Sigmoid()).build();
        UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(config);
        MemoryEstimate estimate = estimator.estimate(config, 2);

        long encoderParameters = blueprint.encoderVertices().stream()
                .mapToLong(name -> blueprint.configuration().getVertices().get(name).numParams(false)).sum();
        assertThat(estimate.perBlock()).filteredOn(block -> block.block().equals(GraphBlock.ENCODER))
                .extracting(BlockMemory::parameterCount).containsExactly(encoderParameters);
        assertThat(estimate.perBlock()).extracting(BlockMemory::block).containsExactly(GraphBlock.INPUT,
                GraphBlock.ENCODER, GraphBlock.MIDDLE, GraphBlock.decoderStage(1), GraphBlock.decoderStage(2),
                GraphBlock.HEAD);
        assertThat(estimate.toTable()).contains("\nmiddle ", "\ndecoder stage 2 ", "\nhead ");
    }

    @Test
    void theFinalUpsamplingAndLastCrossHaveTheirOwnRowBeforeTheHead() {
        UNetConfig config = config("classic:3:8", 48, ChannelReduction.EQ_SKIP, 1.0).toBuilder().lastCross(true)
                .build();
        UNetGraphFactory.Blueprint blueprint = UNetGraphFactory.create(config);
        MemoryEstimate estimate = estimator.estimate(config, 2);

        long finalParameters = blueprint.verticesOf(GraphBlock.FINAL).stream()
                .mapToLong(name -> blueprint.configuration().getVertices().get(name).numParams(false)).sum();
        assertThat(finalParameters).as("the last cross's convolutions").isPositive();
        assertThat(estimate.perBlock()).extracting(BlockMemory::block).endsWith(GraphBlock.FINAL, GraphBlock.HEAD);
        assertThat(estimate.perBlock()).filteredOn(block -> block.block().equals(GraphBlock.FINAL))
                .extracting(BlockMemory::parameterCount).containsExactly(finalParameters);
        assertThat(estimate.toTable()).contains("\nfinal ");
    }
}
