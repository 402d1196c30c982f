package dev.javaformers.pipelines;

import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.generation.GenerationConfig;
import dev.javaformers.generation.GenerationMixin;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the generating pipelines share: the model's generation config with the task's
 * {@code task_specific_params} applied (t5's {@code summarization} sets a prefix, beams and lengths), and the
 * split of a call's settings into {@code generate}'s options and the pipeline's own.
 */
final class GenerationSettings {

    /** The model's config values a task's params replace: its prefix and the lengths pipelines read from it. */
    final String prefix;
    final int configMaxLength;
    final int configMinLength;
    /** The generation config every call starts from. */
    final GenerationConfig base;

    private GenerationSettings(String prefix, int configMaxLength, int configMinLength, GenerationConfig base) {
        this.prefix = prefix;
        this.configMaxLength = configMaxLength;
        this.configMinLength = configMinLength;
        this.base = base;
    }

    /**
     * The settings of {@code task} (as given to pipeline(), e.g. {@code translation_en_to_de}): as transformers'
     * Pipeline, the config's {@code task_specific_params[task]} update the config and the generation config.
     */
    static GenerationSettings of(GenerationMixin model, String task) {
        PretrainedConfig config = model.config();
        Map<String, Object> params = taskParams(config, task);
        Map<String, Object> generation = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (GenerationConfig.keys().contains(k)) {
                generation.put(k, v);
            }
        });
        String prefix = params.containsKey("prefix") ? (String) params.get("prefix") : config.prefix;
        int max = params.get("max_length") instanceof Number n ? n.intValue() : config.maxLength;
        int min = params.get("min_length") instanceof Number n ? n.intValue() : config.minLength;
        return new GenerationSettings(prefix, max, min, model.generationConfig().with(generation));
    }

    /** {@code task_specific_params[task]}, or an empty map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> taskParams(PretrainedConfig config, String task) {
        Object params = config.taskSpecificParams == null || task == null ? null : config.taskSpecificParams.get(task);
        return params instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** The pipeline's own settings and every option of {@code generate}. */
    static Set<String> withGenerationKeys(Set<String> own) {
        Set<String> all = new HashSet<>(own);
        all.addAll(GenerationConfig.keys());
        return Set.copyOf(all);
    }

    /** The call's options for {@code generate}; {@code stop_sequence} becomes the eos token, as in transformers. */
    static Map<String, Object> generateKwargs(Map<String, Object> settings, PreTrainedTokenizer tokenizer) {
        Map<String, Object> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> {
            if (GenerationConfig.keys().contains(k)) {
                out.put(k, v);
            }
        });
        Object stop = settings.get("stop_sequence");
        if (stop != null) {
            long[] ids = idsWithoutSpecialTokens(tokenizer, stop.toString());
            if (ids.length == 0) {
                throw new IllegalArgumentException("stop_sequence '" + stop + "' has no tokens");
            }
            out.put("eos_token_id", ids[0]); // transformers too stops on the first token alone
        }
        return out;
    }

    static long[] idsWithoutSpecialTokens(PreTrainedTokenizer tokenizer, String text) {
        try (BatchEncoding enc = tokenizer.encode(text, Map.of("add_special_tokens", false))) {
            return enc.inputIds()[0];
        }
    }

    static boolean flag(Map<String, Object> settings, String key, boolean otherwise) {
        Object v = settings.get(key);
        return v == null ? otherwise : v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString());
    }

    /** A generated row as a list of ids, as JSON and Groovy print it. */
    static List<Long> idList(long[] ids) {
        return java.util.Arrays.stream(ids).boxed().toList();
    }
}
