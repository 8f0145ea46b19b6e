package io.github.mdunet.examples;

import io.github.mdunet.core.testing.PackageCycles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packages of every module the apps use form layers, as the core's do ({@code CorePackagesTest}): none imports,
 * directly or through others, a package that imports it. unet-spark checks its own ({@code SparkPackagesTest}).
 */
class ModulePackagesTest {

    @ParameterizedTest(name = "unet-{0}")
    @ValueSource(strings = {"runtime", "zoo", "data", "tuning", "parallel", "app", "examples"})
    void haveNoCycles(String module) {
        PackageCycles.assertNone("io.github.mdunet." + module);
    }
}
