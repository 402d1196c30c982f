package dev.javaformers.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code < ... >} rewrite: what it changes, what it leaves alone, and that Groovy then runs it. */
class DslSyntaxTest {

    @Test
    void blocksBecomeClosures() {
        assertEquals("model( 'bert-base-cased' ) { heads 12 }", DslSyntax.rewrite("model 'bert-base-cased' < heads 12 >"));
        assertEquals("train( ) { epochs 3 }", DslSyntax.rewrite("train < epochs 3 >"));
        assertEquals("train( ) {epochs 3; batch 16; lr 5e-5}", DslSyntax.rewrite("train <epochs 3, batch 16, lr 5e-5>"));
        assertEquals("model( 'x' ) { labels( ['a', 'b']); task 'sequence-classification' }",
                DslSyntax.rewrite("model 'x' < labels ['a', 'b'], task 'sequence-classification' >"));
        assertEquals("dataset( csv('r.csv') ) { text 'review' }", DslSyntax.rewrite("dataset csv('r.csv') < text 'review' >"));
        assertEquals("def m = train( ) { steps 2 }", DslSyntax.rewrite("def m = train < steps 2 >"));
        assertEquals("if (x) { plot( loss ) { file 'a.svg' } }", DslSyntax.rewrite("if (x) { plot loss < file 'a.svg' > }"));
        assertEquals("[1].each { n -> train( ) { epochs n } }", DslSyntax.rewrite("[1].each { n -> train < epochs n > }"));
    }

    @Test
    void blocksOverSeveralLinesKeepEveryLine() {
        String source = "model 'x' <\n    heads 12,\n    layers 2\n>\ntrain < epochs 1 >  // comment\n";
        String rewritten = DslSyntax.rewrite(source);
        assertEquals("model( 'x' ) {\n    heads 12;\n    layers 2\n}\ntrain( ) { epochs 1 }  // comment\n", rewritten);
        assertEquals(source.lines().count(), rewritten.lines().count());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "println \"train < epochs 3 >\"",
        "println 'model \\'x\\' < heads 12 >'",
        "println '''\ntrain < epochs 3 >\n'''",
        "// train < epochs 3 >",
        "/* model 'x' < heads 12 >\n train < a > */",
        "List<String> names = []",
        "Map<String, List<Integer>> m = [:]",
        "if (a < b && c > d) { println a }",
        "def ok = a < b && c > d",
        "boolean small = model.numParameters() < 10 && x > 2",
        "model.eval()\nx = y < z ? 1 : 2 > 3",
        "println \"${train < 1 ? 'a' : \"b\"} and model 'x' < y >\"",
        "def r = /train < epochs 3 >/",
        "def s = $/model 'x' < heads 12 >/$",
        "def half = total / 2; train.x < y",
        "#!/usr/bin/env jf\nprintln 1 < 2",
        "println model < 3",
    })
    void leavesOrdinaryGroovyAlone(String source) {
        assertEquals(source, DslSyntax.rewrite(source));
    }

    @Test
    void anUnclosedBlockNamesItsLineAndColumn() {
        DslSyntax.SyntaxError e = assertThrows(DslSyntax.SyntaxError.class,
                () -> DslSyntax.rewrite("println 1\nmodel 'x' < heads 12\nprintln 2\n"));
        assertEquals(2, e.line);
        assertEquals(11, e.column);
        assertTrue(e.getMessage().contains("'model'") && e.getMessage().contains("'>'"), e.getMessage());
    }

    @Test
    void interactiveModeKeepsTopLevelDefVariables() {
        assertEquals("    x = 1\n[1].each { def y = 2 }", DslSyntax.rewrite("def x = 1\n[1].each { def y = 2 }", true));
        assertEquals("def x = 1", DslSyntax.rewrite("def x = 1"));
    }

    /** Groovy itself, through the parser hook: the block arrives as a closure, errors carry the user's lines. */
    @Test
    void groovyParsesTheRewrittenSource() {
        CompilerConfiguration config = DslParserPluginFactory.install(new CompilerConfiguration(), false);
        Binding binding = new Binding();
        GroovyShell shell = new GroovyShell(binding, config);
        Object result = shell.evaluate("""
                def model(String name, Closure c) { [name: name] + Settings.of(c) }
                List<String> kept = ['a']
                def r = model 'bert' <
                    heads 12,
                    labels ['neg', 'pos']
                >
                assert 1 < 2 && 3 > 2
                r
                """.replace("Settings.of", "dev.javaformers.dsl.Settings.of"));
        assertEquals(Map.of("name", "bert", "heads", 12, "labels", List.of("neg", "pos")), result);

        RuntimeException thrown = assertThrows(RuntimeException.class, () -> shell.evaluate(
                "def train(Closure c) { c }\ntrain <\n  a 1\n>\n\nthrow new RuntimeException('line six')\n",
                "lines.groovy"));
        assertTrue(List.of(thrown.getStackTrace()).stream().anyMatch(f -> "lines.groovy".equals(f.getFileName())
                && f.getLineNumber() == 6), "the user's line 6 in the stack");

        var unclosed = assertThrows(MultipleCompilationErrorsException.class,
                () -> shell.parse("println 1\ntrain < epochs 3\n", "unclosed.groovy"));
        assertTrue(unclosed.getMessage().contains("unclosed.groovy: 2:")
                && unclosed.getMessage().contains("not closed with '>'"), unclosed.getMessage());
    }
}
