package dev.javaformers.pipelines;

import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * transformers' {@code ZeroShotClassificationPipeline} ({@code zero-shot-classification}) on an NLI model: each
 * {@code candidate_labels} entry (a list, or one comma-separated string) becomes the hypothesis
 * {@code hypothesis_template} ({@code "This example is {}."}) paired with the text, and the entailment logits rank
 * the labels: {@code {sequence, labels, scores}}, scores summing to 1 over the labels, or with
 * {@code multi_label true} each label's entailment against contradiction on its own.
 */
public final class ZeroShotClassificationPipeline extends Pipeline {

    /** The settings it takes besides batch_size, truncation and max_length. */
    static final Set<String> SETTINGS = Set.of("candidate_labels", "hypothesis_template", "multi_label");

    ZeroShotClassificationPipeline(PreTrainedModel<?> model, PreTrainedTokenizer tokenizer, Map<String, ?> defaults) {
        super(model, tokenizer, SETTINGS, defaults);
    }

    @Override
    protected Object run(List<Object> items, boolean single, Map<String, Object> settings, Set<String> givenInCall) {
        List<String> labels = labels(settings.get("candidate_labels"));
        String template = settings.get("hypothesis_template") == null ? "This example is {}."
                : settings.get("hypothesis_template").toString();
        if (!template.contains("{}")) {
            throw new IllegalArgumentException("The hypothesis_template \"" + template + "\" has no {} for the "
                    + "label, e.g. \"This example is {}.\"");
        }
        boolean multiLabel = Boolean.TRUE.equals(settings.get("multi_label")) || labels.size() == 1;
        int entailment = entailmentId();
        int columns = model.config().numLabels();
        int entail = entailment >= 0 ? entailment : columns - 1; // -1 indexes the last column, as numpy does
        int contradiction = entailment == 0 ? columns - 1 : 0;
        Map<String, Object> pairSettings = new LinkedHashMap<>(settings);
        pairSettings.putIfAbsent("truncation", "only_first");
        List<Object> results = new ArrayList<>();
        for (Object item : items) {
            String sequence = item.toString();
            List<Object> pairs = new ArrayList<>();
            for (String label : labels) {
                pairs.add(Map.of("text", sequence, "text_pair", template.replace("{}", label)));
            }
            List<float[]> logits = forward(pairs, pairSettings, (output, row, batch) -> row(output.logits(), row));
            float[] scores = new float[labels.size()];
            if (multiLabel) {
                for (int i = 0; i < scores.length; i++) {
                    float[] two = {logits.get(i)[contradiction], logits.get(i)[entail]};
                    scores[i] = softmax(two)[1];
                }
            } else {
                float[] entailments = new float[scores.length];
                for (int i = 0; i < scores.length; i++) {
                    entailments[i] = logits.get(i)[entail];
                }
                scores = softmax(entailments);
            }
            results.add(ranked(sequence, labels, scores));
        }
        return single ? results.get(0) : results;
    }

    private static Map<String, Object> ranked(String sequence, List<String> labels, float[] scores) {
        Integer[] order = new Integer[labels.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sequence", sequence);
        out.put("labels", Arrays.stream(order).map(labels::get).toList());
        out.put("scores", Arrays.stream(order).map(i -> (double) scores[i]).toList());
        return out;
    }

    /** The labels: a list, or one string split at commas. */
    private static List<String> labels(Object value) {
        List<String> labels = value instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : value == null ? List.of() : Arrays.stream(value.toString().split(",")).map(String::strip)
                        .filter(s -> !s.isEmpty()).toList();
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("zero-shot-classification needs candidate_labels: a list of labels or "
                    + "a comma-separated string");
        }
        return labels;
    }

    /** The id of the label whose name starts with "entail", or -1 (transformers then takes the last column). */
    private int entailmentId() {
        Map<String, Integer> label2id = model.config().label2id;
        if (label2id != null) {
            for (var e : label2id.entrySet()) {
                if (e.getKey().toLowerCase(java.util.Locale.ROOT).startsWith("entail")) {
                    return e.getValue();
                }
            }
        }
        return -1;
    }
}
