package io.github.mdunet.core.layers.direct;

import io.github.mdunet.core.layers.BilinearResize;
import io.github.mdunet.core.layers.FixedInputSize;
import io.github.mdunet.core.layers.LayerSetting;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Bilinear resize without SameDiff, with PyTorch's {@code F.interpolate(mode='bilinear', align_corners=False)}
 * semantics: {@code [N, C, H, W] -> [N, C, outputHeight, outputWidth]}, from any input size (the interpolation
 * matrices are built for each input size met) to the one output size it is configured with. In a U-Net that output
 * size is fixed for the configured input (a skip's size, or the input's), so a graph holding one takes that input
 * size only ({@code UNet.predict} refuses others). Computed as {@code out = A_h . X . A_w^T} with the matrices of
 * {@link BilinearResize#interpolationMatrix}: two matrix products each way, the backward pass
 * {@code dX = A_h^T . dY . A_w}. No parameters.
 */
public class DirectBilinearResize extends ParameterlessConfiguration implements FixedInputSize {

    @JsonProperty
    private int outputHeight = 1;
    @JsonProperty
    private int outputWidth = 1;

    /** For Jackson. */
    public DirectBilinearResize() {
    }

    /**
     * @param outputHeight at least 1
     * @param outputWidth  at least 1
     */
    public DirectBilinearResize(int outputHeight, int outputWidth) {
        this.outputHeight = outputHeight;
        this.outputWidth = outputWidth;
        checkSettings();
    }

    @Override
    void checkSettings() {
        BilinearResize.requireOutputSize(outputHeight, outputWidth);
    }

    @Override
    ParameterlessLayer<?> createRuntime(NeuralNetConfiguration conf, DataType dataType) {
        return new Runtime(conf, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return BilinearResize.outputType(convolutionalInput(inputType), outputHeight, outputWidth);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        convolutionalInput(inputType);
    }

    public int getOutputHeight() {
        return outputHeight;
    }

    public int getOutputWidth() {
        return outputWidth;
    }

    @Override
    List<LayerSetting> settings() {
        return List.of(new LayerSetting("outputHeight", outputHeight), new LayerSetting("outputWidth", outputWidth));
    }

    private static final class Runtime extends ParameterlessLayer<DirectBilinearResize> {

        /** {@code A_h} {@code [outH, H]} and {@code A_w} {@code [outW, W]} for the last input size (no workspace). */
        private INDArray heightMatrix;
        private INDArray widthMatrix;

        Runtime(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        private void matricesFor(long height, long width) {
            int outputHeight = layerConf().getOutputHeight();
            int outputWidth = layerConf().getOutputWidth();
            if (heightMatrix == null || heightMatrix.size(1) != height || widthMatrix.size(1) != width) {
                try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                    heightMatrix = BilinearResize.interpolationMatrix(height, outputHeight, dataType);
                    widthMatrix = BilinearResize.interpolationMatrix(width, outputWidth, dataType);
                }
            }
        }

        @Override
        INDArray forward(INDArray x, LayerWorkspaceMgr workspaceMgr) {
            long n = x.size(0);
            long channels = x.size(1);
            long height = x.size(2);
            long width = x.size(3);
            matricesFor(height, width);
            return apply(x, n * channels, height, width, heightMatrix, widthMatrix, ArrayType.ACTIVATIONS,
                    ArrayType.FF_WORKING_MEM, workspaceMgr).reshape('c', n, channels, heightMatrix.size(0),
                    widthMatrix.size(0));
        }

        @Override
        INDArray backward(INDArray gradient, long[] inputShape, LayerWorkspaceMgr workspaceMgr) {
            matricesFor(inputShape[2], inputShape[3]);
            long planes = inputShape[0] * inputShape[1];
            return apply(gradient, planes, heightMatrix.size(0), widthMatrix.size(0),
                    heightMatrix.transpose(), widthMatrix.transpose(), ArrayType.ACTIVATION_GRAD,
                    ArrayType.BP_WORKING_MEM, workspaceMgr).reshape('c', inputShape);
        }

        /**
         * {@code out[p] = rows . x[p] . columns^T} for each of the {@code planes} planes of {@code x}
         * ({@code [planes, height, width]} in c order): {@code rows} {@code [outH, height]}, {@code columns}
         * {@code [outW, width]}; the result {@code [planes, outH, outW]} in c order, in {@code resultType}.
         */
        private INDArray apply(INDArray x, long planes, long height, long width, INDArray rows, INDArray columns,
                               ArrayType resultType, ArrayType workingType, LayerWorkspaceMgr workspaceMgr) {
            long outHeight = rows.size(0);
            long outWidth = columns.size(0);
            // widths: [planes*height, width] . columns^T -> [planes*height, outW], then [planes, outW, height]
            INDArray widened = timesTransposed(x.reshape('c', planes * height, width), columns, workingType,
                    workspaceMgr);
            INDArray transposed = swapLastTwo(widened, planes, height, outWidth, workingType, workspaceMgr);
            // heights: [planes*outW, height] . rows^T -> [planes*outW, outH], then [planes, outH, outW]
            INDArray resized = timesTransposed(transposed.reshape('c', planes * outWidth, height), rows, workingType,
                    workspaceMgr);
            return swapLastTwo(resized, planes, outWidth, outHeight, resultType, workspaceMgr);
        }

        /** {@code matrix . factor^T} into a new c-order array of {@code type}. */
        private INDArray timesTransposed(INDArray matrix, INDArray factor, ArrayType type,
                                         LayerWorkspaceMgr workspaceMgr) {
            INDArray product = workspaceMgr.createUninitialized(type, dataType,
                    new long[] {matrix.size(0), factor.size(0)}, 'c');
            return matrix.mmuli(factor.transpose(), product);
        }

        /** {@code x} as {@code [planes, rows, columns]}, into a new c-order {@code [planes, columns, rows]}. */
        private INDArray swapLastTwo(INDArray x, long planes, long rows, long columns, ArrayType type,
                                     LayerWorkspaceMgr workspaceMgr) {
            INDArray swapped = workspaceMgr.createUninitialized(type, dataType, new long[] {planes, columns, rows},
                    'c');
            return swapped.assign(x.reshape('c', planes, rows, columns).permute(0, 2, 1));
        }
    }
}
