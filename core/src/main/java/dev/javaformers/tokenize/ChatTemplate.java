package dev.javaformers.tokenize;

import com.fasterxml.jackson.databind.JsonNode;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.lib.filter.Filter;
import dev.javaformers.util.PyJson;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A tokenizer's {@code chat_template} rendered as transformers renders it: Jinja with {@code trim_blocks} and
 * {@code lstrip_blocks}, the special tokens, {@code add_generation_prompt}, {@code raise_exception},
 * {@code strftime_now} and a {@code tojson} that writes what Python's {@code json.dumps} writes. The engine is
 * Jinjava; the Python string methods templates call ({@code startswith}, {@code upper}, ...) are mapped to
 * Java's before rendering.
 */
public final class ChatTemplate {

    private static final Map<String, String> PY_METHODS = Map.of("startswith", "startsWith", "endswith", "endsWith",
            "upper", "toUpperCase", "lower", "toLowerCase", "lstrip", "stripLeading", "rstrip", "stripTrailing");
    private static final Pattern PY_METHOD = Pattern.compile("\\.(" + String.join("|", PY_METHODS.keySet())
            + ")\\(");
    private static final Pattern FOR_TAG = Pattern.compile("\\{%-?\\s*for\\s.*?\\sin\\s(.*?)-?%}", Pattern.DOTALL);
    private static final Jinjava JINJA = engine();

    private final String name;
    private final String template;
    private final String source;

    private ChatTemplate(String name, String template, String source) {
        if (filtersALoop(template)) {
            throw new IllegalArgumentException(source + ": chat template '" + name + "' filters a loop ('for x in y "
                    + "if ...'), which the Jinja engine here (Jinjava) ignores; write the condition as an if inside "
                    + "the loop");
        }
        this.name = name;
        this.template = PY_METHOD.matcher(template).replaceAll(m -> "." + PY_METHODS.get(m.group(1)) + "(");
        this.source = source;
    }

