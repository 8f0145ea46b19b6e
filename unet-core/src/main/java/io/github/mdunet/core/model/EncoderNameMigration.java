package io.github.mdunet.core.model;

import io.github.mdunet.core.encoder.EncoderNames;
import io.github.mdunet.core.encoder.EncoderTypeResolver;
import java.util.Map;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Brings the encoder of a file saved before format 4 to its stable name: {@code "@class": "<Java class>"} becomes
 * {@code "type": "<name>"} with the name its module registers in {@link EncoderNames}, or the class name itself for
 * an encoder without one (which {@link EncoderTypeResolver} still reads).
 */
public final class EncoderNameMigration implements ConfigMigration {

    static final String OLD_PROPERTY = "@class";
    static final String PROPERTY = "type";

    @Override
    public void upgrade(int fromVersion, ObjectNode config) {
        if (fromVersion == 3 && config.get("encoder") instanceof ObjectNode encoder && encoder.has(OLD_PROPERTY)) {
            String className = encoder.remove(OLD_PROPERTY).asText();
            String name = className;
            for (Map.Entry<String, ?> entry : EncoderTypeResolver.registered().entrySet()) {
                if (((Class<?>) entry.getValue()).getName().equals(className)) {
                    name = entry.getKey();
                }
            }
            encoder.put(PROPERTY, name);
        }
    }
}
