package io.github.mdunet.tuning.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.BlockLayers;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.ChannelReduction;
import io.github.mdunet.core.config.HeadActivation;
import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.config.UpsampleMode;
import io.github.mdunet.core.testing.LookalikeEncoder;
import io.github.mdunet.zoo.Weights;
import io.github.mdunet.zoo.features.Vgg16Features;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * What the estimate says of configurations the correction was not fitted on: HALF counted as FLOAT, DOUBLE refused by
 * a budget, and a note for each difference from the calibrated cases (with the error measured, where there is one).
 */
class CalibratedSetTest {

    /** Of the calibration's kind: a classic encoder of a calibrated depth and width, at a calibrated size. */
    private static final UNetConfig FLOAT = new CalibrationCase("classic:3:8", 64, 2, ChannelReduction.EQ_SKIP, 1.0)
            .toConfig();

    private final MemoryEstimator estimator = new MemoryEstimator();

    /**
     * HALF measured the same as FLOAT on the CPU backend; it was estimated at half of FLOAT. (With SGD: HALF refuses
     * the Adam family, see {@code HalfPrecisionUpdaters}.)
     */
    @Test
    void halfIsEstimatedAsFloatAndSaysSo() {
        UNetConfig sgd = FLOAT.toBuilder().updater(new Sgd(1e-3)).build();
        MemoryEstimate half = estimator.estimate(sgd.withDataType(DataType.HALF), 2);
        MemoryEstimate single = estimator.estimate(sgd, 2);

        assertThat(half.total()).isEqualTo(single.total());
        assertThat(half.inference()).isEqualTo(single.inference());
        assertThat(half.dataType()).isEqualTo(DataType.HALF);
        assertThat(half.calibrationNotes()).singleElement().asString().startsWith("HALF is not calibrated: counted as"
                + " FLOAT").contains("1.1 GiB both");
        assertThat(half.budgetCheckable()).isTrue();
        assertThat(MemoryBudget.ofGiB(24).fits(half)).isTrue();
        assertThat(half.toTable()).contains("note: HALF is not calibrated");
        assertThat(half.toString()).contains("HALF is not calibrated");
    }

