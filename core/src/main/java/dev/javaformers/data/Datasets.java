package dev.javaformers.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import dev.javaformers.hub.Hub;
import dev.javaformers.hub.HubOptions;
import dev.javaformers.util.Kwargs;
import dev.javaformers.util.Names;
import dev.javaformers.util.PyJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tech.tablesaw.api.Table;

/**
 * Loading datasets, as {@code datasets.load_dataset}: local CSV, TSV, JSON and JSON Lines files, Hub dataset
 * repositories (their data files split by name into train / test / validation), Tablesaw tables, and the
 * built-in sets. A row that cannot be read is an error naming the file and line; with {@code skip_bad_rows}
 * such rows are skipped and their count reported.
 */
public final class Datasets {

    private static final Logger LOG = LoggerFactory.getLogger(Datasets.class);
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Map<String, List<String>> SPLIT_WORDS = Map.of(
            "train", List.of("train", "training"),
            "validation", List.of("validation", "valid", "val", "dev"),
            "test", List.of("test", "testing", "eval", "evaluation"));

    private Datasets() {}

    public static Dataset csv(Path file) {
        return csv(file, Map.of());
    }

    /** A CSV file with a header line. Options: {@code delimiter} (default ","), {@code skip_bad_rows}. */
    public static Dataset csv(Path file, Map<String, ?> options) {
        Kwargs kw = Kwargs.of(options);
        String delimiter = kw.popString("delimiter");
        return delimited(file, delimiter == null ? ',' : delimiter.charAt(0), kw);
    }

    /** A tab-separated file with a header line. */
    public static Dataset tsv(Path file, Map<String, ?> options) {
        return delimited(file, '\t', Kwargs.of(options));
    }

    public static Dataset json(Path file) {
        return json(file, Map.of());
    }

    /** A JSON array of objects (or an object holding one under {@code field}). */
    public static Dataset json(Path file, Map<String, ?> options) {
        Kwargs kw = Kwargs.of(options);
        String field = kw.popString("field");
        boolean skip = kw.popBoolean("skip_bad_rows", false);
        checkNoMore(kw, file, "field, skip_bad_rows");
        JsonNode root = PyJson.read(nonEmpty(file));
        JsonNode rows = field != null ? root.path(field) : root;
        if (!rows.isArray()) {
            throw new IllegalArgumentException(file + ": expected a JSON array of objects" + (field == null ? ""
                    : " under '" + field + "'") + ", found " + rows.getNodeType()
                    + (root.isObject() ? " (pass field: NAME for an array inside an object)" : ""));
        }
        RowCollector rowsOut = new RowCollector(file, skip);
        for (int i = 0; i < rows.size(); i++) {
            rowsOut.add(i + 1, "element", rows.get(i));
        }
        return rowsOut.build();
    }

    public static Dataset jsonl(Path file) {
        return jsonl(file, Map.of());
    }

    /** JSON Lines: one object per line; blank lines are ignored. */
    public static Dataset jsonl(Path file, Map<String, ?> options) {
        Kwargs kw = Kwargs.of(options);
        boolean skip = kw.popBoolean("skip_bad_rows", false);
        checkNoMore(kw, file, "skip_bad_rows");
        RowCollector rows = new RowCollector(file, skip);
        try (BufferedReader in = Files.newBufferedReader(nonEmpty(file), StandardCharsets.UTF_8)) {
            int line = 0;
            for (String text = in.readLine(); text != null; text = in.readLine()) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = PyJson.MAPPER.readTree(text);
                } catch (JsonProcessingException e) {
                    rows.bad(line, "not valid JSON: " + e.getOriginalMessage());
                    continue;
                }
                rows.add(line, "line", node);
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
        return rows.build();
    }

