package io.github.mdunet.zoo;

import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.encoder.EncoderTypeResolver;
import io.github.mdunet.core.model.ConfigMigration;
import io.github.mdunet.core.naming.StableTypeNames;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Keeps old saved models meaning what they meant: in format 1, {@code RESNET50} was DL4J's layout (total stride 64),
 * which is {@link ZooBackbone#RESNET50_DL4J} from format 2 on.
 */
public final class ZooConfigMigration implements ConfigMigration {

    @Override
    public void upgrade(int fromVersion, ObjectNode config) {
        JsonNode encoder = config.get(UNetConfig.ENCODER_FIELD);
        if (fromVersion == 1 && encoder instanceof ObjectNode zoo
                && isZooEncoder(zoo)
                && ZooBackbone.RESNET50.name().equals(zoo.path(ZooEncoder.BACKBONE_FIELD).asText())) {
            zoo.put(ZooEncoder.BACKBONE_FIELD, ZooBackbone.RESNET50_DL4J.name());
        }
    }

    /** By its class name (as format 1 to 3 wrote it) or its stable name (from format 4 on). */
    private static boolean isZooEncoder(ObjectNode encoder) {
        String className = ZooEncoder.class.getName();
        return className.equals(encoder.path(StableTypeNames.CLASS_PROPERTY).asText())
                || EncoderTypeResolver.NAMES.nameOf(className).equals(encoder.path(StableTypeNames.NAME_PROPERTY)
                        .asText());
    }
}
