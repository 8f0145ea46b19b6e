package io.github.mdunet.core.model;

import io.github.mdunet.core.blocks.BlockLayers;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Keeps models saved before file format 3 on the layers they were built with: their configuration has no
 * {@code layers} field, and they get {@link BlockLayers#STOCK} (DL4J's built-in and SameDiff layers), while new
 * configurations default to {@link BlockLayers#FUSED}.
 */
public final class BlockLayersMigration implements ConfigMigration {

    static final String FIELD = "layers";

    @Override
    public void upgrade(int fromVersion, ObjectNode config) {
        if (fromVersion == 2 && !config.has(FIELD)) {
            config.put(FIELD, BlockLayers.STOCK.name());
        }
    }
}
