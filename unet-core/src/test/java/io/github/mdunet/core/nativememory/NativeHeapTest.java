package io.github.mdunet.core.nativememory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.nativememory.NativeHeap.Policy;
import io.github.mdunet.core.testing.SettingParsing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The policy's parsing and the {@code mallopt} call each policy makes, on a recorded {@code mallopt}. */
class NativeHeapTest {

    private final List<int[]> calls = new ArrayList<>();

    @Test
    void leanIsTheDefaultAndValuesAreReadInAnyCase() {
        SettingParsing.assertReadsUnsetBlankAndAnyCase(Policy::parse, Policy.LEAN,
                Map.of("Lean", Policy.LEAN, "GLIBC", Policy.GLIBC));
    }

    @Test
    void anUnknownValueNamesTheProperty_theValueAndTheChoices() {
        assertThatThrownBy(() -> Policy.parse("small"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-Dmdunet.nativeHeap", "'small'", "'lean'", "'glibc'");
    }

    @Test
    void leanFixesTheMmapThresholdAt4MiB() {
        NativeHeap.Applied applied = NativeHeap.apply(Policy.LEAN, Optional.of(this::accept));

        assertThat(calls).singleElement().satisfies(call -> assertThat(call)
                .containsExactly(NativeHeap.M_MMAP_THRESHOLD, 4 << 20));
        assertThat(applied.changed()).isTrue();
        assertThat(applied.explanation()).contains("4 MiB");
    }

    @Test
    void glibcCallsNothing() {
        NativeHeap.Applied applied = NativeHeap.apply(Policy.GLIBC, Optional.of(this::accept));

        assertThat(calls).isEmpty();
        assertThat(applied.changed()).isFalse();
        assertThat(applied.explanation()).contains("kept");
    }

    @Test
    void aRefusedCallOrNoGlibcChangesNothingAndSaysSo() {
        NativeHeap.Applied refused = NativeHeap.apply(Policy.LEAN, Optional.of((parameter, value) -> 0));
        NativeHeap.Applied noGlibc = NativeHeap.apply(Policy.LEAN, Optional.empty());

        assertThat(refused.changed()).isFalse();
        assertThat(refused.explanation()).contains("refused");
        assertThat(noGlibc.changed()).isFalse();
        assertThat(noGlibc.explanation()).contains("no glibc mallopt");
    }

    private int accept(int parameter, int value) {
        calls.add(new int[] {parameter, value});
        return 1;
    }
}
