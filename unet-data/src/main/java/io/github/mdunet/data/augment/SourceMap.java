package io.github.mdunet.data.augment;

/**
 * Where each output pixel samples its source: the source point (continuous, pixel {@code i} covering
 * {@code [i, i+1)}) of output pixel {@code (x, y)}'s centre. An affine {@link Geometry}, or one with a smooth
 * displacement of the output pixels on top ({@link DisplacedGeometry}). Image and mask sampled through one map stay
 * aligned.
 */
public sealed interface SourceMap permits Geometry, DisplacedGeometry {

    /** Source x of output pixel {@code (x, y)}'s centre. */
    double pixelSourceX(int x, int y);

    /** Source y of output pixel {@code (x, y)}'s centre. */
    double pixelSourceY(int x, int y);

    /** The affine map this one applies last: itself for a {@link Geometry}. */
    Geometry affinePart();

    /** This map followed by {@code next} on the source points (e.g. onto a rescaled source). */
    SourceMap then(Geometry next);
}
