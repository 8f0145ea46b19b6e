package io.github.mdunet.app;

import io.github.mdunet.data.folder.Problem;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.image.ClassIdRangeException;
import io.github.mdunet.data.validate.DatasetValidationException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An app's own fix for masks with class ids beyond the classes it reads them for: what a
 * {@link ClassIdRangeException} found (every stray id, the largest among them), worded with the app's options in
 * place of the library's {@code numClasses}. train says {@code --classes N}; evaluate, whose classes are the model's,
 * says which model would read the masks.
 */
public final class ClassIdRemedy {

    private ClassIdRemedy() {
    }

    /**
     * What {@code read} returns (a dataset opened, a mask read); its class-id errors, alone or in a dataset's list,
     * worded with {@code remedy}, the rest as they were.
     *
     * @param remedy the fix for one mask's stray ids, phrased to follow "; " (e.g. "give --classes 6 or more")
     */
    public static <T> T applyTo(Supplier<T> read, Function<ClassIdRangeException, String> remedy) {
        try {
            return read.get();
        } catch (DatasetValidationException e) {
            if (e.problems().stream().noneMatch(problem -> problem.cause() instanceof ClassIdRangeException)) {
                throw e;
            }
            List<Problem> worded = e.problems().stream().map(problem -> problem.cause()
                    instanceof ClassIdRangeException stray ? problem.withMessage(stray.problem(remedy.apply(stray)))
                    : problem).toList();
            DatasetValidationException reworded = new DatasetValidationException(e.what(), worded);
            reworded.initCause(e);
            throw reworded;
        } catch (ClassIdRangeException e) {
            throw new BadFileException(e.file(), e.problem(remedy.apply(e)), e);
        }
    }

    /**
     * The fix of an app that reads masks for {@code --classes}: enough classes for the largest id, or, for ids stored
     * in the masks, {@code --mask-ignore} for those that mark pixels to leave out.
     */
    public static String moreClasses(ClassIdRangeException stray) {
        String classes = "give --classes " + (stray.largestId() + 1) + " or more";
        if (!stray.storedIds()) {
            return classes + ", or map those " + mapped(stray) + " to ids below " + stray.numClasses();
        }
        if (stray.binaryMask().isPresent()) {
            return binaryFix(stray.binaryMask().get()) + "; or, if " + stray.largestId() + " is a class id, "
                    + classes;
        }
        return classes + ", or " + ignoring(stray);
    }

    /**
     * The first fix for a binary mask stored as 0/N: {@code --mask-values 0=0,N=1} (N as an 8-bit grey value), or,
     * for a 16-bit mask, which {@code --mask-values} does not read, saving it in 8 bits. Ignoring N instead would leave
     * every foreground pixel out, and train on the background alone.
     */
    public static String binaryFix(ClassIdRangeException.BinaryMask binary) {
        return binary.valueMap().map(map -> "it looks like a binary mask stored as " + binary.describe()
                        + ", so read " + binary.stored() + " as class 1: --mask-values " + map)
                .orElse("it looks like a binary mask stored as " + binary.describe() + ", which --mask-values does"
                        + " not read: save it as an 8-bit mask of 0 and 1 (or of 0 and 255, read with --mask-values"
                        + " 0=0,255=1)");
    }

    /** What the ids were mapped from, in the option that maps them: "colours ... in --mask-palette". */
    public static String mapped(ClassIdRangeException stray) {
        return stray.mappedFromGreyValues() ? "values in --mask-values" : "colours in --mask-palette";
    }

    /** "--mask-ignore 4,5 if those ids mark pixels to leave out", or the general advice for too many ids to list. */
    public static String ignoring(ClassIdRangeException stray) {
        if (stray.binaryMask().isPresent()) {
            return binaryFix(stray.binaryMask().get());
        }
        String ids = stray.ignoreList();
        return ids.isEmpty() ? "--mask-ignore the values that mark pixels to leave out, if some do"
                : "--mask-ignore " + ids + " if " + (stray.ids().size() == 1 ? "it marks" : "they mark") + " pixels to"
                        + " leave out (as Pascal VOC's 255 borders)";
    }
}
