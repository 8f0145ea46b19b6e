package io.github.mdunet.tuning.memory;

import io.github.mdunet.core.checks.Checks;
import io.github.mdunet.core.nativememory.NativeMemoryLimits;
import java.io.PrintStream;
import java.util.Optional;
import org.bytedeco.javacpp.Pointer;

/**
 * A training run's estimated memory against JavaCPP's native memory limit ({@code maxPhysicalBytes}: the resident
 * memory, heap included, at which an allocation fails): what an app says before its first step, so that a run that
 * cannot fit is named before it fails there, with the fixes.
 *
 * @param estimate   the estimate of one model copy's training step at the run's batch size
 * @param copies     the model copies that train at once (data-parallel workers), >= 1
 * @param usedBytes  the process's resident memory now, which the copies come on top of
 * @param limitBytes the limit; 0 (or less) when there is none
 */
public record MemoryHeadroom(MemoryEstimate estimate, int copies, long usedBytes, long limitBytes) {

    public MemoryHeadroom {
        Checks.requireSet("estimate", estimate, "a MemoryEstimator's estimate of the run's configuration");
        Checks.atLeast("copies", copies, 1);
    }

    /** {@code estimate} for {@code copies} model copies against this process's resident memory and limit now. */
    public static MemoryHeadroom now(MemoryEstimate estimate, int copies) {
        return new MemoryHeadroom(estimate, copies, Pointer.physicalBytes(), Pointer.maxPhysicalBytes());
    }

    /** The estimated training memory of all copies. */
    public long neededBytes() {
        return estimate.total() * copies;
    }

    /**
     * Whether the copies fit under the limit beside what the process holds; true without a limit, and for a data
     * type whose estimate no measurement backs (DOUBLE: {@link MemoryEstimate#budgetCheckable()}).
     */
    public boolean fits() {
        return limitBytes <= 0 || !estimate.budgetCheckable() || usedBytes + neededBytes() <= limitBytes;
    }

    /** One line for the run's start: the estimate, what is in use and the limit. */
    public String line() {
        String copiesText = copies == 1 ? ""
                : " (" + copies + " model copies x " + MemoryBudget.format(estimate.total()) + ")";
        return "Training memory: about " + MemoryBudget.format(neededBytes()) + " estimated" + copiesText
                + (estimate.withinCalibration() ? "" : ", outside the estimator's calibration")
                + (estimate.budgetCheckable() ? "" : " (" + estimate.dataType() + ": not judged, see the tune plan)")
                + "; " + MemoryBudget.format(usedBytes) + " in use, native memory limit "
                + (limitBytes <= 0 ? "none" : MemoryBudget.format(limitBytes));
    }

    /** Prints {@link #line()} and, for a run that does not fit, its {@link #warning}, on {@code out}. */
    public void report(PrintStream out, String batchOption) {
        out.println(line());
        warning(batchOption).ifPresent(out::println);
    }

    /**
     * The warning for a run that does not {@link #fits() fit}: the figures and the fixes; empty for one that does.
     *
     * @param batchOption the app's option for the batch size, e.g. {@code --batch}
     */
    public Optional<String> warning(String batchOption) {
        if (fits()) {
            return Optional.empty();
        }
        return Optional.of("warning: the training step is estimated at " + MemoryBudget.format(neededBytes())
                + ", which with the " + MemoryBudget.format(usedBytes) + " this process holds is over its native"
                + " memory limit of " + MemoryBudget.format(limitBytes) + " ("
                + NativeMemoryLimits.MAX_PHYSICAL_BYTES_PROPERTY + "): it will likely stop with an out-of-memory"
                + " error in its first steps. Lower " + batchOption + (copies == 1 ? "" : " or the workers")
                + ", or raise the limit if the machine has the memory (-D"
                + NativeMemoryLimits.MAX_PHYSICAL_BYTES_PROPERTY + "=...). The estimate's measured errors are in"
                + " unet-tuning's README" + (estimate.withinCalibration() ? "" : "; this configuration is outside its"
                + " calibration (mdunet plan lists how)") + ".");
    }
}
