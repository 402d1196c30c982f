package dev.javaformers.pipelines;

import ai.djl.ndarray.NDArray;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * transformers' {@code FillMaskPipeline} ({@code fill-mask}): for each mask token of a text the {@code top_k}
 * (default 5) most likely tokens, each as {@code {score, token, token_str, sequence}}; {@code targets} restricts
 * the candidates to those words (a word not in the vocabulary counts as its first token). A text with one mask
 * gives a list of candidates, with several a list per mask (the sequences then keep the special tokens, as in
 * Python).
 */
public final class FillMaskPipeline extends Pipeline {

    /** The settings it takes besides batch_size, truncation and max_length. */
    static final Set<String> SETTINGS = Set.of("top_k", "targets");

    FillMaskPipeline(PreTrainedModel<?> model, PreTrainedTokenizer tokenizer, Map<String, ?> defaults) {
        super(model, tokenizer, SETTINGS, defaults);
        if (tokenizer.maskTokenId() == null) {
            throw new IllegalArgumentException("fill-mask needs a tokenizer with a mask token");
        }
    }

    @Override
    protected Object run(List<Object> items, boolean single, Map<String, Object> settings, Set<String> givenInCall) {
        int topK = settings.get("top_k") instanceof Number n ? n.intValue() : 5;
        long[] targets = targetIds(settings.get("targets"));
        if (targets != null) {
            topK = Math.min(topK, targets.length);
        }
        int k = topK;
        long mask = tokenizer.maskTokenId();
        List<Object> results = forward(items, settings, (output, row, batch) -> {
            long[] ids = ((NDArray) batch.get("input_ids")).get(row).toLongArray();
            NDArray logits = output.logits().get(row);
            List<List<Map<String, Object>>> perMask = new ArrayList<>();
            List<Integer> masked = new ArrayList<>();
            for (int t = 0; t < ids.length; t++) {
                if (ids[t] == mask) {
                    masked.add(t);
                }
            }
            if (masked.isEmpty()) {
                throw new IllegalArgumentException("No mask token (" + tokenizer.maskToken() + ") in the input");
            }
            for (int position : masked) {
                float[] probs = softmax(logits.get(position).toFloatArray());
                perMask.add(candidates(ids, position, probs, targets, k, masked.size() == 1));
            }
            return masked.size() == 1 ? perMask.get(0) : perMask;
        });
        return single ? results.get(0) : results.size() == 1 ? results.get(0) : results;
    }

    private List<Map<String, Object>> candidates(long[] ids, int position, float[] probs, long[] targets, int k,
            boolean singleMask) {
        int n = targets != null ? targets.length : probs.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(score(probs, targets, b), score(probs, targets, a)));
        List<Map<String, Object>> out = new ArrayList<>();
        Long pad = tokenizer.padTokenId();
        for (int i = 0; i < Math.min(k, n); i++) {
            long token = targets != null ? targets[order[i]] : order[i];
            long[] filled = ids.clone();
            filled[position] = token;
            long[] kept = Arrays.stream(filled).filter(id -> pad == null || id != pad).toArray();
            Map<String, Object> candidate = new LinkedHashMap<>();
            candidate.put("score", (double) score(probs, targets, order[i]));
            candidate.put("token", token);
            candidate.put("token_str", tokenizer.decode(new long[] {token}, false));
            candidate.put("sequence", tokenizer.decode(kept, singleMask));
            out.add(candidate);
        }
        return out;
    }

    private static float score(float[] probs, long[] targets, int i) {
        return targets != null ? probs[(int) targets[i]] : probs[i];
    }

    /** Each target's id: the word's own, else its first token's, as transformers' get_target_ids. */
    private long[] targetIds(Object targets) {
        if (targets == null) {
            return null;
        }
        List<String> words = targets instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                : List.of(targets.toString());
        if (words.isEmpty()) {
            throw new IllegalArgumentException("targets is empty");
        }
        Map<String, Integer> vocab = tokenizer.getVocab();
        long[] ids = new long[words.size()];
        for (int i = 0; i < ids.length; i++) {
            Integer id = vocab.get(words.get(i));
            if (id == null) {
                long[] pieces = tokenizer.encode(words.get(i), Map.of("add_special_tokens", false))
                        .inputIds()[0];
                if (pieces.length == 0) {
                    throw new IllegalArgumentException("The target '" + words.get(i) + "' gives no token");
                }
                id = (int) pieces[0];
            }
            ids[i] = id;
        }
        return ids;
    }

    @Override
    protected String outputColumn() {
        return "predictions";
    }
}
