package dev.javaformers.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import static dev.javaformers.nn.Tensors.owned;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.columns.Column;

/**
 * transformers' {@code DataCollatorWithPadding}: pads the rows of one batch to its longest row (or a multiple of
 * {@code padToMultipleOf}) with the tokenizer's padding token and side, and makes {@code input_ids},
 * {@code attention_mask}, {@code token_type_ids} (for models that take them) and {@code labels} (from a
 * {@code label} or {@code labels} column) as DJL arrays.
 */
public final class DataCollatorWithPadding implements DataCollator {

    private final long padId;
    private final boolean left;
    private final boolean tokenTypes;
    private Integer padToMultipleOf;

    public DataCollatorWithPadding(PreTrainedTokenizer tokenizer) {
        Long pad = tokenizer.padTokenId();
        if (pad == null) {
            throw new IllegalArgumentException("The tokenizer has no padding token to pad batches with; set one, "
                    + "e.g. tokenizer.setPadToken(tokenizer.eosToken())");
        }
        this.padId = pad;
        this.left = tokenizer.paddingSide.equals("left");
        this.tokenTypes = tokenizer.modelInputNames().contains("token_type_ids");
    }

    /** Rounds each batch's length up to a multiple (8 suits tensor cores). */
    public DataCollatorWithPadding optPadToMultipleOf(int multiple) {
        this.padToMultipleOf = multiple;
        return this;
    }

    @Override
    public Map<String, NDArray> collate(Dataset dataset, int[] rows, NDManager manager) {
        TokenColumn ids = dataset.sequences("input_ids");
        int width = ids.width(rows, padToMultipleOf);
        List<String> format = dataset.format();
        Map<String, NDArray> out = new LinkedHashMap<>();
        boolean hasMask = dataset.hasColumn("attention_mask");
        long[] ones = hasMask ? null : new long[rows.length * width];
        out.put("input_ids", array(ids.padded(rows, width, padId, left, ones), rows.length, width, manager));
        out.put("attention_mask", hasMask ? padded(dataset.sequences("attention_mask"), rows, width, 0, manager)
                : array(ones, rows.length, width, manager));
        if (tokenTypes) {
            out.put("token_type_ids", dataset.hasColumn("token_type_ids")
                    ? padded(dataset.sequences("token_type_ids"), rows, width, 0, manager)
                    : manager.zeros(new Shape(rows.length, width), ai.djl.ndarray.types.DataType.INT64));
        }
        String labelColumn = dataset.hasColumn("labels") ? "labels" : dataset.hasColumn("label") ? "label" : null;
        if (labelColumn != null && (format == null || format.contains(labelColumn))) {
            out.put("labels", labels(dataset.tableColumn(labelColumn), rows, manager));
        }
        if (format != null) {
            out.keySet().removeIf(k -> !format.contains(k) && !k.equals("labels") && !k.equals("attention_mask"));
        }
        return out;
    }

    private NDArray padded(TokenColumn column, int[] rows, int width, long pad, NDManager manager) {
        return array(column.padded(rows, width, pad, left, null), rows.length, width, manager);
    }

    private static NDArray array(long[] flat, int rows, int width, NDManager manager) {
        return owned(manager.create(flat, new Shape(rows, width)));
    }

    private static NDArray labels(Column<?> column, int[] rows, NDManager manager) {
        if (!(column instanceof NumericColumn<?> numeric)) {
            throw new IllegalArgumentException("The label column '" + column.name() + "' holds " + column.type()
                    + "; turn class names into ids with dataset.classEncode(\"" + column.name() + "\")");
        }
        boolean integer = column instanceof tech.tablesaw.api.IntColumn || column instanceof tech.tablesaw.api.LongColumn;
        if (integer) {
            long[] values = new long[rows.length];
            for (int i = 0; i < rows.length; i++) {
                if (column.isMissing(rows[i])) {
                    throw new IllegalArgumentException("Row " + rows[i] + " has no label in '" + column.name() + "'");
                }
                values[i] = (long) numeric.getDouble(rows[i]);
            }
            return owned(manager.create(values));
        }
        float[] values = new float[rows.length];
        for (int i = 0; i < rows.length; i++) {
            values[i] = (float) numeric.getDouble(rows[i]);
        }
        return owned(manager.create(values));
    }
}
