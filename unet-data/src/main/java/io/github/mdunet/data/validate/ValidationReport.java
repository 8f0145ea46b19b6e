package io.github.mdunet.data.validate;

import io.github.mdunet.data.folder.Problem;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.folder.Split;
import io.github.mdunet.data.folder.Splits;
import io.github.mdunet.data.stats.MaskClassCounts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The result of a validation pass.
 *
 * @param training   usable training pairs (all pairs of the training folders, before a {@code BySeed} split)
 * @param validation usable pairs of the validation folders ({@code Split.ByFolder}), else empty
 * @param problems   every problem found, errors and warnings, folder problems first, then by file
 * @param checked    number of pairs whose files were opened
 * @param millis     wall time of the pass
 * @param maskCounts the class pixels of each mask read (by the mask's path; segmentation only, else empty), so that
 *                   a split's class frequencies need no second reading
 */
public record ValidationReport(List<SamplePair> training, List<SamplePair> validation, List<Problem> problems,
                               int checked, long millis, Map<Path, MaskClassCounts> maskCounts) {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ValidationReport.class);

    public ValidationReport {
        training = List.copyOf(training);
        validation = List.copyOf(validation);
        problems = List.copyOf(problems);
        maskCounts = Map.copyOf(maskCounts);
    }

    /** A report without class counts (image-to-image pairs). */
    public ValidationReport(List<SamplePair> training, List<SamplePair> validation, List<Problem> problems,
                            int checked, long millis) {
        this(training, validation, problems, checked, millis, Map.of());
    }

    /** This report with the class pixels of each mask read. */
    public ValidationReport withMaskCounts(Map<Path, MaskClassCounts> counts) {
        return new ValidationReport(training, validation, problems, checked, millis, counts);
    }

    /** This report with {@code problem}, a folder's, listed before the files' problems. */
    public ValidationReport withFolderProblem(Problem problem) {
        List<Problem> all = new ArrayList<>(problems.size() + 1);
        all.add(problem);
        all.addAll(problems);
        return new ValidationReport(training, validation, all, checked, millis, maskCounts);
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

    /**
     * Applies {@code policy} and splits what is usable: {@code FAIL} throws a {@link DatasetValidationException}
     * listing every problem; {@code SKIP} leaves out bad samples and logs each. Either way a dataset without a usable
     * training sample throws, and so does a split that would leave no training or no validation sample: a
     * {@code BySeed} split of fewer than 2 usable samples, or {@code ByFolder} folders without a usable pair.
     *
     * @param dataset the dataset's name for messages, e.g. its folders
     * @throws DatasetValidationException naming the dataset, what is missing and the fix, with every problem found
     */
    public Splits.Parts usableParts(String dataset, BadSamplePolicy policy, Split split) {
        if (policy == BadSamplePolicy.FAIL || training().isEmpty()) {
            throwIfErrors(dataset);
        }
        for (Problem problem : problems) {
            LOG.warn("{}{}", problem.isError() ? "skipped: " : "", problem);
        }
        if (training().isEmpty()) {
            throw new DatasetValidationException(dataset + " has no usable training sample", problems);
        }
        if (split instanceof Split.ByFolder byFolder && validation().isEmpty()) {
            // Under SKIP every pair of the validation folder can be bad: say so, not that no split was configured.
            throw new DatasetValidationException(dataset + " has no usable validation sample in "
                    + byFolder.inputs() + " + " + byFolder.targets(), problems);
        }
        if (split instanceof Split.BySeed bySeed && training().size() < 2) {
            throw tooFewToSplit(dataset, bySeed);
        }
        LOG.info("{}: {}", dataset, toString().lines().findFirst().orElse(""));
        return Splits.apply(split, training(), validation());
    }

    /**
     * One usable sample, which a {@code BySeed} split cannot divide: below 0.5 it holds out none (and a run would fail
     * for want of validation once it had started), from 0.5 on it leaves none to train on.
     */
    private DatasetValidationException tooFewToSplit(String dataset, Split.BySeed bySeed) {
        int usable = training().size();
        double fraction = bySeed.validationFraction();
        int held = Splits.heldOutCount(usable, fraction);
        long leftOut = errors().size();
        return new DatasetValidationException(dataset + " has " + usable + " usable sample"
                + (leftOut > 0 ? " (" + leftOut + " left out as bad, listed below)" : "") + ", too few for"
                + " Split.BySeed(validationFraction " + fraction + "; --validation-fraction on the command line):"
                + " round(" + fraction + " x " + usable + ") = " + held + " would be held out for validation, "
                + (held == 0 ? "which needs one, and training one more" : "leaving none for training")
                + "; add samples," + (leftOut > 0 ? " fix the files left out," : "")
                + " or validate on folders of their own (Split.ByFolder; --val-data on the command line)", problems);
    }

    @Override
    public String toString() {
        // Without validation folders there is no training side yet (a BySeed split comes after): "40 usable".
        String usable = validation.isEmpty() ? training.size() + " usable"
                : training.size() + " training + " + validation.size() + " validation usable";
        return checked + " pairs checked in " + millis + " ms: " + usable + ", " + errors().size() + " error(s), "
                + warnings().size() + " warning(s)"
                + (problems.isEmpty() ? "" : "\n  " + problems.stream().map(Problem::toString)
                .collect(Collectors.joining("\n  ")));
    }
}
