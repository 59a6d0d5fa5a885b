package io.github.djllovasz.errors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The "What happens when …" table of the documentation (docs/what-happens-when.md, linked from the
 * README) names only test methods that exist.
 */
class ReadmeMatrixTest {

    private static final List<String> PACKAGES =
            List.of("io.github.djllovasz.errors", "io.github.djllovasz.reliability", "io.github.djllovasz.parity", "io.github.djllovasz.training", "io.github.djllovasz.composite",
                    "io.github.djllovasz.metric", "io.github.djllovasz.properties");

    @Test
    void everyRowNamesAnExistingTest() throws IOException {
        Path page = Paths.get("..", "docs", "what-happens-when.md");
        String text = Files.readString(page, StandardCharsets.UTF_8);
        int start = text.indexOf("# What happens when");
        assertTrue(start >= 0, page + " has no 'What happens when' heading");
        int end = text.indexOf("\n#", start + 1);
        String table = text.substring(start, end < 0 ? text.length() : end);
        Matcher m = Pattern.compile("`([A-Z][A-Za-z]+Test)\\.([a-zA-Z]+)`").matcher(table);
        int rows = 0;
        while (m.find()) {
            rows++;
            Class<?> type = find(m.group(1));
            boolean exists = Arrays.stream(type.getDeclaredMethods()).map(Method::getName).anyMatch(m.group(2)::equals);
            assertTrue(exists, page + " names " + m.group(1) + "." + m.group(2) + ", which does not exist");
        }
        assertTrue(rows >= 20, "expected the table to name at least 20 tests, found " + rows);
    }

    private static Class<?> find(String simpleName) {
        for (String p : PACKAGES) {
            try {
                return Class.forName(p + "." + simpleName);
            } catch (ClassNotFoundException e) {
                // next package
            }
        }
        fail("no test class " + simpleName + " in " + PACKAGES);
        return null;
    }
}
