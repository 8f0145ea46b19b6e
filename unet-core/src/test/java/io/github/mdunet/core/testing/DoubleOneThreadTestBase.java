package io.github.mdunet.core.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs a test class with ND4J's default data types set to DOUBLE and one native thread, restoring both afterwards.
 * On these tiny arrays OpenMP's thread hand-off costs more than the work: one thread made a forward pass 6 to 16
 * times faster on the 2-core build machine, and keeps the gradient checks within the time budget.
 */
public abstract class DoubleOneThreadTestBase {

    private static DataType previousDataType;
    private static DataType previousFloatingPointType;
    private static int previousMaxThreads;
    private static int previousMaxMasterThreads;

    @BeforeAll
    static void useDoublePrecisionAndOneThread() {
        previousDataType = Nd4j.dataType();
        previousFloatingPointType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        Environment environment = Nd4j.getEnvironment();
        previousMaxThreads = environment.maxThreads();
        previousMaxMasterThreads = environment.maxMasterThreads();
        environment.setMaxThreads(1);
        environment.setMaxMasterThreads(1);
    }

    @AfterAll
    static void restoreDefaults() {
        Nd4j.setDefaultDataTypes(previousDataType, previousFloatingPointType);
        Nd4j.getEnvironment().setMaxThreads(previousMaxThreads);
        Nd4j.getEnvironment().setMaxMasterThreads(previousMaxMasterThreads);
    }
}
