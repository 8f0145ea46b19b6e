package io.github.mdunet.core.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The components in which two records of one class differ, one line each, {@code "encoder.depth: 2 in the checkpoint,
 * 3 now"}: a component that is itself a record of one class on both sides is compared component by component, so
 * the line names the innermost field that changed.
 */
public final class RecordChanges {

    private RecordChanges() {
    }

    /**
     * Each component of {@code now} that differs from {@code saved}'s, named by its path below {@code prefix} (empty
     * for none); {@code saved} is the checkpoint's.
     *
     * @throws IllegalArgumentException when the two are not records of one class
     */
    public static List<String> between(String prefix, Record saved, Record now) {
        if (saved.getClass() != now.getClass()) {
            throw new IllegalArgumentException("records of two classes: " + saved.getClass().getName() + " and "
                    + now.getClass().getName());
        }
        List<String> changes = new ArrayList<>();
        for (RecordComponent component : saved.getClass().getRecordComponents()) {
            String name = prefix.isEmpty() ? component.getName() : prefix + "." + component.getName();
            Object before = value(component, saved);
            Object after = value(component, now);
            if (Objects.equals(before, after)) {
                continue;
            }
            if (before instanceof Record savedPart && after instanceof Record nowPart
                    && savedPart.getClass() == nowPart.getClass()) {
                List<String> inner = between(name, savedPart, nowPart);
                if (!inner.isEmpty()) {
                    changes.addAll(inner);
                    continue;
                }
            }
            changes.add(name + ": " + before + " in the checkpoint, " + after + " now");
        }
        return changes;
    }

    private static Object value(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + record.getClass().getSimpleName() + "."
                    + component.getName(), e);
        }
    }
}
