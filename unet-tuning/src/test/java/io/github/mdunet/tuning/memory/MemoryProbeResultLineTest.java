package io.github.mdunet.tuning.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The probe's result line, printed by the child and read back by name by the parent. */
class MemoryProbeResultLineTest {

    @Test
    void printsEachFieldByNameAndReadsItBack() {
        String line = MemoryProbe.resultLine(100, 350, 12);

        assertThat(line).isEqualTo("PROBE baseline=100 peak=350 measured=250 params=12");
        assertThat(MemoryProbe.field(line, MemoryProbe.Field.BASELINE)).isEqualTo(100);
        assertThat(MemoryProbe.field(line, MemoryProbe.Field.PEAK)).isEqualTo(350);
        assertThat(MemoryProbe.field(line, MemoryProbe.Field.MEASURED)).isEqualTo(250);
        assertThat(MemoryProbe.field(line, MemoryProbe.Field.PARAMS)).isEqualTo(12);
    }

    @Test
    void aFieldIsFoundByNameWhereverItStands() {
        assertThat(MemoryProbe.field("PROBE params=3 measured=9", MemoryProbe.Field.MEASURED)).isEqualTo(9);
    }

    @Test
    void aMissingOrMalformedFieldIsNamed() {
        assertThatThrownBy(() -> MemoryProbe.field("PROBE baseline=1 peak=2", MemoryProbe.Field.MEASURED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the memory probe's result line has no measured= field: PROBE baseline=1 peak=2");
        assertThatThrownBy(() -> MemoryProbe.field("PROBE measured=lots", MemoryProbe.Field.MEASURED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the memory probe's measured is not a whole number: PROBE measured=lots");
    }
}
