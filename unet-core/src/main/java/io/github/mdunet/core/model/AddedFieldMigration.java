package io.github.mdunet.core.model;

import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The migration of an enum field that a format version added: files saved in the version before, whose configuration
 * lacks the field, get the constant they were built with, not the default of new configurations.
 */
abstract class AddedFieldMigration implements ConfigMigration {

    private final int versionWithout;
    private final String field;
    private final Enum<?> builtWith;

    /**
     * @param versionWithout the last format version without {@code field}
     * @param builtWith      what files of that version were built with
     */
    AddedFieldMigration(int versionWithout, String field, Enum<?> builtWith) {
        this.versionWithout = versionWithout;
        this.field = field;
        this.builtWith = builtWith;
    }

    @Override
    public final void upgrade(int fromVersion, ObjectNode config) {
        if (fromVersion == versionWithout && !config.has(field)) {
            config.put(field, builtWith.name());
        }
    }
}
