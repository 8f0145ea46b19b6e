package io.github.mdunet.core.layers.direct;

import java.util.IdentityHashMap;
import java.util.Map;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * The working memory of one convolution pass, in one of {@code workspaceMgr}'s working-memory arrays: one image's
 * patches and the C-order copies of operands that are not, each made when a way first asks for it and shared by the
 * ways run in the pass (the timed ones included).
 */
final class ConvScratch {

    private final LayerWorkspaceMgr workspaceMgr;
    private final ArrayType arrayType;
    private final Map<INDArray, INDArray> copies = new IdentityHashMap<>();
    private INDArray patches;

    /** Working memory of a forward pass ({@code FF_WORKING_MEM}). */
    static ConvScratch forward(LayerWorkspaceMgr workspaceMgr) {
        return new ConvScratch(workspaceMgr, ArrayType.FF_WORKING_MEM);
    }

    /** Working memory of a backward pass ({@code BP_WORKING_MEM}). */
    static ConvScratch backward(LayerWorkspaceMgr workspaceMgr) {
        return new ConvScratch(workspaceMgr, ArrayType.BP_WORKING_MEM);
    }

    private ConvScratch(LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        this.workspaceMgr = workspaceMgr;
        this.arrayType = arrayType;
    }

    /** One image's patches of {@code convolution}, {@code [1, in, kH, kW, outH, outW]}. */
    INDArray patches(Convolution convolution) {
        if (patches == null) {
            patches = uninitialized(convolution.dataType(), patchShape(convolution.inputChannels(),
                    convolution.weights().size(2), convolution.weights().size(3), convolution.geometry()));
        }
        return patches;
    }

    /** The convolution's weights as {@code [out, in * kH * kW]}: a view, or a view of one copy. */
    INDArray weightMatrix(Convolution convolution) {
        return contiguous(convolution.weights()).reshape('c', convolution.outputChannels(), -1);
    }

    /** {@code array} ({@code [N, C, H, W]}) as {@code [N, C, H * W]} in C order: a view, or a view of one copy. */
    INDArray perImage(INDArray array) {
        return contiguous(array).reshape('c', array.size(0), array.size(1), array.size(2) * array.size(3));
    }

    /** {@code array} itself when it {@link #isContiguous}, else its C-order copy (one per array and pass). */
    INDArray contiguous(INDArray array) {
        return isContiguous(array) ? array
                : copies.computeIfAbsent(array, original -> workspaceMgr.dup(arrayType, original, 'c'));
    }

    INDArray uninitialized(DataType dataType, long... shape) {
        return workspaceMgr.createUninitialized(arrayType, dataType, shape, 'c');
    }

    /** Writes one image's part of an NCHW array. */
    @FunctionalInterface
    interface ImageWriter {
        /** Writes image {@code image}'s part, {@code [1, C, H, W]}, into {@code imageView}. */
        void write(long image, INDArray imageView);
    }

    /**
     * Fills {@code target} ({@code [N, C, H, W]}) one image at a time by {@code writer}: into {@code target} itself
     * when it {@link #isContiguous}, else into working memory, then copied.
     */
    void writePerImage(INDArray target, ImageWriter writer) {
        boolean inPlace = isContiguous(target);
        INDArray images = inPlace ? target : uninitialized(target.dataType(), target.shape());
        for (long image = 0; image < target.size(0); image++) {
            writer.write(image, Nchw.image(images, image));
        }
        if (!inPlace) {
            target.assign(images);
        }
    }

    /** In C order with no gaps, so that a C-order reshape is a view of it. */
    static boolean isContiguous(INDArray array) {
        return array.ordering() == 'c' && Shape.hasDefaultStridesForShape(array);
    }

    /** The shape of one image's patches: {@code [1, in, kH, kW, outH, outW]}. */
    static long[] patchShape(long inputChannels, long kernelHeight, long kernelWidth, ConvGeometry geometry) {
        return new long[] {1, inputChannels, kernelHeight, kernelWidth, geometry.outputHeight(),
            geometry.outputWidth()};
    }
}
