package io.github.mdunet.core.model;

import io.github.mdunet.core.encoder.EncoderNames;
import io.github.mdunet.core.encoder.EncoderTypeResolver;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Brings the encoder of a file saved before format 4 to its stable name: {@code "@class": "<Java class>"} becomes
 * {@code "type": "<name>"} with the name its module registers in {@link EncoderNames}, or the class name itself for
 * an encoder without one (which {@link EncoderTypeResolver} still reads).
 */
public final class EncoderNameMigration implements ConfigMigration {

    /** The property that held an encoder's Java class name in formats 1 to 3. */
    public static final String OLD_PROPERTY = "@class";
    /** The property that holds an encoder's stable name from format 4 on. */
    public static final String PROPERTY = "type";

    @Override
    public void upgrade(int fromVersion, ObjectNode config) {
        if (fromVersion == 3 && config.get("encoder") instanceof ObjectNode encoder && encoder.has(OLD_PROPERTY)) {
            encoder.put(PROPERTY, EncoderTypeResolver.nameOf(encoder.remove(OLD_PROPERTY).asText()));
        }
    }
}
