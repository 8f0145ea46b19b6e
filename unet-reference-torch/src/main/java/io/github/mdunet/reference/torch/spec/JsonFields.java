package io.github.mdunet.reference.torch.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Reads the fields of one JSON object strictly: each getter names the object and the field when it is missing or
 * of the wrong type, and {@link #rejectUnknown()} refuses fields that were never read, so that a field the exporter
 * adds (and that would change the network) cannot be ignored silently.
 */
final class JsonFields {

    private final JsonNode node;
    private final String context;
    private final Set<String> read = new LinkedHashSet<>();

    JsonFields(JsonNode node, String context) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(context + " must be a JSON object but was " + node);
        }
        this.node = node;
        this.context = context;
    }

    /** A parser of one exchange file's text. */
    @FunctionalInterface
    interface Parser<T> {
        T parse(String json) throws IOException;
    }

    /** {@code file} read and parsed; a message about its content starts with the file's path. */
    static <T> T readFile(Path file, Parser<T> parser) throws IOException {
        try {
            return parser.parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    String context() {
        return context;
    }

    boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    JsonNode require(String field) {
        read.add(field);
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(context + ": field '" + field + "' is missing");
        }
        return value;
    }

    String string(String field) {
        JsonNode value = require(field);
        if (!value.isTextual()) {
            throw wrongType(field, "a string", value);
        }
        return value.asText();
    }

    int integer(String field) {
        JsonNode value = require(field);
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw wrongType(field, "an integer", value);
        }
        return value.asInt();
    }

    double number(String field) {
        JsonNode value = require(field);
        if (!value.isNumber()) {
            throw wrongType(field, "a number", value);
        }
        return value.asDouble();
    }

    boolean bool(String field) {
        JsonNode value = require(field);
        if (!value.isBoolean()) {
            throw wrongType(field, "true or false", value);
        }
        return value.asBoolean();
    }

    boolean bool(String field, boolean defaultValue) {
        read.add(field);
        return has(field) ? bool(field) : defaultValue;
    }

    int integer(String field, int defaultValue) {
        read.add(field);
        return has(field) ? integer(field) : defaultValue;
    }

    List<String> strings(String field) {
        return array(field, require(field), "an array of strings", JsonNode::isTextual, JsonNode::asText);
    }

    /** An array of numbers, or a single number as a list of one. */
    List<Double> numbers(String field) {
        JsonNode value = require(field);
        if (value.isNumber()) {
            return List.of(value.asDouble());
        }
        return array(field, value, "an array of numbers", JsonNode::isNumber, JsonNode::asDouble);
    }

    /** {@code value}'s items, each of which must pass {@code isItem}, converted; else "field must be {@code what}". */
    private <T> List<T> array(String field, JsonNode value, String what, Predicate<JsonNode> isItem,
                              Function<JsonNode, T> convert) {
        if (!value.isArray()) {
            throw wrongType(field, what, value);
        }
        List<T> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!isItem.test(item)) {
                throw wrongType(field, what, value);
            }
            out.add(convert.apply(item));
        }
        return out;
    }

    JsonFields object(String field) {
        return new JsonFields(require(field), context + "." + field);
    }

    /** Fails when the object has a field that no getter asked for, listing the fields that are understood. */
    void rejectUnknown() {
        List<String> unknown = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!read.contains(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(context + ": unknown field(s) " + unknown
                    + "; the fields understood here are " + read);
        }
    }

    private IllegalArgumentException wrongType(String field, String expected, JsonNode value) {
        return new IllegalArgumentException(context + ": field '" + field + "' must be " + expected
                + " but was " + value);
    }

    /**
     * The string field {@code field} as the one of {@code values} that {@code jsonName} writes that way; else an error
     * naming the field and listing the names understood.
     */
    <E extends Enum<E>> E choice(String field, E[] values, Function<E, String> jsonName) {
        String name = string(field);
        for (E value : values) {
            if (jsonName.apply(value).equals(name)) {
                return value;
            }
        }
        throw new IllegalArgumentException(context + "." + field + ": '" + name + "' is not one of "
                + Arrays.stream(values).map(jsonName).collect(Collectors.joining(", ")));
    }

    /** How network.json writes most enum constants: {@code ICNR_HE_NORMAL} as {@code icnr_he_normal}. */
    static String lowerCase(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
