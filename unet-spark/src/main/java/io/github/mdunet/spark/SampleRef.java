package io.github.mdunet.spark;

import io.github.mdunet.data.folder.SamplePair;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One image/mask pair as the executors get it: the paths as text, to be read by the executor that decodes it. On a
 * cluster the paths must name files every executor can read (a shared file system mounted at the same place).
 *
 * <p>A class rather than a record: RDD elements go through Spark's Kryo, whose field serialiser cannot build records.
 */
public final class SampleRef implements Serializable {

    private static final long serialVersionUID = 1L;

    private String stem;
    private String image;
    private String mask;

    /** For Kryo. */
    private SampleRef() {
    }

    /**
     * @param stem  the pair's file stem
     * @param image the image's path
     * @param mask  the mask's path
     */
    public SampleRef(String stem, String image, String mask) {
        if (stem == null || image == null || mask == null) {
            throw new IllegalArgumentException("SampleRef needs a stem, an image and a mask but was " + stem + ", "
                    + image + ", " + mask);
        }
        this.stem = stem;
        this.image = image;
        this.mask = mask;
    }

    /** The pairs that unet-data's folder scanner found, as absolute paths the executors resolve again. */
    public static List<SampleRef> of(List<SamplePair> pairs) {
        return pairs.stream().map(pair -> new SampleRef(pair.stem(), pair.input().toAbsolutePath().toString(),
                pair.target().toAbsolutePath().toString())).toList();
    }

    public String stem() {
        return stem;
    }

    public String image() {
        return image;
    }

    public String mask() {
        return mask;
    }

    SamplePair toPair() {
        return new SamplePair(stem, Path.of(image), Path.of(mask));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SampleRef other && stem.equals(other.stem) && image.equals(other.image)
                && mask.equals(other.mask);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stem, image, mask);
    }

    @Override
    public String toString() {
        return stem + " (" + image + " + " + mask + ")";
    }
}
