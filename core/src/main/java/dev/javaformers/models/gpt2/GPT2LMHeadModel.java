package dev.javaformers.models.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.CausalLMOutput;
import dev.javaformers.models.DynamicCache;
import dev.javaformers.generation.GenerationMixin;
import dev.javaformers.models.Losses;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.nn.Layers;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** GPT-2 with the language-model head {@code lm_head}, whose weight is the token embedding matrix (tied). */
public class GPT2LMHeadModel extends PreTrainedModel<CausalLMOutput> implements GenerationMixin {

    final GPT2Model transformer;

    public GPT2LMHeadModel(Gpt2Config config, NDManager manager) {
        super(config, manager);
        transformer = register("transformer", new GPT2Model(config, manager));
        register("lm_head", new Layers.Container()).add("weight", transformer.wte.weight); // tied
    }

    public static GPT2LMHeadModel fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return ModelFactory.fromPretrained(GPT2LMHeadModel.class, nameOrPath, kwargs);
    }

    @Override
    protected void saveGenerationConfig(java.nio.file.Path dir) {
        generationConfig().save(dir);
    }

    @Override
    public String baseModelPrefix() {
        return "transformer";
    }

    @Override
    protected List<Pattern> ignoredWhenUnexpected() {
        return GPT2Model.ATTENTION_BUFFERS;
    }

    /** Logits for the next token at every position; with {@code labels} (usually the input ids) the loss. */
    public CausalLMOutput forward(NDArray inputIds, NDArray attentionMask, NDArray positionIds, NDArray labels) {
        return forward(inputIds, attentionMask, positionIds, labels, null);
    }

    /**
     * The same after the tokens in {@code cache}, which receives the new ones' keys and values and is returned as
     * the output's {@code pastKeyValues}; {@code attentionMask} covers cached and new tokens.
     */
    @Override
    public CausalLMOutput forward(NDArray inputIds, NDArray attentionMask, NDArray positionIds, NDArray labels,
            DynamicCache cache) {
        NDArray hidden = transformer.forward(inputIds, attentionMask, positionIds, cache).lastHiddenState();
        NDArray logits = Layers.matMulTransposed(hidden, transformer.wte.weight.array());
        NDArray loss = labels == null ? null : Losses.causalLanguageModeling(logits, labels);
        return new CausalLMOutput(loss, logits, cache);
    }

    @Override
    public NDArray nextTokenLogits(NDArray inputIds, NDArray attentionMask, NDArray positionIds, DynamicCache cache) {
        NDArray hidden = transformer.forward(inputIds, attentionMask, positionIds, cache).lastHiddenState();
        return Layers.matMulTransposed(hidden.get(":, -1:, :"), transformer.wte.weight.array());
    }

    @Override
    public CausalLMOutput forward(Map<String, NDArray> inputs) {
        return forward(inputs.get("input_ids"), inputs.get("attention_mask"), inputs.get("position_ids"),
                inputs.get("labels"));
    }
}
