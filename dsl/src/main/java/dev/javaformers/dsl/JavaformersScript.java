package dev.javaformers.dsl;

import ai.djl.ndarray.NDArray;
import dev.javaformers.chart.Charts;
import dev.javaformers.data.ClassLabel;
import dev.javaformers.data.Dataset;
import dev.javaformers.data.DatasetDict;
import dev.javaformers.data.Datasets;
import dev.javaformers.models.AutoModel;
import dev.javaformers.models.AutoModelForMaskedLM;
import dev.javaformers.models.AutoModelForSequenceClassification;
import dev.javaformers.models.AutoModelForTokenClassification;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.SequenceClassifierOutput;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.train.Metrics;
import dev.javaformers.train.Trainer;
import dev.javaformers.train.TrainingArguments;
import groovy.lang.Closure;
import groovy.lang.Script;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base class of DSL scripts: each verb is a method that calls the Java core. The script keeps the current
 * model, tokenizer, data and trainer, so that verbs can follow one another as in the design card.
 */
public abstract class JavaformersScript extends Script {

    /** Short names of training arguments, as the DSL writes them ({@code epochs 3}). */
    private static final Map<String, String> TRAIN_NAMES = Map.ofEntries(Map.entry("epochs", "num_train_epochs"),
            Map.entry("batch", "per_device_train_batch_size"), Map.entry("batch_size", "per_device_train_batch_size"),
            Map.entry("eval_batch", "per_device_eval_batch_size"), Map.entry("lr", "learning_rate"),
            Map.entry("warmup", "warmup_ratio"), Map.entry("steps", "max_steps"), Map.entry("output", "output_dir"),
            Map.entry("accumulate", "gradient_accumulation_steps"), Map.entry("scheduler", "lr_scheduler_type"));

    private String modelName;
    private Map<String, Object> modelSettings = new LinkedHashMap<>();
    private String task = "sequence-classification";
    private String deviceName = "cpu";
    private PreTrainedModel<?> model;
    private PreTrainedTokenizer tokenizer;
    private Dataset data;
    private DatasetDict splits;
    private Trainer trainer;

    // ---------------------------------------------------------------- model and tokenizer

    /** {@code model 'name'}: the model to load (lazily: the labels may come from the data). */
    public PreTrainedModel<?> model(String name) {
        return model(name, null);
    }

    /** {@code model('name') { heads 12; task 'sequence-classification'; labels(['neg', 'pos']) }}. */
    public PreTrainedModel<?> model(String name, Closure<?> block) {
        closeModel();
        modelName = name;
        modelSettings = new LinkedHashMap<>(Settings.of(block));
        Object t = modelSettings.remove("task");
        if (t != null) {
            task = t.toString();
        }
        return null;
    }

    /** {@code tokenizer 'name'}; by default the model's own. */
    public PreTrainedTokenizer tokenizer(String name) {
        if (tokenizer != null) {
            tokenizer.close();
        }
        tokenizer = AutoTokenizer.fromPretrained(name);
        return tokenizer;
    }

    /** {@code device 'cpu' | 'gpu' | 'auto'}. */
    public String device(String name) {
        deviceName = name;
        return name;
    }

    // ---------------------------------------------------------------- data

    /** {@code dataset csv('reviews.csv')}, {@code dataset builtin('sentiment-sentences')}, or a Dataset. */
    public Dataset dataset(Object source) {
        if (source instanceof DatasetDict dict) {
            splits = dict;
            data = dict.split("train");
        } else if (source instanceof Dataset d) {
            data = d;
            splits = null;
        } else {
            data = Datasets.file(Path.of(source.toString()), Map.of());
            splits = null;
        }
        return data;
    }

    public Dataset csv(String path) {
        return Datasets.csv(Path.of(path));
    }

    public Dataset json(String path) {
        return Datasets.json(Path.of(path));
    }

    public Dataset jsonl(String path) {
        return Datasets.jsonl(Path.of(path));
    }

    public Dataset builtin(String name) {
        return Datasets.builtin(name);
    }

    public DatasetDict hub(String name) {
        return Datasets.load(name, Map.of());
    }

    /** {@code split 0.2}: train / test, stratified by {@code label} when there is one, seed 42. */
    public DatasetDict split(Number testSize) {
        Dataset d = requireData();
        splits = d.trainTestSplit(testSize.doubleValue(), 42, d.hasColumn("label") ? "label" : null);
        return splits;
    }

    /** {@code tokenize 'text'} (truncation on); {@code tokenize('text') { max_length 64 }}. */
    public DatasetDict tokenize(String column) {
        return tokenize(column, null);
    }

    public DatasetDict tokenize(String column, Closure<?> block) {
        Map<String, Object> options = new LinkedHashMap<>(Map.of("truncation", true));
        options.putAll(Settings.of(block));
        if (splits == null) {
            split(0.2);
        }
        splits = splits.map(tokenizer(), column, options);
        return splits;
    }

    // ---------------------------------------------------------------- training and use

    /** {@code train { epochs 3; batch 16; lr 5e-5 }}: Trainer with those arguments; returns the eval metrics. */
    public Map<String, Double> train(Closure<?> block) {
        Map<String, Object> args = new LinkedHashMap<>(Map.of("output_dir", "out/run", "eval_strategy", "epoch",
                "save_strategy", "no", "logging_steps", 10));
        Settings.of(block).forEach((k, v) -> args.put(TRAIN_NAMES.getOrDefault(k, k), v));
        if (splits == null) {
            tokenize("text");
        }
        trainer = new Trainer(model(), TrainingArguments.of(args)).optTrainDataset(splits.split("train"))
                .optEvalDataset(splits.get("test")).optProcessingClass(tokenizer())
                .optComputeMetrics(Metrics::classification);
        trainer.train();
        return splits.get("test") == null ? Map.of() : trainer.evaluate();
    }

