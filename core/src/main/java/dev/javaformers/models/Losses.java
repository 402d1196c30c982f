package dev.javaformers.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.nn.Tensors;

/** The losses transformers' heads compute, with its conventions (label -100 is ignored). */
public final class Losses {

    public static final int IGNORE_INDEX = -100;

    private Losses() {}

    /** Cross entropy of logits [..., classes] against integer labels [...], ignoring {@link #IGNORE_INDEX}. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        return crossEntropy(logits, labels, IGNORE_INDEX);
    }

    /** Cross entropy of logits [..., classes] against integer labels [...], ignoring the label {@code ignoreIndex}. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels, long ignoreIndex) {
        long classes = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray flatLogits = logits.reshape(-1, classes);
        NDArray flatLabels = labels.reshape(-1).toType(DataType.INT64, false);
        NDArray keep = flatLabels.neq(ignoreIndex);
        NDArray safe = flatLabels.mul(keep.toType(DataType.INT64, false));
        NDArray nll = flatLogits.logSoftmax(-1).gather(safe.expandDims(1), 1).squeeze(1).neg();
        NDArray weights = keep.toType(logits.getDataType(), false);
        return nll.mul(weights).sum().div(Tensors.maximum(weights.sum(), 1));
    }

    /**
     * The extractive question-answering loss of transformers' {@code *ForQuestionAnswering}: positions [batch] (or
     * [batch, 1]) are clamped to [0, tokens], and a position equal to the sequence length (one that was outside it)
     * is ignored; the loss is the mean of the start and the end cross entropy over the tokens.
     */
    public static NDArray questionAnswering(NDArray startLogits, NDArray endLogits, NDArray startPositions,
            NDArray endPositions) {
        long ignoredIndex = startLogits.getShape().get(1);
        NDArray startLoss = crossEntropy(startLogits, clampPositions(startPositions, ignoredIndex), ignoredIndex);
        NDArray endLoss = crossEntropy(endLogits, clampPositions(endPositions, ignoredIndex), ignoredIndex);
        return Tensors.div(startLoss.add(endLoss), 2);
    }

    private static NDArray clampPositions(NDArray positions, long max) {
        NDArray p = positions.getShape().dimension() > 1 ? positions.squeeze(-1) : positions;
        return p.toType(DataType.INT64, false).clip(0, max);
    }

    /**
     * transformers' {@code shift_tokens_right}: the decoder's inputs from {@code labels} [batch, tokens], each row
     * moved one place right after {@code decoderStartTokenId}, with -100 replaced by {@code padTokenId}.
     */
    public static NDArray shiftTokensRight(NDArray labels, Integer padTokenId, Integer decoderStartTokenId) {
        if (decoderStartTokenId == null) {
            throw new IllegalArgumentException("config.decoder_start_token_id has to be defined to make "
                    + "decoder_input_ids from labels (in T5 it is usually the pad_token_id)");
        }
        if (padTokenId == null) {
            throw new IllegalArgumentException("config.pad_token_id has to be defined to make decoder_input_ids from "
                    + "labels");
        }
        long[] shape = labels.getShape().getShape();
        long[] in = labels.toType(DataType.INT64, false).toLongArray();
        long[] out = new long[in.length];
        int width = (int) shape[1];
        for (int r = 0; r < shape[0]; r++) {
            out[r * width] = decoderStartTokenId;
            for (int t = 1; t < width; t++) {
                long v = in[r * width + t - 1];
                out[r * width + t] = v == IGNORE_INDEX ? padTokenId : v;
            }
        }
        return Tensors.owned(labels.getManager().create(out, labels.getShape()));
    }

    /** A causal LM's loss: the logits at token t against the label at t + 1 (-100 ignored), as transformers shifts. */
    public static NDArray causalLanguageModeling(NDArray logits, NDArray labels) {
        long t = logits.getShape().get(1);
        return crossEntropy(logits.get(":, 0:" + (t - 1) + ", :"), labels.get(":, 1:"));
    }

    /**
     * The sequence-classification loss as transformers picks it: regression (MSE) for one label, single-label
     * cross entropy for integer labels, multi-label BCE with logits otherwise; the choice is stored in the config.
     */
    public static NDArray sequenceClassification(PretrainedConfig config, NDArray logits, NDArray labels) {
        if (config.problemType == null) {
            int numLabels = config.numLabels();
            boolean integer = labels.getDataType().isInteger();
            config.problemType = numLabels == 1 ? "regression"
                    : integer ? "single_label_classification" : "multi_label_classification";
        }
        return switch (config.problemType) {
            case "regression" -> {
                NDArray target = labels.toType(logits.getDataType(), false);
                NDArray pred = config.numLabels() == 1 ? logits.squeeze(-1) : logits;
                yield pred.sub(target.reshape(pred.getShape())).square().mean();
            }
            case "single_label_classification" -> crossEntropy(logits, labels);
            default -> {
                NDArray y = labels.toType(logits.getDataType(), false);
                // log(1 + e^x) - x*y, computed stably as max(x,0) - x*y + log(1 + e^-|x|)
                NDArray x = logits;
                yield Tensors.maximum(x, 0).sub(x.mul(y)).add(x.abs().neg().exp().add(1).log()).mean();
            }
        };
    }
}
