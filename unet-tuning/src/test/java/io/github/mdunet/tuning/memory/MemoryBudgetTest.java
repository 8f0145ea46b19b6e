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
        assertThat(MemoryBudget.parse("24 gb").bytes()).isEqualTo(24L << 30);
        assertThat(MemoryBudget.parse("1000k").bytes()).isEqualTo(1000L << 10);
    }

    /** '24' parsed as 24 bytes, '1.5' as 1 byte and '24ib' as 24 bytes: a budget without a unit is refused. */
    @Test
    void refusesANumberWithoutAUnit() {
        for (String bare : new String[] {"24", "1.5", "1500000000"}) {
            assertThatThrownBy(() -> MemoryBudget.parse(bare)).as(bare).hasMessage("memory budget '" + bare
                    + "' has no unit: give k, m, g or t (binary, 1k = 1024 bytes), e.g. 24g or 512m");
        }
        for (String noPrefix : new String[] {"24ib", "24b", "24 B", "1e9"}) {
            assertThatThrownBy(() -> MemoryBudget.parse(noPrefix)).as(noPrefix).hasMessage("memory budget must be a"
                    + " number and a unit (k, m, g or t; GiB and gb read the same) like 24g, 512m or 1.5GiB but was '"
                    + noPrefix + "'");
        }
    }

    @Test
    void rejectsNonSizesNamingTheText() {
        assertThatThrownBy(() -> MemoryBudget.parse("lots")).hasMessageContaining("'lots'").hasMessageContaining("24g");
        assertThatThrownBy(() -> new MemoryBudget(0)).hasMessage("MemoryBudget.bytes must be >= 1 but was 0");
    }

    /** Below a byte, or beyond any memory (which would have become "unlimited"): refused, naming the text. */
    @Test
    void rejectsSizesOfNothingAndOfMoreThanAnyMemory() {
        assertThatThrownBy(() -> MemoryBudget.parse("0g")).hasMessage("memory budget must be at least 1 byte but '0g'"
                + " is 0 bytes, e.g. 24g or 512m");
        assertThatThrownBy(() -> MemoryBudget.parse("0.0000000001k")).hasMessageContaining("'0.0000000001k' is less"
                + " than a byte");
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
