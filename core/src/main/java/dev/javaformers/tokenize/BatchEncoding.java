package dev.javaformers.tokenize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a tokenizer returns, as transformers' {@code BatchEncoding}: a map from {@code input_ids},
 * {@code attention_mask}, {@code token_type_ids} (and, when asked, {@code offset_mapping},
 * {@code special_tokens_mask}, {@code overflow_to_sample_mapping}, {@code length}) to their values. For one text
 * without {@code return_tensors} each value is a row ({@code long[]}); for a batch it is {@code long[][]}; with
 * {@code return_tensors="pt"} it is a DJL {@link NDArray}, freed by {@link #close()}.
 */
public final class BatchEncoding extends AbstractMap<String, Object> implements AutoCloseable {

    private final Map<String, long[][]> rows;
    private final int[][][] offsets;
    private final List<String[]> tokens;
    private final boolean single;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final NDManager manager;
    private final boolean singleText;

    BatchEncoding(Map<String, long[][]> rows, Map<String, long[]> perRow, int[][][] offsets, List<String[]> tokens,
            boolean single, boolean tensors) {
        this.rows = rows;
        this.offsets = offsets;
        this.tokens = tokens;
        this.single = single && !tensors;
        this.singleText = single;
        this.manager = tensors ? NDManager.newBaseManager() : null;
        rows.forEach((name, value) -> values.put(name, tensors ? toArray(manager, value)
                : this.single ? value[0] : value));
        if (offsets != null) {
            values.put("offset_mapping", this.single ? offsets[0] : offsets);
        }
        perRow.forEach((name, value) -> values.put(name, tensors ? dev.javaformers.nn.Tensors.owned(
                manager.create(value)) : value));
    }

    private static NDArray toArray(NDManager manager, long[][] value) {
        int width = value.length == 0 ? 0 : value[0].length;
        long[] flat = new long[value.length * width];
        for (int r = 0; r < value.length; r++) {
            if (value[r].length != width) {
                throw new IllegalArgumentException("Unable to create a tensor: the rows have different lengths ("
                        + width + " and " + value[r].length + "). Pass padding=true (or 'max_length') with "
                        + "return_tensors='pt'.");
            }
            System.arraycopy(value[r], 0, flat, r * width, width);
        }
        return dev.javaformers.nn.Tensors.owned(manager.create(flat, new Shape(value.length, width)));
    }

    /** These inputs with the targets' ids as {@code labels} (text_target); both encodings are closed. */
    BatchEncoding withLabels(BatchEncoding targets) {
        Map<String, long[][]> all = new LinkedHashMap<>(rows);
        all.put("labels", targets.rows.get("input_ids"));
        BatchEncoding out = new BatchEncoding(all, Map.of(), offsets, tokens, singleText, manager != null);
        close();
        targets.close();
        return out;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return values.entrySet();
    }

    /** {@code input_ids} as rows, whatever form the map holds. */
    public long[][] inputIds() {
        return rows.get("input_ids");
    }

    /** {@code attention_mask} as rows, or null if it was not asked for. */
    public long[][] attentionMask() {
        return rows.get("attention_mask");
    }

    /** {@code token_type_ids} as rows, or null if the tokenizer's model takes none. */
    public long[][] tokenTypeIds() {
        return rows.get("token_type_ids");
    }

    /** (start, end) character offsets per token, or null unless {@code return_offsets_mapping}. */
    public int[][][] offsetMapping() {
        return offsets;
    }

    /** The tokens of row {@code row}, as strings. */
    public String[] tokens(int row) {
        return tokens.get(row);
    }

    /** The number of encoded rows (texts, plus overflow rows). */
    public int numRows() {
        return rows.get("input_ids").length;
    }

    /** The values as DJL arrays in {@code manager}, ready for {@code model.forward(...)}. */
    public Map<String, NDArray> toTensors(NDManager target) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        rows.forEach((name, value) -> out.put(name, toArray(target, value)));
        return out;
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("BatchEncoding(").append(numRows()).append(numRows() == 1 ? " row" : " rows");
        if (manager != null) {
            out.append(", tensors");
        }
        out.append(") {\n");
        rows.forEach((name, value) -> out.append("  ").append(name).append(": ").append(format(value)).append('\n'));
        if (offsets != null) {
            out.append("  offset_mapping: ").append(Arrays.deepToString(offsets.length > 4
                    ? Arrays.copyOf(offsets, 4) : offsets)).append('\n');
        }
        for (int r = 0; r < Math.min(tokens.size(), 4); r++) {
            out.append("  tokens[").append(r).append("]: ").append(String.join(" ", tokens.get(r))).append('\n');
        }
        return out.append('}').toString();
    }

    private static String format(long[][] value) {
        StringBuilder s = new StringBuilder("[");
        for (int r = 0; r < Math.min(value.length, 4); r++) {
            s.append(r == 0 ? "" : ", ").append(Arrays.toString(value[r]));
        }
        return s.append(value.length > 4 ? ", ... (" + value.length + " rows)]" : "]").toString();
    }
}
