package io.github.mdunet.reference.torch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.mdunet.reference.torch.spec.NetworkJson;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code train} mode end to end on generated 32 x 32 folders: a red and a blue square on grey noise. */
class TrainCommandTest {

    private static final int SIZE = 32;

    /** Writes count image/mask pairs: class 1 where the red square is, class 2 for the blue one, 0 elsewhere. */
    static void writeFolder(Path dir, int count, long seed) throws IOException {
        Files.createDirectories(dir.resolve("images"));
        Files.createDirectories(dir.resolve("masks"));
        Random random = new Random(seed);
        for (int n = 0; n < count; n++) {
            BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
            BufferedImage mask = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int grey = 100 + random.nextInt(40);
                    image.setRGB(x, y, grey << 16 | grey << 8 | grey);
                }
            }
            for (int cls = 1; cls <= 2; cls++) {
                int side = 8 + random.nextInt(6);
                int top = random.nextInt(SIZE - side);
                int left = random.nextInt(SIZE - side);
                for (int y = top; y < top + side; y++) {
                    for (int x = left; x < left + side; x++) {
                        image.setRGB(x, y, cls == 1 ? 0xdc2020 : 0x2020dc);
                        mask.getRaster().setSample(x, y, 0, cls);
                    }
                }
            }
            ImageIO.write(image, "png", dir.resolve("images/img" + n + ".png").toFile());
            ImageIO.write(mask, "png", dir.resolve("masks/img" + n + ".png").toFile());
        }
    }

    @Test
    void twoEpochsOnEightImagesWriteResultsWithAFallingLoss(@TempDir Path dir) throws IOException {
        String network;
        try (InputStream in = getClass().getResourceAsStream("/tiny-network.json")) {
            network = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\"height\": 16, \"width\": 16", "\"height\": 32, \"width\": 32");
        }
        Files.writeString(dir.resolve("network.json"), network);
        Files.writeString(dir.resolve("recipe.json"), "{\"learningRate\": 1e-2, \"adam\": {\"beta1\": 0.9,"
                + " \"beta2\": 0.999, \"epsilon\": 1e-8}, \"weightDecay\": 0, \"schedule\": {\"type\": \"constant\"},"
                + " \"batchSize\": 4, \"epochs\": 2}");
        writeFolder(dir.resolve("train"), 8, 1);
        writeFolder(dir.resolve("heldout"), 4, 2);
        Path out = dir.resolve("results.json");

        int code = ReferenceMain.execute("train", "--network", dir.resolve("network.json").toString(),
                "--recipe", dir.resolve("recipe.json").toString(), "--data", dir.resolve("train").toString(),
                "--heldout", dir.resolve("heldout").toString(), "--seeds", "1,2", "--augment", "flips-zoom",
                "--out", out.toString());

        assertThat(code).isZero();
        JsonNode results = NetworkJson.MAPPER.readTree(out.toFile());
        assertThat(results.get("seeds")).hasSize(2);
        for (JsonNode seed : results.get("seeds")) {
            JsonNode losses = seed.get("trainLossPerEpoch");
            assertThat(losses).hasSize(2);
            assertThat(losses.get(1).asDouble()).isLessThan(losses.get(0).asDouble());
            assertThat(seed.get("perClassIoU")).hasSize(3);
            assertThat(seed.get("secondsPerEpoch")).hasSize(2);
            assertThat(seed.get("cpuSecondsPerEpoch")).hasSize(2);
            assertThat(seed.get("pixelAccuracy").asDouble()).isBetween(0.0, 1.0);
            assertThat(seed.get("meanIoU").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(results.get("meanIoU").get("sampleStd").isNumber()).isTrue();
        assertThat(results.get("augment").asText()).isEqualTo("flips-zoom");
        assertThat(results.get("recipe").get("batchSize").asInt()).isEqualTo(4);
        assertThat(results.get("torchVersion").asText()).startsWith("2.");
        assertThat(results.get("threads").asInt()).isPositive();
    }
}
