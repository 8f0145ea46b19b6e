package io.github.mdunet.zoo;

import org.deeplearning4j.zoo.PretrainedType;
import org.nd4j.shade.jackson.annotation.JsonSubTypes;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;

/**
 * Where a zoo encoder's initial weights come from. Saved with the U-Net configuration; the weights themselves are
 * read only by {@link io.github.mdunet.zoo.pretrained.PretrainedWeights#build} (a U-Net loaded with
 * {@code UNet.load} has its weights in its file).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "source")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Weights.Random.class, name = "random"),
        @JsonSubTypes.Type(value = Weights.ZooCache.class, name = "zooCache"),
        @JsonSubTypes.Type(value = Weights.LocalFile.class, name = "file")})
public sealed interface Weights permits Weights.Random, Weights.ZooCache, Weights.LocalFile {

    /** The U-Net's own random initialisation: nothing is loaded. */
    static Weights random() {
        return new Random();
    }

    /** The zoo's ImageNet weights from DL4J's cache directory, checked against the zoo's checksum. */
    static Weights imagenet() {
        return new ZooCache(PretrainedType.IMAGENET);
    }

    /**
     * A zoo model file at {@code path} (a copy of the zoo's download), checked against the checksums of the zoo's
     * pretrained files for the backbone, whichever dataset or input size (Darknet19's 448 file, VGG16's CIFAR10
     * one); a refusal names each of them with its checksum.
     */
    static Weights file(String path) {
        return new LocalFile(path, true);
    }

    /** A model file at {@code path} that is not the zoo's (your own training): no checksum check. */
    static Weights ownFile(String path) {
        return new LocalFile(path, false);
    }

    /**
     * True when weights are loaded (into any input channel count: the file's RGB first convolution is adapted, see
     * {@link io.github.mdunet.zoo.pretrained.PretrainedWeights#copyParameters(
     * org.deeplearning4j.nn.graph.ComputationGraph, org.deeplearning4j.nn.graph.ComputationGraph, java.util.Set)}).
     */
    default boolean pretrained() {
        return !(this instanceof Random);
    }

    /** The U-Net's random initialisation. */
    record Random() implements Weights {
    }

    /**
     * The file that the zoo's {@code initPretrained(dataset)} would download, read from DL4J's cache directory
     * ({@code ~/.deeplearning4j/models/<model>/}, moved by {@code -Dorg.deeplearning4j.resources.directory}); never
     * downloaded by this library. Its Adler32 checksum must be the zoo's.
     *
     * @param dataset which of the zoo's pretrained files (IMAGENET for most; VGG16 also has CIFAR10 and VGGFACE).
     *                Darknet19's 448 file, which the zoo lists as IMAGENET at input 448, is read with
     *                {@link Weights#file(String)}
     */
    record ZooCache(PretrainedType dataset) implements Weights {
        public ZooCache {
            if (dataset == null) {
                throw new IllegalArgumentException("ZooCache.dataset must be set (e.g. PretrainedType.IMAGENET) but"
                        + " was null");
            }
        }
    }

    /**
     * A DL4J {@code ModelSerializer} file of the zoo model.
     *
     * @param path           the file
     * @param verifyChecksum check the file against the Adler32 checksums of the zoo's pretrained files for the
     *                       backbone, any dataset (true for a copy of a zoo download; false for your own files)
     */
    record LocalFile(String path, boolean verifyChecksum) implements Weights {
        public LocalFile {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("LocalFile.path must name a model file but was '" + path + "'");
            }
        }
    }
}
