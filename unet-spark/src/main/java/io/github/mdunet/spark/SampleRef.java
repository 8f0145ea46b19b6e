package io.github.mdunet.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import io.github.mdunet.data.folder.SamplePair;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;

/**
 * One image/mask pair as the executors get it: the paths as text, to be read by the executor that decodes it. On a
 * cluster the paths must name files every executor can read (a shared file system mounted at the same place).
 *
 * <p>RDD elements go through Spark's Kryo, whose field serialiser (Kryo 4) cannot build records: Kryo is told to
 * write this one with Java serialisation, which builds it through its constructor.
 *
 * @param stem  the pair's file stem
 * @param image the image's path
 * @param mask  the mask's path
 */
@DefaultSerializer(JavaSerializer.class)
public record SampleRef(String stem, String image, String mask) implements Serializable {

    /** Refuses a missing stem or path. */
    public SampleRef {
        if (stem == null || image == null || mask == null) {
            throw new IllegalArgumentException("SampleRef needs a stem, an image and a mask but was " + stem + ", "
                    + image + ", " + mask);
        }
    }

    /** The pairs that unet-data's folder scanner found, as absolute paths the executors resolve again. */
    public static List<SampleRef> of(List<SamplePair> pairs) {
        return pairs.stream().map(pair -> new SampleRef(pair.stem(), pair.input().toAbsolutePath().toString(),
                pair.target().toAbsolutePath().toString())).toList();
    }

    SamplePair toPair() {
        return new SamplePair(stem, Path.of(image), Path.of(mask));
    }

    @Override
    public String toString() {
        return stem + " (" + image + " + " + mask + ")";
    }
}
