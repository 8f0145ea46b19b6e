package io.github.mdunet.core.encoder;

import java.io.IOException;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;
import org.nd4j.shade.jackson.databind.DatabindContext;
import org.nd4j.shade.jackson.databind.JavaType;
import org.nd4j.shade.jackson.databind.jsontype.impl.TypeIdResolverBase;

/**
 * Writes an {@link Encoder}'s type as its registered stable name ({@link EncoderNames}), or its class name when it
 * has none, and reads either back. Class names are still read so that configurations written before the names
 * (and user encoders without one) load.
 */
public final class EncoderTypeResolver extends TypeIdResolverBase {

    /** The registered names, from every {@link EncoderNames} on the class path, sorted. */
    public static Map<String, Class<? extends Encoder>> registered() {
        Map<String, Class<? extends Encoder>> names = new TreeMap<>();
        for (EncoderNames provider : ServiceLoader.load(EncoderNames.class, EncoderNames.class.getClassLoader())) {
            provider.types().forEach((name, type) -> {
                Class<? extends Encoder> other = names.putIfAbsent(name, type);
                if (other != null && other != type) {
                    throw new IllegalStateException("encoder name '" + name + "' is registered for both "
                            + other.getName() + " and " + type.getName() + ": give each encoder its own name");
                }
            });
        }
        return names;
    }

    /** The name {@code type} is saved under: its registered name, else its class name. */
    public static String nameOf(Class<?> type) {
        return nameOf(type.getName());
    }

    /** The name the class called {@code className} is saved under: its registered name, else {@code className}. */
    public static String nameOf(String className) {
        for (Map.Entry<String, Class<? extends Encoder>> entry : registered().entrySet()) {
            if (entry.getValue().getName().equals(className)) {
                return entry.getKey();
            }
        }
        return className;
    }

    @Override
    public String idFromValue(Object value) {
        return nameOf(value.getClass());
    }

    @Override
    public String idFromValueAndType(Object value, Class<?> suggestedType) {
        return nameOf(value != null ? value.getClass() : suggestedType);
    }

    @Override
    public JavaType typeFromId(DatabindContext context, String id) throws IOException {
        Map<String, Class<? extends Encoder>> names = registered();
        Class<?> type = names.get(id);
        if (type == null) {
            try {
                type = context.getTypeFactory().findClass(id);
            } catch (ClassNotFoundException | RuntimeException e) {
                throw new IOException("unknown encoder type '" + id + "': expected one of " + names.keySet()
                        + " or the class name of an Encoder on the class path", e);
            }
            if (!Encoder.class.isAssignableFrom(type)) {
                throw new IOException("encoder type '" + id + "' names " + type.getName() + ", which is not an"
                        + " Encoder: expected one of " + names.keySet() + " or an Encoder's class name");
            }
        }
        return context.constructType(type);
    }

    @Override
    public JsonTypeInfo.Id getMechanism() {
        return JsonTypeInfo.Id.CUSTOM;
    }
}
