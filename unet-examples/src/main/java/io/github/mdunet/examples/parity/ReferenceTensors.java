package io.github.mdunet.examples.parity;

import io.github.mdunet.core.files.AtomicFiles;
import io.github.mdunet.core.layers.BatchNormParams;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A graph's parameters as the reference's tensors, keyed {@code <vertex>.<param>}, and back. Convolutions carry
 * {@code W [out, in, k, k]} and {@code b [out]}; batch norm carries {@code gamma}, {@code beta}, {@code mean} and
 * {@code var} as {@code [C]}, its variance converted from DL4J's stored {@code log10stdev} (where
 * {@code stdev = sqrt(var)}: DL4J's layer adds {@code eps} where it normalises, as PyTorch's does) when the layer
 * stores that. Files are NumPy {@code .npz} archives.
 */
public final class ReferenceTensors {

    private ReferenceTensors() {
    }

    /** The reference's key of parameter {@code param} of vertex {@code vertex}: {@code <vertex>.<param>}. */
    static String parameterKey(String vertex, String param) {
        return vertex + "." + param;
    }

    /** Every parameter of {@code graph} under its reference key, float32, in the graph's layer order. */
    public static Map<String, INDArray> parameters(ComputationGraph graph) {
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            for (Map.Entry<String, INDArray> entry : layer.paramTable().entrySet()) {
                INDArray value = entry.getValue();
                String key = entry.getKey();
                if (layer.conf().getLayer() instanceof BatchNormalization) {
                    value = value.reshape(value.length());
                    if (key.equals(BatchNormalizationParamInitializer.GLOBAL_LOG_STD)) {
                        key = BatchNormalizationParamInitializer.GLOBAL_VAR; // the variance, not its log10 std
                        value = BatchNormParams.varianceOfLog10Std(value);
                    }
                }
                tensors.put(parameterKey(name, key), value.castTo(DataType.FLOAT).dup());
            }
        }
        return tensors;
    }

    /**
     * Copies {@code tensors} into {@code graph}'s parameters (the inverse of {@link #parameters}); every parameter
     * must be present with its number of elements.
     *
     * @throws IllegalArgumentException naming the missing key or the parameter whose size differs
     */
    public static void setParameters(ComputationGraph graph, Map<String, INDArray> tensors) {
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            for (Map.Entry<String, INDArray> entry : layer.paramTable().entrySet()) {
                String key = entry.getKey();
                boolean logStd = key.equals(BatchNormalizationParamInitializer.GLOBAL_LOG_STD);
                String tensorKey = parameterKey(name, logStd ? BatchNormalizationParamInitializer.GLOBAL_VAR : key);
                INDArray value = tensors.get(tensorKey);
                INDArray target = entry.getValue();
                if (value == null) {
                    throw new IllegalArgumentException("no tensor '" + tensorKey + "' for parameter " + key
                            + " of vertex '" + name + "'; the file has " + tensors.keySet());
                }
                if (value.length() != target.length()) {
                    throw new IllegalArgumentException("tensor '" + tensorKey + "' has " + value.length()
                            + " elements but the parameter has shape " + java.util.Arrays.toString(target.shape()));
                }
                INDArray converted = value.castTo(target.dataType());
                if (logStd) {
                    converted = BatchNormParams.log10StdOfVariance(converted);
                }
                target.assign(converted.reshape(target.shape()));
            }
        }
    }

    /** Writes {@code tensors} as an uncompressed {@code .npz} archive (one {@code <key>.npy} entry each). */
    public static void writeNpz(Path file, Map<String, INDArray> tensors) throws IOException {
        AtomicFiles.durable().write(file, npz -> {
            try (OutputStream out = Files.newOutputStream(npz); ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, INDArray> entry : tensors.entrySet()) {
                    zip.putNextEntry(new ZipEntry(entry.getKey() + ".npy"));
                    zip.write(Nd4j.toNpyByteArray(entry.getValue()));
                    zip.closeEntry();
                }
            }
        });
    }

    /** Reads a {@code .npz} archive, keys without the {@code .npy} suffix. */
    public static Map<String, INDArray> readNpz(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("tensor file " + file + " does not exist");
        }
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        try (var zip = new java.util.zip.ZipFile(file.toFile())) {
            var entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String key = entry.getName().endsWith(".npy")
                        ? entry.getName().substring(0, entry.getName().length() - 4) : entry.getName();
                try (var in = zip.getInputStream(entry)) {
                    tensors.put(key, Nd4j.createNpyFromByteArray(in.readAllBytes()));
                }
            }
        }
        return tensors;
    }
}
