package io.github.mdunet.core.model;

import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.EncoderTypeResolver;
import io.github.mdunet.core.loss.FeatureExtractorTypeResolver;
import io.github.mdunet.core.naming.StableTypeNames;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Brings the extensible types of an older file to their stable names: {@code "@class": "<Java class>"} becomes
 * {@code "type": "<name>"} with the name a module registers, or the class name itself for a type without one (which
 * the resolvers still read). Format 4 named the encoder ({@link EncoderTypeResolver}), format 5 the perceptual
 * loss's feature extractor ({@link FeatureExtractorTypeResolver}).
 */
public final class StableNameMigration implements ConfigMigration {

    @Override
    public void upgrade(int fromVersion, ObjectNode config) {
        if (fromVersion == 3) {
            rename(config.get(UNetConfig.ENCODER_FIELD), EncoderTypeResolver.NAMES);
        } else if (fromVersion == 4) {
            rename(config.path(UNetConfig.LOSS_FIELD).get(Loss.Perceptual.FEATURES_FIELD),
                    FeatureExtractorTypeResolver.NAMES);
        }
    }

    private static void rename(JsonNode value, StableTypeNames<?> names) {
        if (value instanceof ObjectNode object && object.has(StableTypeNames.CLASS_PROPERTY)) {
            String className = object.remove(StableTypeNames.CLASS_PROPERTY).asText();
            object.put(StableTypeNames.NAME_PROPERTY, names.nameOf(className));
        }
    }
}
