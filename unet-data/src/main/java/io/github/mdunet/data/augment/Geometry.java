package io.github.mdunet.data.augment;

/**
 * An affine map from output pixel coordinates to source pixel coordinates, both continuous with pixel {@code i}
 * covering {@code [i, i+1)} (its centre at {@code i + 0.5}): {@code xs = a*x + b*y + tx}, {@code ys = c*x + d*y + ty}.
 * Sampling every output pixel centre through one {@code Geometry} is what keeps image and mask aligned.
 */
public record Geometry(double a, double b, double c, double d, double tx, double ty) implements SourceMap {

    /** The identity. */
    public static final Geometry IDENTITY = new Geometry(1, 0, 0, 1, 0, 0);

    @Override
    public Geometry affinePart() {
        return this;
    }

    /** First this map, then {@code next} (applied to this map's result). */
    @Override
    public Geometry then(Geometry next) {
        return new Geometry(
                next.a * a + next.b * c, next.a * b + next.b * d,
                next.c * a + next.d * c, next.c * b + next.d * d,
                next.a * tx + next.b * ty + next.tx, next.c * tx + next.d * ty + next.ty);
    }

    /** Adds {@code (dx, dy)}. */
    public static Geometry translate(double dx, double dy) {
        return new Geometry(1, 0, 0, 1, dx, dy);
    }

    /** Multiplies by {@code (sx, sy)}. */
    public static Geometry scale(double sx, double sy) {
        return new Geometry(sx, 0, 0, sy, 0, 0);
    }

    /**
     * Turns by {@code radians} about {@code (cx, cy)}: clockwise on the screen for a positive angle (y grows down), so
     * that the window sampled through it shows its content turned anticlockwise.
     */
    public static Geometry rotation(double radians, double cx, double cy) {
        double cos = Math.cos(radians);
        double sin = Math.sin(radians);
        return new Geometry(cos, -sin, sin, cos, cx - cos * cx + sin * cy, cy - sin * cx - cos * cy);
    }

    /** Mirrors left-right in a space {@code width} pixels wide: {@code xs = width - x}. */
    public static Geometry flipLeftRight(int width) {
        return new Geometry(-1, 0, 0, 1, width, 0);
    }

    /** Mirrors top-bottom in a space {@code height} pixels high: {@code ys = height - y}. */
    public static Geometry flipTopBottom(int height) {
        return new Geometry(1, 0, 0, -1, 0, height);
    }

    /** Source x of output point (x, y). */
    public double sourceX(double x, double y) {
        return a * x + b * y + tx;
    }

    /** Source y of output point (x, y). */
    public double sourceY(double x, double y) {
        return c * x + d * y + ty;
    }

    @Override
    public double pixelSourceX(int x, int y) {
        return sourceX(x + 0.5, y + 0.5);
    }

    @Override
    public double pixelSourceY(int x, int y) {
        return sourceY(x + 0.5, y + 0.5);
    }
}
