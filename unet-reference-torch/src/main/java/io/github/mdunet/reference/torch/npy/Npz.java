package io.github.mdunet.reference.torch.npy;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * NumPy .npz archives: a zip whose entries are {@code <key>.npy}. Reading accepts stored and deflated entries (as
 * {@code np.savez} and {@code np.savez_compressed} write them) and drops the {@code .npy} suffix from keys, as NumPy
 * does; entry order is kept.
 */
public final class Npz {

    private static final String SUFFIX = ".npy";

    private Npz() {
    }

    /** All arrays of an archive by key, in file order. */
    public static Map<String, NpyArray> read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, file.toString());
        }
    }

    public static Map<String, NpyArray> read(InputStream stream, String source) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(stream)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.isDirectory()) {
                    continue;
                }
                String name = entry.getName();
                String key = name.endsWith(SUFFIX) ? name.substring(0, name.length() - SUFFIX.length()) : name;
                if (arrays.put(key, Npy.read(zip, source + "[" + name + "]")) != null) {
                    throw new IOException(source + " holds the key '" + key + "' twice");
                }
            }
        }
        if (arrays.isEmpty()) {
            throw new IOException(source + " holds no arrays (is it an .npz zip?)");
        }
        return Collections.unmodifiableMap(arrays);
    }

    /** Writes the arrays, in map order, as a deflated archive readable by {@code np.load}. */
    public static void write(Map<String, NpyArray> arrays, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(arrays, out);
        }
    }

    public static void write(Map<String, NpyArray> arrays, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        zip.setLevel(1);
        for (Map.Entry<String, NpyArray> entry : arrays.entrySet()) {
            zip.putNextEntry(new ZipEntry(entry.getKey() + SUFFIX));
            Npy.write(entry.getValue(), zip);
            zip.closeEntry();
        }
        zip.finish();
    }
}
