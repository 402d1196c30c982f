package dev.javaformers.models.marian;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.javaformers.models.bart.BartConfig;

/**
 * transformers' {@code MarianConfig}, with its defaults: BART's fields less {@code classifier_dropout}, plus
 * {@code decoder_vocab_size} and {@code share_encoder_decoder_embeddings} (only shared embeddings, the Opus-MT
 * models' case, are supported).
 */
@JsonIgnoreProperties(value = {"classifier_dropout"}, allowSetters = true)
public class MarianConfig extends BartConfig {

    public Integer decoderVocabSize = null;
    public boolean shareEncoderDecoderEmbeddings = true;

    public MarianConfig() {
        vocabSize = 58101;
        setNumLabels(2);
        padTokenId = 58100;
        bosTokenId = null;
        eosTokenId = 0;
        decoderStartTokenId = 58100;
        forcedEosTokenId = 0;
    }

    @Override
    public String getModelType() {
        return "marian";
    }

    @Override
    public boolean sinusoidalPositions() {
        return true;
    }

    @Override
    protected void validate() {
        super.validate();
        if (!shareEncoderDecoderEmbeddings || !tieWordEmbeddings) {
            throw new IllegalArgumentException("Marian models with separate encoder and decoder embeddings "
                    + "(share_encoder_decoder_embeddings or tie_word_embeddings false) are not supported yet");
        }
    }
}
