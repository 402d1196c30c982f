package dev.javaformers.kernel;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Installs the kernelspec that starts this kernel with this JVM's class path, through Jupyter's own
 * {@code jupyter kernelspec install} ({@code --user} by default, or {@code --prefix DIR}, {@code --sys-prefix}).
 */
public final class KernelInstaller {

    public static final String NAME = "javaformers";

    private KernelInstaller() {}

    /** kernel.json: java with {@code jvmOptions} and the class path, then KernelMain and the connection file. */
    static String kernelJson(List<String> jvmOptions) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode kernel = json.createObjectNode();
        ArrayNode argv = kernel.putArray("argv");
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.add("-Djava.awt.headless=true");
        jvmOptions.forEach(argv::add);
        sparkJvmOptions().forEach(argv::add);
        argv.add("-cp").add(System.getProperty("java.class.path")).add(KernelMain.class.getName())
                .add("{connection_file}");
        kernel.put("display_name", "Javaformers (Java)").put("language", "java").put("interrupt_mode", "message");
        ObjectNode env = kernel.putObject("env").put("DJL_OFFLINE", "true").put("OPT_OUT_TRACKING", "true");
        dev.javaformers.nn.Engines.MALLOC_ENVIRONMENT.forEach(env::put);
        if (!sparkJvmOptions().isEmpty()) {
            env.put("SPARK_LOCAL_IP", "127.0.0.1"); // a local Spark in a notebook stays on loopback
        }
        return json.writerWithDefaultPrettyPrinter().writeValueAsString(kernel);
    }

    /**
     * Writes the kernelspec and runs {@code jupyter kernelspec install} with {@code where} ({@code --user},
     * {@code --prefix DIR}, ...); returns what Jupyter printed.
     */
    public static String install(List<String> where, List<String> jvmOptions) throws IOException,
            InterruptedException {
        Path spec = Files.createTempDirectory("javaformers-kernelspec").resolve(NAME);
        Files.createDirectories(spec);
        Files.writeString(spec.resolve("kernel.json"), kernelJson(jvmOptions));
        List<String> command = new ArrayList<>(List.of(jupyter(), "kernelspec", "install", "--replace", "--name",
                NAME));
        command.addAll(where);
        command.add(spec.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("jupyter kernelspec install failed: " + out);
        }
        return out;
    }

    /**
     * The JVM options Spark needs on Java 17 (its launcher's --add-opens), when Spark is on the class path: the
     * parent pom's {@code spark.jvm.options}, copied here at build time.
     */
    static List<String> sparkJvmOptions() throws IOException {
        if (KernelInstaller.class.getClassLoader().getResource("org/apache/spark/sql/SparkSession.class") == null) {
            return List.of();
        }
        try (var in = KernelInstaller.class.getResourceAsStream("spark-jvm-options.txt")) {
            return List.of(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip()
                    .split("\\s+"));
        }
    }

    /** Debian's jupyter when there is one (another python3 may come first on the PATH), else the PATH's. */
    static String jupyter() {
        return Files.isExecutable(Path.of("/usr/bin/jupyter")) ? "/usr/bin/jupyter" : "jupyter";
    }

    /** {@code KernelMain --install [--user | --prefix DIR | --sys-prefix]}. */
    static void main(List<String> args) throws Exception {
        List<String> where = args.isEmpty() ? List.of("--user") : args;
        System.out.print(install(where, List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils=error")));
        System.out.println("Installed the Jupyter kernel '" + NAME + "' (\"Javaformers (Java)\"), running the classes "
                + "of this build.");
        System.out.println("Open a notebook with it: jupyter notebook notebooks/01-quickstart.ipynb");
        System.out.println("Remove it with: jupyter kernelspec uninstall " + NAME);
    }
}
