package io.github.mdunet.reference.torch.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.reference.torch.npy.NpyArray;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NpzComparisonTest {

    @Test
    void reportsDifferencesShapesAndMissingKeys() {
        Map<String, NpyArray> expected = new LinkedHashMap<>();
        expected.put("step1.loss", NpyArray.scalar(1.0f));
        expected.put("enc_bn.var", NpyArray.ofFloats(new long[] {2}, 1.0f, 2.0f));
        expected.put("adam.enc_conv.W.m", NpyArray.ofFloats(new long[] {1, 2}, 0.5f, 0.25f));
        expected.put("eval.logits", NpyArray.scalar(3.0f));
        Map<String, NpyArray> actual = new LinkedHashMap<>();
        actual.put("step1.loss", NpyArray.scalar(1.0000001f));
        actual.put("enc_bn.var", NpyArray.ofFloats(new long[] {2}, 1.0f, 2.01f));
        actual.put("adam.enc_conv.W.m", NpyArray.ofFloats(new long[] {2}, 0.5f, 0.25f));
        actual.put("extra", NpyArray.scalar(0f));

        NpzComparison comparison = NpzComparison.of(expected, actual, 1e-3, 1e-6);

        assertThat(comparison.agrees()).isFalse();
        assertThat(comparison.missing()).containsExactly("eval.logits");
        assertThat(comparison.extra()).containsExactly("extra");
        assertThat(comparison.entries()).filteredOn(NpzComparison.Entry::differs)
                .extracting(NpzComparison.Entry::key).containsExactly("enc_bn.var", "adam.enc_conv.W.m");
        assertThat(comparison.report()).contains("shape [2] where [1, 2] was expected")
                .contains("missing from the actual file: [eval.logits]");
    }
}
