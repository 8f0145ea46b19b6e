package io.github.mdunet.runtime.testing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * System properties as they were when saved, put back on {@link #close()} (cleared where they were unset), for a test
 * that sets the flags a class reads: {@code try (SavedProperties saved = SavedProperties.of(A, B)) { ... }}.
 */
public final class SavedProperties implements AutoCloseable {

    private final List<String> names;
    private final Map<String, String> values = new HashMap<>();

    private SavedProperties(List<String> names) {
        this.names = names;
        names.forEach(name -> values.put(name, System.getProperty(name)));
    }

    /** Saves the values of {@code names} now. */
    public static SavedProperties of(String... names) {
        return new SavedProperties(List.of(names));
    }

    /** Puts every saved property back as it was. */
    @Override
    public void close() {
        for (String name : names) {
            String value = values.get(name);
            if (value == null) {
                System.clearProperty(name);
            } else {
                System.setProperty(name, value);
            }
        }
    }
}
