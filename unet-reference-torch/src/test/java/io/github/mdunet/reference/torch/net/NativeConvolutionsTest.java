package io.github.mdunet.reference.torch.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.Test;

/** The reference's float32 convolution gradients equal float64's on every call, threads and all. */
class NativeConvolutionsTest {

    @Test
    void nativeFloat32GradientsOfFewChannelsAreFloat64sOnEveryCall() {
        NativeConvolutions.use();

        assertThat(torch.globalContext().userEnabledMkldnn()).isFalse();
        for (int threads : new int[] {1, 2, 4}) {
            torch.set_num_threads(threads);
            for (int call = 0; call < 3; call++) {
                assertThat(NativeConvolutions.worstRelativeError()).as("%d threads, call %d", threads, call)
                        .isLessThanOrEqualTo(NativeConvolutions.TOLERANCE);
            }
        }
        TorchRuntime.useAllCores();
    }
}
