package io.github.djllovasz.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The examples teach the library: they define no loss or metric of their own. */
class LibraryOnlyTest {

    private static final Pattern OWN_LOSS_OR_METRIC =
            Pattern.compile("\\bextends\\s+(\\w*Loss|\\w*Evaluator|Evaluator)\\b");

    @Test
    void examplesDefineNoLossOrEvaluator() throws IOException {
        Path main = Paths.get("src", "main", "java");
        List<Path> sources;
        try (Stream<Path> files = Files.walk(main)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList());
        }
        assertTrue(sources.size() > 20, "found the example sources: " + sources.size());
        List<String> offenders = sources.stream()
                .filter(p -> OWN_LOSS_OR_METRIC.matcher(read(p)).find())
                .map(Path::toString)
                .collect(Collectors.toList());
        assertEquals(List.of(), offenders, "subclasses of Loss or Evaluator belong in the library");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
