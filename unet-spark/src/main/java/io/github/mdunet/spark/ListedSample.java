package io.github.mdunet.spark;

import com.esotericsoftware.kryo.DefaultSerializer;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import java.io.Serializable;

/**
 * A sample with its index in the whole list the driver was given ({@link SparkTrainer#listed}): the index keys the
 * sample's augmentation draws and its place in an epoch's order as on one machine, in whichever partition it is
 * decoded. Written with Java serialisation under Kryo, as {@link SampleRef} is.
 *
 * @param index  the sample's index in the whole list, >= 0
 * @param sample the sample's files
 */
@DefaultSerializer(JavaSerializer.class)
record ListedSample(int index, SampleRef sample) implements Serializable {

    ListedSample {
        if (index < 0 || sample == null) {
            throw new IllegalArgumentException("ListedSample needs an index >= 0 and a sample but was " + index + ", "
                    + sample);
        }
    }
}
