package io.github.mdunet.core.layers;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Runs a test class with ND4J's default data types set to DOUBLE, restoring the previous ones afterwards. */
abstract class DoublePrecisionTest {

    private static DataType previousDataType;
    private static DataType previousFloatingPointType;

    @BeforeAll
    static void useDoublePrecision() {
        previousDataType = Nd4j.dataType();
        previousFloatingPointType = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterAll
    static void restorePrecision() {
        Nd4j.setDefaultDataTypes(previousDataType, previousFloatingPointType);
    }
}
