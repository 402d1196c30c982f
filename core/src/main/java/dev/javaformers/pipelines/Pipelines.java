package dev.javaformers.pipelines;

import dev.javaformers.hub.HubException;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * transformers' {@code pipeline(task, model)}: the model for the task (through its Auto class), its tokenizer,
 * and the task's pipeline, ready to call.
 *
 * <pre>{@code
 * try (Pipeline classifier = Pipelines.pipeline("sentiment-analysis", "out/sentiment-model")) {
 *     System.out.println(classifier.call("I loved this film"));  // [{label=positive, score=0.97}]
 * }
 * }</pre>
 *
 * Tasks so far: {@code text-classification} ({@code sentiment-analysis}), {@code token-classification}
 * ({@code ner}), {@code question-answering}, {@code feature-extraction}, {@code fill-mask} and
 * {@code zero-shot-classification}.
 */
public final class Pipelines {

    /** transformers 4.31's default model of each task ({@code SUPPORTED_TASKS[task]["default"]}). */
    static final Map<Task, String> DEFAULT_MODELS = Map.of(
            Task.SEQUENCE_CLASSIFICATION, "distilbert-base-uncased-finetuned-sst-2-english",
            Task.BASE, "distilbert-base-cased",
            Task.MASKED_LM, "distilroberta-base",
            Task.TOKEN_CLASSIFICATION, "dbmdz/bert-large-cased-finetuned-conll03-english",
            Task.QUESTION_ANSWERING, "distilbert-base-cased-distilled-squad");

    /** zero-shot-classification is no Task of its own: an NLI model, built as a sequence classifier. */
    static final String ZERO_SHOT = "zero-shot-classification";
    static final String ZERO_SHOT_DEFAULT = "facebook/bart-large-mnli";

    /** How each task's pipeline is built, and the settings it takes. */
    private record Kind(Set<String> settings, Factory factory) {}

    @FunctionalInterface
    private interface Factory {
        Pipeline make(PreTrainedModel<?> model, PreTrainedTokenizer tokenizer, Map<String, ?> settings);
    }

    private static final Map<Task, Kind> KINDS = Map.of(
            Task.SEQUENCE_CLASSIFICATION, new Kind(TextClassificationPipeline.SETTINGS, TextClassificationPipeline::new),
            Task.BASE, new Kind(FeatureExtractionPipeline.SETTINGS, FeatureExtractionPipeline::new),
            Task.MASKED_LM, new Kind(FillMaskPipeline.SETTINGS, FillMaskPipeline::new),
            Task.TOKEN_CLASSIFICATION, new Kind(TokenClassificationPipeline.SETTINGS,
                    TokenClassificationPipeline::new),
            Task.QUESTION_ANSWERING, new Kind(QuestionAnsweringPipeline.SETTINGS, QuestionAnsweringPipeline::new));

    private Pipelines() {}

    /** The task's pipeline with transformers' default model for it. */
    public static Pipeline pipeline(String task) {
        return pipeline(task, null, Map.of());
    }

    public static Pipeline pipeline(String task, String model) {
        return pipeline(task, model, Map.of());
    }

    /** Groovy's named arguments: {@code pipeline('sentiment-analysis', 'my-model', top_k: 2)}. */
    public static Pipeline pipeline(Map<String, ?> kwargs, String task, String model) {
        return pipeline(task, model, kwargs);
    }

    /**
     * The pipeline of {@code task} (any name {@link Task#of} takes) on {@code model} (a folder or Hub name; null for
     * the task's default). {@code kwargs}: {@code tokenizer} (default: the model's), {@code device},
     * {@code batch_size}, the task's own settings ({@code top_k}, {@code function_to_apply}, {@code pooling}, ...)
     * kept for every call, and Hub options ({@code revision}, {@code cache_dir}, {@code local_files_only}, ...).
     */
    public static Pipeline pipeline(String task, String model, Map<String, ?> kwargs) {
        boolean zeroShot = task.strip().equalsIgnoreCase(ZERO_SHOT);
        Task t = zeroShot ? Task.SEQUENCE_CLASSIFICATION : Task.of(task);
        Kind kind = zeroShot ? new Kind(ZeroShotClassificationPipeline.SETTINGS, ZeroShotClassificationPipeline::new)
                : KINDS.get(t);
        if (kind == null) {
            throw new IllegalArgumentException("No pipeline for task '" + task + "' yet; there are "
                    + "text-classification (sentiment-analysis), token-classification (ner), question-answering, "
                    + "feature-extraction, fill-mask and zero-shot-classification");
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        Map<String, Object> loading = new LinkedHashMap<>();
        kwargs.forEach((k, v) -> {
            if (Pipeline.COMMON.contains(k) || kind.settings().contains(k)) {
                settings.put(k, v);
            } else {
                loading.put(k, v);
            }
        });
        String name = model != null ? model : zeroShot ? ZERO_SHOT_DEFAULT : DEFAULT_MODELS.get(t);
        Object tokenizerName = loading.remove("tokenizer");
        Map<String, Object> hub = new LinkedHashMap<>(loading);
        hub.remove("device");
        PreTrainedModel<?> loaded;
        try {
            loaded = ModelFactory.forTask(t).fromPretrained(name, loading);
        } catch (HubException e) {
            if (model != null) {
                throw e;
            }
            throw new IllegalArgumentException("pipeline('" + task + "') uses transformers' default model " + name
                    + ", which is not in the Hub cache and could not be downloaded (" + e.getMessage() + "). "
                    + "Download it where there is a network (scripts/hub download " + name + ") or pass a model: "
                    + "pipeline('" + task + "', 'org/name or folder')", e);
        }
        try {
            PreTrainedTokenizer tokenizer = AutoTokenizer.fromPretrained(tokenizerName != null
                    ? tokenizerName.toString() : name, hub);
            return kind.factory().make(loaded, tokenizer, settings);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }
}
