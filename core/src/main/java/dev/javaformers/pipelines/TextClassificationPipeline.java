package dev.javaformers.pipelines;

import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * transformers' {@code TextClassificationPipeline} ({@code text-classification}, {@code sentiment-analysis}):
 * each text's best {@code {label, score}}; with {@code top_k} (a number, or null for all) the labels sorted by
 * score. {@code function_to_apply}: {@code softmax}, {@code sigmoid} or {@code none}; by default sigmoid for
 * multi-label and single-output (regression) models, softmax otherwise. One text gives a list of one result, as
 * in Python; a {@code {text, text_pair}} map gives the result itself.
 */
public final class TextClassificationPipeline extends Pipeline {

    /** The settings it takes besides batch_size, truncation and max_length. */
    static final Set<String> SETTINGS = Set.of("top_k", "function_to_apply");

    TextClassificationPipeline(PreTrainedModel<?> model, PreTrainedTokenizer tokenizer, Map<String, ?> defaults) {
        super(model, tokenizer, SETTINGS, defaults);
    }

    @Override
    protected Object run(List<Object> items, boolean single, Map<String, Object> settings, Set<String> givenInCall) {
        boolean legacy = !settings.containsKey("top_k"); // transformers' "_legacy": no top_k, one best label
        Integer topK = settings.get("top_k") instanceof Number n ? n.intValue() : null;
        String function = function(settings.get("function_to_apply"), model.config());
        List<Object> results = forward(items, settings, (output, row, batch) -> {
            float[] scores = apply(function, row(output.logits(), row));
            return legacy ? best(scores) : ranked(scores, topK);
        });
        if (single) {
            // as transformers' __call__: a string, in a call without top_k, gives [result]; a text pair the result
            boolean wrap = items.get(0) instanceof CharSequence && !givenInCall.contains("top_k");
            return wrap ? List.of(results.get(0)) : results.get(0);
        }
        return results;
    }

    private Map<String, Object> best(float[] scores) {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            best = scores[i] > scores[best] ? i : best;
        }
        return entry(best, scores[best]);
    }

    private List<Map<String, Object>> ranked(float[] scores, Integer topK) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            all.add(entry(i, scores[i]));
        }
        all.sort(Comparator.comparingDouble(m -> -((Double) m.get("score")))); // stable, as Python's sort
        return topK == null ? all : all.subList(0, Math.min(topK, all.size()));
    }

    private Map<String, Object> entry(int label, float score) {
        Map<String, Object> out = new LinkedHashMap<>();
        PretrainedConfig config = model.config();
        String name = config.id2label == null ? null : config.id2label.get(label);
        out.put("label", name != null ? name : "LABEL_" + label);
        out.put("score", (double) score);
        return out;
    }

    /** The function transformers applies: the one asked for, else by the config's problem type and labels. */
    static String function(Object asked, PretrainedConfig config) {
        if (asked != null) {
            String name = asked.toString().toLowerCase(Locale.ROOT);
            if (!List.of("softmax", "sigmoid", "none").contains(name)) {
                throw new IllegalArgumentException("Unknown function_to_apply '" + asked + "': use softmax, sigmoid "
                        + "or none");
            }
            return name;
        }
        if ("multi_label_classification".equals(config.problemType) || config.numLabels() == 1) {
            return "sigmoid";
        }
        return "softmax";
    }

    /** Softmax or sigmoid in float32, as transformers computes them with numpy on the logits. */
    static float[] apply(String function, float[] logits) {
        float[] out = new float[logits.length];
        switch (function) {
            case "sigmoid" -> {
                for (int i = 0; i < logits.length; i++) {
                    out[i] = (float) (1.0 / (1.0 + Math.exp(-logits[i])));
                }
            }
            case "softmax" -> {
                float max = Float.NEGATIVE_INFINITY;
                for (float l : logits) {
                    max = Math.max(max, l);
                }
                float sum = 0;
                for (int i = 0; i < logits.length; i++) {
                    out[i] = (float) Math.exp(logits[i] - max);
                    sum += out[i];
                }
                for (int i = 0; i < out.length; i++) {
                    out[i] /= sum;
                }
            }
            default -> System.arraycopy(logits, 0, out, 0, logits.length);
        }
        return out;
    }

    @Override
    protected String outputColumn() {
        return "labels";
    }
}
