package io.github.mdunet.core;

import io.github.mdunet.core.testing.PackageCycles;
import org.junit.jupiter.api.Test;

/** The core's packages form layers: none imports, directly or through others, a package that imports it. */
class CorePackagesTest {

    @Test
    void haveNoCycles() {
        PackageCycles.assertNone("io.github.mdunet.core");
    }
}
