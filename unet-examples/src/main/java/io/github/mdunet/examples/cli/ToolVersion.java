package io.github.mdunet.examples.cli;

import picocli.CommandLine;

/** {@code mdunet --version}: the version in the packaged jar's manifest, and the Java running it. */
final class ToolVersion implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Mdunet.class.getPackage().getImplementationVersion();
        return new String[] {"mdunet " + (version == null ? "(development build)" : version) + ", Deeplearning4j"
                + " 1.0.0-M2.1, Java " + System.getProperty("java.version")};
    }
}
