package dev.javaformers.pipelines;

import ai.djl.ndarray.NDArray;
import dev.javaformers.models.BaseModelOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * transformers' {@code FeatureExtractionPipeline} ({@code feature-extraction}): each text's last hidden state as
 * nested lists [1, tokens, hidden], as in Python. Beyond transformers, {@code pooling} ({@code mean} over the
 * attention mask, as sentence-transformers does, or {@code cls}) gives one vector [hidden] per text, and
 * {@code normalize true} scales it to unit length: sentence embeddings.
 */
public final class FeatureExtractionPipeline extends Pipeline {

    /** The settings it takes besides batch_size, truncation and max_length. */
    static final Set<String> SETTINGS = Set.of("pooling", "normalize");

    FeatureExtractionPipeline(PreTrainedModel<?> model, PreTrainedTokenizer tokenizer, Map<String, ?> defaults) {
        super(model, tokenizer, SETTINGS, defaults);
    }

    @Override
    protected Object run(List<Object> items, boolean single, Map<String, Object> settings, Set<String> givenInCall) {
        String pooling = settings.get("pooling") == null ? "none" : settings.get("pooling").toString()
                .toLowerCase(Locale.ROOT);
        if (!List.of("none", "mean", "cls").contains(pooling)) {
            throw new IllegalArgumentException("Unknown pooling '" + settings.get("pooling") + "': use mean, cls or "
                    + "none");
        }
        boolean normalize = Boolean.TRUE.equals(settings.get("normalize"));
        if (normalize && pooling.equals("none")) {
            throw new IllegalArgumentException("normalize needs pooling 'mean' or 'cls' (one vector per text)");
        }
        List<Object> results = forward(items, settings, (output, row, batch) -> {
            if (!(output instanceof BaseModelOutput base)) {
                throw new IllegalStateException("feature-extraction needs a bare model (AutoModel), not "
                        + model.getClass().getSimpleName());
            }
            NDArray hidden = base.lastHiddenState().get(row);
            long[] mask = ((NDArray) batch.get("attention_mask")).get(row).toLongArray();
            int length = 0;
            while (length < mask.length && mask[length] == 1) {
                length++; // a padded row's tokens, as the unpadded text has them
            }
            float[] values = hidden.toFloatArray();
            int width = (int) hidden.getShape().get(1);
            return pooling.equals("none") ? List.of(tokens(values, width, length))
                    : vector(pooling.equals("mean") ? mean(values, width, mask) : first(values, width), normalize);
        });
        return single ? results.get(0) : results;
    }

    private static List<List<Double>> tokens(float[] values, int width, int length) {
        List<List<Double>> out = new ArrayList<>();
        for (int t = 0; t < length; t++) {
            List<Double> token = new ArrayList<>(width);
            for (int i = 0; i < width; i++) {
                token.add((double) values[t * width + i]);
            }
            out.add(token);
        }
        return out;
    }

    private static float[] mean(float[] values, int width, long[] mask) {
        float[] sum = new float[width];
        int count = 0;
        for (int t = 0; t < mask.length; t++) {
            if (mask[t] == 1) {
                count++;
                for (int i = 0; i < width; i++) {
                    sum[i] += values[t * width + i];
                }
            }
        }
        for (int i = 0; i < width; i++) {
            sum[i] /= Math.max(count, 1);
        }
        return sum;
    }

    private static float[] first(float[] values, int width) {
        return java.util.Arrays.copyOf(values, width);
    }

    private static List<Double> vector(float[] v, boolean normalize) {
        double norm = 0;
        for (float x : v) {
            norm += (double) x * x;
        }
        double scale = normalize ? 1 / Math.max(Math.sqrt(norm), 1e-12) : 1;
        List<Double> out = new ArrayList<>(v.length);
        for (float x : v) {
            out.add(x * scale);
        }
        return out;
    }

    @Override
    protected String outputColumn() {
        return "features";
    }
}
