package dev.javaformers.models.t5;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.javaformers.models.Attention;
import dev.javaformers.models.DynamicCache;
import dev.javaformers.nn.Layers;
import dev.javaformers.nn.Module;
import dev.javaformers.nn.Parameter;

/**
 * T5's encoder or decoder ({@code encoder.*}, {@code decoder.*}): the shared token embeddings, the blocks (the
 * first holds the relative position bias the others reuse), the final layer norm.
 */
public final class T5Stack extends Module {

    final Layers.ModuleList<T5Modules.Block> block;
    final T5Modules.LayerNorm finalLayerNorm;
    private final Parameter embedTokens;
    private final boolean decoder;
    private final double dropout;

    T5Stack(T5Config c, NDManager m, Parameter shared, boolean decoder) {
        register("embed_tokens", new Layers.Container()).add("weight", shared);
        embedTokens = shared;
        block = register("block", new Layers.ModuleList<>());
        for (int i = 0, n = decoder ? c.decoderLayers() : c.numLayers; i < n; i++) {
            block.add(new T5Modules.Block(c, m, decoder, i));
        }
        finalLayerNorm = register("final_layer_norm", new T5Modules.LayerNorm(m, c.dModel, c.layerNormEpsilon));
        this.decoder = decoder;
        dropout = c.dropoutRate;
    }

    /**
     * The stack on token ids [batch, tokens] with their mask (null: all attend); the decoder also takes the
     * encoder's states and mask for cross-attention.
     */
    NDArray forward(NDArray inputIds, NDArray attentionMask, NDArray encoderStates, NDArray encoderMask) {
        return forward(inputIds, attentionMask, encoderStates, encoderMask, null, null);
    }

    /**
     * The same after the tokens in {@code selfCache} (the decoder's; null: none), which receives the new ones;
     * {@code crossCache} keeps the encoder's keys and values from the first call on.
     */
    NDArray forward(NDArray inputIds, NDArray attentionMask, NDArray encoderStates, NDArray encoderMask,
            DynamicCache selfCache, DynamicCache crossCache) {
        NDManager m = inputIds.getManager();
        long tokens = inputIds.getShape().get(1);
        long past = selfCache == null ? 0 : selfCache.seqLength();
        NDArray x = ai.djl.nn.core.Embedding.embedding(inputIds, embedTokens.array(),
                ai.djl.ndarray.types.SparseFormat.DENSE).singletonOrThrow();
        x = Layers.dropout(x, dropout, isTraining());
        NDArray mask = decoder ? Attention.decoderMask(m, past, tokens, attentionMask, x.getDataType())
                : attentionMask == null ? null : Attention.additiveMask(attentionMask, x.getDataType());
        NDArray selfBias = block.items().get(0).selfAttention.attention.positionBias(m, past, tokens, past + tokens);
        if (mask != null) {
            selfBias = selfBias.add(mask);
        }
        NDArray crossBias = null;
        if (decoder) {
            crossBias = encoderMask == null ? m.zeros(new ai.djl.ndarray.types.Shape(1, 1, 1, 1), x.getDataType())
                    : Attention.additiveMask(encoderMask, x.getDataType());
        }
        for (T5Modules.Block b : block.items()) {
            x = b.forward(x, selfBias, encoderStates, crossBias, selfCache, crossCache);
        }
        return Layers.dropout(finalLayerNorm.forward(x), dropout, isTraining());
    }
}
