package dev.javaformers.train;

import ai.djl.ndarray.NDArray;
import dev.javaformers.data.DataLoader;
import dev.javaformers.data.Dataset;
import dev.javaformers.generation.GenerationMixin;
import dev.javaformers.models.PreTrainedModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * transformers' {@code Seq2SeqTrainer}: a {@link Trainer} whose evaluation, with {@code predict_with_generate},
 * also generates for every row ({@code generation_max_length} new tokens, {@code generation_num_beams} beams) and
 * hands the generated and the reference ids, decoded by the tokenizer, to the generation metrics (BLEU, ROUGE:
 * {@link TextMetrics}).
 */
public class Seq2SeqTrainer extends Trainer {

    /** Generated and reference ids of an evaluation set, and their texts when the Trainer has a tokenizer. */
    public record GeneratedPrediction(long[][] predictions, long[][] labelIds, List<String> predictedTexts,
            List<String> labelTexts) {}

    private Function<GeneratedPrediction, Map<String, Double>> generationMetrics;

    public Seq2SeqTrainer(PreTrainedModel<?> model, Seq2SeqTrainingArguments args) {
        super(model, args);
        if (!(model instanceof GenerationMixin)) {
            throw new IllegalArgumentException("Seq2SeqTrainer needs a model that generates (e.g. "
                    + "T5ForConditionalGeneration), got " + model.getClass().getSimpleName());
        }
    }

    /** The metrics of generated text, e.g. {@code p -> Map.of("bleu", TextMetrics.bleu(...).score())}. */
    public Seq2SeqTrainer optComputeGenerationMetrics(Function<GeneratedPrediction, Map<String, Double>> metrics) {
        this.generationMetrics = metrics;
        return this;
    }

    // The builder methods again, returning Seq2SeqTrainer, so that a chain may call them in any order.

    @Override
    public Seq2SeqTrainer optFrontend(Frontend frontend) {
        super.optFrontend(frontend);
        return this;
    }

    @Override
    public Seq2SeqTrainer optTrainDataset(Dataset dataset) {
        super.optTrainDataset(dataset);
        return this;
    }

    @Override
    public Seq2SeqTrainer optEvalDataset(Dataset dataset) {
        super.optEvalDataset(dataset);
        return this;
    }

    @Override
    public Seq2SeqTrainer optProcessingClass(dev.javaformers.tokenize.PreTrainedTokenizer tokenizer) {
        super.optProcessingClass(tokenizer);
        return this;
    }

    @Override
    public Seq2SeqTrainer optDataCollator(dev.javaformers.data.DataCollator collator) {
        super.optDataCollator(collator);
        return this;
    }

    @Override
    public Seq2SeqTrainer optComputeMetrics(Function<Metrics.EvalPrediction, Map<String, Double>> computeMetrics) {
        super.optComputeMetrics(computeMetrics);
        return this;
    }

    @Override
    public Seq2SeqTrainer optCallbacks(TrainerCallback... more) {
        super.optCallbacks(more);
        return this;
    }

    /** With {@code sortish_sampler}: batches of similar input lengths ({@link DataLoader#optSortish}). */
    @Override
    protected DataLoader trainDataLoader(Dataset dataset) {
        DataLoader loader = super.trainDataLoader(dataset);
        if (((Seq2SeqTrainingArguments) args()).sortishSampler) {
            var ids = dataset.sequences("input_ids");
            loader.optSortish(java.util.stream.IntStream.range(0, ids.size()).map(ids::length).toArray());
        }
        return loader;
    }

    @Override
    protected Map<String, Double> evaluationMetrics(Dataset dataset, String prefix) {
        Map<String, Double> metrics = new LinkedHashMap<>(super.evaluationMetrics(dataset, prefix));
        Seq2SeqTrainingArguments a = (Seq2SeqTrainingArguments) args();
        if (a.predictWithGenerate) {
            long start = System.nanoTime();
            GeneratedPrediction p = generate(dataset);
            if (generationMetrics != null) {
                generationMetrics.apply(p).forEach((k, v) -> metrics.put(prefix + "_" + k, v));
            }
            double length = java.util.Arrays.stream(p.predictions()).mapToInt(r -> r.length).average().orElse(0);
            metrics.put(prefix + "_gen_len", length);
            metrics.put(prefix + "_generate_runtime", (System.nanoTime() - start) / 1e9);
        }
        return metrics;
    }

    /** Generates for every row of {@code dataset} in evaluation batches; the ids and, decoded, the texts. */
    public GeneratedPrediction generate(Dataset dataset) {
        return generate(dataset, Map.of());
    }

    /** As {@link #generate(Dataset)}, with generation settings on top of the arguments' (num_beams, ...). */
    public GeneratedPrediction generate(Dataset dataset, Map<String, ?> overrides) {
        Seq2SeqTrainingArguments a = (Seq2SeqTrainingArguments) args();
        GenerationMixin model = (GenerationMixin) model();
        Map<String, Object> settings = new HashMap<>();
        if (a.generationMaxLength != null) {
            settings.put("max_length", a.generationMaxLength);
        }
        if (a.generationNumBeams != null) {
            settings.put("num_beams", a.generationNumBeams);
        }
        settings.putAll(overrides);
        boolean training = model().isTraining();
        model().eval();
        List<long[]> predictions = new ArrayList<>();
        List<long[]> labels = new ArrayList<>();
        try (var scope = model().manager().newSubManager()) {
            DataLoader loader = new DataLoader(dataset, a.perDeviceEvalBatchSize, dataCollator());
            for (DataLoader.Batch batch : loader.epoch(0, scope)) {
                try (batch) {
                    long[][] ids = rows(batch.inputs().get("input_ids"));
                    long[][] mask = rows(batch.inputs().get("attention_mask"));
                    predictions.addAll(List.of(model.generate(ids, mask, settings)));
                    NDArray y = batch.inputs().get("labels");
                    if (y != null) {
                        labels.addAll(List.of(rows(y)));
                    }
                }
            }
        } finally {
            if (training) {
                model().train();
            }
        }
        List<String> predictedTexts = null;
        List<String> labelTexts = null;
        if (processingClass() != null) {
            Long pad = processingClass().padTokenId();
            predictedTexts = predictions.stream().map(r -> processingClass().decode(r, true)).toList();
            labelTexts = labels.stream().map(r -> processingClass().decode(java.util.Arrays.stream(r)
                    .map(t -> t == -100 && pad != null ? pad : t).toArray(), true)).toList();
        }
        return new GeneratedPrediction(predictions.toArray(new long[0][]), labels.toArray(new long[0][]),
                predictedTexts, labelTexts);
    }

    private static long[][] rows(NDArray array) {
        long[] shape = array.getShape().getShape();
        long[] flat = array.toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray();
        long[][] out = new long[(int) shape[0]][(int) shape[1]];
        for (int r = 0; r < out.length; r++) {
            System.arraycopy(flat, r * out[r].length, out[r], 0, out[r].length);
        }
        return out;
    }
}
