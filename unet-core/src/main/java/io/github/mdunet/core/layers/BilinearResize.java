package io.github.mdunet.core.layers;

import static io.github.mdunet.core.checks.Checks.atLeast;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Bilinear resize {@code [N, C, inputHeight, inputWidth] -> [N, C, outputHeight, outputWidth]} with PyTorch's
 * {@code F.interpolate(mode='bilinear', align_corners=False)} semantics; up, down and non-integer ratios. No
 * parameters; any batch size, but one input size: the interpolation matrices are built for the
 * {@code inputHeight x inputWidth} set from the InputType.
 *
 * <p>Computed as {@code out = A_h . X . A_w^T} with constant {@link #interpolationMatrix interpolation
 * matrices}: exact and differentiable.
 */
public class BilinearResize extends ParameterlessSameDiffLayer implements FixedInputSize {

    @JsonProperty
    private int outputHeight = 1;
    @JsonProperty
    private int outputWidth = 1;
    /** Set from the InputType by {@code setNIn}; 0 until then. */
    @JsonProperty
    private int inputHeight;
    /** Set from the InputType by {@code setNIn}; 0 until then. */
    @JsonProperty
    private int inputWidth;

    /** For Jackson. */
    public BilinearResize() {
    }

    /**
     * @param outputHeight at least 1
     * @param outputWidth  at least 1
     */
    public BilinearResize(int outputHeight, int outputWidth) {
        this.outputHeight = outputHeight;
        this.outputWidth = outputWidth;
        checkSettings();
    }

    /**
     * An IllegalArgumentException naming {@code outputHeight} or {@code outputWidth} when it is not at least 1: the
     * rule of both bilinear resize layers.
     */
    public static void requireOutputSize(int outputHeight, int outputWidth) {
        atLeast("outputHeight", outputHeight, 1);
        atLeast("outputWidth", outputWidth, 1);
    }

    @Override
    protected void checkSettings() {
        requireOutputSize(outputHeight, outputWidth);
        atLeast("inputHeight", inputHeight, 0);
        atLeast("inputWidth", inputWidth, 0);
    }

    /**
     * The {@code [outputSize, inputSize]} matrix {@code A} of 1-D linear interpolation with PyTorch's
     * {@code align_corners=False} rule: output {@code o} samples the input at
     * {@code max((o + 0.5) * inputSize / outputSize - 0.5, 0)}, neighbour indices clamped at the border.
     */
    public static INDArray interpolationMatrix(long inputSize, long outputSize, DataType dataType) {
        double[][] matrix = new double[(int) outputSize][(int) inputSize];
        double scale = (double) inputSize / outputSize;
        for (int o = 0; o < outputSize; o++) {
            double source = Math.max((o + 0.5) * scale - 0.5, 0.0);
            int lower = (int) source;
            int upper = lower < inputSize - 1 ? lower + 1 : lower;
            double upperWeight = source - lower;
            matrix[o][lower] += 1.0 - upperWeight;
            matrix[o][upper] += upperWeight;
        }
        return Nd4j.create(matrix).castTo(dataType);
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable layerInput, Map<String, SDVariable> paramTable,
                                  SDVariable mask) {
        long[] staticShape = layerInput.getShape();
        long channels = staticShape[1];
        long height = inputHeight > 0 ? inputHeight : staticShape[2];
        long width = inputWidth > 0 ? inputWidth : staticShape[3];
        DataType dataType = layerInput.dataType();
        SDVariable heightMatrixT = sd.constant(interpolationMatrix(height, outputHeight, dataType).transpose().dup());
        SDVariable widthMatrixT = sd.constant(interpolationMatrix(width, outputWidth, dataType).transpose().dup());

        // rows: [N, C, H, W] -> [N*C*W, H] . A_h^T -> [N*C*W, outH]
        SDVariable rowsLast = sd.reshape(sd.permute(layerInput, 0, 1, 3, 2), -1, height);
        SDVariable resizedRows = sd.mmul(rowsLast, heightMatrixT);
        // columns: [N*C, W, outH] -> [N*C, outH, W] -> [N*C*outH, W] . A_w^T -> [N*C*outH, outW]
        SDVariable columnsLast = sd.reshape(sd.permute(sd.reshape(resizedRows, -1, width, outputHeight), 0, 2, 1),
                -1, width);
        SDVariable resized = sd.mmul(columnsLast, widthMatrixT);
        return sd.reshape(resized, -1, channels, outputHeight, outputWidth);
    }

    @Override
    protected void validateInputShape(long channels, long height, long width) {
        if ((inputHeight > 0 && height != inputHeight) || (inputWidth > 0 && width != inputWidth)) {
            throw new IllegalStateException(describe() + " was built for inputs of " + inputHeight + "x" + inputWidth
                    + " (height x width) but got " + height + "x" + width
                    + "; its interpolation matrices are fixed: set the InputType to the size used at run time");
        }
    }

    /** The NCHW output type of a resize of {@code input} to {@code outputHeight x outputWidth}: same channels. */
    public static InputType outputType(InputType.InputTypeConvolutional input, int outputHeight, int outputWidth) {
        return InputType.convolutional(outputHeight, outputWidth, input.getChannels(), CNN2DFormat.NCHW);
    }

    @Override
    protected InputType outputType(InputType.InputTypeConvolutional input) {
        return outputType(input, outputHeight, outputWidth);
    }

    /**
     * Takes the input size from the InputType when it is not set yet or {@code override} is set (as in every
     * ComputationGraph build and {@code getLayerActivationTypes} call); otherwise it must match.
     */
    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeConvolutional input = convolutionalInput(inputType);
        int height = Math.toIntExact(input.getHeight());
        int width = Math.toIntExact(input.getWidth());
        if (override || (inputHeight == 0 && inputWidth == 0)) {
            inputHeight = height;
            inputWidth = width;
        } else if (inputHeight != height || inputWidth != width) {
            throw new IllegalStateException(describe() + " is configured for inputs of " + inputHeight + "x"
                    + inputWidth + " (height x width) but the InputType is " + height + "x" + width);
        }
    }

    @Override
    protected long intermediateElementsPerExample(InputType.InputTypeConvolutional input) {
        long channels = input.getChannels();
        // permuted input, rows resized (and permuted), columns resized
        return input.arrayElementsPerExample() + 2 * channels * outputHeight * input.getWidth()
                + channels * outputHeight * outputWidth;
    }

    public int getOutputHeight() {
        return outputHeight;
    }

    public int getOutputWidth() {
        return outputWidth;
    }

    public int getInputHeight() {
        return inputHeight;
    }

    public int getInputWidth() {
        return inputWidth;
    }

    @Override
    protected List<LayerSetting> settings() {
        return List.of(new LayerSetting("outputHeight", outputHeight), new LayerSetting("outputWidth", outputWidth),
                new LayerSetting("inputHeight", inputHeight), new LayerSetting("inputWidth", inputWidth));
    }
}
