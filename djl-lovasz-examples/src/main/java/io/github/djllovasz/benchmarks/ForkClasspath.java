package io.github.djllovasz.benchmarks;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Makes {@code java.class.path} hold this module's runtime classpath, which JMH gives its forked
 * JVMs. Under {@code mvn exec:java} the property names Maven's own launcher, while the project's
 * classes and jars are in the context class loader; this copies them over.
 */
public final class ForkClasspath {

    private ForkClasspath() {}

    /**
     * Sets {@code java.class.path} from the class loaders when it lacks JMH.
     *
     * @return the classpath forks will get
     */
    public static String ensure() {
        String current = System.getProperty("java.class.path", "");
        if (current.contains("jmh-core")) {
            return current;
        }
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader loader = Thread.currentThread().getContextClassLoader();
                loader != null;
                loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    entries.add(toPath(url));
                }
            }
        }
        if (entries.stream().noneMatch(e -> e.contains("jmh-core"))) {
            throw new IllegalStateException(
                    "cannot find JMH on the classpath to give the forked JVMs; run with java -cp or --forks 0");
        }
        String classpath = String.join(File.pathSeparator, entries);
        System.setProperty("java.class.path", classpath);
        return classpath;
    }

    private static String toPath(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return url.getPath();
        }
    }
}
