package io.github.mdunet.reference.torch.net;

import io.github.mdunet.reference.torch.npy.NpyArray;
import java.util.Arrays;
import java.util.function.Consumer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;

/** Copies between Java arrays, {@link NpyArray}s and CPU libtorch tensors (float32 and int64). */
public final class Tensors {

    private Tensors() {
    }

    /** A new float32 tensor holding a copy of the values (C order). */
    public static Tensor floats(long[] shape, float[] values) {
        return filled(shape, torch.ScalarType.Float, values.length, tensor -> tensor.data_ptr_float().put(values));
    }

    /** A new int64 tensor holding a copy of the values (C order). */
    public static Tensor longs(long[] shape, long[] values) {
        return filled(shape, torch.ScalarType.Long, values.length, tensor -> tensor.data_ptr_long().put(values));
    }

    /** A float32 tensor of an array of any numeric dtype. */
    public static Tensor fromNpy(NpyArray array) {
        return floats(array.shape(), array.toFloats());
    }

    /** The values of a float tensor in C order (any dtype is converted to float32 first). */
    public static float[] toFloats(Tensor tensor) {
        float[] values = new float[Math.toIntExact(tensor.numel())];
        readContiguous(tensor, torch.ScalarType.Float, contiguous -> contiguous.data_ptr_float().get(values));
        return values;
    }

    /** The values of an integer tensor in C order (converted to int64 first). */
    public static long[] toLongs(Tensor tensor) {
        long[] values = new long[Math.toIntExact(tensor.numel())];
        readContiguous(tensor, torch.ScalarType.Long, contiguous -> contiguous.data_ptr_long().get(values));
        return values;
    }

    public static long[] shape(Tensor tensor) {
        long[] shape = new long[(int) tensor.dim()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = tensor.size(i);
        }
        return shape;
    }

    /** A float32 .npy array of the tensor's values and shape. */
    public static NpyArray toNpy(Tensor tensor) {
        return NpyArray.ofFloats(shape(tensor), toFloats(tensor));
    }

    /**
     * Marks a tensor that must outlive any {@link PointerScope} open while it is created (parameters, optimizer
     * state): the scope's close then leaves it alone.
     */
    public static Tensor keep(Tensor tensor) {
        tensor.retainReference();
        return tensor;
    }

    /** A new tensor of this shape and type whose {@code count} values {@code fill} writes (C order). */
    private static Tensor filled(long[] shape, torch.ScalarType type, int count, Consumer<Tensor> fill) {
        Tensor tensor = torch.empty(shape, new TensorOptions(type), new MemoryFormatOptional());
        if (tensor.numel() != count) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape(tensor)) + " holds "
                    + tensor.numel() + " values but " + count + " were given");
        }
        fill.accept(tensor);
        return tensor;
    }

    /**
     * Hands {@code read} the tensor converted to {@code type} in C order; the converted copy, if one was made, is
     * freed afterwards.
     */
    private static void readContiguous(Tensor tensor, torch.ScalarType type, Consumer<Tensor> read) {
        try (PointerScope scope = new PointerScope()) {
            read.accept(tensor.to(type).contiguous());
        }
    }
}
