package io.github.mdunet.data.augment;

/**
 * An affine {@link Geometry} after a displacement of the output pixels: output pixel {@code (x, y)} samples the
 * geometry's source point of {@code (x + 0.5 + dx, y + 0.5 + dy)}. The displacement is what an
 * {@link ElasticDeformation} and a {@link PerspectiveWarp} draw, added together.
 *
 * @param geometry the affine map applied after the displacement
 * @param width    the output width ({@code dx} and {@code dy} are row-major over the output)
 * @param dx       each output pixel's displacement along x, in output pixels
 * @param dy       each output pixel's displacement along y, in output pixels
 */
public record DisplacedGeometry(Geometry geometry, int width, float[] dx, float[] dy) implements SourceMap {

    public DisplacedGeometry {
        if (width < 1 || dx.length != dy.length || dx.length % width != 0) {
            throw new IllegalArgumentException("DisplacedGeometry needs two displacement planes of equal length, a"
                    + " multiple of width " + width + ", but had " + dx.length + " and " + dy.length);
        }
    }

    @Override
    public Geometry affinePart() {
        return geometry;
    }

    @Override
    public DisplacedGeometry then(Geometry next) {
        return new DisplacedGeometry(geometry.then(next), width, dx, dy);
    }

    @Override
    public double pixelSourceX(int x, int y) {
        int i = y * width + x;
        return geometry.sourceX(x + 0.5 + dx[i], y + 0.5 + dy[i]);
    }

    @Override
    public double pixelSourceY(int x, int y) {
        int i = y * width + x;
        return geometry.sourceY(x + 0.5 + dx[i], y + 0.5 + dy[i]);
    }
}