    /**
     * Plain text, as {@code load_dataset("text", data_files=...)}: one row per line in the column {@code text}.
     * Empty lines are left out (there they are empty rows): Tablesaw holds an empty string as a missing value.
     */
    public static Dataset text(Path file) {
        try {
            List<String> lines = Files.readAllLines(nonEmpty(file), StandardCharsets.UTF_8);
            lines.removeIf(String::isEmpty);
            return Dataset.fromTable(Table.create(file.getFileName().toString(),
                    tech.tablesaw.api.StringColumn.create("text", lines)));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }

    /** A Parquet file, as the Hub stores converted datasets ({@code data/train-00000-of-00001.parquet}). */
    public static Dataset parquet(Path file) {
        return ParquetFiles.read(file);
    }

    public static Dataset fromTable(Table table) {
        return Dataset.fromTable(table);
    }

    /** A dataset by file: .csv, .tsv, .json, .jsonl, .parquet or .txt. */
    public static Dataset file(Path file, Map<String, ?> options) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return csv(file, options);
        } else if (name.endsWith(".tsv")) {
            return tsv(file, options);
        } else if (name.endsWith(".jsonl")) {
            return jsonl(file, options);
        } else if (name.endsWith(".json")) {
            return json(file, options);
        } else if (name.endsWith(".parquet")) {
            return parquet(file);
        } else if (name.endsWith(".txt")) {
            return text(file);
        }
        throw new IllegalArgumentException(file + ": unknown data file type (expected .csv, .tsv, .json, .jsonl, "
                + ".parquet, .txt)");
    }

    /**
     * A Hub dataset repository, as {@code load_dataset("org/name")}: its data files are fetched through the hub
     * code and split by name ({@code train.csv}, {@code data/test-00000-of-00001.jsonl}, ...); files that name no
     * split form {@code train}. Options: the Hub options ({@code revision}, {@code cache_dir}, {@code token}, ...)
     * and the file options ({@code skip_bad_rows}).
     */
    public static DatasetDict load(String repoId, Map<String, ?> options) {
        Kwargs kw = Kwargs.of(options);
        kw.pop("repo_type");
        HubOptions hub = HubOptions.fromKwargs(kw).toBuilder().optRepoType("dataset").build();
        Map<String, Object> fileOptions = kw.remaining();
        Map<String, List<String>> splits = new LinkedHashMap<>();
        for (String file : Hub.listFiles(repoId, hub)) {
            if (isDataFile(file)) {
                splits.computeIfAbsent(splitOf(file), k -> new ArrayList<>()).add(file);
            }
        }
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("The dataset repository " + repoId + " has no data files (.csv, .tsv, "
                    + ".json, .jsonl, .parquet)");
        }
        if (splits.containsKey("") ) {
            splits.computeIfAbsent("train", k -> new ArrayList<>()).addAll(splits.remove(""));
        }
        DatasetDict out = new DatasetDict();
        for (String split : List.of("train", "validation", "test")) {
            List<String> files = splits.get(split);
            if (files == null) {
                continue;
            }
            Dataset merged = null;
            for (String file : files) {
                Dataset part = file(Hub.download(repoId, file, hub), fileOptions);
                merged = merged == null ? part : concat(merged, part, repoId + "/" + file);
            }
            out.put(split, merged);
        }
        return out;
    }

    private static boolean isDataFile(String file) {
        String f = file.toLowerCase(Locale.ROOT);
        return f.endsWith(".csv") || f.endsWith(".tsv") || f.endsWith(".json") || f.endsWith(".jsonl")
                || f.endsWith(".parquet");
    }

    /** The split a file's name or folder names, or "" for none. */
    static String splitOf(String file) {
        String[] words = file.toLowerCase(Locale.ROOT).split("[^a-z0-9]+");
        for (var e : SPLIT_WORDS.entrySet()) {
            for (String w : words) {
                if (e.getValue().contains(w)) {
                    return e.getKey();
                }
            }
        }
        return "";
    }

    private static Dataset concat(Dataset a, Dataset b, String source) {
        if (!a.columnNames().equals(b.columnNames())) {
            throw new IllegalArgumentException(source + " has the columns " + b.columnNames() + ", the split's "
                    + "other files " + a.columnNames());
        }
        Table t = a.table();
        t.append(b.table());
        return Dataset.fromTable(t);
    }

    /**
     * The data sets that ship with Javaformers: {@code sentiment-sentences} (3,000 review sentences from Amazon,
     * IMDB and Yelp labelled negative / positive; Kotzias et al. 2015, CC BY 4.0).
     */
    public static Dataset builtin(String name) {
        if (!name.equals("sentiment-sentences")) {
            throw new IllegalArgumentException("No built-in dataset '" + name + "'; there is: sentiment-sentences");
        }
        List<Object> texts = new ArrayList<>();
        List<Object> labels = new ArrayList<>();
        List<Object> sources = new ArrayList<>();
        for (String source : List.of("amazon", "imdb", "yelp")) {
            String resource = "/dev/javaformers/data/sentiment/" + source + ".json";
            try (InputStream in = Datasets.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("Missing resource " + resource);
                }
                for (JsonNode row : PyJson.MAPPER.readTree(in)) {
                    if (row.path("text").asText("").isEmpty() && row.path("class").isNull()) {
                        continue; // each file ends with an empty entry
                    }
                    texts.add(row.path("text").asText().strip());
                    labels.add(row.path("class").asInt());
                    sources.add(source);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + resource, e);
            }
        }
        Table table = Table.create(name, Columns.of("text", texts), Columns.of("label", labels),
                Columns.of("source", sources));
        return Dataset.fromTable(table).withClassLabel("label", new ClassLabel(List.of("negative", "positive")));
    }

    // ---------------------------------------------------------------- delimited text

    private static Dataset delimited(Path file, char delimiter, Kwargs kw) {
        boolean skip = kw.popBoolean("skip_bad_rows", false);
        checkNoMore(kw, file, "delimiter, skip_bad_rows");
        CsvParserSettings settings = new CsvParserSettings();
        settings.getFormat().setDelimiter(delimiter);
        settings.getFormat().setLineSeparator("\n");
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setMaxCharsPerColumn(-1);
        settings.setMaxColumns(10_000);
        settings.setSkipEmptyLines(true);
        settings.setIgnoreLeadingWhitespaces(false);
        settings.setIgnoreTrailingWhitespaces(false);
        CsvParser parser = new CsvParser(settings);
        try (Reader reader = Files.newBufferedReader(nonEmpty(file), StandardCharsets.UTF_8)) {
            String[] header;
            try {
                parser.beginParsing(reader);
                header = parser.parseNext();
            } catch (TextParsingException e) {
                throw new IllegalArgumentException(file + ": the header line cannot be parsed ("
                        + e.getMessage().lines().findFirst().orElse("") + ")", e);
            }
            if (header == null) {
                throw new IllegalArgumentException(file + " is empty: expected a header line naming the columns");
            }
            List<List<String>> cells = new ArrayList<>();
            for (String ignored : header) {
                cells.add(new ArrayList<>());
            }
            int skipped = 0;
            String firstProblem = null;
            while (true) {
                String[] row;
                long line;
                try {
                    row = parser.parseNext();
                    line = parser.getContext().currentLine();
                } catch (TextParsingException e) {
                    String why = e.getCause() instanceof java.nio.charset.CharacterCodingException ? "not UTF-8 text"
                            : e.getMessage().lines().findFirst().orElse("");
                    throw new IllegalArgumentException(file + ", line " + e.getLineIndex() + ": the row cannot be "
                            + "parsed (" + why + ")", e);
                }
                if (row == null) {
                    break;
                }
                if (row.length != header.length) {
                    String problem = file + ", line " + line + ": expected " + header.length + " fields "
                            + java.util.Arrays.toString(header) + " but found " + row.length;
                    if (!skip) {
                        throw new IllegalArgumentException(problem + ". Pass skip_bad_rows: true to skip such rows.");
                    }
                    skipped++;
                    firstProblem = firstProblem == null ? problem : firstProblem;
                    continue;
                }
                for (int c = 0; c < row.length; c++) {
                    cells.get(c).add(row[c]);
                }
            }
            if (skipped > 0) {
                LOG.warn("Skipped {} bad rows of {}; the first: {}", skipped, file, firstProblem);
            }
            Table table = Table.create(file.getFileName().toString());
            for (int c = 0; c < header.length; c++) {
                table.addColumns(Columns.of(header[c] == null ? "column_" + c : header[c].strip(), typed(cells.get(c))));
            }
            return Dataset.fromTable(table);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        } finally {
            try {
                parser.stopParsing();
            } catch (TextParsingException alreadyReported) {
                // univocity raises the parse error again on stop; the one thrown above names the file and line
            }
        }
    }

    /** Cells as the narrowest type they all parse as: integers, decimals, booleans, or text. */
    private static List<Object> typed(List<String> cells) {
        boolean integers = true;
        boolean decimals = true;
        boolean booleans = true;
        boolean any = false;
        for (String s : cells) {
            if (s == null || s.isEmpty()) {
                continue;
            }
            any = true;
            String t = s.strip();
            integers &= INTEGER.matcher(t).matches();
            decimals &= DECIMAL.matcher(t).matches();
            booleans &= t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false");
        }
        List<Object> out = new ArrayList<>(cells.size());
        for (String s : cells) {
            boolean empty = s == null || s.isEmpty();
            if (any && integers) {
                out.add(empty ? null : Long.parseLong(s.strip()));
            } else if (any && decimals) {
                out.add(empty ? null : Double.parseDouble(s.strip()));
            } else if (any && booleans) {
                out.add(empty ? null : Boolean.parseBoolean(s.strip()));
            } else {
                out.add(s);
            }
        }
        return out;
    }

    private static Path nonEmpty(Path file) {
        try {
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("No such data file: " + file.toAbsolutePath());
            }
            if (Files.size(file) == 0) {
                throw new IllegalArgumentException(file + " is empty: it holds no rows");
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkNoMore(Kwargs kw, Path file, String known) {
        if (!kw.isEmpty()) {
            throw new IllegalArgumentException("Unknown options " + kw.remaining().keySet() + " for " + file
                    + " (expected: " + known + ")." + Names.didYouMean(kw.remaining().keySet(),
                    List.of(known.split(", "))));
        }
    }

    /** Rows from JSON objects, columns in order of first appearance. */
    private static final class RowCollector {
        private final Path file;
        private final boolean skip;
        private final Map<String, List<Object>> columns = new LinkedHashMap<>();
        private int rows;
        private int skipped;
        private String firstProblem;

        RowCollector(Path file, boolean skip) {
            this.file = file;
            this.skip = skip;
        }

        void add(int position, String unit, JsonNode node) {
            if (!node.isObject()) {
                bad(position, unit + " " + position + " is " + node.getNodeType() + ", not an object");
                return;
            }
            node.fields().forEachRemaining(e -> columns.computeIfAbsent(e.getKey(),
                    k -> new ArrayList<>(java.util.Collections.nCopies(rows, null))).add(value(e.getValue())));
            rows++;
            columns.values().forEach(values -> {
                while (values.size() < rows) {
                    values.add(null);
                }
            });
        }

        void bad(int line, String what) {
            String problem = file + ", line " + line + ": " + what;
            if (!skip) {
                throw new IllegalArgumentException(problem + ". Pass skip_bad_rows: true to skip such rows.");
            }
            skipped++;
            firstProblem = firstProblem == null ? problem : firstProblem;
        }

        Dataset build() {
            if (skipped > 0) {
                LOG.warn("Skipped {} bad rows of {}; the first: {}", skipped, file, firstProblem);
            }
            if (rows == 0) {
                throw new IllegalArgumentException(file + " holds no rows");
            }
            return Columns.dataset(file.getFileName().toString(), columns);
        }

        private static Object value(JsonNode v) {
            if (v.isNull()) {
                return null;
            } else if (v.isTextual()) {
                return v.asText();
            } else if (v.isIntegralNumber()) {
                return v.canConvertToInt() ? (Object) v.asInt() : (Object) v.asLong();
            } else if (v.isNumber()) {
                return v.asDouble();
            } else if (v.isBoolean()) {
                return v.asBoolean();
            } else if (v.isArray() && v.size() > 0 && v.get(0).isNumber()) {
                List<Object> list = new ArrayList<>();
                v.forEach(x -> list.add(x.asLong()));
                return list;
            }
            return v.toString();
        }
    }
}
