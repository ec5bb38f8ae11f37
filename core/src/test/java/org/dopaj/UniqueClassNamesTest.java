package org.dopaj;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two classes share a simple name across packages (main and test together), so a name in a stack trace, a doc or a
 * search means one class (docs/contributing.md). The shell one-liner that says the same:
 * {@code find core/src train/src -name '*.java' ! -name package-info.java | sed 's#.*[/]##' | sort | uniq -d}.
 */
class UniqueClassNamesTest {
    @Test
    void everySimpleClassNameIsUsedOnce() throws IOException {
        Map<String, List<String>> byName = new TreeMap<>();
        int files = 0;
        for (String root : new String[] {"core/src/main/java", "core/src/test/java", "train/src/main/java", "train/src/test/java"}) {
            try (Stream<Path> s = Files.walk(Path.of(root))) {
                for (Path p : s.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
                    String name = p.getFileName().toString();
                    if (!name.equals("package-info.java") && !name.equals("module-info.java")) {
                        byName.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(p.toString());
                        files++;
                    }
                }
            }
        }
        assertTrue(files > 100, "source files found: " + files);
        Map<String, List<String>> twice = byName.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
        assertEquals(Map.of(), twice, "simple class names used in more than one package");
    }
}
