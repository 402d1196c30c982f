package dev.javaformers.pipelines;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.columns.numbers.IntColumnType;

/**
 * What a pipeline call returns when transformers returns a list: a plain list of results ({@code [{label,
 * score}]}, one list per input for several inputs), which also reads as a table ({@link #table()}), as the
 * Jupyter kernel shows it. A result that is a single record (a text pair's class, one question's answer, one
 * zero-shot result) comes as a {@link Record}.
 */
public final class PipelineOutput extends ArrayList<Object> {

    PipelineOutput(List<?> results) {
        super(results);
    }

    /** One record of a pipeline (transformers returns a dict): a map that also reads as a table. */
    public static final class Record extends LinkedHashMap<String, Object> {

        Record(Map<String, ?> values) {
            super(values);
        }

        /** A row, or a row per element where the values are lists of one length (zero-shot's labels, scores). */
        public Table table() {
            return PipelineOutput.table(List.of(this), false);
        }
    }

    /** Lists become {@link PipelineOutput}s and maps {@link Record}s; anything else is returned as it is. */
    @SuppressWarnings("unchecked")
    static Object wrap(Object result) {
        if (result instanceof List<?> list) {
            return new PipelineOutput(list);
        }
        if (result instanceof Map<?, ?> map) {
            return new Record((Map<String, ?>) map);
        }
        return result;
    }

    /**
     * The results as a table: a row per record, a column per key; for several inputs (a list of lists) an
     * {@code input} column first tells whose records they are. Results that are not records (feature vectors)
     * are one {@code output} column.
     */
    public Table table() {
        boolean nested = !isEmpty() && stream().allMatch(r -> r instanceof List<?>);
        return table(this, nested);
    }

    private static Table table(List<?> results, boolean nested) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            List<?> records = nested ? (List<?>) results.get(i) : List.of(results.get(i));
            for (Object record : records) {
                for (Map<String, Object> row : rows(record)) {
                    Map<String, Object> withInput = new LinkedHashMap<>();
                    if (nested) {
                        withInput.put("input", i);
                    }
                    withInput.putAll(row);
                    rows.add(withInput);
                }
            }
        }
        Set<String> names = new LinkedHashSet<>();
        rows.forEach(r -> names.addAll(r.keySet()));
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        for (String name : names) {
            columns.put(name, rows.stream().map(r -> r.get(name)).toList());
        }
        Table table = Table.create("pipeline output");
        columns.forEach((name, values) -> table.addColumns(column(name, values)));
        return table;
    }

    /** A record's rows: one, or one per element when it holds several lists of one length (labels, scores). */
    private static List<Map<String, Object>> rows(Object record) {
        if (!(record instanceof Map<?, ?> map)) {
            return List.of(Map.of("output", record));
        }
        List<Integer> lengths = map.values().stream().filter(v -> v instanceof List<?>).map(v -> ((List<?>) v)
                .size()).toList();
        boolean explode = lengths.size() >= 2 && lengths.stream().distinct().count() == 1;
        int n = explode ? lengths.get(0) : 1;
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (var e : map.entrySet()) {
                String key = e.getKey().toString();
                if (explode && e.getValue() instanceof List<?> l) { // "labels" and "scores" become "label", "score"
                    row.put(key.endsWith("s") ? key.substring(0, key.length() - 1) : key, l.get(i));
                } else {
                    row.put(key, e.getValue());
                }
            }
            out.add(row);
        }
        return out;
    }

    /** Whole numbers as an int column, other numbers as doubles, anything else as text. */
    private static Column<?> column(String name, List<Object> values) {
        if (values.stream().allMatch(v -> v == null || v instanceof Integer)) {
            int missing = IntColumnType.missingValueIndicator();
            return IntColumn.create(name, values.stream().mapToInt(v -> v == null ? missing : (Integer) v).toArray());
        }
        if (values.stream().allMatch(v -> v == null || v instanceof Number)) {
            return DoubleColumn.create(name, values.stream().mapToDouble(v -> v == null ? Double.NaN
                    : ((Number) v).doubleValue()).toArray());
        }
        return StringColumn.create(name, values.stream().map(v -> v == null ? "" : String.valueOf(v)).toList());
    }
}
