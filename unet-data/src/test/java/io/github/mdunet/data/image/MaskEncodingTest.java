package io.github.mdunet.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
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

    @Test
    void ignoredEntriesOutOfRangeOrAlsoMappedAreRefusedNamingThem() {
        assertThatThrownBy(() -> new MaskEncoding.ClassIds(Set.of(65536)))
                .hasMessage("MaskEncoding.ClassIds.ignored entries need a value in 0..65535 but had 65536");
        assertThatThrownBy(() -> new MaskEncoding.PaletteIndices(Set.of(-1)))
                .hasMessageStartingWith("MaskEncoding.PaletteIndices.ignored entries need an index in 0..255");
        assertThat(new MaskEncoding.ClassIds(Set.of(65535)).ignored()).as("a 16-bit mask's white")
                .containsExactly(65535);
        assertThatThrownBy(() -> new MaskEncoding.ValueMap(Map.of(0, 0, 255, 1), Set.of(255)))
                .hasMessage("MaskEncoding.ValueMap both maps 255 to class 1 and ignores it: remove it from one of"
                        + " the two");
        assertThatThrownBy(() -> new MaskEncoding.Palette(Map.of(0x000000, 0), Set.of(0x000000)))
                .hasMessage("MaskEncoding.Palette both maps #000000 to class 0 and ignores it: remove it from one"
                        + " of the two");
        assertThatThrownBy(() -> new MaskEncoding.Palette(Map.of(0x000000, 0), Set.of(-1)))
                .hasMessageStartingWith("MaskEncoding.Palette.ignored entries need a colour in 0x000000..0xFFFFFF");
    }

    @Test
    void ignoredEntriesShowInTheDescriptionAndSurviveSerialisation() throws Exception {
        MaskEncoding voc = new MaskEncoding.Palette(Map.of(0x000000, 0, 0x800000, 1), Set.of(0xE0E0C0));
        assertThat(voc).hasToString("Palette{#000000=0, #800000=1, #E0E0C0=ignored}");
        assertThat(new MaskEncoding.ClassIds(Set.of(255, 254))).hasToString("ClassIds{ignored [254, 255]}");
        assertThat(new MaskEncoding.ClassIds()).hasToString("ClassIds");
        assertThat(MaskEncoding.PaletteIndices.pascalVoc()).hasToString("PaletteIndices{ignored [255]}");
        assertThat(new MaskEncoding.PaletteIndices().storesIds()).isTrue();
        assertThat(MaskEncoding.ValueMap.binary255().storesIds()).isFalse();
        assertThat(voc.ignoresPixels()).isTrue();
        assertThat(new MaskEncoding.ClassIds().ignoresPixels()).isFalse();

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(voc);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(voc);
        }
    }
}
