package dev.javaformers.pipelines;

import ai.djl.ndarray.NDArray;
import dev.javaformers.models.ModelOutput;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * transformers' {@code TokenClassificationPipeline} ({@code token-classification}, {@code ner}): per token
 * {@code {entity, score, index, word, start, end}}, or with {@code aggregation_strategy} {@code simple},
 * {@code first}, {@code average} or {@code max} the entity groups {@code {entity_group, score, word, start, end}}
 * (B-/I- tags merged; the last three also merge a word's pieces first). Labels in {@code ignore_labels}
 * (default {@code ["O"]}) are left out. Offsets are character positions in the text.
 */
public final class TokenClassificationPipeline extends Pipeline {

    /** The settings it takes besides batch_size, truncation and max_length. */
    static final Set<String> SETTINGS = Set.of("aggregation_strategy", "ignore_labels");

    private record Token(String word, float[] scores, int start, int end, int index, boolean subword) {}

    TokenClassificationPipeline(PreTrainedModel<?> model, PreTrainedTokenizer tokenizer, Map<String, ?> defaults) {
        super(model, tokenizer, SETTINGS, defaults);
    }

    @Override
    protected Object run(List<Object> items, boolean single, Map<String, Object> settings, Set<String> givenInCall) {
        String strategy = settings.get("aggregation_strategy") == null ? "none"
                : settings.get("aggregation_strategy").toString().toLowerCase(Locale.ROOT);
        if (!List.of("none", "simple", "first", "average", "max").contains(strategy)) {
            throw new IllegalArgumentException("Unknown aggregation_strategy '" + settings.get("aggregation_strategy")
                    + "': use none, simple, first, average or max");
        }
        List<?> ignore = settings.get("ignore_labels") instanceof List<?> l ? l : List.of("O");
        Map<String, Object> options = new LinkedHashMap<>(settings);
        options.putIfAbsent("truncation", true);
        List<Object> results = new ArrayList<>();
        for (Object item : items) {
            String sentence = item.toString();
            List<Token> tokens = forward(List.of(sentence), options, (output, row, batch) -> tokens(sentence, output,
                    batch)).get(0);
            List<Map<String, Object>> entities = new ArrayList<>();
            for (Map<String, Object> e : aggregate(tokens, strategy)) {
                Object label = e.containsKey("entity") ? e.get("entity") : e.get("entity_group");
                if (!ignore.contains(label)) {
                    entities.add(e);
                }
            }
            results.add(entities);
        }
        return single ? results.get(0) : results;
    }

    @Override
    protected Map<String, Object> encodeOptions() {
        return Map.of("return_offsets_mapping", true, "return_special_tokens_mask", true);
    }

    /** transformers' gather_pre_entities: each non-special token with its softmax scores and its piece of text. */
    private List<Token> tokens(String sentence, ModelOutput output, BatchEncoding batch) {
        long[] ids = ((NDArray) batch.get("input_ids")).get(0).toLongArray();
        long[] special = ((NDArray) batch.get("special_tokens_mask")).get(0).toLongArray();
        int[][] offsets = ((int[][][]) batch.get("offset_mapping"))[0];
        NDArray logits = output.logits().get(0);
        List<String> words = tokenizer.convertIdsToTokens(ids);
        String prefix = tokenizer.continuingSubwordPrefix();
        Long unk = tokenizer.unkTokenId();
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (special[i] == 1) {
                continue;
            }
            int start = offsets[i][0];
            int end = offsets[i][1];
            String word = words.get(i);
            String ref = sentence.substring(start, end);
            boolean subword = prefix != null ? word.length() != ref.length()
                    : start > 0 && !sentence.substring(start - 1, Math.min(start + 1, sentence.length())).contains(" ");
            if (unk != null && ids[i] == unk) {
                word = ref;
                subword = false;
            }
            float[] scores = softmax(logits.get(i).toFloatArray());
            out.add(new Token(word, scores, start, end, i, subword));
        }
        return out;
    }

    private List<Map<String, Object>> aggregate(List<Token> tokens, String strategy) {
        List<Map<String, Object>> entities = new ArrayList<>();
        if (strategy.equals("none") || strategy.equals("simple")) {
            for (Token t : tokens) {
                int best = argmax(t.scores());
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("entity", label(best));
                e.put("score", (double) t.scores()[best]);
                e.put("index", t.index());
                e.put("word", t.word());
                e.put("start", t.start());
                e.put("end", t.end());
                entities.add(e);
            }
        } else {
            List<Token> word = new ArrayList<>();
            for (Token t : tokens) {
                if (!word.isEmpty() && !t.subword()) {
                    entities.add(aggregateWord(word, strategy));
                    word = new ArrayList<>();
                }
                word.add(t);
            }
            if (!word.isEmpty()) {
                entities.add(aggregateWord(word, strategy));
            }
        }
        return strategy.equals("none") ? entities : group(entities);
    }

    /** One word's pieces as one entity: the first piece's label, the most confident piece's, or the average. */
    private Map<String, Object> aggregateWord(List<Token> pieces, String strategy) {
        float[] scores = switch (strategy) {
            case "first" -> pieces.get(0).scores();
            case "max" -> pieces.stream().max((a, b) -> Float.compare(max(a.scores()), max(b.scores()))).orElseThrow()
                    .scores();
            default -> {
                float[] mean = new float[pieces.get(0).scores().length];
                for (Token t : pieces) {
                    for (int i = 0; i < mean.length; i++) {
                        mean[i] += t.scores()[i];
                    }
                }
                for (int i = 0; i < mean.length; i++) {
                    mean[i] /= pieces.size();
                }
                yield mean;
            }
        };
        int best = argmax(scores);
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("entity", label(best));
        e.put("score", (double) scores[best]);
        e.put("word", tokenizer.convertTokensToString(pieces.stream().map(Token::word).toList()));
        e.put("start", pieces.get(0).start());
        e.put("end", pieces.get(pieces.size() - 1).end());
        return e;
    }

    /** transformers' group_entities: adjacent entities of one tag, a B- starting a new group. */
    private List<Map<String, Object>> group(List<Map<String, Object>> entities) {
        List<Map<String, Object>> groups = new ArrayList<>();
        List<Map<String, Object>> current = new ArrayList<>();
        for (Map<String, Object> e : entities) {
            if (!current.isEmpty()) {
                String[] tag = tag((String) e.get("entity"));
                String[] last = tag((String) current.get(current.size() - 1).get("entity"));
                if (!(tag[1].equals(last[1]) && !tag[0].equals("B"))) {
                    groups.add(groupOf(current));
                    current = new ArrayList<>();
                }
            }
            current.add(e);
        }
        if (!current.isEmpty()) {
            groups.add(groupOf(current));
        }
        return groups;
    }

    private Map<String, Object> groupOf(List<Map<String, Object>> entities) {
        String entity = (String) entities.get(0).get("entity");
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("entity_group", entity.substring(entity.lastIndexOf('-') + 1));
        g.put("score", (double) (float) entities.stream().mapToDouble(e -> (Double) e.get("score")).average()
                .orElse(0));
        g.put("word", tokenizer.convertTokensToString(entities.stream().map(e -> (String) e.get("word")).toList()));
        g.put("start", entities.get(0).get("start"));
        g.put("end", entities.get(entities.size() - 1).get("end"));
        return g;
    }

    /** B or I, and the tag: {@code B-PER} is (B, PER); a label without a prefix counts as I. */
    private static String[] tag(String entity) {
        if (entity.startsWith("B-")) {
            return new String[] {"B", entity.substring(2)};
        }
        return new String[] {"I", entity.startsWith("I-") ? entity.substring(2) : entity};
    }

    private String label(int id) {
        String name = model.config().id2label == null ? null : model.config().id2label.get(id);
        return name != null ? name : "LABEL_" + id;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            best = v[i] > v[best] ? i : best;
        }
        return best;
    }

    private static float max(float[] v) {
        return v[argmax(v)];
    }

    @Override
    protected String outputColumn() {
        return "entities";
    }
}
