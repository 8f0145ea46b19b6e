package io.github.mdunet.zoo.pretrained;

import java.io.FileNotFoundException;

/**
 * The zoo's pretrained file is not in DL4J's cache directory. The message names the file, the directory to place it
 * in, the address to download it from and how to move the directory, and ends with this library's way to give a copy
 * from elsewhere ({@code Weights.file(path)}); an app that has an option for that gives its own remedy with
 * {@link #withRemedy(String)}.
 */
public final class MissingWeightsException extends FileNotFoundException {

    private static final long serialVersionUID = 1L;

    /** What to do, phrased to follow "or ": the library's API. */
    static final String API_REMEDY = "pass a path with Weights.file(path)";

    /** The file, where to place it, where to download it and how to move the directory, up to the last remedy. */
    private final String whereToPlace;

    MissingWeightsException(String whereToPlace) {
        super(whereToPlace + ", or " + API_REMEDY + ". This library never downloads.");
        this.whereToPlace = whereToPlace;
    }

    /**
     * The message with {@code remedy} in place of {@code Weights.file(path)}, phrased to follow "or " (an app's
     * option, e.g. "give a copy with --weights FILE").
     */
    public String withRemedy(String remedy) {
        return whereToPlace + ", or " + remedy + ". Nothing is downloaded.";
    }
}
