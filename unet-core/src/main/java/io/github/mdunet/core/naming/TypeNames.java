package io.github.mdunet.core.naming;

import java.util.Map;

/**
 * What a module registers with {@link java.util.ServiceLoader} to give its types of one family stable JSON names,
 * e.g. {@code "classic"} for the classic encoder. A name must never change once files carry it.
 *
 * @param <T> the family's base type
 */
public interface TypeNames<T> {

    /** This module's types of the family by their stable name. */
    Map<String, Class<? extends T>> types();
}
