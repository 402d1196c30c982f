package dev.javaformers.models.roberta;

import dev.javaformers.models.bert.BertConfig;

/** transformers' {@code RobertaConfig}: BERT's fields, with RoBERTa's vocabulary and special token ids. */
public class RobertaConfig extends BertConfig {

    public RobertaConfig() {
        vocabSize = 50265;
        padTokenId = 1;
        bosTokenId = 0;
        eosTokenId = 2;
    }

    @Override
    public String getModelType() {
        return "roberta";
    }
}
