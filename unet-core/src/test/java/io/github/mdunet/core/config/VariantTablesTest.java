package io.github.mdunet.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * One table per variant: the upsample modes' names serve JSON, tables and command lines alike, and every sealed
 * variant has its visitor method (a new variant does not compile until each dispatch handles it).
 */
class VariantTablesTest {

    @Test
    void everyUpsampleModeIsNamedParsedAndListed() {
        assertThat(UpsampleMode.names())
                .containsExactly("pixelShuffle", "pixelShuffleBlur", "transposed", "bilinearConv", "bilinear");
        for (UpsampleMode mode : UpsampleMode.choices()) {
            assertThat(UpsampleMode.parse(mode.name())).isEqualTo(mode);
        }
        Set<Class<?>> listed = UpsampleMode.choices().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(listed).as("every variant has a named choice")
                .containsExactlyInAnyOrder(UpsampleMode.class.getPermittedSubclasses());
    }

    @Test
    void theCommandLinesOldSpellingStillParses() {
        assertThat(UpsampleMode.parse("PIXEL_SHUFFLE_BLUR")).isEqualTo(new UpsampleMode.PixelShuffle(true));
        assertThat(UpsampleMode.parse("bilinear_conv")).isEqualTo(new UpsampleMode.BilinearConv());
        assertThat(UpsampleMode.parse(" transposed ")).isEqualTo(new UpsampleMode.Transposed());
        assertThatThrownBy(() -> UpsampleMode.parse("nearest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("upsample mode must be one of [pixelShuffle, pixelShuffleBlur, transposed, bilinearConv,"
                        + " bilinear] but was 'nearest'");
    }

    @Test
    void theJsonTypeNameIsTheTablesName() throws Exception {
        ObjectMapper json = new ObjectMapper();
        for (UpsampleMode mode : UpsampleMode.choices()) {
            String text = json.writeValueAsString(mode);
            String type = json.readTree(text).get("type").asText();
            assertThat(mode.name()).startsWith(type);
            assertThat(json.readValue(text, UpsampleMode.class)).isEqualTo(mode);
            assertThat(json.readTree(text).has("name")).as("name() is not a JSON property").isFalse();
        }
    }

    @Test
    void everySealedVariantHasItsVisitorMethod() {
        assertThat(Arrays.stream(UpsampleMode.Visitor.class.getDeclaredMethods()).map(m -> m.getParameterTypes()[0]))
                .containsExactlyInAnyOrder(UpsampleMode.class.getPermittedSubclasses());
        // The heads are grouped into classifying and regressing ones; the visitor covers the records of both.
        assertThat(Arrays.stream(HeadActivation.Visitor.class.getDeclaredMethods()).map(m -> m.getParameterTypes()[0]))
                .containsExactlyInAnyOrder(Arrays.stream(HeadActivation.class.getPermittedSubclasses())
                        .flatMap(kind -> Arrays.stream(kind.getPermittedSubclasses())).toArray(Class<?>[]::new));
        assertThat(Arrays.stream(Loss.Visitor.class.getDeclaredMethods()).map(m -> m.getParameterTypes()[0]))
                .containsExactlyInAnyOrder(Loss.class.getPermittedSubclasses());
    }

    @Test
    void onlyTheClassifyingHeadsDoNotRegress() {
        assertThat(new HeadActivation.Softmax().regresses()).isFalse();
        assertThat(new HeadActivation.Sigmoid().regresses()).isFalse();
        assertThat(new HeadActivation.Identity().regresses()).isTrue();
        assertThat(new HeadActivation.SigmoidRange(0, 1).regresses()).isTrue();
        assertThat(new HeadActivation.Residual().regresses()).isTrue();
    }
}
