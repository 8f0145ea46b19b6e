package io.github.mdunet.data.validate;

import io.github.mdunet.data.folder.Problem;
import io.github.mdunet.data.folder.SamplePair;
import io.github.mdunet.data.image.BadFileException;
import io.github.mdunet.data.image.ExifOrientation;
import io.github.mdunet.data.image.ImageFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Photos whose orientation tag turns them without changing their size: orientations 2 to 4 (mirrored or rotated 180
 * degrees), and any orientation of a square photo. The photo is read upright, so its mask must be drawn on the
 * upright photo, as viewers show it; a mask drawn on the stored pixels (by a tool that ignores the tag) has the same
 * size and is misaligned, which no size check sees. (When the orientation swaps the sides of a photo that is not
 * square, the size check tells the two apart; a mask that carries the same tag, a TIFF, is turned as its photo is.)
 */
final class MaskOrientations {

    /** How many photos the warning names before it counts the rest. */
    private static final int NAMED = 5;

    private MaskOrientations() {
    }

    /** One warning on {@code folder} naming the usable pairs whose mask's alignment the sizes cannot confirm. */
    static Optional<Problem> unconfirmed(Path folder, List<SamplePair> pairs) {
        List<String> turned = pairs.parallelStream().map(MaskOrientations::unconfirmed).flatMap(Optional::stream)
                .sorted().toList();
        if (turned.isEmpty()) {
            return Optional.empty();
        }
        String named = turned.stream().limit(NAMED).collect(Collectors.joining("; "))
                + (turned.size() > NAMED ? "; and " + (turned.size() - NAMED) + " more" : "");
        return Optional.of(Problem.warning(folder, turned.size() + " photo(s) turned by their orientation tag"
                + " without a change of size (" + named + "): they are read upright, as viewers show them, and their"
                + " masks' sizes cannot show whether each was drawn on the upright photo or on its stored pixels (by a"
                + " tool that ignores the tag, then misaligned); look at one mask over its photo in a viewer that"
                + " applies the tag, and if they disagree, turn the masks as the tags say or strip the tags (e.g."
                + " exiftool -Orientation= FILE)"));
    }

    /** {@code images/a.jpg: 3, rotated 180 degrees} when the pair's alignment is unconfirmed, else empty. */
    private static Optional<String> unconfirmed(SamplePair pair) {
        try {
            ImageFiles.Header image = ImageFiles.readHeader(pair.input());
            ExifOrientation orientation = image.orientation();
            boolean square = image.width() == image.height();
            if (orientation == ExifOrientation.TOP_LEFT || orientation.swapsSides() && !square
                    || ImageFiles.readHeader(pair.target()).orientation() == orientation) {
                return Optional.empty();
            }
            return Optional.of(Problem.shortName(pair.input()) + ": " + orientation.tagValue() + ", "
                    + orientation.description() + (square && orientation.swapsSides() ? ", square" : ""));
        } catch (BadFileException e) {
            return Optional.empty(); // the pair's own check has reported it
        }
    }
}
