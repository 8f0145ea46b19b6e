package io.github.mdunet.reference.torch.net;

import org.bytedeco.pytorch.global.torch;

/** The libtorch runtime: thread count and version, for the provenance written with every result. */
public final class TorchRuntime {

    private TorchRuntime() {
    }

    /** Sets libtorch's intra-op threads to the available cores and returns the count. */
    public static int useAllCores() {
        int cores = Runtime.getRuntime().availableProcessors();
        torch.set_num_threads(cores);
        return torch.get_num_threads();
    }

    public static int threads() {
        return torch.get_num_threads();
    }

    /** The JavaCPP presets version, e.g. {@code 2.10.0-1.5.13}. */
    public static String presetsVersion() {
        String version = torch.class.getPackage().getImplementationVersion();
        return version == null ? "unknown" : version;
    }

    /** The libtorch version, e.g. {@code 2.10.0} (the presets version without the JavaCPP suffix). */
    public static String torchVersion() {
        String presets = presetsVersion();
        int dash = presets.lastIndexOf('-');
        return dash > 0 ? presets.substring(0, dash) : presets;
    }
}
