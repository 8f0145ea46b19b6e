package io.github.mdunet.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.mdunet.core.blocks.ImageShape;
import io.github.mdunet.core.blocks.Normalization;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.ClassicEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The zip {@link ModelZip} writes is DL4J's {@code ModelSerializer} file, entry for entry, with its arrays stored. */
class ModelZipTest {

    @TempDir
    Path directory;

    @Test
    void theEntriesAreModelSerializersWithTheArraysUncompressed() throws IOException {
        ComputationGraph graph = trainedGraph();
        Path ours = directory.resolve("ours.zip");
        Path theirs = directory.resolve("theirs.zip");

        ModelZip.write(graph, true, Map.of("extra.json", "{\"a\": 1}"), ours);
        ModelSerializer.writeModel(graph, theirs.toFile(), true);

        try (ZipFile oursZip = new ZipFile(ours.toFile()); ZipFile theirsZip = new ZipFile(theirs.toFile())) {
            for (String name : new String[] {ModelSerializer.CONFIGURATION_JSON, ModelSerializer.COEFFICIENTS_BIN,
                ModelSerializer.UPDATER_BIN}) {
                assertThat(oursZip.getInputStream(oursZip.getEntry(name)).readAllBytes()).as(name)
                        .isEqualTo(theirsZip.getInputStream(theirsZip.getEntry(name)).readAllBytes());
            }
            for (String array : new String[] {ModelSerializer.COEFFICIENTS_BIN, ModelSerializer.UPDATER_BIN}) {
                ZipEntry entry = oursZip.getEntry(array);
                assertThat(entry.getCompressedSize()).as(array + " stored").isGreaterThanOrEqualTo(entry.getSize());
                assertThat(theirsZip.getEntry(array).getCompressedSize()).as(array + " deflated by DL4J")
                        .isLessThan(entry.getSize());
            }
            ZipEntry configuration = oursZip.getEntry(ModelSerializer.CONFIGURATION_JSON);
            assertThat(configuration.getCompressedSize()).as("text deflated").isLessThan(configuration.getSize());
            assertThat(new String(oursZip.getInputStream(oursZip.getEntry("extra.json")).readAllBytes()))
                    .isEqualTo("{\"a\": 1}");
        }
    }

    @Test
    void modelSerializerRestoresTheGraphWithItsUpdaterState() throws IOException {
        ComputationGraph graph = trainedGraph();
        Path file = directory.resolve("model.zip");

        ModelZip.write(graph, true, Map.of(), file);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), true);

        assertThat(restored.getConfiguration()).isEqualTo(graph.getConfiguration());
        assertThat(restored.params()).isEqualTo(graph.params());
        assertThat(restored.getUpdater().getStateViewArray()).isEqualTo(graph.getUpdater().getStateViewArray());
    }

    @Test
    void withoutTheUpdaterNoUpdaterEntryIsWritten() throws IOException {
        Path file = directory.resolve("model.zip");

        ModelZip.write(trainedGraph(), false, Map.of(), file);

        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertThat(zip.getEntry(ModelSerializer.UPDATER_BIN)).isNull();
            assertThat(zip.getEntry(ModelSerializer.COEFFICIENTS_BIN)).isNotNull();
        }
    }

    /** A small U-Net after one Adam step, so that its updater state is not all zeros. */
    private static ComputationGraph trainedGraph() {
        UNet unet = UNet.build(UNetConfig.builder().encoder(new ClassicEncoder(2, 4, Normalization.BATCH))
                .input(new ImageShape(1, 16, 16)).numClasses(2).seed(3).build());
        Nd4j.getRandom().setSeed(5);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 2, 2, 16, 16);
        labels.get(NDArrayIndex.all(), NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.all()).assign(1);
        unet.graph().fit(new DataSet(Nd4j.rand(DataType.FLOAT, 2, 1, 16, 16), labels));
        return unet.graph();
    }
}
