package dev.javaformers.data;

import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A table of examples, as {@code datasets.Dataset}: raw columns (text, label, ...) in a Tablesaw {@link Table},
 * token sequences ({@code input_ids}, ...) in {@link TokenColumn}s beside it, aligned by row, and the class
 * names of label columns. Every operation returns a new dataset.
 *
 * <pre>{@code
 * Dataset ds = Datasets.builtin("sentiment-sentences").map(tokenizer, "text", Map.of("truncation", true));
 * DatasetDict splits = ds.trainTestSplit(0.2, 42, "label");
 * }</pre>
 */
public final class Dataset implements Iterable<Map<String, Object>> {

    /** A function of one row (column name to value) that returns new or changed columns. */
    @FunctionalInterface
    public interface RowFunction extends Function<Map<String, Object>, Map<String, ?>> {}

    /** A function of a batch (column name to the batch's values) that returns new or changed columns. */
    @FunctionalInterface
    public interface BatchFunction extends Function<Map<String, List<Object>>, Map<String, ? extends List<?>>> {}

    private final Table table;
    private final Map<String, TokenColumn> sequences;
    private final Map<String, ClassLabel> classLabels;
    private final List<String> format;

    Dataset(Table table, Map<String, TokenColumn> sequences, Map<String, ClassLabel> classLabels, List<String> format) {
        this.table = table;
        this.sequences = Map.copyOf(sequences);
        this.classLabels = Map.copyOf(classLabels);
        this.format = format == null ? null : List.copyOf(format);
        sequences.forEach((name, column) -> {
            if (column.size() != numRows()) {
                throw new IllegalStateException(name + " has " + column.size() + " rows, the dataset " + numRows());
            }
        });
    }

    /** A dataset over a Tablesaw table (copied, so the table may change afterwards). */
    public static Dataset fromTable(Table table) {
        return new Dataset(table.copy(), Map.of(), Map.of(), null);
    }

    public int numRows() {
        // a dataset of token sequences alone (groupTexts) has a table without columns
        return table.columnCount() > 0 || sequences.isEmpty() ? table.rowCount()
                : sequences.values().iterator().next().size();
    }

    /** Table columns first, then token sequence columns. */
    public List<String> columnNames() {
        List<String> names = new ArrayList<>(table.columnNames());
        names.addAll(new TreeSet<>(sequences.keySet()));
        return names;
    }

    /** The raw columns (a copy: the dataset does not change when it does). */
    public Table table() {
        return table.copy();
    }

    /** The token sequences of a column such as {@code input_ids}. */
    public TokenColumn sequences(String name) {
        TokenColumn column = sequences.get(name);
        if (column == null) {
            throw missing(name);
        }
        return column;
    }

    public boolean hasColumn(String name) {
        return table.containsColumn(name) || sequences.containsKey(name);
    }

    /** The class names of a label column made by {@link #classEncode}, or null. */
    public ClassLabel classLabel(String column) {
        return classLabels.get(column);
    }

