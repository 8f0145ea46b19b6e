package io.github.mdunet.core.layers.direct;

import io.github.mdunet.core.memoryuse.ByteSize;

/**
 * The most working memory a fused layer's timed convolution way may take, read from {@code -D}{@value #PROPERTY}
 * when a layer is created, as TensorFlow's {@code TF_CUDNN_WORKSPACE_LIMIT_IN_MB} or Caffe's {@code workspace_limit}
 * bound cuDNN's algorithms: unset ({@link #UNLIMITED}, the default), each timed shape keeps its fastest way; set, every
 * convolution that has an SGEMM way, and libnd4j's ops one image at a time on every batch of two or more, is timed,
 * each run's resident memory beyond what the process held when it began is sampled too, and a shape keeps its fastest
 * way within the limit, or the way that took the least memory when none stays within it. libnd4j's {@code conv2d_bp}
 * (oneDNN) takes up to 2 GB of its own on the seed U-Net's large decoder convolutions at 512 x 512, batch 8, a tenth of
 * that one image at a time, where the ways by SGEMM take one image's patches.
 *
 * @param bytes the limit in bytes; {@link Long#MAX_VALUE} for none
 */
public record ConvWorkspace(long bytes) {

    /** A size as JavaCPP reads one ({@code 512m}, {@code 1g}); unset for no limit. */
    public static final String PROPERTY = "mdunet.convWorkspace";
    /** No limit: the fastest way of each timed shape. */
    public static final ConvWorkspace UNLIMITED = new ConvWorkspace(Long.MAX_VALUE);

    /** Refuses a limit of no bytes or fewer. */
    public ConvWorkspace {
        if (bytes <= 0) {
            throw new IllegalArgumentException("a convolution workspace limit must be positive but was " + bytes
                    + " bytes; use ConvWorkspace.UNLIMITED for none");
        }
    }

    /** Whether there is a limit. */
    public boolean limited() {
        return bytes != Long.MAX_VALUE;
    }

    /**
     * The limit {@code value} names: {@code null} or blank for {@link #UNLIMITED}, else a positive size as JavaCPP
     * reads one (digits, then an optional {@code k}, {@code m}, {@code g} or {@code t}, optionally followed by
     * {@code b}, in any case).
     *
     * @throws IllegalArgumentException naming the property, the value and the fix, for anything else
     */
    public static ConvWorkspace parse(String value) {
        if (value == null || value.isBlank()) {
            return UNLIMITED;
        }
        long bytes;
        try {
            bytes = value.contains("%") ? -1 : ByteSize.parseJavaCpp(value.trim(), 0);
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        if (bytes <= 0) {
            throw new IllegalArgumentException("-D" + PROPERTY + " must be a positive size such as 512m or 1g but was '"
                    + value + "'; leave it unset for no limit (each large convolution's fastest way)");
        }
        return new ConvWorkspace(bytes);
    }

    /** The limit of this JVM's {@code -D}{@value #PROPERTY}. */
    public static ConvWorkspace fromSystemProperty() {
        return parse(System.getProperty(PROPERTY));
    }

    @Override
    public String toString() {
        return limited() ? ByteSize.format(bytes) : "unlimited";
    }
}
