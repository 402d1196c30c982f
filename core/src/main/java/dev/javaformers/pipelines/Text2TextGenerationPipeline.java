package dev.javaformers.pipelines;

import dev.javaformers.generation.GenerationConfig;
import dev.javaformers.generation.Seq2SeqGenerationMixin;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * transformers' {@code Text2TextGenerationPipeline} and its {@code SummarizationPipeline} and
 * {@code TranslationPipeline}: an encoder-decoder's {@code generate} on each text (after the config's
 * {@code prefix}, such as t5's {@code "summarize: "}), as {@code [{generated_text}]}, {@code [{summary_text}]} or
 * {@code [{translation_text}]}. A list of texts gives a flat list of records when each text has one, as in
 * Python. Settings: {@code return_tensors} ({@code ..._token_ids}), {@code clean_up_tokenization_spaces} (default
 * false), {@code truncation}, {@code stop_sequence}, and every option of {@code generate}; {@code max_length} and
 * {@code min_length} default to the model config's, as transformers' pipeline passes them. {@code src_lang} and
 * {@code tgt_lang} are taken and, as in transformers for tokenizers without language codes, change nothing.
 */
public final class Text2TextGenerationPipeline extends Pipeline {

    static final Set<String> SETTINGS = GenerationSettings.withGenerationKeys(Set.of("return_tensors",
            "return_text", "clean_up_tokenization_spaces", "stop_sequence", "src_lang", "tgt_lang"));

    private final Seq2SeqGenerationMixin generator;
    private final GenerationSettings generation;
    /** {@code generated}, {@code summary} or {@code translation}: the records' key is this and {@code _text}. */
    private final String returnName;

    Text2TextGenerationPipeline(PreTrainedModel<?> model, PreTrainedTokenizer tokenizer, Map<String, ?> defaults,
            String task, String returnName) {
        super(model, tokenizer, SETTINGS, defaults);
        if (!(model instanceof Seq2SeqGenerationMixin g)) {
            throw new IllegalArgumentException(model.getClass().getSimpleName() + " is no encoder-decoder that "
                    + "generates");
        }
        this.generator = g;
        this.generation = GenerationSettings.of(g, task);
        this.returnName = returnName;
    }

    /** The records' key without {@code _text}: {@code generated}, {@code summary} or {@code translation}. */
    public String returnName() {
        return returnName;
    }

    @Override
    protected void checkInput(Object item) {
        if (!(item instanceof CharSequence)) {
            throw new IllegalArgumentException(returnName + " pipelines take a text or a list of texts; got "
                    + (item == null ? "null" : item.getClass().getSimpleName()));
        }
    }

    @Override
    protected Object run(List<Object> items, boolean single, Map<String, Object> settings, Set<String> givenInCall) {
        boolean tensors = GenerationSettings.flag(settings, "return_tensors", false);
        boolean cleanUp = GenerationSettings.flag(settings, "clean_up_tokenization_spaces", false);
        Map<String, Object> kwargs = GenerationSettings.generateKwargs(settings, tokenizer);
        kwargs.putIfAbsent("min_length", generation.configMinLength);
        kwargs.putIfAbsent("max_length", generation.configMaxLength);
        GenerationConfig config = generation.base.with(kwargs);
        String prefix = generation.prefix == null ? "" : generation.prefix;

        int batchSize = batchSize(settings);
        List<List<Map<String, Object>>> results = new ArrayList<>();
        for (int start = 0; start < items.size(); start += batchSize) {
            List<String> texts = items.subList(start, Math.min(items.size(), start + batchSize)).stream()
                    .map(t -> prefix + t).toList();
            long[][] out;
            try (BatchEncoding batch = tokenizer.encode(texts, encodeOptions(settings, texts.size()))) {
                out = generator.generate(batch.inputIds(), texts.size() == 1 ? null : batch.attentionMask(),
                        config);
            }
            int perText = out.length / texts.size();
            for (int t = 0; t < texts.size(); t++) {
                List<Map<String, Object>> records = new ArrayList<>();
                for (int k = 0; k < perText; k++) {
                    long[] ids = out[t * perText + k];
                    records.add(tensors ? Map.of(returnName + "_token_ids", GenerationSettings.idList(ids))
                            : Map.of(returnName + "_text", tokenizer.decode(ids, true, cleanUp)));
                }
                results.add(records);
            }
        }
        if (single) {
            return results.get(0);
        }
        return results.stream().allMatch(r -> r.size() == 1) ? results.stream().map(r -> r.get(0)).toList()
                : results;
    }

    private static Map<String, Object> encodeOptions(Map<String, Object> settings, int texts) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("padding", texts > 1);
        if (settings.containsKey("truncation")) {
            options.put("truncation", settings.get("truncation"));
        }
        return options;
    }

    @Override
    protected String outputColumn() {
        return returnName;
    }
}