    /** Row {@code row}: each column's value; sequences as {@code int[]}. */
    public Map<String, Object> get(int row) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Column<?> c : table.columns()) {
            out.put(c.name(), Columns.get(c, row));
        }
        sequences.forEach((name, column) -> out.put(name, column.get(row)));
        return out;
    }

    /** A column's values, in row order. */
    public List<Object> column(String name) {
        if (sequences.containsKey(name)) {
            TokenColumn c = sequences.get(name);
            return IntStream.range(0, c.size()).mapToObj(c::get).map(a -> (Object) a).toList();
        }
        Column<?> c = tableColumn(name);
        List<Object> out = new ArrayList<>(c.size());
        for (int i = 0; i < c.size(); i++) {
            out.add(Columns.get(c, i));
        }
        return out;
    }

    // ---------------------------------------------------------------- saving

    /**
     * {@code to_csv}: a header line and one line per row (token sequences as JSON arrays), written atomically, so
     * a killed process leaves the old file or the whole new one.
     */
    public java.nio.file.Path toCsv(java.nio.file.Path file) {
        return DatasetWriter.csv(this, file, ',');
    }

    /** {@code to_json}: JSON Lines, one object per row, as {@code datasets} writes by default; atomically. */
    public java.nio.file.Path toJson(java.nio.file.Path file) {
        return DatasetWriter.json(this, file, true);
    }

    /** {@code to_json(path, lines: false)}: one JSON array of row objects instead of JSON Lines. */
    public java.nio.file.Path toJson(java.nio.file.Path file, Map<String, ?> options) {
        dev.javaformers.util.Kwargs kw = dev.javaformers.util.Kwargs.of(options);
        boolean lines = kw.popBoolean("lines", true);
        if (!kw.remaining().isEmpty()) {
            throw new IllegalArgumentException("Unknown options " + kw.remaining().keySet()
                    + " for to_json (expected: lines)");
        }
        return DatasetWriter.json(this, file, lines);
    }

    @Override
    public Iterator<Map<String, Object>> iterator() {
        return IntStream.range(0, numRows()).mapToObj(this::get).iterator();
    }

    // ---------------------------------------------------------------- map

    /** {@code map(fn)}: the function sees each row and returns columns to add or replace. */
    public Dataset map(RowFunction fn) {
        List<Map<String, ?>> results = new ArrayList<>(numRows());
        for (int i = 0; i < numRows(); i++) {
            results.add(fn.apply(get(i)));
        }
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        for (int i = 0; i < results.size(); i++) {
            for (var e : results.get(i).entrySet()) {
                columns.computeIfAbsent(e.getKey(), k -> new ArrayList<>(java.util.Collections.nCopies(numRows(),
                        null))).set(i, e.getValue());
            }
        }
        return withColumns(columns);
    }

    /** {@code map(fn, batched=True, batch_size=n)}: the function sees columns of up to n rows at a time. */
    public Dataset mapBatched(BatchFunction fn, int batchSize) {
        Map<String, List<Object>> whole = new LinkedHashMap<>(); // each column read once, not once a batch
        for (String name : columnNames()) {
            whole.put(name, column(name));
        }
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        for (int start = 0; start < numRows(); start += batchSize) {
            int end = Math.min(numRows(), start + batchSize);
            Map<String, List<Object>> batch = new LinkedHashMap<>();
            for (var c : whole.entrySet()) {
                batch.put(c.getKey(), c.getValue().subList(start, end));
            }
            Map<String, ? extends List<?>> out = fn.apply(batch);
            for (var e : out.entrySet()) {
                if (e.getValue().size() != end - start) {
                    throw new IllegalArgumentException("map returned " + e.getValue().size() + " values for column '"
                            + e.getKey() + "' from a batch of " + (end - start) + " rows");
                }
                columns.computeIfAbsent(e.getKey(), k -> new ArrayList<>(numRows())).addAll(e.getValue());
            }
        }
        return withColumns(columns);
    }

    /**
     * The {@code group_texts} of transformers' causal-LM examples (run_clm.py): every token sequence column
     * concatenated over all rows and cut into rows of {@code blockSize} tokens, the remainder dropped; the table
     * columns, which cannot be cut so, are left out.
     */
    public Dataset groupTexts(int blockSize) {
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be at least 1, got " + blockSize);
        }
        if (sequences.isEmpty()) {
            throw new IllegalStateException("groupTexts needs token sequences: tokenize first (map(tokenizer, ...))");
        }
        Map<String, TokenColumn> blocks = new LinkedHashMap<>();
        sequences.forEach((name, column) -> {
            int total = 0;
            for (int r = 0; r < column.size(); r++) {
                total += column.length(r);
            }
            int[] all = new int[total];
            int at = 0;
            for (int r = 0; r < column.size(); r++) {
                int[] row = column.get(r);
                System.arraycopy(row, 0, all, at, row.length);
                at += row.length;
            }
            int n = total / blockSize;
            TokenColumn.Builder b = new TokenColumn.Builder(n);
            for (int i = 0; i < n; i++) {
                b.add(java.util.Arrays.copyOfRange(all, i * blockSize, (i + 1) * blockSize));
            }
            blocks.put(name, b.build());
        });
        return new Dataset(Table.create(table.name()), blocks, Map.of(), null);
    }

    private Dataset withoutSequences() {
        return new Dataset(table, Map.of(), classLabels, format);
    }

    /** Tokenizes a text column, as {@code dataset.map(lambda b: tokenizer(b["text"], ...), batched=True)}. */
    public Dataset map(PreTrainedTokenizer tokenizer, String textColumn, Map<String, ?> options) {
        return map(tokenizer, textColumn, null, options);
    }

    /**
     * Tokenizes pairs from two text columns. With {@code text_target} naming a column (translations, summaries),
     * that column is tokenized too, into {@code labels}, as {@code tokenizer(inputs, text_target=targets)}.
     */
    public Dataset map(PreTrainedTokenizer tokenizer, String textColumn, String pairColumn, Map<String, ?> options) {
        if (options.containsKey("return_tensors") || options.containsKey("return_overflowing_tokens")) {
            throw new IllegalArgumentException("Dataset.map tokenizes into columns: leave out return_tensors and "
                    + "return_overflowing_tokens");
        }
        if (options.containsKey("text_target")) {
            Map<String, Object> rest = new LinkedHashMap<>(options);
            String targetColumn = String.valueOf(rest.remove("text_target"));
            Dataset inputs = map(tokenizer, textColumn, pairColumn, rest);
            // The target side has its own tokenizer where the model has one (Marian's target.spm).
            TokenColumn labels = inputs.withoutSequences().map(tokenizer.asTargetTokenizer(), targetColumn, null, rest)
                    .sequences("input_ids");
            Map<String, TokenColumn> seqs = new LinkedHashMap<>(inputs.sequences);
            seqs.put("labels", labels);
            return new Dataset(inputs.table, seqs, inputs.classLabels, inputs.format);
        }
        List<String> texts = strings(textColumn);
        List<String> pairs = pairColumn == null ? null : strings(pairColumn);
        Map<String, TokenColumn.Builder> built = new LinkedHashMap<>();
        boolean keepMask = options.containsKey("padding") && !Boolean.FALSE.equals(options.get("padding"));
        for (int start = 0; start < texts.size(); start += 1000) {
            int end = Math.min(texts.size(), start + 1000);
            BatchEncoding enc = pairs == null ? tokenizer.encode(texts.subList(start, end), options)
                    : tokenizer.encode(texts.subList(start, end), pairs.subList(start, end), options);
            add(built, "input_ids", enc.inputIds());
            if (pairs != null && enc.tokenTypeIds() != null) {
                add(built, "token_type_ids", enc.tokenTypeIds()); // single texts have all-zero types: not stored
            }
            if (keepMask && enc.attentionMask() != null) {
                add(built, "attention_mask", enc.attentionMask()); // unpadded rows attend everywhere: not stored
            }
        }
        Map<String, TokenColumn> seqs = new LinkedHashMap<>(sequences);
        built.forEach((name, b) -> seqs.put(name, b.build()));
        return new Dataset(table, seqs, classLabels, format);
    }

    private static void add(Map<String, TokenColumn.Builder> built, String name, long[][] rows) {
        TokenColumn.Builder b = built.computeIfAbsent(name, k -> new TokenColumn.Builder(rows.length));
        for (long[] row : rows) {
            b.add(row);
        }
    }

    private List<String> strings(String name) {
        Column<?> c = tableColumn(name);
        List<String> out = new ArrayList<>(c.size());
        for (int i = 0; i < c.size(); i++) {
            Object v = Columns.get(c, i);
            if (v == null) {
                throw new IllegalArgumentException("Column '" + name + "' has no value in row " + i
                        + "; a tokenizer needs text in every row (filter such rows first)");
            }
            out.add(v.toString());
        }
        return out;
    }

    /**
     * datasets' {@code add_column}: a new column of {@code values}, one per row (numbers, booleans and text become
     * table columns, lists of whole numbers token sequences).
     */
    public Dataset addColumn(String name, List<?> values) {
        if (hasColumn(name)) {
            throw new IllegalArgumentException("The dataset has a column '" + name + "' already; rename or remove it "
                    + "first");
        }
        if (values.size() != numRows()) {
            throw new IllegalArgumentException("Column '" + name + "' has " + values.size() + " values for "
                    + numRows() + " rows");
        }
        return withColumns(Map.of(name, new ArrayList<>(values)));
    }

    private Dataset withColumns(Map<String, List<Object>> columns) {
        Table t = table.copy();
        Map<String, TokenColumn> seqs = new LinkedHashMap<>(sequences);
        columns.forEach((name, values) -> {
            if (t.containsColumn(name)) {
                t.removeColumns(name);
            }
            seqs.remove(name);
            if (Columns.holdsSequences(values)) {
                seqs.put(name, Columns.sequences(values));
            } else {
                t.addColumns(Columns.of(name, values));
            }
        });
        return new Dataset(t, seqs, classLabels, format);
    }

    // ---------------------------------------------------------------- rows

    /** The rows at these indices, in this order. */
    public Dataset select(int... rows) {
        for (int r : rows) {
            if (r < 0 || r >= numRows()) {
                throw new IndexOutOfBoundsException("row " + r + " of a dataset of " + numRows() + " rows");
            }
        }
        Map<String, TokenColumn> seqs = new LinkedHashMap<>();
        sequences.forEach((name, c) -> seqs.put(name, c.select(rows)));
        return new Dataset(rowsInOrder(table, rows), seqs, classLabels, format);
    }

    /** Tablesaw's {@code rows(int...)} keeps table order; a shuffle needs the order given. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Table rowsInOrder(Table source, int[] rows) {
        Table out = Table.create(source.name());
        for (Column column : source.columns()) {
            Column copy = column.emptyCopy(rows.length);
            copy.clear();
            for (int r : rows) {
                copy.append(column, r);
            }
            out.addColumns(copy);
        }
        return out;
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive). */
    public Dataset selectRange(int from, int to) {
        return select(IntStream.range(from, Math.min(to, numRows())).toArray());
    }

    /** The rows for which {@code keep} is true. */
    public Dataset filter(Predicate<Map<String, Object>> keep) {
        return select(IntStream.range(0, numRows()).filter(i -> keep.test(get(i))).toArray());
    }

    /** The rows in a random order that {@code seed} fixes. */
    public Dataset shuffle(long seed) {
        return select(permutation(numRows(), new Random(seed)));
    }

    static int[] permutation(int n, Random random) {
        int[] order = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    /**
     * Splits into {@code train} and {@code test}: {@code testSize} is a fraction (below 1) or a row count. With
     * {@code stratifyByColumn}, each class keeps its share in both splits.
     */
    public DatasetDict trainTestSplit(double testSize, long seed, String stratifyByColumn) {
        int n = numRows();
        int testCount = (int) (testSize < 1 ? Math.round(testSize * n) : testSize);
        if (testCount <= 0 || testCount >= n) {
            throw new IllegalArgumentException("test_size " + testSize + " leaves " + testCount + " of " + n
                    + " rows for the test split; both splits need rows");
        }
        Random random = new Random(seed);
        List<Integer> test = new ArrayList<>();
        List<Integer> train = new ArrayList<>();
        if (stratifyByColumn == null) {
            int[] order = permutation(n, random);
            for (int i = 0; i < n; i++) {
                (i < testCount ? test : train).add(order[i]);
            }
        } else {
            Map<String, List<Integer>> byClass = new TreeMap<>();
            List<Object> labels = column(stratifyByColumn);
            for (int i = 0; i < n; i++) {
                byClass.computeIfAbsent(String.valueOf(labels.get(i)), k -> new ArrayList<>()).add(i);
            }
            for (List<Integer> rows : byClass.values()) {
                int[] order = permutation(rows.size(), random);
                long share = Math.round((double) testCount * rows.size() / n);
                for (int i = 0; i < rows.size(); i++) {
                    (i < share ? test : train).add(rows.get(order[i]));
                }
            }
            java.util.Collections.shuffle(test, random);
            java.util.Collections.shuffle(train, random);
        }
        DatasetDict splits = new DatasetDict();
        splits.put("train", select(train.stream().mapToInt(Integer::intValue).toArray()));
        splits.put("test", select(test.stream().mapToInt(Integer::intValue).toArray()));
        return splits;
    }

    // ---------------------------------------------------------------- columns

    public Dataset renameColumn(String from, String to) {
        if (hasColumn(to)) {
            throw new IllegalArgumentException("Column '" + to + "' already exists; columns: " + columnNames());
        }
        Map<String, TokenColumn> seqs = new LinkedHashMap<>(sequences);
        Map<String, ClassLabel> labels = new LinkedHashMap<>(classLabels);
        Table t = table.copy();
        if (seqs.containsKey(from)) {
            seqs.put(to, seqs.remove(from));
        } else {
            tableColumn(from);
            t.column(from).setName(to);
        }
        if (labels.containsKey(from)) {
            labels.put(to, labels.remove(from));
        }
        return new Dataset(t, seqs, labels, format);
    }

    public Dataset removeColumns(String... names) {
        Table t = table.copy();
        Map<String, TokenColumn> seqs = new LinkedHashMap<>(sequences);
        Map<String, ClassLabel> labels = new LinkedHashMap<>(classLabels);
        for (String name : names) {
            if (!hasColumn(name)) {
                throw missing(name);
            }
            if (seqs.remove(name) == null) {
                t.removeColumns(name);
            }
            labels.remove(name);
        }
        return new Dataset(t, seqs, labels, format);
    }

    /** Turns a column of class names into ids 0..n-1, the names sorted, as {@code class_encode_column}. */
    public Dataset classEncode(String column) {
        TreeSet<String> names = new TreeSet<>();
        column(column).forEach(v -> {
            if (v != null) {
                names.add(v.toString());
            }
        });
        return classEncode(column, new ArrayList<>(names));
    }

    /** Turns a column of class names into their ids in {@code names}; a value outside them is an error. */
    public Dataset classEncode(String column, List<String> names) {
        ClassLabel label = new ClassLabel(names);
        List<Object> values = column(column);
        IntColumn ids = IntColumn.create(column, values.size());
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new IllegalArgumentException("Column '" + column + "' has no value in row " + i);
            }
            try {
                ids.set(i, label.encode(values.get(i).toString()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Column '" + column + "', row " + i + ": " + e.getMessage(), e);
            }
        }
        Table t = table.copy();
        t.replaceColumn(column, ids);
        Map<String, ClassLabel> labels = new LinkedHashMap<>(classLabels);
        labels.put(column, label);
        return new Dataset(t, sequences, labels, format);
    }

    /** Keeps class names given by the caller for an integer label column (ids already in place). */
    public Dataset withClassLabel(String column, ClassLabel label) {
        tableColumn(column);
        Map<String, ClassLabel> labels = new LinkedHashMap<>(classLabels);
        labels.put(column, label);
        return new Dataset(table, sequences, labels, format);
    }

    /** The columns a collator turns into tensors, as {@code set_format(columns=...)}; null for all. */
    public Dataset setFormat(List<String> columns) {
        if (columns != null) {
            columns.forEach(c -> {
                if (!hasColumn(c)) {
                    throw missing(c);
                }
            });
        }
        return new Dataset(table, sequences, classLabels, columns);
    }

    public List<String> format() {
        return format;
    }

    Column<?> tableColumn(String name) {
        if (!table.containsColumn(name)) {
            throw missing(name);
        }
        return table.column(name);
    }

    private IllegalArgumentException missing(String name) {
        return new IllegalArgumentException("The dataset has no column '" + name + "'; its columns are "
                + columnNames());
    }

    /** The first rows as a table, sequences shown as {@code [101, 2023, ...] (n)}. */
    public Table preview(int rows) {
        int n = Math.min(rows, numRows());
        Table view = table.first(n);
        sequences.forEach((name, c) -> {
            StringColumn s = StringColumn.create(name, n);
            for (int i = 0; i < n; i++) {
                s.set(i, c.preview(i));
            }
            view.addColumns(s);
        });
        return view;
    }

    @Override
    public String toString() {
        return "Dataset({features: " + columnNames() + ", num_rows: " + numRows() + "})\n" + preview(5).print();
    }

    /** Approximate bytes of the token sequences, for the memory benchmark. */
    public long sequenceBytes() {
        return sequences.values().stream().mapToLong(TokenColumn::bytes).sum();
    }
}
