package io.github.mdunet.spark;

import io.github.mdunet.core.testing.PackageCycles;
import org.junit.jupiter.api.Test;

/** unet-spark's packages form layers, as every module's do: none imports a package that imports it. */
class SparkPackagesTest {

    @Test
    void haveNoCycles() {
        PackageCycles.assertNone("io.github.mdunet.spark");
    }
}
