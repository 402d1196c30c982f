package dev.javaformers.train;

import dev.javaformers.util.Kwargs;
import java.util.Map;

/**
 * transformers' {@code Seq2SeqTrainingArguments}: every {@link TrainingArguments} argument, plus
 * {@code predict_with_generate} (evaluate by generating, so that metrics such as BLEU see real output),
 * {@code generation_max_length} and {@code generation_num_beams} (null: the model's generation config), and
 * {@code sortish_sampler} (train batches of similar input lengths, less padding: {@code DataLoader.optSortish}).
 */
public class Seq2SeqTrainingArguments extends TrainingArguments {

    public boolean sortishSampler = false;
    public boolean predictWithGenerate = false;
    public Integer generationMaxLength = null;
    public Integer generationNumBeams = null;

    /** Arguments from a map with snake_case or camelCase keys; an unknown key is an error listing the known. */
    public static Seq2SeqTrainingArguments of(Map<String, ?> values) {
        Seq2SeqTrainingArguments args = new Seq2SeqTrainingArguments();
        Kwargs.of(values).remaining().forEach(args::set);
        args.validate();
        return args;
    }

    @Override
    public Seq2SeqTrainingArguments validate() {
        super.validate();
        if (generationNumBeams != null && generationNumBeams < 1) {
            throw new IllegalArgumentException("generation_num_beams must be at least 1, got " + generationNumBeams);
        }
        if (generationMaxLength != null && generationMaxLength < 1) {
            throw new IllegalArgumentException("generation_max_length must be at least 1, got " + generationMaxLength);
        }
        return this;
    }
}