    /**
     * The template {@code tokenizer_config.json} holds: a string, or a list of {@code {"name", "template"}} from
     * which {@code name} (null: "default", or the only one) is taken; null when there is none.
     */
    static ChatTemplate of(JsonNode value, String name, String source) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            if (name != null && !name.equals("default")) {
                throw new IllegalArgumentException(source + ": no chat template named '" + name + "'; it has one, "
                        + "'default'");
            }
            return new ChatTemplate("default", value.asText(), source);
        }
        Map<String, String> named = new java.util.LinkedHashMap<>();
        value.forEach(t -> named.put(t.path("name").asText(), t.path("template").asText()));
        String wanted = name != null ? name : named.size() == 1 ? named.keySet().iterator().next() : "default";
        if (!named.containsKey(wanted)) {
            throw new IllegalArgumentException(source + ": no chat template named '" + wanted + "'; it has "
                    + named.keySet());
        }
        return new ChatTemplate(wanted, named.get(wanted), source);
    }

    /** A template given as text (the {@code chat_template} argument of {@code apply_chat_template}). */
    public static ChatTemplate ofText(String template) {
        return new ChatTemplate("given", template, "the given chat template");
    }

    public String name() {
        return name;
    }

    /**
     * The conversation as the model was trained to read it. {@code variables} are the template's other inputs:
     * the special tokens ({@code bos_token}, ...), {@code tools}, {@code documents}, anything a template reads.
     */
    public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt,
            Map<String, ?> variables) {
        Map<String, Object> context = new HashMap<>(variables);
        context.put("messages", messages);
        context.put("add_generation_prompt", addGenerationPrompt);
        RenderResult result = JINJA.renderForResult(template, context);
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL
                        || e.getReason() == TemplateError.ErrorReason.SYNTAX_ERROR).toList();
        if (!fatal.isEmpty()) {
            TemplateError first = fatal.get(0);
            String raised = raisedMessage(first);
            throw new IllegalArgumentException(raised != null ? source + ": chat template '" + name + "' refused the "
                    + "conversation: " + raised : source + ": chat template '" + name + "' failed at line "
                    + first.getLineno() + ": " + first.getMessage());
        }
        return result.getOutput();
    }

    /**
     * Whether a for tag has Jinja's loop filter, {@code for x in y if c}: an {@code if} outside brackets and quotes
     * after {@code in}, without the {@code else} of a conditional expression.
     */
    static boolean filtersALoop(String template) {
        Matcher tag = FOR_TAG.matcher(template);
        while (tag.find()) {
            String iterable = tag.group(1);
            int depth = 0;
            char quote = 0;
            List<String> words = new ArrayList<>();
            StringBuilder word = new StringBuilder();
            for (char c : (iterable + " ").toCharArray()) {
                if (quote != 0) {
                    quote = c == quote ? 0 : quote;
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if ("([{".indexOf(c) >= 0) {
                    depth++;
                } else if (")]}".indexOf(c) >= 0) {
                    depth--;
                } else if (depth == 0 && Character.isLetter(c)) {
                    word.append(c);
                    continue;
                }
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            }
            int ifAt = words.indexOf("if");
            if (ifAt >= 0 && !words.subList(ifAt, words.size()).contains("else")) {
                return true;
            }
        }
        return false;
    }

    private static String raisedMessage(TemplateError error) {
        for (Throwable t = error.getException(); t != null; t = t.getCause()) {
            if (t instanceof Raised r) {
                return r.getMessage();
            }
        }
        Matcher m = Pattern.compile(Raised.PREFIX + "(.*)").matcher(error.getMessage());
        return m.find() ? m.group(1) : null;
    }

    private static Jinjava engine() {
        Jinjava jinja = new Jinjava(JinjavaConfig.newBuilder().withTrimBlocks(true).withLstripBlocks(true)
                .withFailOnUnknownTokens(false).build());
        jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
        jinja.getGlobalContext().registerFunction(new ELFunctionDefinition("", "strftime_now",
                ChatTemplate.class, "strftimeNow", String.class));
        jinja.getGlobalContext().registerFilter(new PythonJsonFilter());
        return jinja;
    }

    /** What a template raises to refuse a conversation (roles out of order, say). */
    static final class Raised extends RuntimeException {
        static final String PREFIX = "chat template raised: ";

        Raised(String message) {
            super(PREFIX + message);
        }

        @Override
        public String getMessage() {
            return super.getMessage().substring(PREFIX.length());
        }
    }

    /** Jinja's {@code raise_exception(message)}. */
    public static String raiseException(String message) {
        throw new Raised(message);
    }

    /** {@code strftime_now(format)}: the local time in Python's strftime codes. */
    public static String strftimeNow(String format) {
        ZonedDateTime now = ZonedDateTime.now();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c != '%' || i + 1 == format.length()) {
                out.append(c);
                continue;
            }
            char code = format.charAt(++i);
            String pattern = switch (code) {
                case 'd' -> "dd";
                case 'm' -> "MM";
                case 'Y' -> "yyyy";
                case 'y' -> "yy";
                case 'b' -> "MMM";
                case 'B' -> "MMMM";
                case 'a' -> "EEE";
                case 'A' -> "EEEE";
                case 'H' -> "HH";
                case 'M' -> "mm";
                case 'S' -> "ss";
                default -> null;
            };
            out.append(pattern == null ? "%" + code
                    : now.format(DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH)));
        }
        return out.toString();
    }

    /** {@code tojson} as transformers defines it: {@code json.dumps(x, ensure_ascii=False, indent=...)}. */
    static final class PythonJsonFilter implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, new Object[0], Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.getOrDefault("indent", args.length > 0 ? args[0] : null);
            JsonNode node = PyJson.MAPPER.valueToTree(var);
            StringBuilder out = new StringBuilder();
            write(node, indent == null ? -1 : ((Number) indent).intValue(), 0, out);
            return out.toString();
        }

        private static void write(JsonNode node, int indent, int depth, StringBuilder out) {
            if (node.isObject() || node.isArray()) {
                boolean object = node.isObject();
                if (node.isEmpty()) {
                    out.append(object ? "{}" : "[]");
                    return;
                }
                out.append(object ? '{' : '[');
                List<String> parts = new ArrayList<>();
                if (object) {
                    node.fields().forEachRemaining(e -> {
                        StringBuilder part = new StringBuilder(PyJson.MAPPER.getNodeFactory().textNode(e.getKey())
                                .toString()).append(": ");
                        write(e.getValue(), indent, depth + 1, part);
                        parts.add(part.toString());
                    });
                } else {
                    node.forEach(v -> {
                        StringBuilder part = new StringBuilder();
                        write(v, indent, depth + 1, part);
                        parts.add(part.toString());
                    });
                }
                if (indent < 0) {
                    out.append(String.join(", ", parts));
                } else {
                    String inner = "\n" + " ".repeat(indent * (depth + 1));
                    out.append(parts.stream().map(p -> inner + p).collect(Collectors.joining(",")));
                    out.append('\n').append(" ".repeat(indent * depth));
                }
                out.append(object ? '}' : ']');
            } else {
                out.append(node.toString());
            }
        }
    }
}
