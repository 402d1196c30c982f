package dev.javaformers.pipelines;

import dev.javaformers.hub.HubException;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.LinkedHashMap;
import java.util.Locale;
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
 * Tasks: {@code text-classification} ({@code sentiment-analysis}), {@code token-classification} ({@code ner}),
 * {@code question-answering}, {@code feature-extraction}, {@code fill-mask}, {@code zero-shot-classification},
 * {@code text-generation}, {@code text2text-generation}, {@code summarization} and {@code translation_XX_to_YY}
 * (or {@code translation}).
 */
public final class Pipelines {

    /** transformers 4.31's default model of each task ({@code SUPPORTED_TASKS[task]["default"]}). */
    static final Map<Task, String> DEFAULT_MODELS = Map.of(
            Task.SEQUENCE_CLASSIFICATION, "distilbert-base-uncased-finetuned-sst-2-english",
            Task.BASE, "distilbert-base-cased",
            Task.MASKED_LM, "distilroberta-base",
            Task.TOKEN_CLASSIFICATION, "dbmdz/bert-large-cased-finetuned-conll03-english",
            Task.QUESTION_ANSWERING, "distilbert-base-cased-distilled-squad");

    /** The generating tasks' defaults: transformers 4.31's (translation's by language pair). */
    static final Map<String, String> GENERATION_DEFAULTS = Map.of(
            "text-generation", "gpt2",
            "text2text-generation", "t5-base",
            "summarization", "sshleifer/distilbart-cnn-12-6",
            "translation_en_to_fr", "t5-base",
            "translation_en_to_de", "t5-base",
            "translation_en_to_ro", "t5-base");

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
        String name = task.strip().toLowerCase(Locale.ROOT);
        boolean zeroShot = name.equals(ZERO_SHOT);
        boolean translation = name.startsWith("translation");
        Task t = zeroShot ? Task.SEQUENCE_CLASSIFICATION : translation ? Task.SEQ2SEQ_LM : Task.of(task);
        if (translation && !name.equals("translation") && !name.matches("translation_[^_]+_to_[^_]+")) {
            throw new IllegalArgumentException("Unknown task '" + task + "': translation is 'translation' or "
                    + "'translation_XX_to_YY', as 'translation_en_to_de'");
        }
        Kind kind = zeroShot ? new Kind(ZeroShotClassificationPipeline.SETTINGS, ZeroShotClassificationPipeline::new)
                : t == Task.CAUSAL_LM ? new Kind(TextGenerationPipeline.SETTINGS,
                        (m, tok, s) -> new TextGenerationPipeline(m, tok, s, "text-generation"))
                : t == Task.SEQ2SEQ_LM ? new Kind(Text2TextGenerationPipeline.SETTINGS,
                        (m, tok, s) -> seq2seq(name, m, tok, s))
                : KINDS.get(t);
        if (kind == null) {
            throw new IllegalArgumentException("No pipeline for task '" + task + "' yet; there are "
                    + "text-classification (sentiment-analysis), token-classification (ner), question-answering, "
                    + "feature-extraction, fill-mask, zero-shot-classification, text-generation, "
                    + "text2text-generation, summarization and translation_XX_to_YY");
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
        String modelName = model != null ? model : defaultModel(task, name, t);
        Object tokenizerName = loading.remove("tokenizer");
        Map<String, Object> hub = new LinkedHashMap<>(loading);
        hub.remove("device");
        PreTrainedModel<?> loaded;
        try {
            loaded = ModelFactory.forTask(t).fromPretrained(modelName, loading);
        } catch (HubException e) {
            if (model != null) {
                throw e;
            }
            throw new IllegalArgumentException("pipeline('" + task + "') uses transformers' default model "
                    + modelName + ", which is not in the Hub cache and could not be downloaded (" + e.getMessage()
                    + "). Download it where there is a network (scripts/hub download " + modelName + ") or pass a "
                    + "model: "
                    + "pipeline('" + task + "', 'org/name or folder')", e);
        }
        try {
            PreTrainedTokenizer tokenizer = AutoTokenizer.fromPretrained(tokenizerName != null
                    ? tokenizerName.toString() : modelName, hub);
            return kind.factory().make(loaded, tokenizer, settings);
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    private static String defaultModel(String task, String name, Task t) {
        if (name.equals(ZERO_SHOT)) {
            return ZERO_SHOT_DEFAULT;
        }
        if (t == Task.CAUSAL_LM || t == Task.SEQ2SEQ_LM) {
            String key = t == Task.CAUSAL_LM ? "text-generation" : name.startsWith("translation")
                    || name.equals("summarization") ? name : "text2text-generation";
            String found = GENERATION_DEFAULTS.get(key);
            if (found == null) {
                throw new IllegalArgumentException("pipeline('" + task + "') has no default model: transformers "
                        + "has them for translation_en_to_fr, translation_en_to_de and translation_en_to_ro; pass a "
                        + "model: pipeline('" + task + "', 'Helsinki-NLP/opus-mt-xx-yy or folder')");
            }
            return found;
        }
        return DEFAULT_MODELS.get(t);
    }

    /**
     * The pipeline of a seq2seq task: summarization, translation (the task's name, or for plain "translation" the
     * config's first translation_* task params, as transformers picks them) or text2text-generation.
     */
    private static Pipeline seq2seq(String name, PreTrainedModel<?> model, PreTrainedTokenizer tokenizer,
            Map<String, ?> settings) {
        if (name.startsWith("translation")) {
            String key = name;
            Map<String, Object> params = model.config().taskSpecificParams;
            if (name.equals("translation") && params != null) {
                key = params.keySet().stream().filter(k -> k.startsWith("translation")).findFirst().orElse(name);
            }
            return new Text2TextGenerationPipeline(model, tokenizer, settings, key, "translation");
        }
        if (name.equals("summarization")) {
            return new Text2TextGenerationPipeline(model, tokenizer, settings, name, "summary");
        }
        return new Text2TextGenerationPipeline(model, tokenizer, settings, "text2text-generation", "generated");
    }
}
