package io.github.mdunet.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.mdunet.core.blocks.ConvBlocks;
import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.encoder.ClassicEncoder;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.nd4j.shade.jackson.annotation.JsonSubTypes;
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
        // Heads and losses are grouped into kinds (classifying or regressing, segmentation or image-to-image); the
        // visitor covers the records of every kind.
        assertThat(Arrays.stream(HeadActivation.Visitor.class.getDeclaredMethods()).map(m -> m.getParameterTypes()[0]))
                .containsExactlyInAnyOrder(records(HeadActivation.class));
        assertThat(Arrays.stream(Loss.Visitor.class.getDeclaredMethods()).map(m -> m.getParameterTypes()[0]))
                .containsExactlyInAnyOrder(records(Loss.class));
    }

    @Test
    void everyRecordHasItsJsonName() {
        for (Class<?> variantType : List.of(UpsampleMode.class, HeadActivation.class, Loss.class)) {
            JsonSubTypes.Type[] named = variantType.getAnnotation(JsonSubTypes.class).value();
            assertThat(Arrays.stream(named).map(JsonSubTypes.Type::value))
                    .as("the JSON names of %s", variantType.getSimpleName())
                    .containsExactlyInAnyOrder(records(variantType));
        }
    }

    @Test
    void onlySoftmaxHasExclusiveClassesAndOnlyResidualAddsTheInput() {
        List<HeadActivation> heads = List.of(new HeadActivation.Softmax(), new HeadActivation.Sigmoid(),
                new HeadActivation.Identity(), new HeadActivation.SigmoidRange(0, 1), new HeadActivation.Residual());
        assertThat(heads).extracting(Object::getClass).containsExactlyInAnyOrder(records(HeadActivation.class));
        assertThat(heads).filteredOn(HeadActivation::exclusiveClasses).containsExactly(new HeadActivation.Softmax());
        assertThat(heads).filteredOn(HeadActivation::addsInput).containsExactly(new HeadActivation.Residual());
    }

    @Test
    void onlyTheImageToImageLossesCompareImages() {
        assertThat(new Loss.L1().comparesImages()).isTrue();
        assertThat(new Loss.Lovasz(List.of()).comparesImages()).isFalse();
        assertThat(new Loss.HeadDefault().comparesImages()).isFalse();
        assertThat(records(Loss.ImageToImage.class)).containsExactlyInAnyOrder(Loss.L1.class, Loss.Perceptual.class);
    }

    /** The records a sealed type permits, through its sealed kinds. */
    private static Class<?>[] records(Class<?> sealedType) {
        return Arrays.stream(sealedType.getPermittedSubclasses())
                .flatMap(sub -> sub.isSealed() ? Arrays.stream(records(sub)) : Stream.of(sub))
                .toArray(Class<?>[]::new);
    }

    @Test
    void onlyTheClassifyingHeadsDoNotRegress() {
        assertThat(new HeadActivation.Softmax().regresses()).isFalse();
        assertThat(new HeadActivation.Sigmoid().regresses()).isFalse();
        assertThat(new HeadActivation.Identity().regresses()).isTrue();
        assertThat(new HeadActivation.SigmoidRange(0, 1).regresses()).isTrue();
        assertThat(new HeadActivation.Residual().regresses()).isTrue();
    }

    @Test
    void messagesListTheChoicesReadFromTheTypes() {
        assertThat(Checks.oneOf(UpsampleMode.class))
                .isEqualTo("one of PixelShuffle, Transposed, BilinearConv, Bilinear");
        assertThat(Checks.oneOf(HeadActivation.class))
                .isEqualTo("one of Softmax, Sigmoid, Identity, SigmoidRange, Residual");
        assertThat(Checks.oneOf(Normalization.class)).isEqualTo("one of BATCH, NONE");
        assertThatThrownBy(() -> UNetConfig.builder().encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                .input(new ImageShape(3, 32, 32)).numClasses(2).upsample(null).build())
                .hasMessage("upsample must be set (one of PixelShuffle, Transposed, BilinearConv, Bilinear) but was"
                        + " null");
        assertThatThrownBy(() -> new ClassicEncoder(2, 4, null))
                .hasMessage("ClassicEncoder.normalization must be set (one of BATCH, NONE) but was null");
        assertThatThrownBy(() -> new ConvBlocks(Normalization.BATCH, null))
                .hasMessage("ConvBlocks.layers must be set (one of FUSED, STOCK) but was null");
    }
}
