package dev.javaformers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.javaformers.config.AutoConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The package graph of core's classes, as the JDK's jdeps reads it: no cycles, and config knows no model. */
class PackageCyclesTest {

    private static Map<String, Set<String>> packageGraph() throws Exception {
        Path classes = Path.of(AutoConfig.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        StringWriter out = new StringWriter();
        int rc = ToolProvider.findFirst("jdeps").orElseThrow().run(new PrintWriter(out), new PrintWriter(out),
                "-verbose:package", "-filter:none", "-e", "dev\\.javaformers\\..*", classes.toString());
        assertEquals(0, rc, out.toString());
        Map<String, Set<String>> graph = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^\\s+(dev\\.javaformers\\.\\S+)\\s+->\\s+(dev\\.javaformers\\.\\S+)").matcher(
                out.toString());
        while (m.find()) {
            graph.computeIfAbsent(m.group(1), k -> new TreeSet<>());
            if (!m.group(1).equals(m.group(2))) {
                graph.get(m.group(1)).add(m.group(2));
            }
        }
        assertTrue(graph.size() > 10, "jdeps should list core's packages:\n" + out);
        return graph;
    }

    @Test
    void corePackagesFormNoCycle() throws Exception {
        Map<String, Set<String>> graph = packageGraph();
        List<List<String>> cycles = new ArrayList<>();
        for (String start : graph.keySet()) { // a path back to start through its dependencies is a cycle
            List<String> path = cycleFrom(start, start, graph, new ArrayList<>(List.of(start)), new TreeSet<>());
            if (path != null) {
                cycles.add(path);
            }
        }
        assertEquals(List.of(), cycles, "package cycles in core");
        assertTrue(graph.get("dev.javaformers.config").stream().noneMatch(p -> p.startsWith("dev.javaformers.models")),
                "config imports " + graph.get("dev.javaformers.config"));
        assertTrue(graph.get("dev.javaformers.models").stream().noneMatch(p -> p.startsWith("dev.javaformers.models.")),
                "models imports an architecture: " + graph.get("dev.javaformers.models"));
    }

    private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> graph, List<String> path,
            Set<String> seen) {
        for (String next : graph.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(start);
                return cycle;
            }
            if (seen.add(next)) {
                path.add(next);
                List<String> found = cycleFrom(start, next, graph, path, seen);
                if (found != null) {
                    return found;
                }
                path.remove(path.size() - 1);
            }
        }
        return null;
    }
}
