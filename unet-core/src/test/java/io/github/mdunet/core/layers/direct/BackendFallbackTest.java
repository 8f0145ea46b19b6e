package io.github.mdunet.core.layers.direct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run with both backends on the classpath ({@code mvn -Pcuda,cpu -pl unet-core test -Dtest='BackendFallbackTest,
 * ConvNormActivationStockParityTest,ParameterlessLayersTest'}): on a machine without a usable GPU, ND4J falls back to
 * the CPU backend and the fused layers run there (the other two classes check them against DL4J's layers). Skipped
 * when the CUDA backend is not on the classpath.
 */
class BackendFallbackTest {

    private static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";

    private static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, BackendFallbackTest.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    @Test
    void withTheCudaBackendPresentAndNoGpuTheFusedLayersRunOnTheCpuBackend() {
        assumeThat(onClasspath(CUDA_BACKEND)).as("CUDA backend on the classpath (-Pcuda,cpu)").isTrue();
        String backend = Nd4j.getBackend().getClass().getName();
        System.out.println("ND4J backend with CUDA on the classpath: " + backend);
        assertThat(backend).isEqualTo("org.nd4j.linalg.cpu.nativecpu.CpuBackend");
        // a fused block's forward and backward pass on this backend, by conv2d_bp and by the timed ways
        ConvNormActivationStockParityTest parity = new ConvNormActivationStockParityTest();
        parity.matchesStockLayers(DataType.FLOAT, Activation.RELU, 2, ConvolutionMode.Same, 3, 3, 4);
        parity.matchesStockLayers(DataType.FLOAT, Activation.RELU, 1, ConvolutionMode.Same, 3, 128, 128);
        parity.matchesStockLayers(DataType.FLOAT, Activation.RELU, 1, ConvolutionMode.Same, 1, 1024, 512);
    }
}
