package io.github.mdunet.runtime.process;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The classpath a child JVM needs to run this program's classes. Under Maven's {@code exec:java} the program runs in
 * Maven's own JVM, whose {@code java.class.path} is Maven's launcher: the project's classes are in the URLs of the
 * class loader Maven made for it. Run from a plain {@code java -cp}, that property is the answer.
 */
public final class ChildClasspath {

    private ChildClasspath() {
    }

    /** The classpath entries that loaded {@code anchor}. */
    public static List<String> of(Class<?> anchor) {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader loader = anchor.getClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException e) {
                        entries.add(url.getPath());
                    }
                }
                break; // the project's own loader; its parents are Maven's
            }
        }
        return entries.isEmpty() ? List.of(System.getProperty("java.class.path").split(File.pathSeparator))
                : List.copyOf(entries);
    }
}
