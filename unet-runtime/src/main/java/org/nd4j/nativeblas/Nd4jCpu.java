package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * The class that DL4J 1.0.0-M2.1 looks up, and does not ship, before it uses oneDNN for the built-in
 * {@code ConvolutionLayer}, {@code BatchNormalization}, {@code SubsamplingLayer} and
 * {@code LocalResponseNormalization}.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} loads
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment} by name, calls its static {@code getInstance()} and then
 * {@code isUseMKLDNN()}. The class was renamed in ND4J ({@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu},
 * method {@code isUseONEDNN()}) and DL4J was not updated, so without this shim every oneDNN layer helper is
 * silently dropped. DL4J also needs {@code org.eclipse.deeplearning4j.helpers.disable=false}, which
 * {@code io.github.mdunet.runtime.cpu.CpuAcceleration.configure()} sets.
 *
 * <p>Everything is reached by reflection: with the {@code cuda} Maven profile nd4j-native is absent and this
 * class must still compile and answer {@code false}. Nothing here throws, because DL4J remembers an exception
 * from {@code isUseMKLDNN()} for the rest of the JVM's life and turns the helpers off for good.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** DL4J's view of the native environment: only what {@code BaseMKLDNNHelper} asks for, plus diagnostics. */
    public static final class Environment {

        static final String NATIVE_ENVIRONMENT = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";
        static final String NATIVE_OPS_HOLDER = "org.nd4j.nativeblas.NativeOpsHolder";
        /** The line that libnd4j's build information carries when oneDNN is compiled in. */
        static final String ONEDNN_BUILD_MARKER = "HAVE_ONEDNN";

        private static final Environment INSTANCE = new Environment();

        /** Resolved on first use; {@code null} until then. */
        private volatile Native nativeEnvironment;

        private Environment() {
        }

        /** Called reflectively by DL4J's {@code BaseMKLDNNHelper}. */
        public static Environment getInstance() {
            return INSTANCE;
        }

        /**
         * Whether DL4J's layer helpers should use oneDNN: the loaded libnd4j was built with oneDNN and its
         * run-time switch ({@code Nd4jCpu.Environment.setUseONEDNN}) is on. The plain {@code linux-x86_64} build
         * reports {@code isUseONEDNN() == true} although it has no oneDNN, hence the build check.
         */
        public boolean isUseMKLDNN() {
            return isBuiltWithOneDnn() && isUseONEDNN();
        }

        /** The native run-time switch as libnd4j reports it; {@code false} without the CPU backend. */
        public boolean isUseONEDNN() {
            Native n = resolve();
            if (n.environment == null) {
                return false;
            }
            try {
                return (boolean) n.isUseOneDnn.invoke(n.environment);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return false;
            }
        }

        /** Whether the loaded libnd4j has oneDNN compiled in ({@code HAVE_ONEDNN} in its build information). */
        public boolean isBuiltWithOneDnn() {
            return resolve().builtWithOneDnn;
        }

        /** libnd4j's build information, or an empty string when the CPU backend is not loaded. */
        public String buildInfo() {
            return resolve().buildInfo;
        }

        private Native resolve() {
            Native n = nativeEnvironment;
            if (n == null) {
                synchronized (this) {
                    n = nativeEnvironment;
                    if (n == null) {
                        n = Native.lookUp();
                        nativeEnvironment = n;
                    }
                }
            }
            return n;
        }

        /** The reflective handles, looked up once. Loading the bindings class loads libnd4j, as ND4J would. */
        private record Native(Object environment, Method isUseOneDnn, String buildInfo, boolean builtWithOneDnn) {

            static final Native ABSENT = new Native(null, null, "", false);

            static Native lookUp() {
                ClassLoader loader = Nd4jCpu.class.getClassLoader();
                Object environment;
                Method isUseOneDnn;
                try {
                    Class<?> type = Class.forName(NATIVE_ENVIRONMENT, true, loader);
                    environment = type.getMethod("getInstance").invoke(null);
                    isUseOneDnn = type.getMethod("isUseONEDNN");
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    return ABSENT; // no nd4j-native (e.g. the cuda profile), or its native library failed to load
                }
                String info = "";
                try {
                    Object holder = Class.forName(NATIVE_OPS_HOLDER, true, loader).getMethod("getInstance")
                            .invoke(null);
                    Object ops = holder.getClass().getMethod("getDeviceNativeOps").invoke(holder);
                    Object text = ops.getClass().getMethod("buildInfo").invoke(ops);
                    info = text == null ? "" : text.toString();
                } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                    // keep the empty build information: oneDNN counts as absent
                }
                return new Native(environment, isUseOneDnn, info, info.contains(ONEDNN_BUILD_MARKER));
            }
        }
    }
}
