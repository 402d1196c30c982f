package dev.javaformers.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code %maven group:artifact:version ...}: the artifacts and their runtime dependencies, resolved from Maven
 * Central by Maven itself (the {@code mvn} that builds Javaformers, with its local repository and settings), then
 * added to the cells' class path.
 */
final class MavenMagic {

    private MavenMagic() {}

    /** The jar files of {@code coordinates} and everything they need at run time. */
    static List<Path> resolve(List<String> coordinates) throws IOException, InterruptedException {
        if (coordinates.isEmpty()) {
            throw new IllegalArgumentException("%maven takes coordinates: group:artifact:version ...");
        }
        StringBuilder deps = new StringBuilder();
        for (String c : coordinates) {
            String[] p = c.split(":");
            if (p.length != 3 || Stream.of(p).anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("%maven: '" + c + "' is not group:artifact:version");
            }
            deps.append("<dependency><groupId>").append(Html.escape(p[0])).append("</groupId><artifactId>")
                    .append(Html.escape(p[1])).append("</artifactId><version>").append(Html.escape(p[2]))
                    .append("</version></dependency>");
        }
        Path dir = Files.createTempDirectory("javaformers-maven");
        Files.writeString(dir.resolve("pom.xml"), "<project xmlns=\"http://maven.apache.org/POM/4.0.0\">"
                + "<modelVersion>4.0.0</modelVersion><groupId>notebook</groupId><artifactId>maven-magic</artifactId>"
                + "<version>1</version><dependencies>" + deps + "</dependencies></project>");
        Path log = dir.resolve("mvn.log");
        Process p;
        try {
            p = new ProcessBuilder("mvn", "-B", "-q", "-ntp", "-f", dir.resolve("pom.xml").toString(),
                    "dependency:copy-dependencies", "-DincludeScope=runtime",
                    "-DoutputDirectory=" + dir.resolve("lib")).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("%maven needs Maven (mvn) on the PATH: " + e.getMessage(), e);
        }
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("%maven: Maven took over 10 minutes for " + coordinates);
        }
        if (p.exitValue() != 0) {
            String output = Files.readString(log, StandardCharsets.UTF_8).lines().filter(l -> l.contains("ERROR"))
                    .findFirst().orElse("(no ERROR line; see " + log + ")").replace("[ERROR] ", "");
            throw new IllegalStateException("%maven could not resolve " + coordinates + ": " + output);
        }
        try (Stream<Path> jars = Files.list(dir.resolve("lib"))) {
            return jars.filter(j -> j.toString().endsWith(".jar")).sorted().toList();
        }
    }
}
