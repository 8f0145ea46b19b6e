package io.github.mdunet.core.model;

import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Rewrites the configuration JSON of a file saved in an older format version, one version at a time, so old models
 * load with the meaning they were saved with. The module that owns a renamed or re-meant name registers its
 * migration with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.github.mdunet.core.model.ConfigMigration}); {@link UNet#load} applies every registered
 * migration for each version step between the file's and the current one.
 */
public interface ConfigMigration {

    /**
     * Rewrites {@code config} (the file's {@code "config"} object, in place) from {@code fromVersion} to
     * {@code fromVersion + 1}; leaves it alone when nothing of this migration's concern changed in that step.
     */
    void upgrade(int fromVersion, ObjectNode config);
}
