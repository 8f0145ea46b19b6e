package io.github.mdunet.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskEncodingTest {

    @Test
    void emptyTablesAreRefusedWithAnExample() {
        assertThatThrownBy(() -> new MaskEncoding.ValueMap(Map.of()))
                .hasMessage("MaskEncoding.ValueMap.idByValue needs at least one entry, e.g. Map.of(0, 0, 255, 1)");
        assertThatThrownBy(() -> new MaskEncoding.Palette(null))
                .hasMessage("MaskEncoding.Palette.idByRgb needs at least one entry,"
                        + " e.g. Map.of(0x000000, 0, 0xFF0000, 1)");
    }

    @Test
    void keysOutOfRangeAndNegativeIdsAreRefusedNamingTheEntry() {
        assertThatThrownBy(() -> new MaskEncoding.ValueMap(Map.of(256, 1)))
                .hasMessage("MaskEncoding.ValueMap entries need a grey value in 0..255 and an id >= 0"
                        + " but had 256 -> 1");
        assertThatThrownBy(() -> new MaskEncoding.ValueMap(Map.of(3, -1)))
                .hasMessageEndingWith("but had 3 -> -1");
        assertThatThrownBy(() -> new MaskEncoding.Palette(Map.of(0x1000000, 2)))
                .hasMessage("MaskEncoding.Palette entries need a colour in 0x000000..0xFFFFFF and an id >= 0 but had"
                        + " 1000000 -> 2");
    }

    @Test
    void theTablesAreCopied() {
        Map<Integer, Integer> table = new HashMap<>(Map.of(0, 0, 255, 1));
        MaskEncoding.ValueMap encoding = new MaskEncoding.ValueMap(table);
        table.put(128, 2);

        assertThat(encoding.idByValue()).containsOnlyKeys(0, 255);
        assertThat(MaskEncoding.ValueMap.binary255()).isEqualTo(encoding);
    }
}
