package io.github.mdunet.core.naming;

import java.io.IOException;
import org.nd4j.shade.jackson.annotation.JsonTypeInfo;
import org.nd4j.shade.jackson.databind.DatabindContext;
import org.nd4j.shade.jackson.databind.JavaType;
import org.nd4j.shade.jackson.databind.jsontype.impl.TypeIdResolverBase;

/**
 * Writes a value's type as its stable name (see {@link StableTypeNames}), or its class name when it has none, and
 * reads either back. A family's base type names its subclass in
 * {@code @JsonTypeInfo(use = CUSTOM, property = StableTypeNames.NAME_PROPERTY) @JsonTypeIdResolver(...)}.
 *
 * @param <T> the family's base type
 */
public abstract class StableTypeNameResolver<T> extends TypeIdResolverBase {

    private final StableTypeNames<T> names;

    protected StableTypeNameResolver(StableTypeNames<T> names) {
        this.names = names;
    }

    @Override
    public String idFromValue(Object value) {
        return names.nameOf(value.getClass().getName());
    }

    @Override
    public String idFromValueAndType(Object value, Class<?> suggestedType) {
        return names.nameOf((value != null ? value.getClass() : suggestedType).getName());
    }

    @Override
    public JavaType typeFromId(DatabindContext context, String id) throws IOException {
        try {
            return context.constructType(names.typeOf(id, context.getTypeFactory()::findClass));
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public JsonTypeInfo.Id getMechanism() {
        return JsonTypeInfo.Id.CUSTOM;
    }
}
