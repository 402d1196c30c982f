package dev.javaformers.dsl;

import dev.javaformers.chart.Charts;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.data.ClassLabel;
import dev.javaformers.data.DataCollatorForSeq2Seq;
import dev.javaformers.data.Dataset;
import dev.javaformers.data.DatasetDict;
import dev.javaformers.data.Datasets;
import dev.javaformers.generation.GenerationMixin;
import dev.javaformers.generation.TextStreamer;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import dev.javaformers.models.TextClassification;
import dev.javaformers.onnx.OrtModelForSequenceClassification;
import dev.javaformers.pipelines.Pipeline;
import dev.javaformers.pipelines.Pipelines;
import dev.javaformers.tokenize.AutoTokenizer;
import dev.javaformers.tokenize.BatchEncoding;
import dev.javaformers.tokenize.PreTrainedTokenizer;
import dev.javaformers.train.Metrics;
import dev.javaformers.train.Trainer;
import dev.javaformers.train.Seq2SeqTrainer;
import dev.javaformers.train.Seq2SeqTrainingArguments;
import dev.javaformers.train.TextMetrics;
import dev.javaformers.train.TrainingArguments;
import groovy.lang.Closure;
import groovy.lang.Script;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base class of DSL scripts: each verb is a method that calls the Java core. What the verbs set up (model,
 * tokenizer, data, trainer) is kept in a {@link DslState} in the binding, so verbs follow one another as in the
 * design card, across the lines of a shell and the cells of a notebook too. A configuration block is a closure:
 * {@code train < epochs 3 >} and {@code train { epochs 3 }} are the same call.
 */
public abstract class JavaformersScript extends Script {

    /** Short names of training arguments, as the DSL writes them ({@code epochs 3}); full names work too. */
    public static final Map<String, String> TRAIN_NAMES = Map.ofEntries(Map.entry("epochs", "num_train_epochs"),
            Map.entry("batch", "per_device_train_batch_size"), Map.entry("batch_size", "per_device_train_batch_size"),
            Map.entry("eval_batch", "per_device_eval_batch_size"), Map.entry("lr", "learning_rate"),
            Map.entry("warmup", "warmup_ratio"),
            Map.entry("steps", "max_steps"), Map.entry("output", "output_dir"),
            Map.entry("accumulate", "gradient_accumulation_steps"), Map.entry("scheduler", "lr_scheduler_type"),
            Map.entry("decay", "weight_decay"), Map.entry("clip", "max_grad_norm"), Map.entry("eval", "eval_strategy"),
            Map.entry("save", "save_strategy"), Map.entry("log_every", "logging_steps"),
            Map.entry("keep", "save_total_limit"), Map.entry("best", "load_best_model_at_end"),
            Map.entry("metric", "metric_for_best_model"), Map.entry("quiet", "disable_tqdm"));

    private DslState state() {
        return DslState.of(getBinding());
    }

    // ---------------------------------------------------------------- model and tokenizer

    /** {@code model 'name'}: the model to use, loaded when first needed (the labels may come from the data). */
    public PreTrainedModel<?> model(String name) {
        return model(name, null);
    }

    /**
     * {@code model 'name' < heads 12, task 'sequence-classification', labels(['neg', 'pos']) >}: config overrides
     * by any name AutoConfig takes, checked now so that a wrong one names this line.
     */
    public PreTrainedModel<?> model(String name, Closure<?> block) {
        DslState s = state();
        s.closeModel();
        s.modelName = name;
        s.modelSettings = new LinkedHashMap<>(Settings.of(block));
        Object t = s.modelSettings.remove("task");
        s.task = t == null ? Task.SEQUENCE_CLASSIFICATION : Task.of(t.toString());
        Object d = s.modelSettings.remove("device");
        if (d != null) {
            s.deviceName = d.toString();
        }
        Object b = s.modelSettings.remove("backend");
        if (b != null) {
            backend(b.toString());
        }
        Map<String, Object> overrides = new LinkedHashMap<>(s.modelSettings);
        overrides.remove("labels"); // applied when the model loads, from the data or the block
        AutoConfig.fromPretrained(name, overrides);
        return null;
    }

    /** {@code tokenizer 'name'} (by default the model's own), with settings: {@code < model_max_length 128 >}. */
    public PreTrainedTokenizer tokenizer(String name) {
        return tokenizer(name, null);
    }

    public PreTrainedTokenizer tokenizer(String name, Closure<?> block) {
        DslState s = state();
        if (s.tokenizer != null) {
            s.tokenizer.close();
        }
        s.tokenizer = AutoTokenizer.fromPretrained(name, Settings.of(block));
        return s.tokenizer;
    }

