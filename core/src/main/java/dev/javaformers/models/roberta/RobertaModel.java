package dev.javaformers.models.roberta;

import ai.djl.ndarray.NDManager;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.bert.BertModel;
import java.util.Map;

/** The RoBERTa encoder: BERT's layers, with position ids that count from after the padding index. */
public class RobertaModel extends BertModel {

    public RobertaModel(RobertaConfig config, NDManager manager) {
        this(config, manager, true);
    }

    public RobertaModel(RobertaConfig config, NDManager manager, boolean addPoolingLayer) {
        super(config, manager, addPoolingLayer, true);
    }

    public static RobertaModel fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(RobertaModel.class, nameOrPath, kwargs);
    }

    @Override
    public String baseModelPrefix() {
        return "roberta";
    }
}
