package io.github.mdunet.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** A command's options with the values it ran with (given or default), for a report of the run. */
final class OptionValues {

    private static final Set<String> LEFT_OUT = Set.of("--help", "--version", "--verbose");

    private OptionValues() {
    }

    /** Each option's longest name and its value, in the order declared; unset options without a default left out. */
    static Map<String, String> of(CommandSpec spec) {
        Map<String, String> values = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            if (LEFT_OUT.contains(option.longestName())) {
                continue;
            }
            Object value = option.getValue();
            if (value != null) {
                values.put(option.longestName(), value instanceof List<?> list ? String.join(",",
                        list.stream().map(String::valueOf).toList()) : String.valueOf(value));
            }
        }
        return values;
    }
}
