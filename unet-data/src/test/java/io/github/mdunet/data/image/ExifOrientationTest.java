package io.github.mdunet.data.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExifOrientationTest {

    /**
     * The EXIF names say where the stored first row and first column are shown: RIGHT_TOP (6) shows the first row
     * down the right side and the first column along the top. A 3 x 2 image whose pixels hold their stored index pins
     * each of the eight turns and mirrors.
     */
    @ParameterizedTest
    @EnumSource(ExifOrientation.class)
    void theStoredFirstRowAndColumnAreShownOnTheSidesTheNameSays(ExifOrientation orientation) {
        int width = 3;
        int height = 2;
        ExifOrientation.Oriented shown = orientation.apply(IntStream.range(0, width * height).toArray(), width,
                height);
        String[] sides = orientation.name().split("_");

        assertThat(shown.width() * shown.height()).isEqualTo(width * height);
        assertThat(shown.width()).isEqualTo(orientation.swapsSides() ? height : width);
        for (int x = 0; x < width; x++) {
            assertThat(isOn(sides[0], shown, x)).as("stored (%d, 0) on the %s", x, sides[0]).isTrue();
        }
        for (int y = 0; y < height; y++) {
            assertThat(isOn(sides[1], shown, y * width)).as("stored (0, %d) on the %s", y, sides[1]).isTrue();
        }
    }

    private static boolean isOn(String side, ExifOrientation.Oriented shown, int storedIndex) {
        int at = IntStream.range(0, shown.rgb().length).filter(i -> shown.rgb()[i] == storedIndex).findFirst()
                .orElseThrow();
        int x = at % shown.width();
        int y = at / shown.width();
        return switch (side) {
            case "TOP" -> y == 0;
            case "BOTTOM" -> y == shown.height() - 1;
            case "LEFT" -> x == 0;
            case "RIGHT" -> x == shown.width() - 1;
            default -> throw new IllegalArgumentException(side);
        };
    }
}
