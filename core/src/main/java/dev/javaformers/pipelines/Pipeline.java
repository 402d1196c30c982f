package dev.javaformers.pipelines;

import ai.djl.ndarray.NDArray;
import dev.javaformers.data.Dataset;
import dev.javaformers.models.ModelOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.util.PyJson;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task's model and tokenizer behind one call, as transformers' {@code Pipeline}: {@code call(inputs)} takes one
 * text, a list of texts, or a {@code {text, text_pair}} map, and returns what transformers returns, as Java lists
 * and maps. Settings given to {@link Pipelines#pipeline} apply to every call; those given to a call override them
 * for that call. In Groovy a pipeline is called like a function: {@code classifier('I loved it')}.
 */
public abstract class Pipeline implements AutoCloseable {

    /** Settings every pipeline takes: inputs per forward pass, and the tokenizer's truncation. */
    static final Set<String> COMMON = Set.of("batch_size", "truncation", "max_length");

    protected final PreTrainedModel<?> model;
    protected final PreTrainedTokenizer tokenizer;
    private final Set<String> settings;
    private final Map<String, Object> defaults;

    /** {@code settings}: the names the task takes besides {@link #COMMON}; {@code defaults}: their values. */
    protected Pipeline(PreTrainedModel<?> model, PreTrainedTokenizer tokenizer, Set<String> settings,
            Map<String, ?> defaults) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.settings = Set.copyOf(settings);
        this.defaults = new LinkedHashMap<>(defaults);
        checkSettings(defaults);
        model.eval();
    }

    /**
     * The task's output for {@code items} (texts or {@code {text, text_pair}} maps), one result per item;
     * {@code single} tells that the caller gave one text rather than a list.
     */
    protected abstract Object run(List<Object> items, boolean single, Map<String, Object> settings,
            Set<String> givenInCall);

    public PreTrainedModel<?> model() {
        return model;
    }

    public PreTrainedTokenizer tokenizer() {
        return tokenizer;
    }

    public Object call(Object inputs) {
        return call(inputs, Map.of());
    }

    /** Runs the pipeline on {@code inputs} with {@code kwargs} for this call ({@code top_k}, ...). */
    public Object call(Object inputs, Map<String, ?> kwargs) {
        checkSettings(kwargs);
        Map<String, Object> settings = new LinkedHashMap<>(defaults);
        settings.putAll(kwargs);
        boolean single = !(inputs instanceof List<?>);
        List<Object> items = single ? List.of(inputs) : new ArrayList<>((List<?>) inputs);
        items.forEach(this::checkInput);
        return PipelineOutput.wrap(run(items, single, settings, kwargs.keySet()));
    }

    /**
     * Runs the pipeline on a dataset's text column and returns the dataset with the results as new columns: a
     * column per key of each input's record ({@code label}, {@code score}; {@code generated_text}; ...), or, where
     * an input gives several records (top_k, entities), one column named after the task holding them as text.
     * {@code kwargs} takes the call's settings and {@code output_prefix} (e.g. {@code "pred_"}), put before the new
     * columns' names, for datasets that have a {@code label} column already.
     */
    @SuppressWarnings("unchecked")
    public Dataset call(Dataset dataset, String column, Map<String, ?> kwargs) {
        if (!dataset.hasColumn(column)) {
            throw new IllegalArgumentException("The dataset has no column '" + column + "'; it has "
                    + dataset.columnNames());
        }
        Map<String, Object> settings = new LinkedHashMap<>(kwargs);
        Object prefix = settings.remove("output_prefix");
        List<Object> results = (List<Object>) call(dataset.column(column), settings);
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        for (int row = 0; row < results.size(); row++) {
            Object result = results.get(row);
            if (result instanceof List<?> l && l.size() == 1 && l.get(0) instanceof Map<?, ?>) {
                result = l.get(0);
            }
            Map<?, ?> record = result instanceof Map<?, ?> m ? m : Map.of(outputColumn(), result);
            for (var e : record.entrySet()) {
                Object value = e.getValue() instanceof List<?> l && !l.stream().allMatch(v -> v instanceof Integer
                        || v instanceof Long) ? PyJson.dumps(PyJson.MAPPER.valueToTree(l), false) : e.getValue();
                columns.computeIfAbsent(e.getKey().toString(), k -> new ArrayList<>(
                        java.util.Collections.nCopies(results.size(), null))).set(row, value);
            }
        }
        Dataset out = dataset;
        for (var e : columns.entrySet()) {
            String name = (prefix == null ? "" : prefix.toString()) + e.getKey();
            if (out.hasColumn(name)) {
                throw new IllegalArgumentException("The dataset has a column '" + name + "' already: give the "
                        + "results' columns a prefix, as output_prefix: 'pred_'");
            }
            out = out.addColumn(name, e.getValue());
        }
        return out;
    }

    public Dataset call(Dataset dataset, String column) {
        return call(dataset, column, Map.of());
    }

    /** Groovy's named arguments: {@code classifier(dataset, 'text', output_prefix: 'pred_')}. */
    public Dataset call(Map<String, ?> kwargs, Dataset dataset, String column) {
        return call(dataset, column, kwargs);
    }

    /** The column that holds results other than a record (lists of records, vectors), as named by the task. */
    protected String outputColumn() {
        return "output";
    }

    /** Refuses an input the task cannot take: here, anything but a text or a {text, text_pair} map. */
    protected void checkInput(Object item) {
        if (!(item instanceof CharSequence) && !(item instanceof Map<?, ?> map && map.containsKey("text"))) {
            throw new IllegalArgumentException("A pipeline takes a text, a list of texts or a map {text: ..., "
                    + "text_pair: ...}; got " + (item == null ? "null" : item.getClass().getSimpleName()));
        }
    }

    /** Groovy's named arguments: {@code classifier('text', top_k: 2)}. */
    public Object call(Map<String, ?> kwargs, String text) {
        return call(text, kwargs);
    }

    /** Groovy's named arguments: {@code classifier(['a', 'b'], top_k: 2)}. */
    public Object call(Map<String, ?> kwargs, List<?> inputs) {
        return call(inputs, kwargs);
    }

    private void checkSettings(Map<String, ?> kwargs) {
        for (String key : kwargs.keySet()) {
            if (!COMMON.contains(key) && !settings.contains(key)) {
                List<String> known = new ArrayList<>(settings);
                known.addAll(COMMON);
                throw new IllegalArgumentException("Unknown setting '" + key + "' for " + getClass().getSimpleName()
                        + "; it takes " + known.stream().sorted().toList());
            }
        }
    }

    /**
     * The model's output on {@code items}, {@code batch_size} at a time (padded within a batch, as transformers'
     * pipelines collate them); {@code perItem} turns one item's output row into its result.
     */
    protected <R> List<R> forward(List<Object> items, Map<String, Object> settings, RowReader<R> perItem) {
        int batchSize = batchSize(settings);
        List<R> out = new ArrayList<>();
        for (int start = 0; start < items.size(); start += batchSize) {
            List<Object> chunk = items.subList(start, Math.min(items.size(), start + batchSize));
            try (BatchEncoding batch = encode(chunk, settings)) {
                ModelOutput output = model.forward(batch);
                for (int row = 0; row < chunk.size(); row++) {
                    out.add(perItem.read(output, row, batch));
                }
            }
        }
        return out;
    }

    /** Inputs per forward pass: the {@code batch_size} setting, at least 1 (1 when unset). */
    protected static int batchSize(Map<String, Object> settings) {
        return settings.get("batch_size") instanceof Number n ? Math.max(1, n.intValue()) : 1;
    }

    /** Reads one item's result from a batch's output. */
    @FunctionalInterface
    protected interface RowReader<R> {
        R read(ModelOutput output, int row, BatchEncoding batch);
    }

    /** Options a task adds to the tokenizer's ({@code return_offsets_mapping}, ...). */
    protected Map<String, Object> encodeOptions() {
        return Map.of();
    }

    private BatchEncoding encode(List<Object> chunk, Map<String, Object> settings) {
        Map<String, Object> options = new LinkedHashMap<>(encodeOptions());
        options.put("return_tensors", "pt");
        options.put("padding", chunk.size() > 1);
        if (settings.containsKey("truncation")) {
            options.put("truncation", settings.get("truncation"));
        }
        if (settings.containsKey("max_length")) {
            options.put("max_length", settings.get("max_length"));
        }
        List<String> texts = new ArrayList<>();
        List<String> pairs = new ArrayList<>();
        for (Object item : chunk) {
            if (item instanceof Map<?, ?> map) {
                texts.add(String.valueOf(map.get("text")));
                pairs.add(map.get("text_pair") == null ? null : String.valueOf(map.get("text_pair")));
            } else {
                texts.add(item.toString());
                pairs.add(null);
            }
        }
        if (pairs.stream().allMatch(p -> p == null)) {
            return tokenizer.encode(texts, options);
        }
        if (pairs.stream().anyMatch(p -> p == null)) {
            throw new IllegalArgumentException("Within one batch, give every text a text_pair or none");
        }
        return tokenizer.encode(texts, pairs, options);
    }

    /** Softmax in float32, as transformers' pipelines compute it with numpy on the logits. */
    protected static float[] softmax(float[] logits) {
        return TextClassificationPipeline.apply("softmax", logits);
    }

    /** One row of a [batch, ...] output, as floats. */
    protected static float[] row(NDArray array, int row) {
        return array.get(row).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
    }

    @Override
    public void close() {
        model.close();
        tokenizer.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + model.getClass().getSimpleName() + ", " + defaults + ")";
    }
}
