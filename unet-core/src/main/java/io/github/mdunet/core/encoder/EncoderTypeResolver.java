package io.github.mdunet.core.encoder;

import io.github.mdunet.core.naming.StableTypeNameResolver;
import io.github.mdunet.core.naming.StableTypeNames;

/**
 * Writes an {@link Encoder}'s type as its registered stable name ({@link EncoderNames}), or its class name when it
 * has none, and reads either back. Class names are still read so that configurations written before the names
 * (and user encoders without one) load.
 */
public final class EncoderTypeResolver extends StableTypeNameResolver<Encoder> {

    /** The encoders' names, from every {@link EncoderNames} on the class path. */
    public static final StableTypeNames<Encoder> NAMES =
            new StableTypeNames<>(Encoder.class, EncoderNames.class, "encoder");

    public EncoderTypeResolver() {
        super(NAMES);
    }
}
