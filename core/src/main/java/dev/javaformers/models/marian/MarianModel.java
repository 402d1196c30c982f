package dev.javaformers.models.marian;

import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.bart.BartModel;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The bare Marian encoder-decoder: BART's, with sinusoidal positions. */
public class MarianModel extends BartModel {

    public MarianModel(MarianConfig config, NDManager manager) {
        super(config, manager);
    }

    public static MarianModel fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(MarianModel.class, nameOrPath, kwargs);
    }

    @Override
    protected List<Pattern> ignoredWhenMissing() {
        return MarianMTModel.COMPUTED;
    }
}
