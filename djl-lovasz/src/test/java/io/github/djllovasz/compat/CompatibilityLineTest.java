package io.github.djllovasz.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

/**
 * Prints the versions this run of the suite used, one line that {@code .ci/run} checks against the
 * README's compatibility table:
 *
 * <pre>
 *   compat: djl-lovasz 0.1.0-SNAPSHOT | DJL 0.36.0 | PyTorch 2.7.1 | Java 17
 * </pre>
 *
 * <p>and asserts that the engine's DJL is the DJL on the class path (an engine of another DJL
 * line would be a mixed class path that the table could not describe).
 */
class CompatibilityLineTest {

    @Test
    void printsTheVersionsThisRunUsed() {
        String library = System.getProperty("lovasz.version", "");
        assertFalse(library.isEmpty() || library.startsWith("${"), "surefire passes lovasz.version");
        Engine engine = Engine.getInstance();
        String djl = Engine.getDjlVersion();
        String engineName = engine.getEngineName();
        String name = "PyTorch".equalsIgnoreCase(engineName) ? "PyTorch" : "MXNet".equalsIgnoreCase(engineName) ? "MXNet" : engineName;
        String engineDjl = engine.getClass().getPackage().getImplementationVersion();
        if (engineDjl != null) {
            assertEquals(djl, engineDjl, "the engine jar's DJL version is the api's");
        }
        System.out.printf("compat: djl-lovasz %s | DJL %s | %s %s | Java %d%n",
                library, djl, name, engine.getVersion(), Runtime.version().feature());
    }
}
