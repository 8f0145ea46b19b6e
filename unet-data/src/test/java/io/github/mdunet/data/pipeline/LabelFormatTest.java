package io.github.mdunet.data.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.config.HeadActivation;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LabelFormatTest {

    @Test
    void classificationHeadsGetTheirLabels() {
        assertThat(LabelFormat.forHead(new HeadActivation.Softmax(), 4)).isEqualTo(LabelFormat.ONE_HOT);
        assertThat(LabelFormat.forHead(new HeadActivation.Sigmoid(), 1)).isEqualTo(LabelFormat.BINARY);
        assertThat(LabelFormat.forHead(new HeadActivation.Sigmoid(), 3)).isEqualTo(LabelFormat.ONE_HOT);
        assertThat(LabelFormat.ONE_HOT.channels(4)).isEqualTo(4);
        assertThat(LabelFormat.BINARY.channels(2)).isEqualTo(1);
    }

    static Stream<HeadActivation> regressionHeads() {
        return Stream.of(new HeadActivation.Identity(), new HeadActivation.SigmoidRange(0, 1),
                new HeadActivation.Residual());
    }

    @ParameterizedTest
    @MethodSource("regressionHeads")
    void aRegressionHeadIsRefusedNamingItAndTheFix(HeadActivation head) {
        assertThatThrownBy(() -> LabelFormat.forHead(head, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a " + head.getClass().getSimpleName() + " head is for regression")
                .hasMessageContaining("use ImageToImageDataset");
    }
}
