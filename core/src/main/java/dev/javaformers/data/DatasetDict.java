package dev.javaformers.data;

import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Named splits ({@code train}, {@code test}, {@code validation}), as {@code datasets.DatasetDict}. */
public final class DatasetDict extends LinkedHashMap<String, Dataset> {

    private static final long serialVersionUID = 1L;

    /** The split {@code name}; a missing split is an error naming the ones there are. */
    public Dataset split(String name) {
        Dataset d = get(name);
        if (d == null) {
            throw new IllegalArgumentException("No split '" + name + "'; splits: " + keySet());
        }
        return d;
    }

    /** Applies {@code op} to every split. */
    public DatasetDict apply(UnaryOperator<Dataset> op) {
        DatasetDict out = new DatasetDict();
        forEach((name, d) -> out.put(name, op.apply(d)));
        return out;
    }

    /** Tokenizes a text column in every split. */
    public DatasetDict map(PreTrainedTokenizer tokenizer, String textColumn, Map<String, ?> options) {
        return apply(d -> d.map(tokenizer, textColumn, options));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("DatasetDict({\n");
        forEach((name, d) -> s.append("  ").append(name).append(": Dataset({features: ").append(d.columnNames())
                .append(", num_rows: ").append(d.numRows()).append("})\n"));
        return s.append("})").toString();
    }
}
