package io.github.mdunet.core.layers.direct;

import io.github.mdunet.core.checks.Checks;

/**
 * How the fused layers ({@link ConvNormActivation}) run their convolutions, read from {@code -D}{@value #PROPERTY}
 * when a layer is created: {@link #TIMED} (the default) times the ways of each large shape on its first pass and keeps
 * the fastest, as PyTorch's {@code cudnn.benchmark}; {@link #STOCK} always takes libnd4j's {@code conv2d} and
 * {@code conv2d_bp}, as PyTorch with {@code cudnn.benchmark} off: no timing on the first step, no SGEMM ways' working
 * memory, the same ops on every machine.
 */
public enum ConvWays {
    /** Time the ways per shape, keep the fastest. */
    TIMED,
    /** libnd4j's {@code conv2d} and {@code conv2d_bp} only. */
    STOCK;

    /** {@code timed} (the default) or {@code stock}. */
    public static final String PROPERTY = "mdunet.convWays";

    /** The setting named by {@code value} ({@code null} or blank: {@link #TIMED}), in any case. */
    public static ConvWays parse(String value) {
        return Checks.propertyChoice(PROPERTY, value, TIMED, "leave it unset for 'timed' (each large convolution's"
                + " fastest way, timed on its first pass) or set 'stock' for libnd4j's conv2d and conv2d_bp only");
    }

    /** The setting of this JVM's {@code -D}{@value #PROPERTY}. */
    public static ConvWays fromSystemProperty() {
        return parse(System.getProperty(PROPERTY));
    }
}
