package dev.javaformers.pipelines;

import ai.djl.ndarray.NDArray;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.QuestionAnsweringModelOutput;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * transformers' {@code QuestionAnsweringPipeline} ({@code question-answering}), on a fast tokenizer: the input is
 * {@code {question, context}} (or a list of them); a context longer than {@code max_seq_len} (384, at most the
 * tokenizer's limit) is read in windows overlapping by {@code doc_stride} (half of it, at most 128). Each window's
 * start and end probabilities score the spans of at most {@code max_answer_len} (15) context tokens; the
 * {@code top_k} (1) best are {@code {score, start, end, answer}}, aligned to whole words unless
 * {@code align_to_words false}; {@code handle_impossible_answer} adds the empty answer with the [CLS] score.
 */
public final class QuestionAnsweringPipeline extends Pipeline {

    /** The settings it takes besides batch_size, truncation and max_length. */
    static final Set<String> SETTINGS = Set.of("top_k", "doc_stride", "max_answer_len", "max_seq_len",
            "handle_impossible_answer", "align_to_words");

    QuestionAnsweringPipeline(PreTrainedModel<?> model, PreTrainedTokenizer tokenizer, Map<String, ?> defaults) {
        super(model, tokenizer, SETTINGS, defaults);
    }

    @Override
    protected void checkInput(Object item) {
        if (!(item instanceof Map<?, ?> map && map.get("question") != null && map.get("context") != null)) {
            throw new IllegalArgumentException("question-answering takes {question: ..., context: ...} (or a list of "
                    + "them); got " + item);
        }
    }

    @Override
    protected Object run(List<Object> items, boolean single, Map<String, Object> settings, Set<String> givenInCall) {
        int topK = intSetting(settings, "top_k", 1);
        int maxAnswerLen = intSetting(settings, "max_answer_len", 15);
        if (topK < 1 || maxAnswerLen < 1) {
            throw new IllegalArgumentException("top_k and max_answer_len must be at least 1");
        }
        int maxSeqLen = intSetting(settings, "max_seq_len", Math.min(tokenizer.modelMaxLength, 384));
        int stride = intSetting(settings, "doc_stride", Math.min(maxSeqLen / 2, 128));
        boolean impossible = Boolean.TRUE.equals(settings.get("handle_impossible_answer"));
        boolean alignToWords = !Boolean.FALSE.equals(settings.get("align_to_words"));
        List<Object> results = new ArrayList<>();
        for (Object item : items) {
            Map<?, ?> input = (Map<?, ?>) item;
            String question = input.get("question").toString();
            String context = input.get("context").toString();
            List<Map<String, Object>> answers = new ArrayList<>();
            double minNull = 1_000_000;
            try (BatchEncoding batch = tokenizer.encode(List.of(question), List.of(context), Map.of(
                    "truncation", "only_second", "max_length", maxSeqLen, "stride", stride,
                    "return_overflowing_tokens", true, "return_offsets_mapping", true,
                    "return_special_tokens_mask", true, "padding", true, "return_tensors", "pt"))) {
                QuestionAnsweringModelOutput out = (QuestionAnsweringModelOutput) model.forward(batch);
                int questionTokens = tokenizer.encode(question, Map.of("add_special_tokens", false))
                        .inputIds()[0].length;
                int spans = (int) out.startLogits().getShape().get(0);
                for (int span = 0; span < spans; span++) {
                    Window w = new Window(batch, span, questionTokens);
                    float[] start = w.probabilities(row(out.startLogits(), span));
                    float[] end = w.probabilities(row(out.endLogits(), span));
                    if (impossible) {
                        minNull = Math.min(minNull, (double) (start[0] * end[0]));
                    }
                    start[0] = 0;
                    end[0] = 0;
                    for (int[] span2 : bestSpans(start, end, topK, maxAnswerLen)) {
                        if (!w.allowed[span2[0]] || !w.allowed[span2[1]]) {
                            continue; // as transformers, the top k are picked first, then the masked ones dropped
                        }
                        int[] chars = w.chars(span2[0], span2[1], alignToWords);
                        Map<String, Object> answer = new LinkedHashMap<>();
                        answer.put("score", (double) (start[span2[0]] * end[span2[1]]));
                        answer.put("start", chars[0]);
                        answer.put("end", chars[1]);
                        answer.put("answer", context.substring(chars[0], chars[1]));
                        answers.add(answer);
                    }
                }
            }
            if (impossible) {
                answers.add(new LinkedHashMap<>(Map.of("score", minNull, "start", 0, "end", 0, "answer", "")));
            }
            answers.sort(Comparator.comparingDouble(a -> -((Double) a.get("score"))));
            List<Map<String, Object>> best = answers.subList(0, Math.min(topK, answers.size()));
            results.add(best.size() == 1 ? best.get(0) : new ArrayList<>(best));
        }
        return single ? results.get(0) : results;
    }

    /** The {@code k} best (start, end) pairs by start[s] * end[e], with s <= e < s + maxAnswerLen. */
    private static List<int[]> bestSpans(float[] start, float[] end, int k, int maxAnswerLen) {
        List<int[]> candidates = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        for (int s = 0; s < start.length; s++) {
            for (int e = 0; e < end.length; e++) { // every cell, as numpy ranks the whole (masked) matrix
                float score = e >= s && e - s < maxAnswerLen ? start[s] * end[e] : 0f;
                candidates.add(new int[] {s, e});
                scores.add(score);
            }
        }
        Integer[] order = new Integer[candidates.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores.get(b), scores.get(a)));
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, order.length); i++) {
            out.add(candidates.get(order[i]));
        }
        return out;
    }

    private static int intSetting(Map<String, Object> settings, String key, int fallback) {
        return settings.get(key) instanceof Number n ? n.intValue() : fallback;
    }

    /** One window of the context: which tokens may be in the answer, and their characters in the context. */
    private final class Window {
        final boolean[] allowed;
        final int[][] offsets;
        final long[] ids;

        Window(BatchEncoding batch, int span, int questionTokens) {
            ids = ((NDArray) batch.get("input_ids")).get(span).toLongArray();
            long[] special = ((NDArray) batch.get("special_tokens_mask")).get(span).toLongArray();
            long[] attention = ((NDArray) batch.get("attention_mask")).get(span).toLongArray();
            offsets = ((int[][][]) batch.get("offset_mapping"))[span];
            allowed = new boolean[ids.length];
            int seen = 0;
            Long cls = tokenizer.clsTokenId();
            for (int i = 0; i < ids.length; i++) {
                boolean isSpecial = special[i] == 1;
                boolean inContext = !isSpecial && seen++ >= questionTokens; // sequence id 1
                boolean isCls = cls != null && ids[i] == cls;
                allowed[i] = (inContext || isCls) && attention[i] == 1;
            }
        }

        /** softmax over the window, tokens outside the context at -10000, as select_starts_ends does. */
        float[] probabilities(float[] logits) {
            float[] masked = logits.clone();
            for (int i = 0; i < masked.length; i++) {
                if (!allowed[i]) {
                    masked[i] = -10000f;
                }
            }
            return softmax(masked);
        }

        /** The answer's characters: from its first token's word start to its last token's word end. */
        int[] chars(int s, int e, boolean alignToWords) {
            String prefix = tokenizer.continuingSubwordPrefix();
            if (alignToWords && prefix != null) {
                List<String> tokens = tokenizer.convertIdsToTokens(ids);
                while (s > 0 && tokens.get(s).startsWith(prefix) && allowed[s - 1]) {
                    s--;
                }
                while (e + 1 < ids.length && allowed[e + 1] && tokens.get(e + 1).startsWith(prefix)) {
                    e++;
                }
            }
            return new int[] {offsets[s][0], offsets[e][1]};
        }
    }

    @Override
    protected String outputColumn() {
        return "answers";
    }
}
