package dev.javaformers.dsl;

import java.io.IOException;
import java.io.Reader;
import org.apache.groovy.parser.antlr4.Antlr4ParserPlugin;
import org.codehaus.groovy.GroovyBugError;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.ParserPlugin;
import org.codehaus.groovy.control.ParserPluginFactory;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.io.StringReaderSource;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.runtime.IOGroovyMethods;
import org.codehaus.groovy.syntax.Reduction;
import org.codehaus.groovy.syntax.SyntaxException;

/**
 * Groovy's own parser with the DSL's {@code < ... >} blocks rewritten first ({@link DslSyntax}). Installed with
 * {@link #install(CompilerConfiguration, boolean)}; an unclosed block is a compilation error at its '<'.
 */
public final class DslParserPluginFactory extends ParserPluginFactory {

    private final boolean interactive;

    private DslParserPluginFactory(boolean interactive) {
        this.interactive = interactive;
    }

    /** Makes {@code config} parse the DSL; {@code interactive} keeps top-level {@code def} variables. */
    public static CompilerConfiguration install(CompilerConfiguration config, boolean interactive) {
        config.setPluginFactory(new DslParserPluginFactory(interactive));
        return config;
    }

    @Override
    public ParserPlugin createParserPlugin() {
        return new Antlr4ParserPlugin() {
            @Override
            public Reduction parseCST(SourceUnit unit, Reader reader) {
                String source;
                try {
                    source = IOGroovyMethods.getText(reader);
                } catch (IOException e) {
                    throw new GroovyBugError("Failed to read the source of " + unit.getName(), e);
                }
                try {
                    source = DslSyntax.rewrite(source, interactive);
                } catch (DslSyntax.SyntaxError e) {
                    unit.getErrorCollector().addFatalError(new SyntaxErrorMessage(
                            new SyntaxException(e.getMessage(), e.line, e.column), unit));
                }
                unit.setSource(new StringReaderSource(source, unit.getConfiguration()));
                return null;
            }
        };
    }
}
