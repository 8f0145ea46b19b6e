package io.github.mdunet.data.augment;

import java.io.Serializable;

/**
 * A random elastic deformation of each sample, as MONAI's {@code Rand2DElastic} and the {@code elasticdeform} package
 * make it: random offsets at control points {@code spacing} output pixels apart, interpolated between them with
 * cubic B-splines into a smooth displacement of every output pixel. Image and mask (or target) are sampled through
 * the same displaced points, so they stay aligned; masks stay nearest-neighbour.
 *
 * @param magnitude the standard deviation of each control point's offset along x and along y, in output pixels;
 *                  0 for none. The B-splines smooth the offsets, so pixels move by about 0.6 of it (root mean square
 *                  per axis)
 * @param spacing   the distance between control points in output pixels, 4 or more: the deformation's scale
 */
public record ElasticDeformation(double magnitude, int spacing) implements Serializable {

    /** The spacing when none is given: about a tenth of a 256-pixel input, as MONAI's examples space theirs. */
    public static final int DEFAULT_SPACING = 32;

    /** No deformation. */
    public static final ElasticDeformation NONE = new ElasticDeformation(0, DEFAULT_SPACING);

    public ElasticDeformation {
        if (!(magnitude >= 0) || !Double.isFinite(magnitude)) {
            throw new IllegalArgumentException("ElasticDeformation.magnitude must be a finite number >= 0 (pixels)"
                    + " but was " + magnitude);
        }
        if (spacing < 4) {
            throw new IllegalArgumentException("ElasticDeformation.spacing must be >= 4 pixels but was " + spacing);
        }
    }

    /** Whether this deforms nothing. */
    public boolean isNone() {
        return magnitude == 0;
    }
}
