package dev.javaformers.data;

import static dev.javaformers.nn.Tensors.owned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * transformers' {@code DataCollatorForSeq2Seq}: {@code input_ids} padded with the tokenizer's padding token and
 * an {@code attention_mask}, the {@code labels} sequences padded with -100 ({@code label_pad_token_id}), which
 * the loss ignores, on the tokenizer's padding side. The model makes its {@code decoder_input_ids} from the
 * labels (shift_tokens_right).
 */
public final class DataCollatorForSeq2Seq implements DataCollator {

    private final long padId;
    private final boolean left;
    private long labelPadTokenId = -100;
    private Integer padToMultipleOf;

    public DataCollatorForSeq2Seq(PreTrainedTokenizer tokenizer) {
        Long pad = tokenizer.padTokenId();
        if (pad == null) {
            throw new IllegalArgumentException("The tokenizer has no padding token to pad batches with; set one");
        }
        padId = pad;
        left = tokenizer.paddingSide.equals("left");
    }

    /** What labels are padded with (-100, ignored by the loss). */
    public DataCollatorForSeq2Seq optLabelPadTokenId(long id) {
        this.labelPadTokenId = id;
        return this;
    }

    public DataCollatorForSeq2Seq optPadToMultipleOf(int multiple) {
        this.padToMultipleOf = multiple;
        return this;
    }

    @Override
    public Map<String, NDArray> collate(Dataset dataset, int[] rows, NDManager manager) {
        if (!dataset.hasColumn("labels")) {
            throw new IllegalArgumentException("DataCollatorForSeq2Seq needs a 'labels' column of token ids: tokenize "
                    + "the targets with text_target");
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        TokenColumn ids = dataset.sequences("input_ids");
        int width = ids.width(rows, padToMultipleOf);
        long[] mask = new long[rows.length * width];
        out.put("input_ids", owned(manager.create(ids.padded(rows, width, padId, left, mask),
                new Shape(rows.length, width))));
        out.put("attention_mask", owned(manager.create(mask, new Shape(rows.length, width))));
        TokenColumn labels = dataset.sequences("labels");
        int labelWidth = labels.width(rows, padToMultipleOf);
        out.put("labels", owned(manager.create(labels.padded(rows, labelWidth, labelPadTokenId, left, null),
                new Shape(rows.length, labelWidth))));
        return out;
    }
}
