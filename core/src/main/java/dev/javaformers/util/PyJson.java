package dev.javaformers.util;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON read with Jackson and written exactly as Python's {@code json.dumps(obj, indent=2, sort_keys=True)}
 * writes it, so that files we save diff cleanly against the ones transformers saves.
 */
public final class PyJson {

    /** The mapper used for all JSON in the project. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private PyJson() {}

    /** Reads a JSON file; a syntax error names the file, line and column. */
    public static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
            throw new IllegalArgumentException(
                    file + " is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (java.io.CharConversionException e) {
            throw new IllegalArgumentException(file + " is not valid JSON: not UTF-8, UTF-16 or UTF-32 text ("
                    + e.getMessage() + ")", e);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("No such file: " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Formats {@code node} as Python does with {@code indent=2}; keys sorted when {@code sortKeys}. */
    public static String dumps(JsonNode node, boolean sortKeys) {
        StringBuilder out = new StringBuilder();
        write(node, sortKeys, 0, out);
        return out.toString();
    }

    /** Writes {@code node} to {@code file} atomically, with the trailing newline transformers adds. */
    public static void writeFile(Path file, JsonNode node, boolean sortKeys) {
        AtomicFiles.writeString(file, dumps(node, sortKeys) + "\n");
    }

    private static void write(JsonNode node, boolean sortKeys, int depth, StringBuilder out) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                out.append("{}");
                return;
            }
            List<Map.Entry<String, JsonNode>> list = new ArrayList<>();
            node.fields().forEachRemaining(list::add);
            if (sortKeys) {
                list.sort(Map.Entry.comparingByKey(PyJson::compareKeys));
            }
            out.append("{");
            for (int i = 0; i < list.size(); i++) {
                out.append(i == 0 ? "\n" : ",\n");
                indent(depth + 1, out);
                out.append(quote(list.get(i).getKey())).append(": ");
                write(list.get(i).getValue(), sortKeys, depth + 1, out);
            }
            out.append("\n");
            indent(depth, out);
            out.append("}");
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[");
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "\n" : ",\n");
                indent(depth + 1, out);
                write(node.get(i), sortKeys, depth + 1, out);
            }
            out.append("\n");
            indent(depth, out);
            out.append("]");
        } else if (node.isTextual()) {
            out.append(quote(node.textValue()));
        } else if (node.isFloatingPointNumber()) {
            out.append(pythonFloat(node.doubleValue()));
        } else {
            out.append(node.toString()); // integers, booleans, null
        }
    }

    /** Python sorts dict keys as strings; integer-like keys (id2label) sort by value, as Python sorts int keys. */
    private static int compareKeys(String a, String b) {
        if (isInteger(a) && isInteger(b)) {
            return new BigDecimal(a).compareTo(new BigDecimal(b));
        }
        return a.compareTo(b);
    }

    private static boolean isInteger(String s) {
        return !s.isEmpty() && s.length() < 19 && s.matches("-?\\d+");
    }

    private static void indent(int depth, StringBuilder out) {
        out.append("  ".repeat(depth));
    }

    /** A JSON string as Python writes it with {@code ensure_ascii=True}. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A float as Python's {@code repr}: "0.1", "1.0", "1e-12", "1.5e-05", "1e+16", "NaN". */
    static String pythonFloat(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale(); // d = 0.digits * 10^(exponent+1)
        String sign = d < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = exact.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String exp = String.format("%02d", Math.abs(exponent));
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + exp;
    }
}
