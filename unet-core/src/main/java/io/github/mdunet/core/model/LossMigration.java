package io.github.mdunet.core.model;

import io.github.mdunet.core.config.Loss;
import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.naming.StableTypeNames;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Gives files of format 1 saved before the configuration had a {@code loss} the loss they trained with, the head's
 * own ({@link Loss.HeadDefault}); every later file records its loss, and a configuration built in code must name one.
 */
public final class LossMigration implements ConfigMigration {

    @Override
    public void upgrade(int fromVersion, ObjectNode config) {
        if (fromVersion == 1 && !config.hasNonNull(UNetConfig.LOSS_FIELD)) {
            config.putObject(UNetConfig.LOSS_FIELD).put(StableTypeNames.NAME_PROPERTY, Loss.HEAD_DEFAULT);
        }
    }
}
