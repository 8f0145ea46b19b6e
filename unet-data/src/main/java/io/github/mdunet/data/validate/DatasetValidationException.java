package io.github.mdunet.data.validate;

import java.util.List;
import java.util.stream.Collectors;

/** A dataset with errors, thrown with the full list (not just the first) so that one run shows everything to fix. */
public class DatasetValidationException extends RuntimeException {

    private final List<Problem> problems;

    public DatasetValidationException(String what, List<Problem> problems) {
        super(what + ": " + problems.stream().filter(Problem::isError).count() + " error(s)\n  "
                + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, errors and warnings. */
    public List<Problem> problems() {
        return problems;
    }
}
