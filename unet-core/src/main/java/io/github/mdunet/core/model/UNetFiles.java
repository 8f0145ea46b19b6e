package io.github.mdunet.core.model;

import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.graph.UNetGraphFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ServiceLoader;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The U-Net file format: a DL4J {@code ModelSerializer} zip with one more entry, {@value #CONFIG_ENTRY}, holding
 * {@code {"formatVersion": 3, "config": <UNetConfig as JSON>}}. Files without that entry are plain DL4J models.
 *
 * <p>Versions: 1, the first; 2, where {@code RESNET50} names the reference layout and DL4J's own is
 * {@code RESNET50_DL4J}; 3, where the configuration names its {@code layers} (older files: {@code STOCK}). Older
 * files are brought to the current version by the registered {@link ConfigMigration}s.
 */
final class UNetFiles {

    static final String CONFIG_ENTRY = "mdunet-config.json";
    static final int FORMAT_VERSION = 3;
    static final int OLDEST_READABLE_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private UNetFiles() {
    }

    static void save(UNet unet, Path file, boolean saveUpdater) throws IOException {
        Path target = file.toAbsolutePath();
        Path directory = target.getParent();
        Files.createDirectories(directory);
        // Not Files.createTempFile: its owner-only permissions would carry over to the saved model.
        Path temporary = directory.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".partial");
        try {
            ModelSerializer.writeModel(unet.graph(), temporary.toFile(), saveUpdater);
            try (FileSystem zip = FileSystems.newFileSystem(temporary)) {
                // A flat entry name: ModelSerializer refuses zips with directory entries.
                Files.writeString(zip.getPath(CONFIG_ENTRY), toJson(unet.config()));
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    static UNet load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no U-Net model file there");
        }
        UNetConfig config = readConfig(file);
        ComputationGraph graph = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        return new UNet(config, UNetGraphFactory.plan(config), graph);
    }

    static String toJson(UNetConfig config) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.set("config", JSON.valueToTree(config));
        return JSON.writeValueAsString(root);
    }

    static UNetConfig fromJson(String json, Path source) throws IOException {
        JsonNode root = JSON.readTree(json);
        int version = root.path("formatVersion").asInt(-1);
        if (version < OLDEST_READABLE_VERSION || version > FORMAT_VERSION) {
            throw new IOException(source + ": entry " + CONFIG_ENTRY + " has formatVersion " + version
                    + " but this version of mdunet reads formatVersion " + OLDEST_READABLE_VERSION + " to "
                    + FORMAT_VERSION + (version > FORMAT_VERSION ? ": load it with a newer mdunet" : ""));
        }
        if (!(root.get("config") instanceof ObjectNode config)) {
            throw new IOException(source + ": entry " + CONFIG_ENTRY + " has no \"config\" object");
        }
        for (int step = version; step < FORMAT_VERSION; step++) {
            for (ConfigMigration migration : ServiceLoader.load(ConfigMigration.class)) {
                migration.upgrade(step, config);
            }
        }
        return JSON.treeToValue(config, UNetConfig.class);
    }

    private static UNetConfig readConfig(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(CONFIG_ENTRY);
            if (entry == null) {
                throw new IOException(file + " has no entry " + CONFIG_ENTRY + ": it was not saved by UNet.save. "
                        + "Load a plain DL4J model with ModelSerializer.restoreComputationGraph instead.");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8), file);
            }
        }
    }
}
