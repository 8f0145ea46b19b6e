package io.github.mdunet.core.naming;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The stable names of one family of saved types: every {@link TypeNames} of the family on the class path, and the
 * two ways a saved value names its type. A type without a registered name (a user's own) is saved under its class
 * name, which is also how files of older formats named every type.
 *
 * @param <T> the family's base type
 */
public final class StableTypeNames<T> {

    /**
     * The property that holds a saved value's type: its stable name, else its class name. Encoders, feature extractors
     * and losses name it through this constant, which the migrations of older files read.
     */
    public static final String NAME_PROPERTY = "type";
    /** The property that held a saved value's Java class name in older formats. */
    public static final String CLASS_PROPERTY = "@class";

    private final Class<T> base;
    private final Class<? extends TypeNames<T>> service;
    private final String family;

    /**
     * @param base    the family's base type
     * @param service the {@link TypeNames} interface the family's modules register
     * @param family  the family as messages name it, e.g. "encoder"
     */
    public StableTypeNames(Class<T> base, Class<? extends TypeNames<T>> service, String family) {
        this.base = base;
        this.service = service;
        this.family = family;
    }

    /** The registered names, sorted. @throws IllegalStateException when two types claim one name */
    public Map<String, Class<? extends T>> registered() {
        Map<String, Class<? extends T>> names = new TreeMap<>();
        for (TypeNames<T> provider : ServiceLoader.load(service, service.getClassLoader())) {
            provider.types().forEach((name, type) -> {
                Class<? extends T> other = names.putIfAbsent(name, type);
                if (other != null && other != type) {
                    throw new IllegalStateException(family + " name '" + name + "' is registered for both "
                            + other.getName() + " and " + type.getName() + ": give each " + family + " its own name");
                }
            });
        }
        return names;
    }

    /** The name the class called {@code className} is saved under: its registered name, else {@code className}. */
    public String nameOf(String className) {
        for (Map.Entry<String, Class<? extends T>> entry : registered().entrySet()) {
            if (entry.getValue().getName().equals(className)) {
                return entry.getKey();
            }
        }
        return className;
    }

    /**
     * The type a saved value names: a registered name, or the name of a class of the family on the class path.
     *
     * @param findClass loads a class by name (Jackson's type factory, so that its class loader is used)
     * @throws IllegalArgumentException naming {@code id} and the registered names
     */
    public Class<?> typeOf(String id, ClassFinder findClass) {
        Map<String, Class<? extends T>> names = registered();
        Class<?> type = names.get(id);
        if (type != null) {
            return type;
        }
        try {
            type = findClass.find(id);
        } catch (ClassNotFoundException | RuntimeException e) {
            throw new IllegalArgumentException("unknown " + family + " type '" + id + "': expected one of "
                    + names.keySet() + " or the class name of " + article() + " on the class path", e);
        }
        if (!base.isAssignableFrom(type)) {
            throw new IllegalArgumentException(family + " type '" + id + "' names " + type.getName()
                    + ", which is not " + article() + ": expected one of " + names.keySet() + " or "
                    + article() + "'s class name");
        }
        return type;
    }

    private String article() {
        String name = base.getSimpleName();
        return ("AEIOU".indexOf(name.charAt(0)) >= 0 ? "an " : "a ") + name;
    }

    /** Loads a class by name. */
    @FunctionalInterface
    public interface ClassFinder {
        Class<?> find(String className) throws ClassNotFoundException;
    }
}
