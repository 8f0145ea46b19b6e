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
        if (dtype == NpyDtype.FLOAT32) {
            buffer.asFloatBuffer().get(out); // the common case in one bulk copy
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = dtype.isInteger() ? integerAt(buffer, i) : (float) floatAt(buffer, i);
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
        for (int i = 0; i < out.length; i++) {
            out[i] = dtype.isInteger() ? integerAt(buffer, i) : wholeNumberAt(buffer, i);
        }
        return out;
    }

    /** Element {@code i} of an integer array (uint8 read unsigned). */
    private long integerAt(ByteBuffer buffer, int i) {
        return switch (dtype) {
            case INT32 -> buffer.getInt(i * 4);
            case INT64 -> buffer.getLong(i * 8);
            case UINT8 -> Byte.toUnsignedInt(buffer.get(i));
            case FLOAT32, FLOAT64 -> throw new IllegalStateException(dtype + " is not an integer type");
        };
    }

    /** Element {@code i} of a float32 or float64 array. */
    private double floatAt(ByteBuffer buffer, int i) {
        return dtype == NpyDtype.FLOAT32 ? buffer.getFloat(i * 4) : buffer.getDouble(i * 8);
    }

    /** Element {@code i} of a float array, which must be a whole number. */
    private long wholeNumberAt(ByteBuffer buffer, int i) {
        double value = floatAt(buffer, i);
        if (value != Math.rint(value)) {
            throw new IllegalArgumentException("expected whole numbers in a " + dtype + " array but element " + i
                    + " is " + value);
        }
        return (long) value;
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
