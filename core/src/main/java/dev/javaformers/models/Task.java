package dev.javaformers.models;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a model is built for: each task has its Auto class ({@code AutoModelForSequenceClassification}) and the
 * names transformers' pipelines and the DSL use for it ({@code "text-classification"},
 * {@code "sentiment-analysis"}, ...). An architecture declares one model class per task it supports.
 */
public enum Task {
    BASE("AutoModel", "feature-extraction", "base"),
    SEQUENCE_CLASSIFICATION("AutoModelForSequenceClassification", "text-classification", "sequence-classification",
            "sentiment-analysis"),
    TOKEN_CLASSIFICATION("AutoModelForTokenClassification", "token-classification", "ner"),
    MASKED_LM("AutoModelForMaskedLM", "fill-mask", "masked-lm"),
    CAUSAL_LM("AutoModelForCausalLM", "text-generation", "causal-lm"),
    SEQ2SEQ_LM("AutoModelForSeq2SeqLM", "text2text-generation", "seq2seq-lm", "translation", "summarization"),
    QUESTION_ANSWERING("AutoModelForQuestionAnswering", "question-answering"),
    MULTIPLE_CHOICE("AutoModelForMultipleChoice", "multiple-choice");

    private final String autoClassName;
    private final List<String> names;

    Task(String autoClassName, String... names) {
        this.autoClassName = autoClassName;
        this.names = List.of(names);
    }

    /** The transformers Auto class of this task, e.g. {@code AutoModelForMaskedLM}. */
    public String autoClassName() {
        return autoClassName;
    }

    /** The pipeline's name for the task ({@code "fill-mask"}), then its other names. */
    public List<String> names() {
        return names;
    }

    /** The factory that builds this task's model for any registered architecture. */
    public ModelFactory factory() {
        return ModelFactory.forTask(this);
    }

    /** The task a name stands for: a pipeline name, another of its names, or the enum name, in any case. */
    public static Task of(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Task t : values()) {
            if (t.names.contains(wanted) || t.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(wanted)) {
                return t;
            }
        }
        List<String> known = Arrays.stream(values()).flatMap(t -> t.names.stream()).toList();
        throw new IllegalArgumentException("Unknown task '" + name + "'." + dev.javaformers.util.Names.didYouMean(
                List.of(wanted), known) + " Use one of " + known);
    }
}
