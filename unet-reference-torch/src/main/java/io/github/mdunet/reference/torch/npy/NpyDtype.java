package io.github.mdunet.reference.torch.npy;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The element types the exchange format carries, by their NumPy type code without the byte-order mark. */
public enum NpyDtype {
    FLOAT32("f4", 4),
    FLOAT64("f8", 8),
    INT32("i4", 4),
    INT64("i8", 8),
    UINT8("u1", 1);

    private final String code;
    private final int bytes;

    NpyDtype(String code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    /** NumPy's type code without byte order, e.g. {@code f4}. */
    public String code() {
        return code;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Whether values of this type are integers (class ids may come as any of these). */
    public boolean isInteger() {
        return this == INT32 || this == INT64 || this == UINT8;
    }

    /**
     * The type for a NumPy {@code descr} such as {@code <f4}, {@code |u1} or {@code >i8}.
     *
     * @throws IllegalArgumentException naming the descr and the supported ones
     */
    public static NpyDtype fromDescr(String descr) {
        String typeCode = descr.length() == 3 ? descr.substring(1) : descr;
        for (NpyDtype dtype : values()) {
            if (dtype.code.equals(typeCode)) {
                return dtype;
            }
        }
        throw new IllegalArgumentException("NumPy dtype '" + descr + "' is not supported; use one of "
                + Arrays.stream(values()).map(d -> "<" + d.code).collect(Collectors.joining(", ")));
    }
}