    public Map<String, Double> train() {
        return train(null);
    }

    /** The metrics on the test split. */
    public Map<String, Double> evaluate() {
        return requireTrainer().evaluate();
    }

    /** {@code predict 'text'}: {@code [label: 'positive', score: 0.97]}. */
    public Map<String, Object> predict(String text) {
        try (BatchEncoding batch = tokenizer().encode(text, Map.of("return_tensors", "pt", "truncation", true))) {
            NDArray probs = ((SequenceClassifierOutput) model().forward(batch)).logits().softmax(-1);
            float[] p = probs.get(0).toFloatArray();
            int best = 0;
            for (int i = 1; i < p.length; i++) {
                best = p[i] > p[best] ? i : best;
            }
            return Map.of("label", model().config().id2label.getOrDefault(best, "LABEL_" + best), "score", p[best]);
        }
    }

    /** {@code save 'dir'}: the model and tokenizer, as save_pretrained. */
    public Path save(String dir) {
        Path path = Path.of(dir);
        model().save(path);
        tokenizer().save(path);
        return path;
    }

    /** {@code plot loss}, {@code plot accuracy}, {@code plot confusion}, {@code plot lr}: a PNG under out/. */
    public Path plot(String what) {
        return plot(what, "out/" + what + ".png");
    }

    public Path plot(String what, String file) {
        Trainer t = requireTrainer();
        return switch (what) {
            case "loss" -> Charts.loss(t.state()).save(Path.of(file));
            case "accuracy" -> Charts.metric(t.state(), "eval_accuracy").save(Path.of(file));
            case "lr" -> Charts.learningRate(t.state()).save(Path.of(file));
            case "confusion" -> {
                Trainer.PredictionOutput p = t.predict(splits.split("test"));
                long[][] m = Metrics.confusionMatrix(new Metrics.EvalPrediction(p.predictions(), p.labelIds())
                        .argmax(), p.labelIds(), model().config().numLabels());
                yield Charts.confusionMatrix(m, List.copyOf(model().config().id2label.values())).save(Path.of(file));
            }
            default -> throw new IllegalArgumentException("plot takes loss, accuracy, confusion or lr, not '"
                    + what + "'");
        };
    }

    /** The words {@code plot} takes, as script properties ({@code plot loss}). */
    public String getLoss() {
        return "loss";
    }

    public String getAccuracy() {
        return "accuracy";
    }

    public String getConfusion() {
        return "confusion";
    }

    public String getLr() {
        return "lr";
    }

    // ---------------------------------------------------------------- state

    /** The current model, loaded on first use with the labels of the data when there are any. */
    public PreTrainedModel<?> model() {
        if (model == null) {
            if (modelName == null) {
                throw new IllegalStateException("No model yet: start with model 'name'");
            }
            Map<String, Object> kwargs = new LinkedHashMap<>(modelSettings);
            kwargs.put("device", deviceName);
            Object labels = kwargs.remove("labels");
            ClassLabel fromData = data == null ? null : data.classLabel("label");
            if (labels instanceof List<?> names) {
                fromData = new ClassLabel(names.stream().map(Object::toString).toList());
            }
            if (fromData != null) {
                kwargs.put("num_labels", fromData.numClasses());
                kwargs.put("id2label", fromData.id2label());
                kwargs.put("label2id", fromData.label2id());
            }
            model = switch (task) {
                case "sequence-classification", "text-classification" ->
                        AutoModelForSequenceClassification.fromPretrained(modelName, kwargs);
                case "token-classification" -> AutoModelForTokenClassification.fromPretrained(modelName, kwargs);
                case "fill-mask", "masked-lm" -> AutoModelForMaskedLM.fromPretrained(modelName, kwargs);
                case "feature-extraction", "base" -> AutoModel.fromPretrained(modelName, kwargs);
                default -> throw new IllegalArgumentException("Unknown task '" + task + "': use sequence-"
                        + "classification, token-classification, fill-mask or feature-extraction");
            };
        }
        return model;
    }

    /** The current tokenizer: the one named, or the model's. */
    public PreTrainedTokenizer tokenizer() {
        if (tokenizer == null) {
            if (modelName == null) {
                throw new IllegalStateException("No tokenizer yet: name one with tokenizer 'name' or model 'name'");
            }
            tokenizer = AutoTokenizer.fromPretrained(modelName);
        }
        return tokenizer;
    }

    private Dataset requireData() {
        if (data == null) {
            throw new IllegalStateException("No dataset yet: use dataset csv('file.csv') or dataset builtin('...')");
        }
        return data;
    }

    private Trainer requireTrainer() {
        if (trainer == null) {
            throw new IllegalStateException("Nothing trained yet: use train { epochs 3 } first");
        }
        return trainer;
    }

    private void closeModel() {
        if (model != null) {
            model.close();
            model = null;
        }
    }

    /** Frees the model and tokenizer (the runner calls it when the script ends). */
    public void closeAll() {
        closeModel();
        if (tokenizer != null) {
            tokenizer.close();
            tokenizer = null;
        }
    }
}
