package io.github.mdunet.reference.torch.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One n-dimensional array as a .npy file holds it: element type, shape (C order) and the little-endian bytes.
 * Immutable: the factories and accessors copy.
 */
public final class NpyArray {

    private final NpyDtype dtype;
    private final long[] shape;
    private final byte[] data;

    private NpyArray(NpyDtype dtype, long[] shape, byte[] littleEndianData) {
        this.dtype = dtype;
        this.shape = shape.clone();
        long expected = numel(this.shape) * dtype.bytes();
        if (littleEndianData.length != expected) {
            throw new IllegalArgumentException("an array of shape " + Arrays.toString(shape) + " and dtype " + dtype
                    + " needs " + expected + " bytes but " + littleEndianData.length + " were given");
        }
        this.data = littleEndianData;
    }

    /** An array over bytes already in little-endian order (not copied: the caller hands them over). */
    static NpyArray ofLittleEndianBytes(NpyDtype dtype, long[] shape, byte[] data) {
        return new NpyArray(dtype, shape, data);
    }

    public static NpyArray ofFloats(long[] shape, float... values) {
        ByteBuffer buffer = allocate(values.length, NpyDtype.FLOAT32);
        buffer.asFloatBuffer().put(values);
        return new NpyArray(NpyDtype.FLOAT32, shape, buffer.array());
    }

    public static NpyArray ofInts(long[] shape, int... values) {
        ByteBuffer buffer = allocate(values.length, NpyDtype.INT32);
        buffer.asIntBuffer().put(values);
        return new NpyArray(NpyDtype.INT32, shape, buffer.array());
    }

    public static NpyArray ofLongs(long[] shape, long... values) {
        ByteBuffer buffer = allocate(values.length, NpyDtype.INT64);
        buffer.asLongBuffer().put(values);
        return new NpyArray(NpyDtype.INT64, shape, buffer.array());
    }

    /** A one-element array of shape [1], as the loss and learning rate are written. */
    public static NpyArray scalar(float value) {
        return ofFloats(new long[] {1}, value);
    }

    public NpyDtype dtype() {
        return dtype;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public long numel() {
        return numel(shape);
    }

    /** The values as float; integer and float64 arrays are converted. */
    public float[] toFloats() {
        ByteBuffer buffer = view();
        float[] out = new float[Math.toIntExact(numel())];
        switch (dtype) {
            case FLOAT32 -> buffer.asFloatBuffer().get(out);
            case FLOAT64 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) buffer.getDouble(i * 8);
                }
            }
            case INT32, INT64, UINT8 -> {
                long[] longs = toLongs();
                for (int i = 0; i < out.length; i++) {
                    out[i] = longs[i];
                }
            }
        }
        return out;
    }

    /**
     * The values as long. Float arrays are accepted when every value is a whole number (labels exported as float).
     *
     * @throws IllegalArgumentException at the first value that is not a whole number
     */
    public long[] toLongs() {
        ByteBuffer buffer = view();
        long[] out = new long[Math.toIntExact(numel())];
        switch (dtype) {
            case INT64 -> buffer.asLongBuffer().get(out);
            case INT32 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = buffer.getInt(i * 4);
                }
            }
            case UINT8 -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Byte.toUnsignedInt(buffer.get(i));
                }
            }
            case FLOAT32, FLOAT64 -> {
                for (int i = 0; i < out.length; i++) {
                    double value = dtype == NpyDtype.FLOAT32 ? buffer.getFloat(i * 4) : buffer.getDouble(i * 8);
                    if (value != Math.rint(value)) {
                        throw new IllegalArgumentException("expected whole numbers in a " + dtype
                                + " array but element " + i + " is " + value);
                    }
                    out[i] = (long) value;
                }
            }
        }
        return out;
    }

    /** The raw little-endian bytes (a copy). */
    public byte[] littleEndianBytes() {
        return data.clone();
    }

    byte[] bytesUnsafe() {
        return data;
    }

    /** Shape as NumPy prints it, e.g. {@code (2, 3)} or {@code (4,)}. */
    public String shapeString() {
        StringBuilder builder = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            builder.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return builder.append(shape.length == 1 ? ",)" : ")").toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NpyArray that && dtype == that.dtype && Arrays.equals(shape, that.shape)
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + " " + shapeString() + "]";
    }

    static long numel(long[] shape) {
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has a negative dimension");
            }
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    private ByteBuffer view() {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer allocate(int count, NpyDtype dtype) {
        return ByteBuffer.allocate(Math.multiplyExact(count, dtype.bytes())).order(ByteOrder.LITTLE_ENDIAN);
    }
}
