package io.github.mdunet.core.model;

import io.github.mdunet.core.config.Loss;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Gives files of format 1 saved before the configuration had a {@code loss} the loss they trained with, the head's
 * own ({@link Loss.HeadDefault}); every later file records its loss, and a configuration built in code must name one.
 */
public final class LossMigration implements ConfigMigration {

    static final String FIELD = "loss";

    @Override
    public void upgrade(int fromVersion, ObjectNode config) {
        if (fromVersion == 1 && !config.hasNonNull(FIELD)) {
            config.putObject(FIELD).put("type", "headDefault");
        }
    }
}
