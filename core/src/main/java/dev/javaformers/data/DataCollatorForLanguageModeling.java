package dev.javaformers.data;

import static dev.javaformers.nn.Tensors.owned;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * transformers' {@code DataCollatorForLanguageModeling}. With {@code mlm} false (causal language models): the
 * batch's {@code input_ids} as {@code labels}, with -100 where the token is the padding token (the model shifts
 * them itself). With {@code mlm} true (masked language models): {@code mlm_probability} of the tokens that are
 * not special are chosen; of those 80% become the mask token, 10% a random token, 10% stay; labels are -100
 * everywhere else. Rows are padded (right or left, as the tokenizer pads) when their lengths differ.
 */
public final class DataCollatorForLanguageModeling implements DataCollator {

    private final boolean mlm;
    private final Long padId;
    private final boolean left;
    private final Long maskId;
    private final int vocabSize;
    private final java.util.Set<Long> special = new java.util.HashSet<>();
    private double mlmProbability = 0.15;
    private Random random = new Random(42);

    public DataCollatorForLanguageModeling(PreTrainedTokenizer tokenizer, boolean mlm) {
        this.mlm = mlm;
        this.padId = tokenizer.padTokenId();
        this.left = tokenizer.paddingSide.equals("left");
        this.maskId = tokenizer.maskTokenId();
        this.vocabSize = tokenizer.size();
        if (mlm && maskId == null) {
            throw new IllegalArgumentException("This tokenizer has no mask token, which masked language modeling "
                    + "needs; use mlm false for causal language modeling");
        }
        tokenizer.specialTokens().values().forEach(t -> special.addAll(tokenizer.convertTokensToIds(
                java.util.List.of(t))));
    }

    /** The share of tokens masked (0.15). */
    public DataCollatorForLanguageModeling optMlmProbability(double probability) {
        if (probability <= 0 || probability >= 1) {
            throw new IllegalArgumentException("mlm_probability must be between 0 and 1, got " + probability);
        }
        this.mlmProbability = probability;
        return this;
    }

    /** Seeds the choice of masked tokens. */
    public DataCollatorForLanguageModeling optSeed(long seed) {
        this.random = new Random(seed);
        return this;
    }

    @Override
    public Map<String, NDArray> collate(Dataset dataset, int[] rows, NDManager manager) {
        TokenColumn ids = dataset.sequences("input_ids");
        int width = ids.width(rows, null);
        boolean ragged = Arrays.stream(rows).anyMatch(r -> ids.length(r) != width);
        if (ragged && padId == null) {
            throw new IllegalArgumentException("Rows of different lengths need a padding token; set one, e.g. "
                    + "tokenizer.setPadToken(tokenizer.eosToken()), or group the texts into blocks "
                    + "(dataset.groupTexts(blockSize))");
        }
        long[] mask = new long[rows.length * width];
        long[] input = ids.padded(rows, width, padId == null ? 0 : padId, left, mask);
        long[] labels = input.clone();
        if (mlm) {
            mask(input, labels, mask);
        } else if (padId != null) {
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == padId) {
                    labels[i] = -100;
                }
            }
        }
        Shape shape = new Shape(rows.length, width);
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("input_ids", owned(manager.create(input, shape)));
        out.put("attention_mask", owned(manager.create(mask, shape)));
        out.put("labels", owned(manager.create(labels, shape)));
        return out;
    }

    private void mask(long[] input, long[] labels, long[] attention) {
        for (int i = 0; i < input.length; i++) {
            boolean chosen = attention[i] == 1 && !special.contains(input[i]) && random.nextDouble() < mlmProbability;
            if (!chosen) {
                labels[i] = -100;
                continue;
            }
            double roll = random.nextDouble();
            if (roll < 0.8) {
                input[i] = maskId;
            } else if (roll < 0.9) {
                input[i] = random.nextInt(vocabSize);
            }
        }
    }
}