    /** {@code device 'cpu' | 'gpu' | 'auto'}: where the next model loads. */
    public String device(String name) {
        state().deviceName = name;
        return name;
    }

    /**
     * {@code backend 'onnxruntime'}: {@code predict} runs the model exported to ONNX (validated against it) in ONNX
     * Runtime, as optimum's ORTModel; {@code backend 'djl'} (the default) runs it in DJL's PyTorch.
     */
    public String backend(String name) {
        String wanted = name.strip().toLowerCase(java.util.Locale.ROOT);
        DslState s = state();
        s.backend = switch (wanted) {
            case "onnxruntime", "ort", "onnx" -> "onnxruntime";
            case "djl", "pytorch", "torch" -> "djl";
            default -> throw new IllegalArgumentException("Unknown backend '" + name + "': use 'onnxruntime' or "
                    + "'djl'");
        };
        if (s.backend.equals("djl")) {
            s.closeServed();
        }
        return s.backend;
    }

    // ---------------------------------------------------------------- data

    /** {@code dataset csv('reviews.csv')}, {@code dataset builtin('sentiment-sentences')}, a path, or a Dataset. */
    public Dataset dataset(Object source) {
        return dataset(source, null);
    }

    /**
     * {@code dataset csv('reviews.csv') < text 'review', label 'stars' >}: the columns to use as {@code text} and
     * {@code label} (renamed so), or {@code target} for the outputs of translation and summarization; a label
     * column of strings becomes class ids, its names sorted.
     */
    public Dataset dataset(Object source, Closure<?> block) {
        DslState s = state();
        Dataset d;
        DatasetDict dict = null;
        if (source instanceof DatasetDict given) {
            dict = given;
            d = given.split("train");
        } else if (source instanceof Dataset given) {
            d = given;
        } else {
            d = Datasets.file(Path.of(source.toString()), Map.of());
        }
        Map<String, Object> settings = Settings.of(block);
        for (String role : List.of("text", "label", "target")) {
            Object column = settings.remove(role);
            if (column != null && !column.toString().equals(role)) {
                d = d.renameColumn(column.toString(), role);
            }
        }
        if (!settings.isEmpty()) {
            throw new IllegalArgumentException("dataset takes the settings text, label and target (column names), "
                    + "not " + settings.keySet());
        }
        if (d.hasColumn("label") && d.classLabel("label") == null
                && d.table().column("label").type() == tech.tablesaw.api.ColumnType.STRING) {
            d = d.classEncode("label");
        }
        s.data = d;
        s.splits = dict != null && d == dict.split("train") ? dict : null;
        return d;
    }

    public Dataset csv(String path) {
        return Datasets.csv(Path.of(path));
    }

