package dev.javaformers.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The design card's configuration blocks, turned into Groovy before Groovy parses the source:
 * {@code verb args < key value, key value >} becomes {@code verb(args) { key value; key value }}. Only where a DSL
 * verb starts a statement (or the right side of {@code name = ...}); strings, comments, generics
 * ({@code List<String>}) and comparisons ({@code a < b && c > d}) are left as they are. Newlines stay where they
 * were, so Groovy's line numbers are the user's.
 */
public final class DslSyntax {

    /** The verbs that may take a {@code < ... >} block. */
    public static final Set<String> VERBS = Set.of("model", "tokenizer", "dataset", "split", "tokenize", "train",
            "evaluate", "predict", "generate", "save", "plot", "device", "classify", "embed");

    private static final String[] OPERATORS = {">>>=", "<=>", ">>>", "..<", "==~", "**=", "<<=", ">>=", "?.", "*.",
        ".&", ".@", "?:", "->", "<<", ">>", "<=", ">=", "==", "!=", "=~", "&&", "||", "++", "--", "+=", "-=", "*=",
        "/=", "%=", "&=", "|=", "^=", "..", "**", "::"};

    private DslSyntax() {}

    /** A {@code < ... >} block that cannot be rewritten; line and column count from 1. */
    public static final class SyntaxError extends RuntimeException {
        public final int line;
        public final int column;

        SyntaxError(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }
    }

    enum Kind { IDENT, NUMBER, STRING, NEWLINE, PUNCT }

    record Token(Kind kind, String text, int start, int end, int line, int column) {
        boolean is(String s) {
            return kind == Kind.PUNCT && text.equals(s);
        }
    }

    private record Edit(int start, int end, String text) {}

    /** The source with every configuration block in Groovy's closure form. */
    public static String rewrite(String source) {
        return rewrite(source, false);
    }

