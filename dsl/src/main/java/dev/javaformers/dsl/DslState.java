package dev.javaformers.dsl;

import dev.javaformers.data.Dataset;
import dev.javaformers.data.DatasetDict;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.train.Frontend;
import dev.javaformers.train.Trainer;
import dev.javaformers.onnx.OrtModelForSequenceClassification;
import groovy.lang.Binding;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the verbs have set up so far: the model, tokenizer, data and trainer. It lives in the script's binding, so
 * that the lines of an interactive shell and the cells of a notebook, each a script of its own, share it.
 */
public final class DslState implements AutoCloseable {

    /** The binding variable that holds the state. */
    public static final String VARIABLE = "javaformers";

    String modelName;
    Map<String, Object> modelSettings = new LinkedHashMap<>();
    Task task = Task.SEQUENCE_CLASSIFICATION;
    String deviceName = "cpu";
    String backend = "djl";
    PreTrainedModel<?> model;
    /** The model exported for ONNX Runtime, made when {@code predict} first needs it; stale after training. */
    OrtModelForSequenceClassification served;
    PreTrainedTokenizer tokenizer;
    Dataset data;
    DatasetDict splits;
    Trainer trainer;
    private Frontend frontend;

    /** The state of {@code binding}, made on first use. */
    public static DslState of(Binding binding) {
        if (binding.hasVariable(VARIABLE) && binding.getVariable(VARIABLE) instanceof DslState state) {
            return state;
        }
        DslState state = new DslState();
        binding.setVariable(VARIABLE, state);
        return state;
    }

    /** The current model, or null before one is loaded. */
    public PreTrainedModel<?> model() {
        return model;
    }

    /**
     * Where {@code plot} shows charts and {@code train} its progress: the frontend the shell was made with (a
     * notebook's), else that of the running code ({@link Frontend#current()}: the terminal in scripts).
     */
    public Frontend frontend() {
        return frontend != null ? frontend : Frontend.current();
    }

    void setFrontend(Frontend frontend) {
        this.frontend = frontend;
    }

    /** The model exported to ONNX that {@code predict} runs with {@code backend 'onnxruntime'}, or null. */
    public OrtModelForSequenceClassification servedModel() {
        return served;
    }

    /** The current trainer, or null before {@code train}. */
    public Trainer trainer() {
        return trainer;
    }

    void closeModel() {
        closeServed();
        if (model != null) {
            model.close();
            model = null;
        }
    }

    void closeServed() {
        if (served != null) {
            served.close();
            served = null;
        }
    }

    /** Pipelines made by the {@code pipeline} verb, closed with the state. */
    final java.util.List<AutoCloseable> pipelines = new java.util.ArrayList<>();

    /** Frees the model, the tokenizer and the pipelines. */
    @Override
    public void close() {
        closeModel();
        for (AutoCloseable p : pipelines) {
            try {
                p.close();
            } catch (Exception ignored) {
                // closing frees native memory; nothing to report
            }
        }
        pipelines.clear();
        if (tokenizer != null) {
            tokenizer.close();
            tokenizer = null;
        }
    }
}
