package dev.javaformers.data;

import java.util.List;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.Column;

/** Builds Tablesaw columns from Java values, choosing the narrowest type that holds them all. */
final class Columns {

    private Columns() {}

    /** True for values that are token sequences rather than cells: int[], long[], lists of numbers. */
    static boolean isSequence(Object v) {
        return v instanceof int[] || v instanceof long[] || (v instanceof List<?> l && (l.isEmpty()
                || l.get(0) instanceof Number));
    }

    static long[] toLongs(Object v) {
        if (v instanceof long[] a) {
            return a;
        }
        if (v instanceof int[] a) {
            long[] out = new long[a.length];
            for (int i = 0; i < a.length; i++) {
                out[i] = a[i];
            }
            return out;
        }
        List<?> list = (List<?>) v;
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).longValue();
        }
        return out;
    }

    /** A column named {@code name} of {@code values} (nulls are missing cells). */
    static Column<?> of(String name, List<?> values) {
        boolean ints = true;
        boolean longs = true;
        boolean numbers = true;
        boolean booleans = true;
        for (Object v : values) {
            if (v == null) {
                continue;
            }
            boolean integral = v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
            ints &= integral && ((Number) v).longValue() == ((Number) v).intValue();
            longs &= integral;
            numbers &= v instanceof Number;
            booleans &= v instanceof Boolean;
        }
        int n = values.size();
        if (booleans && values.stream().anyMatch(v -> v != null)) {
            BooleanColumn c = BooleanColumn.create(name, n);
            for (int i = 0; i < n; i++) {
                if (values.get(i) != null) {
                    c.set(i, (Boolean) values.get(i));
                }
            }
            return c;
        }
        if (ints && numbers) {
            IntColumn c = IntColumn.create(name, n);
            for (int i = 0; i < n; i++) {
                if (values.get(i) != null) {
                    c.set(i, ((Number) values.get(i)).intValue());
                }
            }
            return c;
        }
        if (longs && numbers) {
            LongColumn c = LongColumn.create(name, n);
            for (int i = 0; i < n; i++) {
                if (values.get(i) != null) {
                    c.set(i, ((Number) values.get(i)).longValue());
                }
            }
            return c;
        }
        if (numbers) {
            DoubleColumn c = DoubleColumn.create(name, n);
            for (int i = 0; i < n; i++) {
                if (values.get(i) != null) {
                    c.set(i, ((Number) values.get(i)).doubleValue());
                }
            }
            return c;
        }
        StringColumn c = StringColumn.create(name, n);
        for (int i = 0; i < n; i++) {
            if (values.get(i) != null) {
                c.set(i, values.get(i).toString());
            }
        }
        return c;
    }

    /** True when the first non-null value of a column is a sequence: the column becomes a TokenColumn. */
    static boolean holdsSequences(List<?> values) {
        Object first = values.stream().filter(v -> v != null).findFirst().orElse(null);
        return first != null && isSequence(first);
    }

    /** A TokenColumn of sequence values (a missing one is an empty row). */
    static TokenColumn sequences(List<?> values) {
        TokenColumn.Builder b = new TokenColumn.Builder(values.size());
        values.forEach(v -> b.add(v == null ? new long[0] : toLongs(v)));
        return b.build();
    }

    /** A dataset of named columns: cells go to a Tablesaw table, sequences to TokenColumns. */
    static Dataset dataset(String name, java.util.Map<String, List<Object>> columns) {
        tech.tablesaw.api.Table table = tech.tablesaw.api.Table.create(name);
        java.util.Map<String, TokenColumn> sequences = new java.util.LinkedHashMap<>();
        columns.forEach((column, values) -> {
            if (holdsSequences(values)) {
                sequences.put(column, sequences(values));
            } else {
                table.addColumns(of(column, values));
            }
        });
        return new Dataset(table, sequences, java.util.Map.of(), null);
    }

    /** The cell as a Java value, or null when missing. */
    static Object get(Column<?> column, int row) {
        return column.isMissing(row) ? null : column.get(row);
    }
}
