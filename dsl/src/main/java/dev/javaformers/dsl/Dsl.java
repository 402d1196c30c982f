package dev.javaformers.dsl;

import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.customizers.ImportCustomizer;

/** The compiler settings every DSL script is compiled with: base class, syntax and imports. */
public final class Dsl {

    /** The packages a script can use without importing them. */
    public static final String[] PACKAGES = {"dev.javaformers.config", "dev.javaformers.models",
        "dev.javaformers.tokenize", "dev.javaformers.data", "dev.javaformers.train", "dev.javaformers.chart",
        "dev.javaformers.nn", "dev.javaformers.hub", "dev.javaformers.onnx", "dev.javaformers.pipelines", "ai.djl.ndarray", "ai.djl.ndarray.types"};

    private Dsl() {}

    /**
     * Scripts extend {@link JavaformersScript}, may write {@code verb args < key value >}, and see the Javaformers
     * API; {@code interactive} keeps top-level {@code def} variables from one input to the next.
     */
    public static CompilerConfiguration configuration(boolean interactive) {
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(JavaformersScript.class.getName());
        config.addCompilationCustomizers(new ImportCustomizer().addStarImports(PACKAGES));
        return DslParserPluginFactory.install(config, interactive);
    }
}
