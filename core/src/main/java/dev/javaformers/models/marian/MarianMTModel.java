package dev.javaformers.models.marian;

import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.bart.BartForConditionalGeneration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Marian with its tied head and {@code final_logits_bias}: the Opus-MT translation models. */
public class MarianMTModel extends BartForConditionalGeneration {

    /** What Marian checkpoints leave out: the sinusoids (computed) and the bias (zeros by default). */
    static final List<Pattern> COMPUTED = List.of(Pattern.compile("embed_positions\\.weight$"),
            Pattern.compile("^final_logits_bias$"));

    public MarianMTModel(MarianConfig config, NDManager manager) {
        super(config, manager);
    }

    public static MarianMTModel fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(MarianMTModel.class, nameOrPath, kwargs);
    }

    @Override
    protected List<Pattern> ignoredWhenMissing() {
        return COMPUTED;
    }
}