    /** A DOUBLE network measured 3.8 GiB where it was estimated at 2.2 GiB: a budget must not admit it. */
    @Test
    void aBudgetRefusesToJudgeADoubleNetwork() {
        MemoryEstimate estimate = estimator.estimate(FLOAT.withDataType(DataType.DOUBLE), 2);

        assertThat(estimate.calibrationNotes()).singleElement().asString().startsWith("DOUBLE is not calibrated")
                .contains("3.8 GiB", "2.2 GiB");
        assertThat(estimate.budgetCheckable()).isFalse();
        assertThatThrownBy(() -> MemoryBudget.ofGiB(24).fits(estimate)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the memory budget of 24.0 GiB cannot judge the estimate of a DOUBLE network")
                .hasMessageContaining("measured 3.8 GiB")
                .hasMessageContaining("Train in FLOAT (UNetConfig.withDataType(DataType.FLOAT)")
                .hasMessageContaining("MemoryBudget.unlimited()");
        assertThat(MemoryBudget.unlimited().fits(estimate)).as("no budget, nothing to judge").isTrue();
    }

    /** The flags must not fire on what was calibrated: every default case is within the calibration. */
    @Test
    void theCalibratedCasesCarryNoNote() {
        for (CalibrationCase c : MemoryCalibration.DEFAULT_CASES) {
            assertThat(MemoryEstimator.calibrationNotes(c.toConfig())).as(c.toString()).isEmpty();
        }
        MemoryEstimate estimate = estimator.estimate(FLOAT, 2);
        assertThat(estimate.withinCalibration()).isTrue();
        assertThat(estimate.shortfall()).isZero();
        assertThat(estimate.toTable()).doesNotContain("note:");
        UNetConfig between = new CalibrationCase("classic:4:24", 160, 2, ChannelReduction.HALVE, 1.25,
                BlockLayers.FUSED).toConfig().withInput(new ImageShape(3, 128, 176));
        assertThat(MemoryEstimator.calibrationNotes(between, 6)).as("depth, width, sides, mid scale and batch between"
                + " calibrated ones").isEmpty();
        for (CalibrationCase c : MemoryCalibration.DEFAULT_CASES) {
            MemoryEstimate calibrated = estimator.estimate(c.toConfig(), c.batch());
            assertThat(calibrated.calibrationNotes()).as(c.toString()).allSatisfy(note -> assertThat(note)
                    .as("only SqueezeNet's raised estimate has a note").startsWith("zoo:SQUEEZENET on the fused"));
        }
    }

    /**
     * An encoder the calibration never measured was estimated without a word (Xception, before it was calibrated,
     * measured 4.0 GiB where its estimate said 2.7 GiB); it is named.
     */
    @Test
    void anEncoderOutsideTheCalibrationIsNamed() {
        UNetConfig vgg = CalibrationCase.parse("zoo:VGG16/128/4/EQ_SKIP/1.0/FUSED").toConfig();
        UNetConfig lookalike = FLOAT.toBuilder().encoder(new LookalikeEncoder()).build();

        assertThat(MemoryEstimator.calibrationNotes(vgg)).singleElement().asString()
                .isEqualTo("encoder zoo:VGG16 is outside the calibration (on the fused blocks: classic:DEPTH:WIDTH,"
                        + " zoo:SQUEEZENET, zoo:TINY_YOLO, zoo:DARKNET19, zoo:RESNET50_DL4J, zoo:RESNET50,"
                        + " zoo:XCEPTION): not measured");
        assertThat(MemoryEstimator.calibrationNotes(CalibrationCase.parse("zoo:XCEPTION/128/4/EQ_SKIP/1.0/FUSED")
                .toConfig())).as("calibrated").isEmpty();
        assertThat(MemoryEstimator.calibrationNotes(lookalike)).singleElement().asString()
                .startsWith("encoder " + new LookalikeEncoder() + " is outside the calibration (on DL4J's stock"
                        + " layers:")
                .endsWith("): not measured");
        assertThat(MemoryEstimator.calibrationNotes(CalibrationCase.parse("classic:2:4/128/4/EQ_SKIP/1.0/FUSED")
                .toConfig())).containsExactly("classic:2:4 is outside the calibration's classic encoders on the fused"
                + " blocks (depths 3 to 4, widths 16 to 32): not measured");
    }

    /**
     * An input size outside those its encoder was calibrated at on its layer path was estimated without a word
     * (ResNet50 on the fused blocks at 256 px, before it was calibrated there: 3.4 GiB estimated, 4.4 GiB measured);
     * it is named.
     */
    @Test
    void anInputSizeOutsideTheEncodersCalibratedSizesIsNamed() {
        UNetConfig resnet = CalibrationCase.parse("zoo:RESNET50/128/2/EQ_SKIP/1.0/FUSED").toConfig();
        UNetConfig wide = CalibrationCase.parse("classic:3:16/128/4/EQ_SKIP/1.0/FUSED").toConfig()
                .withInput(new ImageShape(3, 128, 256));

        assertThat(MemoryEstimator.calibrationNotes(resnet)).containsExactly("input 128 x 128 is outside the sizes"
                + " zoo:RESNET50 was calibrated at on the fused blocks (256 to 512 px square): not measured");
        assertThat(MemoryEstimator.calibrationNotes(resnet.withInput(new ImageShape(3, 384, 384))))
                .as("between calibrated sizes").isEmpty();
        assertThat(MemoryEstimator.calibrationNotes(wide)).containsExactly("input 128 x 256 is outside the sizes"
                + " classic encoders were calibrated at on the fused blocks (128 to 192 px square): not measured");
        assertThat(MemoryEstimator.calibrationNotes(resnet.withInput(new ImageShape(3, 256, 256))
                .withLayers(BlockLayers.STOCK))).as("calibrated at 256 on the stock layers").isEmpty();
    }

    /**
     * SqueezeNet on the fused blocks measured 869.7 MiB where the fit estimates 517.4 MiB: a budget of 700 MiB
     * admitted it. Its estimate is now raised by that shortfall, and says so.
     */
    @Test
    void anEncoderTheCalibrationMeasuredAboveTheFitIsRaisedBeforeTheBudgetJudgesIt() {
        CalibrationCase squeezeNet = CalibrationCase.parse("zoo:SQUEEZENET/128/8/EQ_SKIP/1.0/FUSED");
        long measured = 911_974_400L;

        MemoryEstimate raised = estimator.estimate(squeezeNet.toConfig(), squeezeNet.batch());
        MemoryCorrection shipped = MemoryCorrection.CPU_CALIBRATED;
        MemoryCorrection oneByteMore = new MemoryCorrection(shipped.parameterFactor(), shipped.activationFactor(),
                shipped.spatialConvolutionFactor(), shipped.customLayerFactor(), shipped.workspaceFactor(),
                shipped.fusedSpatialFactor(), shipped.fusedPointwiseFactor(), shipped.offsetBytes() + 1);
        MemoryEstimate fitted = new MemoryEstimator(oneByteMore).estimate(squeezeNet.toConfig(), squeezeNet.batch());

        assertThat(raised.total()).isGreaterThanOrEqualTo(measured).isLessThan(measured * 101 / 100);
        assertThat(raised.shortfall()).isEqualTo(raised.total() - (fitted.total() - 1)).isPositive();
        assertThat(MemoryBudget.ofMiB(700).fits(raised)).isFalse();
        assertThat(raised.calibrationNotes()).singleElement().asString()
                .startsWith("zoo:SQUEEZENET on the fused blocks is estimated low by the calibration's fit: its"
                        + " calibrated case, zoo:SQUEEZENET/128/8/EQ_SKIP/1.0/FUSED, measured 869.7 MiB where the fit"
                        + " estimates 517.4 MiB (40.5% below")
                .endsWith("so this estimate is the fit's x 1.682");
        assertThat(raised.toTable()).contains(", shortfall " + MemoryBudget.format(raised.shortfall()) + ")");
        assertThat(fitted.shortfall()).as("another correction: the shortfall is the shipped fit's").isZero();
        assertThat(estimator.estimate(squeezeNet.toConfig().withLayers(BlockLayers.STOCK), 8).shortfall())
                .as("within 8% on the stock layers").isZero();
    }

    /** Measured outside the calibration: mid attention 15.8% low, plain bilinear upsampling 18.5% low. */
    @Test
    void midAttentionAndBilinearUpsamplingCarryTheirMeasuredErrors() {
        MemoryEstimate attention = estimator.estimate(FLOAT.toBuilder().midAttention(true).build(), 2);
        MemoryEstimate bilinear = estimator.estimate(FLOAT.withUpsample(new UpsampleMode.Bilinear()), 2);

        assertThat(attention.calibrationNotes()).singleElement().asString()
                .startsWith("mid attention is outside the calibration").contains("15.8% below the measurement");
        assertThat(attention.budgetCheckable()).as("flagged, still judged").isTrue();
        assertThat(bilinear.calibrationNotes()).singleElement().asString()
                .isEqualTo("bilinear upsampling is outside the calibration (pixel shuffle): the estimate was 18.5%"
                        + " below the measurement, where the same case with pixel shuffle was 0.6% above");
        assertThat(bilinear.toTable()).contains("note: bilinear upsampling");
    }

    @Test
    void otherFeaturesOutsideTheCalibrationAreFlaggedAsNotMeasured() {
        UNetConfig everything = FLOAT.toBuilder().upsample(new UpsampleMode.Transposed()).attentionGates(1)
                .lastCross(true).normalization(Normalization.NONE).dataType(DataType.DOUBLE).midAttention(true).build();

        assertThat(estimator.estimate(everything, 2).calibrationNotes()).hasSize(6)
                .anySatisfy(note -> assertThat(note).startsWith("transposed upsampling").endsWith("not measured"))
                .anySatisfy(note -> assertThat(note).startsWith("attention gates").endsWith("not measured"))
                .anySatisfy(note -> assertThat(note).startsWith("the last cross").endsWith("not measured"))
                .anySatisfy(note -> assertThat(note).isEqualTo("normalization NONE is outside the calibration"
                        + " (BATCH): not measured"));
        assertThat(MemoryEstimator.calibrationNotes(FLOAT.withUpsample(new UpsampleMode.PixelShuffle(true))))
                .containsExactly("pixelShuffleBlur upsampling is outside the calibration (pixel shuffle):"
                        + " not measured");
    }

    /** Batches 1 and 64 (and Tune's default 16) were estimated without a word: the calibration measured 2 to 8. */
    @Test
    void aBatchSizeOutsideTheCalibratedOnesIsNamed() {
        for (int batch : new int[] {1, 16, 64}) {
            assertThat(estimator.estimate(FLOAT, batch).calibrationNotes()).as("batch " + batch)
                    .containsExactly("batch " + batch + " is outside the batch sizes the calibration measured (2 to 8):"
                            + " not measured");
        }
        assertThat(estimator.estimate(FLOAT, 8).calibrationNotes()).isEmpty();
    }

    /**
     * The ResNet50 plan printed NONE at mid scale 2 (34 GiB) without a mark, though ResNet50 on the fused blocks was
     * only measured with EQ_SKIP at mid scale 1, and never above 13.9 GiB.
     */
    @Test
    void aReductionAMidScaleAndATotalOutsideTheCalibrationAreNamed() {
        UNetConfig seed = CalibrationCase.parse("zoo:RESNET50/512/8/EQ_SKIP/1.0/FUSED").toConfig();
        MemoryEstimate fastai = estimator.estimate(seed.withChannelReduction(ChannelReduction.NONE)
                .withMidChannelScale(2.0), 8);

        assertThat(fastai.total()).isGreaterThan(CalibratedSet.LARGEST_MEASURED_BYTES);
        assertThat(fastai.calibrationNotes()).containsExactly(
                "reduction NONE is outside those zoo:RESNET50 was calibrated with on the fused blocks (EQ_SKIP): not"
                        + " measured",
                "mid scale 2.0 is outside those zoo:RESNET50 was calibrated at on the fused blocks (1.0): not measured",
                "an estimate above 13.9 GiB, the largest peak the calibration measured"
                        + " (zoo:RESNET50_DL4J/512/8/EQ_SKIP/1.0), is extrapolated: not measured");
        assertThat(MemoryEstimator.calibrationNotes(seed.withLayers(BlockLayers.STOCK).withMidChannelScale(0.75)
                .withChannelReduction(ChannelReduction.HALVE))).as("measured at 0.5 and 1, with HALVE, on the stock"
                + " layers").isEmpty();
        assertThat(MemoryEstimator.calibrationNotes(FLOAT.withMidChannelScale(0.25))).containsExactly("mid scale 0.25"
                + " is outside those classic encoders were calibrated at on DL4J's stock layers (0.5 to 2.0): not"
                + " measured");
        assertThat(MemoryEstimator.calibrationNotes(seed.withChannelReduction(ChannelReduction.HALVE)
                .withMidChannelScale(0.5))).as("measured on the stock layers").containsExactly(
                "reduction HALVE is outside those zoo:RESNET50 was calibrated with on the fused blocks (EQ_SKIP):"
                        + " measured on DL4J's stock layers only",
                "mid scale 0.5 is outside those zoo:RESNET50 was calibrated at on the fused blocks (1.0): measured on"
                        + " DL4J's stock layers only");
        assertThat(MemoryEstimator.calibrationNotes(FLOAT.toBuilder().decoderChannels(List.of(32, 16, 8)).build()))
                .containsExactly("decoderChannels [32, 16, 8] is outside the calibration, whose decoder widths all"
                        + " come from a reduction rule (for classic encoders on DL4J's stock layers: NONE, HALVE,"
                        + " EQ_SKIP): not measured");
    }

    /** A perceptual loss (VGG16 forward twice and backward once) left the estimate as L1's without a word. */
    @Test
    void aLossOtherThanTheHeadsDefaultIsNamedAndAFeatureNetworkSaidToBeCountedApart() {
        UNetConfig image = FLOAT.toBuilder().head(new HeadActivation.Residual()).numClasses(3).build();
        Vgg16Features vgg = Vgg16Features.fastai(Weights.random());

        assertThat(MemoryEstimator.calibrationNotes(image.toBuilder().loss(new Loss.L1()).build())).containsExactly(
                "loss L1 is outside the calibration (the head's default loss): its working memory is not counted: not"
                        + " measured");
        assertThat(MemoryEstimator.calibrationNotes(FLOAT.toBuilder().loss(new Loss.Dice(List.of())).build()))
                .singleElement().asString().startsWith("loss Dice is outside the calibration");
        assertThat(MemoryEstimator.calibrationNotes(FLOAT.toBuilder().loss(new Loss.Focal(2, List.of())).build()))
                .singleElement().asString().startsWith("loss Focal is outside the calibration");
        assertThat(MemoryEstimator.calibrationNotes(FLOAT.toBuilder().loss(new Loss.Tversky(0.3, 0.7, List.of()))
                .build())).singleElement().asString().startsWith("loss Tversky is outside the calibration");
        assertThat(MemoryEstimator.calibrationNotes(FLOAT.toBuilder().loss(new Loss.CrossEntropyDice(1, 1,
                List.of())).build())).singleElement().asString()
                .startsWith("loss CrossEntropyDice is outside the calibration");
        assertThat(MemoryEstimator.calibrationNotes(FLOAT.toBuilder().loss(new Loss.Lovasz(List.of())).build()))
                .singleElement().asString().startsWith("loss Lovasz is outside the calibration")
                .endsWith("it holds 32 bytes of Java heap per output element (batch x classes x height x width) while"
                        + " it sorts on the host, outside the native memory");
        assertThat(MemoryEstimator.calibrationNotes(image.toBuilder().loss(new Loss.Perceptual(vgg, 1, 5000)).build()))
                .containsExactly("the perceptual loss's frozen network (" + vgg + ") is counted apart (loss"
                        + " network): DL4J's reports of its layers, all but its parameters times 1.62, the factor"
                        + " measured for VGG16's features on classic U-Nets (96 to 160 px, batch 2 to 8; within -6% to"
                        + " +9% there); its Gram matrices and the loss's own working memory are not counted");
        assertThat(MemoryEstimator.calibrationNotes(image)).as("the head's default").isEmpty();
    }
}