    public Dataset csv(Map<String, ?> options, String path) {
        return Datasets.csv(Path.of(path), options);
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

    /** {@code split 0.2}: train / test, stratified by {@code label} when there is one; {@code < seed 7 >}. */
    public DatasetDict split(Number testSize) {
        return split(testSize, null);
    }

    public DatasetDict split(Number testSize, Closure<?> block) {
        DslState s = state();
        Dataset d = requireData();
        Map<String, Object> settings = Settings.of(block);
        long seed = ((Number) settings.getOrDefault("seed", 42)).longValue();
        s.splits = d.trainTestSplit(testSize.doubleValue(), seed, d.hasColumn("label") ? "label" : null);
        return s.splits;
    }

    /** {@code tokenize 'text'} (truncation on); {@code tokenize 'text' < max_length 64 >}. */
    public DatasetDict tokenize(String column) {
        return tokenize(column, null);
    }

    public DatasetDict tokenize(String column, Closure<?> block) {
        return tokenizeWith(column, Settings.of(block));
    }

    private DatasetDict tokenizeWith(String column, Map<String, Object> settings) {
        DslState s = state();
        Map<String, Object> options = new LinkedHashMap<>(Map.of("truncation", true));
        options.putAll(settings);
        if (s.splits == null) {
            split(0.2);
        }
        s.splits = s.splits.map(tokenizer(), column, options);
        return s.splits;
    }

    // ---------------------------------------------------------------- training and use

    /**
     * {@code train < epochs 3, batch 16, lr 5e-5 >}: the Trainer with those arguments; returns the eval metrics.
     * {@code train < task 'translation', epochs 3, predict_with_generate true >} (or {@code 'summarization'}, or a
     * model loaded for {@code task 'translation'}): the Seq2SeqTrainer on the {@code text} and {@code target}
     * columns, with BLEU (translation) or ROUGE (summarization) on generated text.
     */
    public Map<String, Double> train(Closure<?> block) {
        DslState s = state();
        Map<String, Object> args = new LinkedHashMap<>(Map.of("output_dir", "out/run", "eval_strategy", "epoch",
                "save_strategy", "no", "logging_steps", 10));
        Map<String, Object> settings = new LinkedHashMap<>(Settings.of(block));
        Object task = settings.remove("task");
        checkTrainSettings(settings.keySet());
        settings.forEach((k, v) -> args.put(TRAIN_NAMES.getOrDefault(k, k), v));
        if (task != null ? Task.of(task.toString()) == Task.SEQ2SEQ_LM : s.task == Task.SEQ2SEQ_LM) {
            return trainSeq2Seq(args, "summarization".equals(task));
        }
        TrainingArguments arguments = TrainingArguments.of(args);
        if (s.splits == null) {
            tokenize("text");
        }
        s.closeServed(); // trained weights need a new export
        s.trainer = new Trainer(model(), arguments).optFrontend(s.frontend()).optTrainDataset(s.splits.split("train"))
                .optEvalDataset(s.splits.get("test")).optProcessingClass(tokenizer())
                .optComputeMetrics(Metrics::classification);
        s.trainer.train();
        return s.splits.get("test") == null ? Map.of() : s.trainer.evaluate();
    }

    /** A setting train does not know is refused with the DSL's short names, not only TrainingArguments' own. */
    private static void checkTrainSettings(java.util.Set<String> given) {
        java.util.Set<String> full = new Seq2SeqTrainingArguments().argumentNames();
        for (String k : given) {
            if (!TRAIN_NAMES.containsKey(k) && !full.contains(dev.javaformers.util.Kwargs.snakeCase(k))) {
                java.util.Set<String> all = new java.util.TreeSet<>(TRAIN_NAMES.keySet());
                all.addAll(full);
                throw new IllegalArgumentException("train has no setting '" + k + "'."
                        + dev.javaformers.util.Names.didYouMean(List.of(k), all) + " Short names: "
                        + new java.util.TreeSet<>(TRAIN_NAMES.keySet()) + "; or any TrainingArguments name: " + full);
            }
        }
    }

    public Map<String, Double> train() {
        return train(null);
    }

    private Map<String, Double> trainSeq2Seq(Map<String, Object> args, boolean summarization) {
        DslState s = state();
        if (s.model == null) {
            s.task = Task.SEQ2SEQ_LM;
        }
        Seq2SeqTrainingArguments arguments = Seq2SeqTrainingArguments.of(args);
        if (s.splits == null || !s.splits.split("train").hasColumn("labels")) {
            tokenizeWith("text", Map.of("text_target", "target")); // splits first when there are none
        }
        Seq2SeqTrainer trainer = new Seq2SeqTrainer(model(), arguments).optComputeGenerationMetrics(p -> summarization
                ? TextMetrics.rouge(p.predictedTexts(), p.labelTexts())
                : Map.of("bleu", TextMetrics.bleu(p.predictedTexts(), p.labelTexts().stream().map(List::of).toList())
                        .score()));
        trainer.optFrontend(s.frontend()).optTrainDataset(s.splits.split("train")).optEvalDataset(s.splits.get("test"))
                .optProcessingClass(tokenizer()).optDataCollator(new DataCollatorForSeq2Seq(tokenizer()));
        s.trainer = trainer;
        trainer.train();
        return s.splits.get("test") == null ? Map.of() : trainer.evaluate();
    }

    /** The metrics on the test split. */
    public Map<String, Double> evaluate() {
        return requireTrainer().evaluate();
    }

    /**
     * {@code def classify = pipeline('sentiment-analysis', 'out/sentiment-model')}: transformers' pipeline, called
     * like a function ({@code classify('I loved it')}, {@code classify(texts, top_k: 2)}); settings as named
     * arguments ({@code pipeline('feature-extraction', 'org/name', pooling: 'mean', normalize: true)}).
     */
    public Pipeline pipeline(String task) {
        return pipeline(Map.of(), task, null);
    }

    public Pipeline pipeline(String task, String model) {
        return pipeline(Map.of(), task, model);
    }

    public Pipeline pipeline(Map<String, ?> kwargs, String task, String model) {
        Pipeline p = Pipelines.pipeline(task, model, kwargs);
        state().pipelines.add(p);
        return p;
    }

    /**
     * {@code spark { classify csv('big.csv') < column 'text', batch 32, output 'scored.parquet' > }}: the block runs
     * with Spark's verbs ({@code csv}, {@code parquet}, {@code json} read DataFrames; {@code classify} and
     * {@code embed} run a model over them in Spark), on a local Spark session ({@code spark(master: 'local[4]')})
     * stopped when the block ends. Needs the javaformers-spark module on the class path (scripts/jf adds it when a
     * script uses spark).
     */
    public Object spark(Closure<?> block) {
        return spark(Map.of(), block);
    }

    public Object spark(Map<String, ?> options, Closure<?> block) {
        Class<?> verbs;
        try {
            verbs = Class.forName("dev.javaformers.spark.SparkDsl");
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("spark { } needs the javaformers-spark module on the class path: run "
                    + "the script with scripts/jf, which adds it when a script uses spark, or add the artifact "
                    + "dev.javaformers:javaformers-spark", e);
        }
        AutoCloseable delegate;
        try {
            delegate = (AutoCloseable) verbs.getConstructor(JavaformersScript.class, Map.class).newInstance(this,
                    options);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Could not start Spark: " + (e.getCause() != null ? e.getCause() : e), e);
        }
        try (AutoCloseable session = delegate) {
            Closure<?> c = (Closure<?>) block.clone();
            c.setDelegate(session);
            c.setResolveStrategy(Closure.DELEGATE_FIRST);
            return c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code predict 'text'}: {@code [label: 'positive', score: 0.97]}; a list of texts gives a list of those. */
    public Map<String, Object> predict(String text) {
        return predict(List.of(text)).get(0);
    }

    public List<Map<String, Object>> predict(List<String> texts) {
        DslState s = state();
        if (s.backend.equals("onnxruntime")) {
            if (s.served == null) {
                s.served = OrtModelForSequenceClassification.fromModel(model());
            }
            OrtModelForSequenceClassification served = s.served;
            return TextClassification.predict(batch -> served.forward(batch).logits(), served.config(), tokenizer(),
                    texts).stream().map(TextClassification.Prediction::toMap).toList();
        }
        return TextClassification.predict(model(), tokenizer(), texts).stream()
                .map(TextClassification.Prediction::toMap).toList();
    }

    /**
     * {@code generate 'Once upon a time' < max_new_tokens 40, temperature 0.7 >}: the model's continuation of the
     * text (prompt included), printed as it comes unless {@code stream false}. Any GenerationConfig name is a
     * setting; {@code temperature}, {@code top_k} or {@code top_p} without {@code do_sample} mean sampling. The model
     * must be a causal language model: {@code model 'name' < task 'text-generation' >}.
     */
    public String generate(String prompt) {
        return generate(prompt, null);
    }

    public String generate(String prompt, Closure<?> block) {
        PreTrainedModel<?> m = model();
        if (!(m instanceof GenerationMixin lm)) {
            throw new IllegalStateException("generate needs a causal language model (model 'name' < task "
                    + "'text-generation' >), not " + m.getClass().getSimpleName());
        }
        Map<String, Object> settings = new LinkedHashMap<>(Settings.of(block));
        boolean stream = !Boolean.FALSE.equals(settings.remove("stream"));
        if (!settings.containsKey("do_sample") && (settings.containsKey("temperature")
                || settings.containsKey("top_k") || settings.containsKey("top_p"))) {
            settings.put("do_sample", true);
        }
        PreTrainedTokenizer tok = tokenizer();
        try (BatchEncoding encoded = tok.encode(List.of(prompt), Map.of())) {
            long[][] out = lm.generate(encoded, settings, stream ? new TextStreamer(tok, false, System.out) : null);
            return tok.decode(out[0], true);
        }
    }

    /** {@code save 'dir'}: the model and tokenizer, as save_pretrained. */
    public Path save(String dir) {
        Path path = Path.of(dir);
        model().save(path);
        tokenizer().save(path);
        return path;
    }

    /**
     * {@code plot loss}, {@code plot accuracy}, {@code plot confusion}, {@code plot lr}, {@code plot bleu},
     * {@code plot rouge} (ROUGE-L), {@code plot 'eval_name'} (any logged eval metric): inline where the frontend
     * shows charts (a notebook), else a PNG under out/. Returns the chart or the file.
     */
    public Object plot(String what) {
        dev.javaformers.chart.SavableChart chart = chart(what); // made once: confusion predicts the test split
        return state().frontend().show(chart) ? chart : chart.save(Path.of("out/" + what + ".png"));
    }

    /** {@code plot loss < file 'loss.svg' >}: PNG or SVG by the file's extension. */
    public Object plot(String what, Closure<?> block) {
        Map<String, Object> settings = Settings.of(block);
        return settings.containsKey("file") ? plot(what, String.valueOf(settings.get("file"))) : plot(what);
    }

    public Path plot(String what, String file) {
        return chart(what).save(Path.of(file));
    }

    private dev.javaformers.chart.SavableChart chart(String what) {
        DslState s = state();
        Trainer t = requireTrainer();
        return switch (what) {
            case "loss" -> Charts.loss(t.state());
            case "accuracy" -> Charts.metric(t.state(), "eval_accuracy");
            case "lr" -> Charts.learningRate(t.state());
            case "confusion" -> Charts.confusionMatrix(t, s.splits.split("test"));
            case "bleu" -> Charts.metric(t.state(), "eval_bleu");
            case "rouge" -> Charts.metric(t.state(), "eval_rougeL");
            default -> {
                if (what.startsWith("eval_")) {
                    yield Charts.metric(t.state(), what);
                }
                throw new IllegalArgumentException("plot takes loss, accuracy, confusion, lr, bleu, rouge or an "
                        + "eval_ metric name, not '" + what + "'");
            }
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

    public String getBleu() {
        return "bleu";
    }

    public String getRouge() {
        return "rouge";
    }

    /**
     * {@code option('epochs', 1)}: a {@code name=value} argument of the script ({@code jf run x.groovy epochs=3}),
     * converted to the type of the default, or the default when it is not given.
     */
    public Object option(String name, Object fallback) {
        Object args = getBinding().hasVariable("args") ? getBinding().getVariable("args") : null;
        if (args instanceof String[] given) {
            for (String a : given) {
                if (a.startsWith(name + "=")) {
                    String v = a.substring(name.length() + 1);
                    try {
                        return fallback instanceof Integer ? Integer.valueOf(v)
                                : fallback instanceof Long ? Long.valueOf(v)
                                : fallback instanceof Number ? (Object) Double.valueOf(v)
                                : fallback instanceof Boolean ? Boolean.valueOf(v) : v;
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("The argument " + a + " needs a number for " + name);
                    }
                }
            }
        }
        return fallback;
    }

    // ---------------------------------------------------------------- state

    /** The current model, loaded on first use with the labels of the data when there are any. */
    public PreTrainedModel<?> model() {
        DslState s = state();
        if (s.model == null) {
            if (s.modelName == null) {
                throw new IllegalStateException("No model yet: start with model 'name'");
            }
            Map<String, Object> kwargs = new LinkedHashMap<>(s.modelSettings);
            kwargs.put("device", s.deviceName);
            Object labels = kwargs.remove("labels");
            ClassLabel classes = s.data == null ? null : s.data.classLabel("label");
            if (labels instanceof List<?> names) {
                classes = new ClassLabel(names.stream().map(Object::toString).toList());
            }
            if (classes != null) {
                kwargs.putAll(classes.configOverrides());
            }
            s.model = s.task.factory().fromPretrained(s.modelName, kwargs);
        }
        return s.model;
    }

    /** {@code model.config}, {@code model.numParameters()}: the model as a property. */
    public PreTrainedModel<?> getModel() {
        return model();
    }

    /** The current tokenizer: the one named, or the model's. */
    public PreTrainedTokenizer tokenizer() {
        DslState s = state();
        if (s.tokenizer == null) {
            if (s.modelName == null) {
                throw new IllegalStateException("No tokenizer yet: name one with tokenizer 'name' or model 'name'");
            }
            s.tokenizer = AutoTokenizer.fromPretrained(s.modelName);
        }
        return s.tokenizer;
    }

    public PreTrainedTokenizer getTokenizer() {
        return tokenizer();
    }

    /** The current data: the whole dataset, and after {@code split} its train and test parts. */
    public Dataset getData() {
        return requireData();
    }

    public DatasetDict getSplits() {
        return state().splits;
    }

    public Trainer getTrainer() {
        return requireTrainer();
    }

    private Dataset requireData() {
        Dataset d = state().data;
        if (d == null) {
            throw new IllegalStateException("No dataset yet: use dataset csv('file.csv') or dataset builtin('...')");
        }
        return d;
    }

    private Trainer requireTrainer() {
        Trainer t = state().trainer;
        if (t == null) {
            throw new IllegalStateException("Nothing trained yet: use train < epochs 3 > first");
        }
        return t;
    }

    /** Frees the model and tokenizer (the runner calls it when the script ends). */
    public void closeAll() {
        state().close();
    }
}
