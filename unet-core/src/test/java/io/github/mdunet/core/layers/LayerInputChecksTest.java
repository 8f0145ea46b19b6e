package io.github.mdunet.core.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each layer rejects an input that does not fit its configuration with one IllegalStateException message, in all
 * three places it is checked: {@code setNIn} (without override), {@code getOutputType} and the run-time check of an
 * input array.
 */
class LayerInputChecksTest {

    /** A named layer, an NCHW input it does not accept, and the message that names both. */
    private record Misfit(NchwSameDiffLayer layer, long channels, long height, long width, String message) {

        @Override
        public String toString() {
            return message;
        }
    }

    private static NchwSameDiffLayer named(String name, NchwSameDiffLayer layer) {
        layer.setLayerName(name);
        return layer;
    }

    static Stream<Misfit> misfits() {
        return Stream.of(
                new Misfit(named("shuffle1", new PixelShuffle(2)), 6, 4, 4,
                        "PixelShuffle 'shuffle1': input channels (6) must be divisible by upscaleFactor^2 = 4"),
                new Misfit(named("up1", new SubPixelConvolution(4, 2, 2, 1, false, Activation.RELU)), 3, 4, 4,
                        "SubPixelConvolution 'up1': inputChannels is 4 but the input has 3 channels"),
                new Misfit(named("mid_attention", new SelfAttention(8)), 6, 4, 4,
                        "SelfAttention 'mid_attention': channels is 8 but the input has 6 channels"),
                new Misfit(named("dec1_gate", new AttentionGate(3, 5, 2)), 7, 4, 6,
                        "AttentionGate 'dec1_gate': expects the concatenation [skip ; gate] of 3 + 5 = 8 channels"
                                + " but the input has 7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misfits")
    void rejectsTheInputWithOneMessageEverywhere(Misfit misfit) {
        NchwSameDiffLayer layer = misfit.layer();
        InputType inputType = InputType.convolutional(misfit.height(), misfit.width(), misfit.channels());
        assertThatThrownBy(() -> layer.setNIn(inputType, false)).as("setNIn")
                .isInstanceOf(IllegalStateException.class).hasMessage(misfit.message());
        assertThatThrownBy(() -> layer.getOutputType(0, inputType)).as("getOutputType")
                .isInstanceOf(IllegalStateException.class).hasMessage(misfit.message());
        INDArray input = Nd4j.zeros(DataType.DOUBLE, 1, misfit.channels(), misfit.height(), misfit.width());
        assertThatThrownBy(() -> layer.validateInput(input)).as("validateInput")
                .isInstanceOf(IllegalStateException.class).hasMessage(misfit.message());
    }

    @Test
    void aLayerThatInfersItsChannelsTakesAnyInputBeforeItIsSet() {
        InputType input = InputType.convolutional(4, 6, 5);

        assertThat(new SelfAttention(0).getOutputType(0, input)).isEqualTo(input);
        assertThat(new SubPixelConvolution(0, 3, 2, 1, false, Activation.RELU).getOutputType(0, input))
                .isEqualTo(InputType.convolutional(8, 12, 3));
    }
}
