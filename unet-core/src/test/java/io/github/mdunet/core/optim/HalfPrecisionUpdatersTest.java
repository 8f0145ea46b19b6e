package io.github.mdunet.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import io.github.mdunet.core.model.UNet;
import io.github.mdunet.core.testing.BrightShapes;
import io.github.mdunet.core.train.Trainer;
import io.github.mdunet.core.train.TrainingConfig;
import io.github.mdunet.core.train.Validator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.AMSGrad;
import org.nd4j.linalg.learning.config.AdaDelta;
import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.AdaMax;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nadam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;

/** The updaters whose steps HALF breaks are refused with HALF; the others step finitely and train in HALF. */
class HalfPrecisionUpdatersTest {

    /** A zero gradient, a small one (its square times 1 - beta2 is below HALF's smallest value) and a large one. */
    private static final double[] GRADIENT = {0.0, 1e-3, 0.5};

    static Stream<IUpdater> refused() {
        return Stream.of(new TorchAdam(1e-3), new Adam(1e-3), new AMSGrad(1e-3), new Nadam(1e-3), new AdaMax(1e-3),
                new RmsProp(1e-3));
    }

    static Stream<IUpdater> allowed() {
        return Stream.of(new Sgd(1e-3), new Nesterovs(1e-3, 0.9), new AdaGrad(1e-3), new AdaDelta());
    }

    /** The updates of three steps on {@link #GRADIENT} with the state and the gradient in {@code type}. */
    private static double[] updates(IUpdater config, DataType type) {
        long stateSize = config.stateSize(GRADIENT.length);
        GradientUpdater<?> updater = config.instantiate(stateSize == 0 ? null
                : Nd4j.zeros(type, 1, stateSize), true);
        INDArray gradient = null;
        for (int step = 0; step < 3; step++) {
            gradient = Nd4j.createFromArray(GRADIENT).castTo(type).reshape(1, GRADIENT.length);
            updater.applyUpdater(gradient, step, 0);
        }
        return gradient.toDoubleVector();
    }

    private static boolean allFinite(double[] values) {
        return Arrays.stream(values).allMatch(Double::isFinite);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusedUpdatersStepFinitelyInFloatButNotInHalf(IUpdater updater) {
        assertThat(allFinite(updates(updater.clone(), DataType.FLOAT))).as("FLOAT updates").isTrue();
        assertThat(allFinite(updates(updater.clone(), DataType.HALF))).as("HALF updates").isFalse();
        assertThatThrownBy(() -> HalfPrecisionUpdaters.requireTrainable(updater, DataType.HALF))
                .isInstanceOf(IllegalArgumentException.class)
                .message().contains("updater " + updater + " cannot train with dataType HALF",
                        "Use dataType FLOAT (or DOUBLE)", "new Sgd(lr)");
        assertThatCode(() -> HalfPrecisionUpdaters.requireTrainable(updater, DataType.FLOAT))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allowed")
    void allowedUpdatersStepFinitelyInHalf(IUpdater updater) {
        assertThat(allFinite(updates(updater, DataType.HALF))).as("HALF updates").isTrue();
        assertThatCode(() -> HalfPrecisionUpdaters.requireTrainable(updater, DataType.HALF))
                .doesNotThrowAnyException();
    }

    /**
     * The trainer refuses a HALF U-Net with the default updater before touching anything; it still builds, saves and
     * loads (a HALF model saved before this check predicts as before), and trains with SGD.
     */
    @Test
    void aHalfUNetWithTheDefaultUpdaterIsRefusedByTheTrainerAndTrainsWithSgd(@TempDir Path directory)
            throws IOException {
        UNetConfig.Builder half = UNetConfig.builder().encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                .input(new ImageShape(1, 32, 32)).numClasses(2).dataType(DataType.HALF);
        UNet adam = UNet.build(half.build());
        adam.save(directory.resolve("half-adam.zip"));
        assertThat(UNet.load(directory.resolve("half-adam.zip")).config()).isEqualTo(adam.config());
        DataSetIterator none = new ExistingDataSetIterator(List.<DataSet>of());
        assertThatThrownBy(() -> new Trainer(TrainingConfig.of(1, directory.resolve("checkpoints")),
                Validator.segmentation()).fit(adam, none, none)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("updater TorchAdam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1.0E-8)"
                        + " cannot train with dataType HALF");
        assertThat(directory.resolve("checkpoints")).as("refused before anything is written").doesNotExist();

        UNet unet = UNet.build(half.updater(new Sgd(0.05)).build());
        DataSet train = BrightShapes.generate(4, 32, 1);
        train = new DataSet(train.getFeatures().castTo(DataType.HALF), train.getLabels().castTo(DataType.HALF));
        List<Double> losses = new ArrayList<>();
        for (int step = 0; step < 5; step++) {
            unet.graph().fit(train);
            losses.add(unet.graph().score());
        }
        assertThat(losses).as("HALF training losses").allMatch(Double::isFinite);
        assertThat(losses.get(4)).as("last loss vs first, %s", losses).isLessThan(losses.get(0));
        assertThat(unet.graph().params().isNaN().any() || unet.graph().params().isInfinite().any()).isFalse();
    }
}
