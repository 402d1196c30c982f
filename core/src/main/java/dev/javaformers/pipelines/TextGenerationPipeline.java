package dev.javaformers.pipelines;

import dev.javaformers.generation.GenerationConfig;
import dev.javaformers.generation.GenerationMixin;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * transformers' {@code TextGenerationPipeline} ({@code text-generation}): each prompt continued by a causal
 * language model's {@code generate}, as {@code [{generated_text}]} (one record per
 * {@code num_return_sequences}); a list of prompts gives a list of such lists. Settings: {@code return_full_text}
 * (default true: the prompt and its continuation), {@code return_tensors} ({@code generated_token_ids}),
 * {@code clean_up_tokenization_spaces} (default true), {@code prefix} (default the config's), {@code stop_sequence}
 * (its first token ends generation), {@code handle_long_generation: 'hole'} (the prompt's start cut so that the new
 * tokens fit the tokenizer's {@code model_max_length}), and every option of {@code generate}
 * ({@code max_new_tokens}, {@code num_beams}, {@code do_sample}, {@code seed}, ...). Prompts are encoded without
 * special tokens, as transformers does; with {@code batch_size} above 1 they are padded on the left.
 */
public final class TextGenerationPipeline extends Pipeline {

    static final Set<String> SETTINGS = GenerationSettings.withGenerationKeys(Set.of("return_full_text",
            "return_tensors", "return_text", "clean_up_tokenization_spaces", "prefix", "handle_long_generation",
            "stop_sequence"));

    private final GenerationMixin generator;
    private final GenerationSettings generation;

    TextGenerationPipeline(PreTrainedModel<?> model, PreTrainedTokenizer tokenizer, Map<String, ?> defaults,
            String task) {
        super(model, tokenizer, SETTINGS, defaults);
        if (!(model instanceof GenerationMixin g)) {
            throw new IllegalArgumentException(model.getClass().getSimpleName() + " cannot generate");
        }
        this.generator = g;
        this.generation = GenerationSettings.of(g, task);
    }

    @Override
    protected void checkInput(Object item) {
        if (!(item instanceof CharSequence)) {
            throw new IllegalArgumentException("text-generation takes a prompt or a list of prompts; got "
                    + (item == null ? "null" : item.getClass().getSimpleName()));
        }
    }

    @Override
    protected Object run(List<Object> items, boolean single, Map<String, Object> settings, Set<String> givenInCall) {
        boolean tensors = GenerationSettings.flag(settings, "return_tensors", false);
        if (tensors && settings.containsKey("return_full_text")) {
            throw new IllegalArgumentException("return_full_text and return_tensors exclude each other");
        }
        boolean fullText = GenerationSettings.flag(settings, "return_full_text", true);
        boolean cleanUp = GenerationSettings.flag(settings, "clean_up_tokenization_spaces", true);
        Object hole = settings.get("handle_long_generation");
        if (hole != null && !"hole".equals(hole)) {
            throw new IllegalArgumentException("handle_long_generation takes 'hole' (or null), not '" + hole + "'");
        }
        String prefix = settings.containsKey("prefix") ? String.valueOf(settings.get("prefix"))
                : generation.prefix == null ? "" : generation.prefix;
        Map<String, Object> kwargs = GenerationSettings.generateKwargs(settings, tokenizer);
        if (!prefix.isEmpty()) {
            // as transformers: a prefix's tokens do not count against max_length / min_length
            int prefixLength = GenerationSettings.idsWithoutSpecialTokens(tokenizer, prefix).length;
            if (!kwargs.containsKey("max_new_tokens") && generation.base.maxNewTokens == null) {
                int max = kwargs.get("max_length") instanceof Number n ? n.intValue() : model.config().maxLength;
                kwargs.put("max_length", max + prefixLength);
            }
            if (!kwargs.containsKey("min_new_tokens") && generation.base.minNewTokens == null
                    && kwargs.get("min_length") instanceof Number n) {
                kwargs.put("min_length", n.intValue() + prefixLength);
            }
        }
        GenerationConfig config = generation.base.with(kwargs);

        List<long[]> prompts = new ArrayList<>();
        for (Object item : items) {
            long[] ids = GenerationSettings.idsWithoutSpecialTokens(tokenizer, prefix + item);
            prompts.add(hole != null ? cutForNewTokens(ids, config) : ids);
        }
        int batchSize = batchSize(settings);
        List<Object> results = new ArrayList<>();
        for (int start = 0; start < items.size(); start += batchSize) {
            int end = Math.min(items.size(), start + batchSize);
            List<long[][]> generated = generate(prompts.subList(start, end), config);
            for (int i = start; i < end; i++) {
                List<Map<String, Object>> records = new ArrayList<>();
                for (long[] sequence : generated.get(i - start)) {
                    records.add(tensors ? Map.of("generated_token_ids", GenerationSettings.idList(sequence))
                            : Map.of("generated_text", text(sequence, prompts.get(i), items.get(i).toString(),
                                    fullText, cleanUp)));
                }
                results.add(records);
            }
        }
        return single ? results.get(0) : results;
    }

    /** {@code hole}: the prompt's last tokens, leaving room for the new ones within model_max_length. */
    private long[] cutForNewTokens(long[] ids, GenerationConfig config) {
        int newTokens = config.maxNewTokens != null ? config.maxNewTokens : config.maxLength - ids.length;
        if (newTokens < 0) {
            throw new IllegalArgumentException("handle_long_generation 'hole' cannot tell how many tokens to make: "
                    + "the prompt has " + ids.length + " tokens, max_length is " + config.maxLength);
        }
        if (ids.length + newTokens <= tokenizer.modelMaxLength) {
            return ids;
        }
        int keep = tokenizer.modelMaxLength - newTokens;
        if (keep <= 0) {
            throw new IllegalArgumentException("handle_long_generation 'hole': " + newTokens + " new tokens exceed "
                    + "the tokenizer's model_max_length " + tokenizer.modelMaxLength);
        }
        return Arrays.copyOfRange(ids, ids.length - keep, ids.length);
    }

    /**
     * Each prompt's sequences (prompt and new tokens; num_return_sequences of them). Prompts of a batch are padded
     * on the left, and the padding is taken off the results again. An empty prompt starts from the bos token, as
     * transformers' generate does without input_ids.
     */
    private List<long[][]> generate(List<long[]> prompts, GenerationConfig config) {
        int width = 1;
        for (long[] p : prompts) {
            width = Math.max(width, p.length);
        }
        long pad = tokenizer.padTokenId() != null ? tokenizer.padTokenId()
                : config.padTokenId != null ? config.padTokenId : 0;
        long[][] ids = new long[prompts.size()][width];
        long[][] mask = new long[prompts.size()][width];
        int[] padding = new int[prompts.size()];
        for (int r = 0; r < prompts.size(); r++) {
            long[] p = prompts.get(r);
            if (p.length == 0) {
                if (config.bosTokenId == null) {
                    throw new IllegalArgumentException("An empty prompt needs the model's bos_token_id to start "
                            + "from; " + model.config().getClass().getSimpleName() + " has none");
                }
                p = new long[] {config.bosTokenId};
            }
            padding[r] = width - p.length;
            Arrays.fill(ids[r], 0, padding[r], pad);
            System.arraycopy(p, 0, ids[r], padding[r], p.length);
            Arrays.fill(mask[r], padding[r], width, 1L);
        }
        long[][] out = generator.generate(ids, prompts.size() == 1 ? null : mask, config);
        int perPrompt = out.length / prompts.size();
        List<long[][]> grouped = new ArrayList<>();
        for (int r = 0; r < prompts.size(); r++) {
            long[][] rows = new long[perPrompt][];
            for (int k = 0; k < perPrompt; k++) {
                long[] row = out[r * perPrompt + k];
                rows[k] = Arrays.copyOfRange(row, padding[r], row.length);
            }
            grouped.add(rows);
        }
        return grouped;
    }

    /**
     * transformers' postprocess: the decoded sequence less as many characters as the decoded prompt has, after the
     * prompt as given (full text) or alone (new text).
     */
    private String text(long[] sequence, long[] prompt, String promptText, boolean fullText, boolean cleanUp) {
        String text = tokenizer.decode(sequence, true, cleanUp);
        String decodedPrompt = prompt.length == 0 ? "" : tokenizer.decode(prompt, true, cleanUp);
        int promptLength = decodedPrompt.codePointCount(0, decodedPrompt.length()); // Python counts code points
        int cut = text.codePointCount(0, text.length()) <= promptLength ? text.length()
                : text.offsetByCodePoints(0, promptLength);
        String added = text.substring(cut);
        return fullText ? promptText + added : added;
    }

    @Override
    protected String outputColumn() {
        return "generated";
    }
}
