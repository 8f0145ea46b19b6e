package io.github.mdunet.core.model;

import io.github.mdunet.core.config.UNetConfig;
import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.graph.UNetGraphFactory;
import io.github.mdunet.core.predict.ImageFraming;
import io.github.mdunet.core.predict.Mirror;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.SerializationFeature;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The U-Net file format: a DL4J {@code ModelSerializer} zip (written by {@link ModelZip}, its arrays stored
 * without compression) with one more entry, {@value #CONFIG_ENTRY}, holding
 * {@code {"formatVersion": 6, "config": <UNetConfig as JSON>}} and, when the trainer recorded it,
 * {@code "trainedFraming": "TILES"} or {@code "RESIZE"} ({@link ImageFraming}), {@code "trainedScale": 0.5} (the
 * scale of the training crops), {@code "trainedMirrors": ["LEFT_RIGHT"]} (the mirror images training showed) and, for
 * a super-resolution model, {@code "trainedUpscale": 2} (the factor its training inputs were upscaled by;
 * {@code UNet.trainedUpscale()}) and
 * {@code "trainedSignificantBits": 12} (the bits of its training images' 16-bit samples that held their values;
 * {@code UNet.trainedSignificantBits()}).
 * Readers that do not know these fields ignore them, and files without them load with none recorded. Files without
 * that entry are plain DL4J models.
 *
 * <p>Versions: 1, the first (its earliest files have no {@code loss}: they trained with the head's own,
 * {@link LossMigration}); 2, where {@code RESNET50} names the reference layout and DL4J's own is
 * {@code RESNET50_DL4J}; 3, where the configuration names its {@code layers} (older files: {@code STOCK}); 4, where
 * the encoder is saved under a stable name ({@code "type": "classic"}) rather than its Java class name; 5, where
 * the perceptual loss's feature extractor is too ({@code "type": "vgg16"}); 6, where the configuration names its
 * {@code decoderLayout} (older files: {@code FORMATS_1_TO_5}, {@link DecoderLayoutMigration}). Older files are
 * brought to the current version by the registered {@link ConfigMigration}s.
 */
final class UNetFiles {

    static final String CONFIG_ENTRY = "mdunet-config.json";
    static final String TRAINED_FRAMING = "trainedFraming";
    static final String TRAINED_SCALE = "trainedScale";
    static final String TRAINED_MIRRORS = "trainedMirrors";
    static final String TRAINED_UPSCALE = "trainedUpscale";
    static final String TRAINED_SIGNIFICANT_BITS = "trainedSignificantBits";
    static final int FORMAT_VERSION = 6;
    static final int OLDEST_READABLE_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private UNetFiles() {
    }

    static void save(UNet unet, Path file, boolean saveUpdater, AtomicFiles files) throws IOException {
        // A flat entry name: ModelSerializer refuses zips with directory entries.
        files.write(file, temporary -> ModelZip.write(unet.graph(), saveUpdater,
                Map.of(CONFIG_ENTRY, toJson(unet.config(), unet.trainingRecord())), temporary));
    }

    static UNet load(Path file) throws IOException {
        String json = checkedConfigEntry(file);
        UNetConfig config = fromJson(json, file);
        TrainingRecord record = trainingRecordOf(json, file);
        ComputationGraph graph;
        try {
            graph = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": the network in this U-Net model file cannot be restored (" + describe(e)
                    + "); the file is damaged or truncated: save the model again, or use another copy", e);
        }
        if (graph == null) {
            throw new IOException(file + ": holds no DL4J network (ModelSerializer restored nothing); the file is"
                    + " damaged: save the model again, or use another copy");
        }
        return new UNet(config, UNetGraphFactory.plan(config), graph, record);
    }

    /** The recorded upscaling factor of a saved U-Net, from its configuration entry alone. */
    static OptionalInt recordedUpscale(Path file) throws IOException {
        String json = checkedConfigEntry(file);
        fromJson(json, file);
        return trainedUpscaleOf(JSON.readTree(json), file);
    }

    private static String checkedConfigEntry(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no U-Net model file there");
        }
        return readConfigEntry(file);
    }

    /** The root cause of {@code e}, for a message: {@code EOFException} when it says no more than that. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** The configuration's JSON alone, as {@link #toJson} stores it under {@code "config"}. */
    static String configJson(UNetConfig config) throws IOException {
        return JSON.writeValueAsString(JSON.valueToTree(config));
    }

    static String toJson(UNetConfig config) throws IOException {
        return toJson(config, TrainingRecord.NONE);
    }

    /** The entry's JSON: the configuration and the fields {@code record} holds. */
    static String toJson(UNetConfig config, TrainingRecord record) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("formatVersion", FORMAT_VERSION);
        root.set("config", JSON.valueToTree(config));
        record.framing().ifPresent(framing -> root.put(TRAINED_FRAMING, framing.name()));
        record.scale().ifPresent(scale -> root.put(TRAINED_SCALE, scale));
        record.mirrors().ifPresent(mirrors -> {
            ArrayNode names = root.putArray(TRAINED_MIRRORS);
            TrainingRecord.sorted(mirrors).forEach(mirror -> names.add(mirror.name()));
        });
        record.upscale().ifPresent(factor -> root.put(TRAINED_UPSCALE, factor));
        record.significantBits().ifPresent(bits -> root.put(TRAINED_SIGNIFICANT_BITS, bits));
        return JSON.writeValueAsString(root);
    }

    /** The training record of an entry {@link #fromJson} accepted. */
    static TrainingRecord trainingRecordOf(String json, Path source) throws IOException {
        JsonNode root = JSON.readTree(json);
        return new TrainingRecord(trainedFramingOf(root, source), trainedScaleOf(root, source),
                trainedMirrorsOf(root, source), trainedUpscaleOf(root, source),
                recordedWholeNumber(root, source, TRAINED_SIGNIFICANT_BITS, 1, 16));
    }

    private static OptionalDouble trainedScaleOf(JsonNode root, Path source) throws IOException {
        JsonNode field = root.get(TRAINED_SCALE);
        if (field == null || field.isNull()) {
            return OptionalDouble.empty();
        }
        if (!field.isNumber() || !(field.asDouble() > 0) || !Double.isFinite(field.asDouble())) {
            throw damaged(source, TRAINED_SCALE, field, "a positive number");
        }
        return OptionalDouble.of(field.asDouble());
    }

    private static Optional<Set<Mirror>> trainedMirrorsOf(JsonNode root, Path source) throws IOException {
        JsonNode field = root.get(TRAINED_MIRRORS);
        if (field == null || field.isNull()) {
            return Optional.empty();
        }
        String expected = "a list of " + Arrays.toString(Mirror.values());
        if (!field.isArray()) {
            throw damaged(source, TRAINED_MIRRORS, field, expected);
        }
        Set<Mirror> mirrors = EnumSet.noneOf(Mirror.class);
        for (JsonNode name : field) {
            mirrors.add(Arrays.stream(Mirror.values()).filter(mirror -> mirror.name().equals(name.asText()))
                    .findFirst().orElseThrow(() -> damaged(source, TRAINED_MIRRORS, field, expected)));
        }
        return Optional.of(mirrors);
    }

    /** The error for a recorded field {@code name} that holds {@code field}, not {@code expected}. */
    private static IOException damaged(Path source, String name, JsonNode field, String expected) {
        return new IOException(source + ": entry " + CONFIG_ENTRY + " has \"" + name + "\": " + field
                + " but it must be " + expected + "; the file was edited or damaged: remove the field, or save the"
                + " model again");
    }

    private static OptionalInt trainedUpscaleOf(JsonNode root, Path source) throws IOException {
        return recordedWholeNumber(root, source, TRAINED_UPSCALE, 1, Integer.MAX_VALUE);
    }

    /** The whole number the entry records under {@code name}, {@code min} to {@code max}. */
    private static OptionalInt recordedWholeNumber(JsonNode root, Path source, String name, int min, int max)
            throws IOException {
        JsonNode field = root.get(name);
        if (field == null || field.isNull()) {
            return OptionalInt.empty();
        }
        if (!field.isInt() || field.asInt() < min || field.asInt() > max) {
            String range = max == Integer.MAX_VALUE ? ">= " + min : min + " to " + max;
            throw damaged(source, name, field, "a whole number " + range);
        }
        return OptionalInt.of(field.asInt());
    }

    private static Optional<ImageFraming> trainedFramingOf(JsonNode root, Path source) throws IOException {
        JsonNode field = root.get(TRAINED_FRAMING);
        if (field == null || field.isNull()) {
            return Optional.empty();
        }
        for (ImageFraming framing : ImageFraming.values()) {
            if (framing.name().equals(field.asText())) {
                return Optional.of(framing);
            }
        }
        throw damaged(source, TRAINED_FRAMING, field, "one of " + Arrays.toString(ImageFraming.values()));
    }

    static UNetConfig fromJson(String json, Path source) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IOException(source + ": entry " + CONFIG_ENTRY + " is not valid JSON (" + e.getOriginalMessage()
                    + "); the file is damaged: save the model again, or use another copy", e);
        }
        if (root == null || !root.isObject() || !root.path("formatVersion").isInt()) {
            throw new IOException(source + ": entry " + CONFIG_ENTRY + " has no formatVersion (it holds "
                    + (json.isBlank() ? "nothing" : abbreviate(json)) + "); expected {\"formatVersion\": "
                    + FORMAT_VERSION + ", \"config\": {...}} as UNet.save writes it: save the model again, or use"
                    + " another copy");
        }
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
        try {
            return JSON.treeToValue(config, UNetConfig.class);
        } catch (IOException e) {
            Throwable reason = e.getCause() instanceof IllegalArgumentException invalid ? invalid : e;
            String problem = reason instanceof IllegalArgumentException ? reason.getMessage()
                    : e instanceof org.nd4j.shade.jackson.core.JsonProcessingException invalidJson
                            ? invalidJson.getOriginalMessage() : e.getMessage();
            throw new IOException(source + ": entry " + CONFIG_ENTRY + " (formatVersion " + version + ") holds no valid"
                    + " U-Net configuration: " + problem + ". The file is damaged or was edited: save the model again,"
                    + " or use another copy", e);
        }
    }

    private static String abbreviate(String text) {
        String flat = text.strip().replaceAll("\\s+", " ");
        return flat.length() <= 60 ? flat : flat.substring(0, 57) + "...";
    }

    private static String readConfigEntry(Path file) throws IOException {
        try (ZipFile zip = openZip(file)) {
            ZipEntry entry = zip.getEntry(CONFIG_ENTRY);
            if (entry == null) {
                throw new IOException(file + " has no entry " + CONFIG_ENTRY + ": it was not saved by UNet.save. "
                        + "Load a plain DL4J model with ModelSerializer.restoreComputationGraph instead.");
            }
            String json;
            try (InputStream in = zip.getInputStream(entry)) {
                json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IOException(file + ": entry " + CONFIG_ENTRY + " cannot be read (" + describe(e)
                        + "); the file is damaged or truncated: save the model again, or use another copy", e);
            }
            return json;
        }
    }

    private static ZipFile openZip(Path file) throws IOException {
        try {
            return new ZipFile(file.toFile());
        } catch (ZipException e) {
            long size = Files.size(file);
            String what = size == 0 ? "the file is empty"
                    : startsWithZipSignature(file) ? "a zip archive whose end is missing: truncated, e.g. by a copy or"
                            + " a save that did not finish"
                            : "not a zip archive";
            throw new IOException(file + ": not a U-Net model file: " + what + " (" + size + " bytes; "
                    + e.getMessage() + "). Expected a zip written by UNet.save: check the path, or save the model"
                    + " again", e);
        }
    }

    private static boolean startsWithZipSignature(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        }
    }
}
