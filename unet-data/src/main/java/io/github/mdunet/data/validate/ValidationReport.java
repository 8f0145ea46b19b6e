package io.github.mdunet.data.validate;

import io.github.mdunet.data.folder.SamplePair;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The result of a validation pass.
 *
 * @param training   usable training pairs (all pairs of the training folders, before a {@code BySeed} split)
 * @param validation usable pairs of the validation folders ({@code Split.ByFolder}), else empty
 * @param problems   every problem found, errors and warnings, folder problems first, then by file
 * @param checked    number of pairs whose files were opened
 * @param millis     wall time of the pass
 */
public record ValidationReport(List<SamplePair> training, List<SamplePair> validation, List<Problem> problems,
                               int checked, long millis) {

    public ValidationReport {
        training = List.copyOf(training);
        validation = List.copyOf(validation);
        problems = List.copyOf(problems);
    }

    public List<Problem> errors() {
        return problems.stream().filter(Problem::isError).toList();
    }

    public List<Problem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }

    public boolean hasErrors() {
        return problems.stream().anyMatch(Problem::isError);
    }

    /** Throws a {@link DatasetValidationException} with every problem when there is an error. */
    public ValidationReport throwIfErrors(String dataset) {
        if (hasErrors()) {
            throw new DatasetValidationException(dataset, problems);
        }
        return this;
    }

    @Override
    public String toString() {
        return checked + " pairs checked in " + millis + " ms: " + training.size() + " training + " + validation.size()
                + " validation usable, " + errors().size() + " error(s), " + warnings().size() + " warning(s)"
                + (problems.isEmpty() ? "" : "\n  " + problems.stream().map(Problem::toString)
                .collect(Collectors.joining("\n  ")));
    }
}
