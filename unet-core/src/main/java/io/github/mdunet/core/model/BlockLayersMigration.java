package io.github.mdunet.core.model;

import io.github.mdunet.core.blocks.BlockLayers;

/**
 * Keeps models saved before file format 3 on the layers they were built with: their configuration has no
 * {@code layers} field, and they get {@link BlockLayers#STOCK} (DL4J's built-in and SameDiff layers), while new
 * configurations default to {@link BlockLayers#FUSED}.
 */
public final class BlockLayersMigration extends AddedFieldMigration {

    static final String FIELD = "layers";

    public BlockLayersMigration() {
        super(2, FIELD, BlockLayers.STOCK);
    }
}
