package io.github.mdunet.data.validate;

import io.github.mdunet.data.folder.Problem;
import java.util.List;
import java.util.stream.Collectors;

/** A dataset with errors, thrown with the full list (not just the first) so that one run shows everything to fix. */
public class DatasetValidationException extends RuntimeException {

    private final String what;
    private final List<Problem> problems;

    /**
     * @param what     what is wrong with the dataset, naming it
     * @param problems every problem found, listed after {@code what} (nothing is listed when there is none)
     */
    public DatasetValidationException(String what, List<Problem> problems) {
        super(problems.isEmpty() ? what : what + ": " + problems.stream().filter(Problem::isError).count()
                + " error(s)\n  " + problems.stream().map(Problem::toString).collect(Collectors.joining("\n  ")));
        this.what = what;
        this.problems = List.copyOf(problems);
    }

    /** What is wrong with the dataset, naming it: the message without the problems listed. */
    public String what() {
        return what;
    }

    /** Every problem found, errors and warnings. */
    public List<Problem> problems() {
        return problems;
    }
}
