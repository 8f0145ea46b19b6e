package io.github.mdunet.core.encoder;

import io.github.mdunet.core.naming.TypeNames;
import java.util.Map;

/**
 * The stable names under which encoder types are saved in a configuration's JSON ({@code "type": "classic"}),
 * instead of Java class names that change when a class moves. A module registers its encoders' names with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/io.github.mdunet.core.encoder.EncoderNames}); an encoder
 * without a registered name (a user's own) is saved under its class name, as every encoder was before format 4.
 */
public interface EncoderNames extends TypeNames<Encoder> {

    /** The core's encoders: {@code classic}. */
    final class Core implements EncoderNames {

        /** The stable name of {@link ClassicEncoder}. */
        public static final String CLASSIC = "classic";

        @Override
        public Map<String, Class<? extends Encoder>> types() {
            return Map.of(CLASSIC, ClassicEncoder.class);
        }
    }
}
