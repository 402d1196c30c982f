package dev.javaformers.models;

import dev.javaformers.models.bert.BertConfig;
import dev.javaformers.models.bert.BertForMaskedLM;
import dev.javaformers.models.bert.BertForSequenceClassification;
import dev.javaformers.models.bert.BertForTokenClassification;
import dev.javaformers.models.bert.BertModel;
import dev.javaformers.models.distilbert.DistilBertConfig;
import dev.javaformers.models.distilbert.DistilBertForMaskedLM;
import dev.javaformers.models.distilbert.DistilBertForSequenceClassification;
import dev.javaformers.models.distilbert.DistilBertForTokenClassification;
import dev.javaformers.models.distilbert.DistilBertModel;
import dev.javaformers.models.roberta.RobertaConfig;
import dev.javaformers.models.roberta.RobertaForMaskedLM;
import dev.javaformers.models.roberta.RobertaForSequenceClassification;
import dev.javaformers.models.roberta.RobertaForTokenClassification;
import dev.javaformers.models.roberta.RobertaModel;

/** The architectures that ship with Javaformers, per Auto class (transformers' MODEL_*_MAPPING). */
final class BuiltInModels {

    private BuiltInModels() {}

    static void registerAutoModel(ModelFactory f) {
        f.register(BertConfig.class, BertModel.class);
        f.register(DistilBertConfig.class, DistilBertModel.class);
        f.register(RobertaConfig.class, RobertaModel.class);
    }

    static void registerAutoModelForSequenceClassification(ModelFactory f) {
        f.register(BertConfig.class, BertForSequenceClassification.class);
        f.register(DistilBertConfig.class, DistilBertForSequenceClassification.class);
        f.register(RobertaConfig.class, RobertaForSequenceClassification.class);
    }

    static void registerAutoModelForMaskedLM(ModelFactory f) {
        f.register(BertConfig.class, BertForMaskedLM.class);
        f.register(DistilBertConfig.class, DistilBertForMaskedLM.class);
        f.register(RobertaConfig.class, RobertaForMaskedLM.class);
    }

    static void registerAutoModelForTokenClassification(ModelFactory f) {
        f.register(BertConfig.class, BertForTokenClassification.class);
        f.register(DistilBertConfig.class, DistilBertForTokenClassification.class);
        f.register(RobertaConfig.class, RobertaForTokenClassification.class);
    }
}
