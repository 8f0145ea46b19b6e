package io.github.mdunet.tuning.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    @Test
    void parsesBinarySizes() {
        assertThat(MemoryBudget.parse("24g").bytes()).isEqualTo(24L << 30);
        assertThat(MemoryBudget.parse("24GiB").bytes()).isEqualTo(24L << 30);
        assertThat(MemoryBudget.parse("512m").bytes()).isEqualTo(512L << 20);
        assertThat(MemoryBudget.parse("1.5G").bytes()).isEqualTo(3L << 29);
        assertThat(MemoryBudget.parse("1000").bytes()).isEqualTo(1000);
    }

    @Test
    void rejectsNonSizesNamingTheText() {
        assertThatThrownBy(() -> MemoryBudget.parse("lots")).hasMessageContaining("'lots'").hasMessageContaining("24g");
        assertThatThrownBy(() -> new MemoryBudget(0)).hasMessage("MemoryBudget.bytes must be >= 1 but was 0");
    }

    /** Below a byte, or beyond any memory (which would have become "unlimited"): refused, naming the text. */
    @Test
    void rejectsSizesOfNothingAndOfMoreThanAnyMemory() {
        assertThatThrownBy(() -> MemoryBudget.parse("0")).hasMessage("memory budget must be at least 1 byte but '0'"
                + " is 0 bytes, e.g. 24g or 512m");
        assertThatThrownBy(() -> MemoryBudget.parse("0.5")).hasMessageContaining("'0.5' is less than a byte");
        assertThatThrownBy(() -> MemoryBudget.parse("99999999999t")).hasMessageStartingWith("memory budget"
                + " '99999999999t' is more than any memory");
    }

    @Test
    void formatsHumanReadable() {
        assertThat(MemoryBudget.format(3L << 29)).isEqualTo("1.5 GiB");
        assertThat(MemoryBudget.format(512)).isEqualTo("512 B");
        assertThat(MemoryBudget.unlimited().toString()).isEqualTo("unlimited");
    }
}
