package io.github.mdunet.examples.parity;

import java.nio.file.Path;

/** The files of a reference case's folder ({@link ReferenceCase}), named as the PyTorch reference reads them. */
public enum CaseFile {
    /** The network, {@link ReferenceNetwork}'s JSON. */
    NETWORK("network.json"),
    /** The initial weights ({@link ReferenceTensors}). */
    INIT("init.npz"),
    /** The optimiser and the schedule. */
    RECIPE("recipe.json"),
    /** The same U-Net as this project saves it. */
    MODEL("init-model.zip"),
    /** The fixed batches of the step-by-step check. */
    BATCHES("batches.npz"),
    /** What the reference writes after the step-by-step check. */
    EXPECTED("expected.npz"),
    /** This project's trace of the same steps ({@link CompareSteps}). */
    PROJECT("project.npz");

    private final String fileName;

    CaseFile(String fileName) {
        this.fileName = fileName;
    }

    /** This file in the case folder {@code directory}. */
    public Path in(Path directory) {
        return directory.resolve(fileName);
    }
}
