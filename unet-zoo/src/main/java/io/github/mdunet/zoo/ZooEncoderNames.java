package io.github.mdunet.zoo;

import io.github.mdunet.core.encoder.Encoder;
import io.github.mdunet.core.encoder.EncoderNames;
import java.util.Map;

/**
 * The stable JSON names of this module's encoders: {@code zoo} ({@link ZooEncoder}), {@code graph}
 * ({@link GraphEncoder}).
 */
public final class ZooEncoderNames implements EncoderNames {

    /** The stable name of {@link ZooEncoder}. */
    public static final String ZOO = "zoo";

    /** The stable name of {@link GraphEncoder}. */
    private static final String GRAPH = "graph";

    @Override
    public Map<String, Class<? extends Encoder>> types() {
        return Map.of(ZOO, ZooEncoder.class, GRAPH, GraphEncoder.class);
    }
}
