package io.github.mdunet.reference.torch.npy;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types the exchange format carries, named as NumPy names them ({@code float32}, {@code uint8}). Their
 * type codes follow from those names as in NumPy: the kind's letter, then the bytes per element ({@code f4},
 * {@code u1}).
 */
public enum NpyDtype {
    FLOAT32,
    FLOAT64,
    INT32,
    INT64,
    UINT8;

    /** NumPy's type code without byte order, e.g. {@code f4}. */
    public String code() {
        return Character.toLowerCase(name().charAt(0)) + Integer.toString(bytes());
    }

    /** Bytes per element: the bits in the name over 8. */
    public int bytes() {
        return Integer.parseInt(name().replaceAll("\\D", "")) / 8;
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
            if (dtype.code().equals(typeCode)) {
                return dtype;
            }
        }
        throw new IllegalArgumentException("NumPy dtype '" + descr + "' is not supported; use one of "
                + Arrays.stream(values()).map(d -> "<" + d.code()).collect(Collectors.joining(", ")));
    }
}
