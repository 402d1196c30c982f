package dev.javaformers.models.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.generation.GenerationMixin;
import dev.javaformers.models.CausalLMOutput;
import dev.javaformers.models.DynamicCache;
import dev.javaformers.models.Losses;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Layers;
import dev.javaformers.nn.Parameter;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Llama with {@code lm_head}, its own matrix or the token embeddings when {@code tie_word_embeddings}. */
public class LlamaForCausalLM extends PreTrainedModel<CausalLMOutput> implements GenerationMixin {

    final LlamaModel model;
    final Parameter headWeight;

    public LlamaForCausalLM(LlamaConfig config, NDManager manager) {
        this(config, manager, new LlamaModel(config, manager));
    }

    protected LlamaForCausalLM(LlamaConfig config, NDManager manager, LlamaModel base) {
        super(config, manager);
        model = register("model", base);
        headWeight = config.tieWordEmbeddings
                ? register("lm_head", new Layers.Container()).add("weight", model.embedTokens.weight)
                : register("lm_head", new Layers.Linear(manager, config.hiddenSize, config.vocabSize,
                        config.initializerRange, false)).weight;
    }

    public static LlamaForCausalLM fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(LlamaForCausalLM.class, nameOrPath, kwargs);
    }

    @Override
    protected void saveGenerationConfig(java.nio.file.Path dir) {
        generationConfig().save(dir);
    }

    @Override
    public String baseModelPrefix() {
        return "model";
    }

    @Override
    protected List<Pattern> ignoredWhenUnexpected() {
        return LlamaModel.ROTARY_BUFFERS;
    }

    @Override
    public CausalLMOutput forward(NDArray inputIds, NDArray attentionMask, NDArray positionIds, NDArray labels,
            DynamicCache cache) {
        NDArray hidden = model.forward(inputIds, attentionMask, positionIds, cache).lastHiddenState();
        NDArray logits = Layers.matMulTransposed(hidden, headWeight.array());
        NDArray loss = labels == null ? null : Losses.causalLanguageModeling(logits, labels);
        return new CausalLMOutput(loss, logits, cache);
    }

    @Override
    public NDArray nextTokenLogits(NDArray inputIds, NDArray attentionMask, NDArray positionIds, DynamicCache cache) {
        NDArray hidden = model.forward(inputIds, attentionMask, positionIds, cache).lastHiddenState();
        return Layers.matMulTransposed(hidden.get(":, -1:, :"), headWeight.array());
    }

    @Override
    public CausalLMOutput forward(Map<String, NDArray> inputs) {
        return forward(inputs.get("input_ids"), inputs.get("attention_mask"), inputs.get("position_ids"),
                inputs.get("labels"), null);
    }
}