    /**
     * As {@link #rewrite(String)}; {@code interactive} also turns a top-level {@code def x = ...} into
     * {@code x = ...}, so that a shell or notebook keeps the variable for the next input (as groovysh's interpreter
     * mode does).
     */
    public static String rewrite(String source, boolean interactive) {
        List<Token> tokens = new Lexer(source).tokens();
        List<Edit> edits = new ArrayList<>();
        List<Character> open = new ArrayList<>(); // brackets open at each token, to tell statement boundaries
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.kind == Kind.IDENT && VERBS.contains(t.text) && startsStatement(tokens, i, open)
                    && takesArguments(tokens, i + 1)) {
                block(tokens, i, edits);
            } else if (interactive && t.kind == Kind.IDENT && t.text.equals("def") && open.isEmpty()
                    && startsStatement(tokens, i, open) && i + 2 < tokens.size()
                    && tokens.get(i + 1).kind == Kind.IDENT && tokens.get(i + 2).is("=")) {
                edits.add(new Edit(t.start, t.end, "   "));
            }
            if (t.kind == Kind.PUNCT && (t.is("(") || t.is("[") || t.is("{"))) {
                open.add(t.text.charAt(0));
            } else if (t.kind == Kind.PUNCT && (t.is(")") || t.is("]") || t.is("}")) && !open.isEmpty()) {
                open.remove(open.size() - 1);
            }
        }
        StringBuilder out = new StringBuilder(source);
        // From the end backwards; at one position a replacement before an insertion, so both land.
        edits.sort((a, b) -> a.start != b.start ? Integer.compare(b.start, a.start)
                : Integer.compare(b.end - b.start, a.end - a.start));
        for (Edit e : edits) {
            out.replace(e.start, e.end, e.text);
        }
        return out.toString();
    }

    /** Whether token {@code i} is the first of a statement, or the value of a plain assignment. */
    private static boolean startsStatement(List<Token> tokens, int i, List<Character> open) {
        if (i == 0) {
            return true;
        }
        Token prev = tokens.get(i - 1);
        if (prev.kind == Kind.NEWLINE) {
            return open.isEmpty() || open.get(open.size() - 1) == '{';
        }
        if (prev.is(";") || prev.is("{") || prev.is("}") || prev.is("->")) {
            return true;
        }
        return prev.is("=") && i >= 2 && tokens.get(i - 2).kind == Kind.IDENT;
    }

    /** A verb used as a command ({@code train < ...}, {@code model 'x'}), not as a value ({@code model.x}). */
    private static boolean takesArguments(List<Token> tokens, int next) {
        if (next >= tokens.size()) {
            return false;
        }
        Token t = tokens.get(next);
        return t.kind == Kind.IDENT || t.kind == Kind.NUMBER || t.kind == Kind.STRING || t.is("(") || t.is("<")
                || t.is("-");
    }

    /** Records the edits for the block after verb {@code v}, if its statement has one. */
    private static void block(List<Token> tokens, int v, List<Edit> edits) {
        int depth = 0;
        int less = -1;
        for (int j = v + 1; j < tokens.size() && less < 0; j++) {
            Token t = tokens.get(j);
            if (t.is("(") || t.is("[") || t.is("{")) {
                depth++;
            } else if (t.is(")") || t.is("]") || t.is("}")) {
                if (depth-- == 0) {
                    return;
                }
            } else if (depth == 0 && (t.kind == Kind.NEWLINE || t.is(";"))) {
                return;
            } else if (depth == 0 && t.is("<")) {
                less = j;
            }
        }
        if (less < 0) {
            return;
        }
        List<Integer> commas = new ArrayList<>();
        depth = 0;
        List<Edit> lists = new ArrayList<>();
        for (int j = less + 1; j < tokens.size(); j++) {
            Token t = tokens.get(j);
            if (depth == 0 && t.kind == Kind.IDENT && j + 1 < tokens.size() && tokens.get(j + 1).is("[")
                    && settingStarts(tokens, j, less)) {
                listArgument(tokens, j, lists); // labels ['a', 'b'] is a call here, not an index
            }
            if (t.is("(") || t.is("[") || t.is("{")) {
                depth++;
            } else if (t.is(")") || t.is("]") || t.is("}")) {
                if (depth-- == 0) {
                    break;
                }
            } else if (depth == 0 && t.is(",")) {
                commas.add(j);
            } else if (depth == 0 && t.is(">")) {
                lists.forEach(edits::add);
                Token verb = tokens.get(v);
                Token lt = tokens.get(less);
                edits.add(new Edit(verb.end, verb.end, "("));
                edits.add(new Edit(lt.start, lt.end, ") {"));
                commas.forEach(c -> edits.add(new Edit(tokens.get(c).start, tokens.get(c).end, ";")));
                edits.add(new Edit(t.start, t.end, "}"));
                return;
            }
        }
        Token lt = tokens.get(less);
        throw new SyntaxError("The settings of '" + tokens.get(v).text + "' opened with '<' at line " + lt.line
                + ", column " + lt.column + " are not closed with '>'", lt.line, lt.column);
    }

    /** Whether token {@code j} begins a setting: right after the '<', a ',', a ';' or a new line. */
    private static boolean settingStarts(List<Token> tokens, int j, int less) {
        Token prev = tokens.get(j - 1);
        return j - 1 == less || prev.is(",") || prev.is(";") || prev.kind == Kind.NEWLINE;
    }

    /** {@code key [..]} becomes {@code key([..])}. */
    private static void listArgument(List<Token> tokens, int key, List<Edit> edits) {
        int depth = 0;
        for (int j = key + 1; j < tokens.size(); j++) {
            Token t = tokens.get(j);
            if (t.is("(") || t.is("[") || t.is("{")) {
                depth++;
            } else if ((t.is(")") || t.is("]") || t.is("}")) && --depth == 0) {
                edits.add(new Edit(tokens.get(key).end, tokens.get(key).end, "("));
                edits.add(new Edit(t.end, t.end, ")"));
                return;
            }
        }
    }

    /** Whether the source ends inside a multi-line string or comment (a shell then waits for more lines). */
    public static boolean endsOpen(String source) {
        Lexer lexer = new Lexer(source);
        lexer.tokens();
        return lexer.open;
    }

    /** Groovy's tokens, enough to skip strings and comments and to see brackets, operators and newlines. */
    static final class Lexer {
        private final String s;
        private int pos;
        private int line = 1;
        private int lineStart;
        private final List<Token> out = new ArrayList<>();
        /** Set when a triple-quoted or dollar-slashy string or a block comment runs to the end of the source. */
        boolean open;

        Lexer(String source) {
            this.s = source;
        }

        List<Token> tokens() {
            if (s.startsWith("#!")) {
                skipLine();
            }
            code(false);
            return out;
        }

        /** Lexes code until the end, or until the '}' that closes a GString's "${" (then nothing is recorded). */
        private void code(boolean untilBrace) {
            int braces = 0;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                int start = pos;
                int col = pos - lineStart + 1;
                if (c == '\n') {
                    pos++;
                    emit(Kind.NEWLINE, start, line, col, untilBrace);
                    newline();
                } else if (c == '\\' && peek(1) == '\n') {
                    advanceTo(pos + 2); // a continued line: no statement ends here
                } else if (Character.isWhitespace(c)) {
                    pos++;
                } else if (s.startsWith("//", pos)) {
                    skipLine();
                } else if (s.startsWith("/*", pos)) {
                    int end = s.indexOf("*/", pos + 2);
                    open |= end < 0;
                    advanceTo(end < 0 ? s.length() : end + 2);
                } else if (c == '\'' || c == '"') {
                    quoted(c);
                    emit(Kind.STRING, start, line, col, untilBrace);
                } else if (s.startsWith("$/", pos)) {
                    open |= !delimited(2, "/$", "$$", "$/");
                    emit(Kind.STRING, start, line, col, untilBrace);
                } else if (c == '/' && slashyAllowed()) {
                    delimited(1, "/", "\\/");
                    emit(Kind.STRING, start, line, col, untilBrace);
                } else if (Character.isJavaIdentifierStart(c)) {
                    while (pos < s.length() && Character.isJavaIdentifierPart(s.charAt(pos))) {
                        pos++;
                    }
                    emit(Kind.IDENT, start, line, col, untilBrace);
                } else if (Character.isDigit(c)) {
                    number();
                    emit(Kind.NUMBER, start, line, col, untilBrace);
                } else {
                    if (untilBrace && c == '{') {
                        braces++;
                    } else if (untilBrace && c == '}' && braces-- == 0) {
                        pos++;
                        return;
                    }
                    pos += operatorLength();
                    emit(Kind.PUNCT, start, line, col, untilBrace);
                }
            }
        }

        private void emit(Kind kind, int start, int startLine, int col, boolean nested) {
            if (!nested) {
                out.add(new Token(kind, s.substring(start, pos), start, pos, startLine, col));
            }
        }

        private char peek(int ahead) {
            return pos + ahead < s.length() ? s.charAt(pos + ahead) : '\0';
        }

        private void newline() {
            line++;
            lineStart = pos;
        }

        private void advanceTo(int end) {
            while (pos < end) {
                if (s.charAt(pos++) == '\n') {
                    newline();
                }
            }
        }

        private void skipLine() {
            int end = s.indexOf('\n', pos);
            pos = end < 0 ? s.length() : end;
        }

        private int operatorLength() {
            for (String op : OPERATORS) {
                if (s.startsWith(op, pos)) {
                    return op.length();
                }
            }
            return 1;
        }

        private void number() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                boolean exponentSign = (c == '-' || c == '+') && (s.charAt(pos - 1) == 'e' || s.charAt(pos - 1) == 'E')
                        && !s.startsWith("0x", pos - 2);
                boolean fraction = c == '.' && Character.isDigit(peek(1));
                if (Character.isLetterOrDigit(c) || c == '_' || exponentSign || fraction) {
                    pos++;
                } else {
                    return;
                }
            }
        }

        /** A '/' starts a slashy string where a value is expected, and divides after a value. */
        private boolean slashyAllowed() {
            if (out.isEmpty()) {
                return true;
            }
            Token prev = out.get(out.size() - 1);
            return switch (prev.kind) {
                case IDENT -> Set.of("return", "in", "case", "assert", "throw").contains(prev.text);
                case NUMBER, STRING -> false;
                case NEWLINE -> true;
                case PUNCT -> !(prev.is(")") || prev.is("]") || prev.is("}"));
            };
        }

        /** '...', "...", '''...''', """...""", with escapes and "${...}" interpolation. */
        private void quoted(char q) {
            String triple = String.valueOf(q).repeat(3);
            boolean isTriple = s.startsWith(triple, pos);
            pos += isTriple ? 3 : 1;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\\') {
                    advanceTo(Math.min(pos + 2, s.length()));
                } else if (isTriple ? s.startsWith(triple, pos) : c == q) {
                    pos += isTriple ? 3 : 1;
                    return;
                } else if (q == '"' && s.startsWith("${", pos)) {
                    pos += 2;
                    code(true);
                } else if (c == '\n' && !isTriple) {
                    return; // an unclosed string: Groovy reports it
                } else {
                    advanceTo(pos + 1);
                }
            }
            open |= isTriple;
        }

        /**
         * A slashy or dollar-slashy string: from after its {@code opening} to {@code closing}, where {@code escapes}
         * do not close it and "${...}" is code. Returns false when the source ends first.
         */
        private boolean delimited(int opening, String closing, String... escapes) {
            pos += opening;
            while (pos < s.length()) {
                int escaped = 0;
                for (String e : escapes) {
                    escaped = s.startsWith(e, pos) ? e.length() : escaped;
                }
                if (escaped > 0) {
                    pos += escaped;
                } else if (s.startsWith(closing, pos)) {
                    pos += closing.length();
                    return true;
                } else if (s.startsWith("${", pos)) {
                    pos += 2;
                    code(true);
                } else {
                    advanceTo(pos + 1);
                }
            }
            return false;
        }
    }
}
