package dev.javaformers.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.models.ModelFactory;
import dev.javaformers.models.PreTrainedModel;
import dev.javaformers.models.Task;
import dev.javaformers.nn.Tensors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How a model type is exported to ONNX, as transformers' {@code OnnxConfig}: the {@link #task()}, the named
 * {@link #inputs()} and {@link #outputs()} with their dynamic axes, the {@link #defaultOnnxOpset()} and the
 * {@link #atolForValidation()}. Unlike transformers, which traces PyTorch, a config also writes the graph of its
 * architecture ({@link #graph}), node by node, mirroring the model's forward pass.
 *
 * <p>Each model folder's config ({@code BertOnnxConfig}, ...) is listed in
 * {@code META-INF/services/dev.javaformers.onnx.OnnxConfig}; its constructor {@code (XConfig, String task)} says
 * which config class it serves. {@link #register} adds one for a custom model, as the Auto classes do.
 */
public abstract class OnnxConfig {

    /** transformers' task names for export ("features"), with {@code default} for the bare model. */
    public static final List<String> TASKS = List.of("default", "masked-lm", "causal-lm", "sequence-classification",
            "multiple-choice", "token-classification", "question-answering");

    private static final Map<Class<? extends PretrainedConfig>, Constructor<? extends OnnxConfig>> REGISTRY =
            new ConcurrentHashMap<>();

    static {
        loadBuiltIns();
    }

    protected final PretrainedConfig config;
    private final String task;

    protected OnnxConfig(PretrainedConfig config, String task) {
        this.config = config;
        this.task = taskName(task);
        if (!supportedTasks().contains(this.task)) {
            throw new IllegalArgumentException(config.getModelType() + " doesn't support task '" + this.task
                    + "' for ONNX export; supported tasks: " + supportedTasks());
        }
    }

    public PretrainedConfig config() {
        return config;
    }

    /** The task in transformers' export naming: {@code default}, {@code sequence-classification}, ... */
    public String task() {
        return task;
    }

    /** The tasks this architecture exports. */
    public List<String> supportedTasks() {
        return TASKS.stream().filter(t -> !t.equals("causal-lm")).toList();
    }

    /**
     * Input name to dynamic axes (axis index to name), in the order the graph takes them: by default
     * {@code input_ids} and {@code attention_mask}.
     */
    public Map<String, Map<Integer, String>> inputs() {
        return textInputs(false);
    }

    /** {@code input_ids}, {@code attention_mask} and, with {@code tokenTypes}, {@code token_type_ids}. */
    protected final Map<String, Map<Integer, String>> textInputs(boolean tokenTypes) {
        Map<String, Map<Integer, String>> in = new LinkedHashMap<>();
        in.put("input_ids", tokenAxes());
        in.put("attention_mask", tokenAxes());
        if (tokenTypes) {
            in.put("token_type_ids", tokenAxes());
        }
        return in;
    }

    /** Output name to dynamic axes, as transformers names them for the task. */
    public Map<String, Map<Integer, String>> outputs() {
        Map<Integer, String> batch = Map.of(0, "batch");
        Map<Integer, String> tokens = Map.of(0, "batch", 1, "sequence");
        Map<String, Map<Integer, String>> out = new LinkedHashMap<>();
        switch (task) {
            case "default" -> out.put("last_hidden_state", tokens);
            case "sequence-classification" -> out.put("logits", batch);
            case "multiple-choice" -> out.put("logits", Map.of(0, "batch", 1, "choice"));
            case "question-answering" -> {
                out.put("start_logits", tokens);
                out.put("end_logits", tokens);
            }
            default -> out.put("logits", tokens);
        }
        return out;
    }

    /** The axes of the token inputs: [batch, sequence], or [batch, choice, sequence] for multiple choice. */
    protected Map<Integer, String> tokenAxes() {
        return task.equals("multiple-choice") ? Map.of(0, "batch", 1, "choice", 2, "sequence")
                : Map.of(0, "batch", 1, "sequence");
    }

    /** The opset exports use unless told otherwise (transformers' default). */
    public int defaultOnnxOpset() {
        return 11;
    }

    /**
     * The largest absolute difference validation accepts between ONNX Runtime and the model: 1e-4, as optimum has
     * it for BERT, not transformers.onnx's 1e-5. ONNX Runtime's float32 kernels (matmul, erf, cos, sin, pow) round
     * differently from libtorch's, by CPU: a tiny RoBERTa's masked-LM logits differ by 6.4e-6 on one machine and
     * 1.03e-5 on another, and rotary angles carry the difference into every layer of a Llama.
     */
    public double atolForValidation() {
        return 1e-4;
    }

    /**
     * Inputs for a trial run: random token ids below the vocabulary size ({@code seed}ed), the last row padded
     * over its final third, token types 0 then 1 (0 only where {@code type_vocab_size} is 1). Shapes [batch, sequence], or [batch, choices, sequence].
     */
    public Map<String, NDArray> generateDummyInputs(NDManager manager, int batch, int sequence, int choices,
            long seed) {
        boolean multipleChoice = task.equals("multiple-choice");
        int rows = multipleChoice ? batch * choices : batch;
        Shape shape = multipleChoice ? new Shape(batch, choices, sequence) : new Shape(batch, sequence);
        int vocab = ((Number) config.get("vocab_size")).intValue();
        int pad = config.padTokenId != null ? config.padTokenId : 0;
        boolean pairs = !(config.get("type_vocab_size") instanceof Number n) || n.intValue() > 1;
        Random random = new Random(seed);
        long[] ids = new long[rows * sequence];
        long[] mask = new long[ids.length];
        long[] types = new long[ids.length];
        for (int r = 0; r < rows; r++) {
            int length = r == rows - 1 && sequence > 2 ? sequence - sequence / 3 : sequence;
            for (int t = 0; t < sequence; t++) {
                int i = r * sequence + t;
                mask[i] = t < length ? 1 : 0;
                ids[i] = t < length ? Math.min(vocab - 1, 3 + random.nextInt(Math.max(1, vocab - 3))) : pad;
                types[i] = pairs && t >= sequence / 2 && t < length ? 1 : 0;
            }
        }
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String name : inputs().keySet()) {
            long[] values = switch (name) {
                case "input_ids" -> ids;
                case "attention_mask" -> mask;
                case "token_type_ids" -> types;
                default -> throw new IllegalStateException("No dummy values for input " + name);
            };
            out.put(name, Tensors.owned(manager.create(values, shape)));
        }
        return out;
    }

    /**
     * Adds the nodes of {@code model}'s forward pass to {@code graph}, reading the named graph {@code inputs}, and
     * returns each of {@link #outputs()} with the graph value that holds it.
     */
    protected abstract Map<String, String> graph(OnnxGraph graph, PreTrainedModel<?> model,
            Map<String, String> inputs);

    /** {@code model} as the class {@code type} this task needs, or an error naming both. */
    protected final <M> M expect(PreTrainedModel<?> model, Class<M> type) {
        if (!type.isInstance(model)) {
            throw new IllegalArgumentException("ONNX export for task '" + task + "' needs a " + type.getSimpleName()
                    + ", got a " + model.getClass().getSimpleName());
        }
        return type.cast(model);
    }

    /** transformers' task name for a task or pipeline name: {@code text-classification} is sequence-classification. */
    public static String taskName(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        if (TASKS.contains(wanted)) {
            return wanted;
        }
        if (wanted.equals("feature-extraction") || wanted.equals("base")) {
            return "default";
        }
        Task task;
        try {
            task = Task.of(wanted);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown ONNX export task '" + name + "'; use one of " + TASKS);
        }
        return taskName(task);
    }

    /** The export name of {@code task}. */
    public static String taskName(Task task) {
        return switch (task) {
            case BASE -> "default";
            case SEQUENCE_CLASSIFICATION -> "sequence-classification";
            case TOKEN_CLASSIFICATION -> "token-classification";
            case MASKED_LM -> "masked-lm";
            case CAUSAL_LM -> "causal-lm";
            case QUESTION_ANSWERING -> "question-answering";
            case MULTIPLE_CHOICE -> "multiple-choice";
            case SEQ2SEQ_LM -> "seq2seq-lm";
        };
    }

    /** The task whose Auto class builds {@code model}'s class: BertForMaskedLM is masked-lm. */
    public static String taskOf(PreTrainedModel<?> model) {
        for (Task t : Task.values()) {
            try {
                if (ModelFactory.forTask(t).modelClassFor(model.config()) == model.getClass()) {
                    return taskName(t);
                }
            } catch (IllegalArgumentException notThisTask) {
                // the architecture has no model for t
            }
        }
        throw new IllegalArgumentException(model.getClass().getSimpleName() + " is not the model of any task of its "
                + "architecture; name the task to export it");
    }

    /** The export config of {@code model}'s architecture for the task its class stands for. */
    public static OnnxConfig forModel(PreTrainedModel<?> model) {
        return forConfig(model.config(), taskOf(model));
    }

    /** The export config registered for {@code config}'s class (or a superclass), for {@code task}. */
    public static OnnxConfig forConfig(PretrainedConfig config, String task) {
        for (Class<?> c = config.getClass(); c != null && c != PretrainedConfig.class; c = c.getSuperclass()) {
            Constructor<? extends OnnxConfig> constructor = REGISTRY.get(c);
            if (constructor != null) {
                try {
                    return constructor.newInstance(config, task);
                } catch (InvocationTargetException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("Cannot build " + constructor.getDeclaringClass().getName(), e);
                }
            }
        }
        throw new IllegalArgumentException("model_type '" + config.getModelType() + "' (" + config.getClass()
                .getSimpleName() + ") has no OnnxConfig, so it cannot be exported to ONNX. Exportable model types: "
                + REGISTRY.keySet().stream().map(k -> k.getSimpleName()).sorted().toList()
                + ". Register one with OnnxConfig.register(ConfigClass, OnnxConfigClass).");
    }

    /**
     * Makes models whose config is a {@code configClass} exportable with {@code onnxConfigClass}, which needs a
     * public constructor {@code (configClass or a superclass, String task)}.
     */
    public static void register(Class<? extends PretrainedConfig> configClass,
            Class<? extends OnnxConfig> onnxConfigClass) {
        for (Constructor<?> c : onnxConfigClass.getConstructors()) {
            Class<?>[] p = c.getParameterTypes();
            if (p.length == 2 && p[0].isAssignableFrom(configClass) && p[1] == String.class) {
                @SuppressWarnings("unchecked")
                Constructor<? extends OnnxConfig> constructor = (Constructor<? extends OnnxConfig>) c;
                REGISTRY.put(configClass, constructor);
                return;
            }
        }
        throw new IllegalArgumentException(onnxConfigClass.getName() + " needs a public constructor ("
                + configClass.getSimpleName() + " config, String task)");
    }

    @SuppressWarnings("unchecked")
    private static void loadBuiltIns() {
        ClassLoader loader = OnnxConfig.class.getClassLoader();
        try {
            Enumeration<URL> lists = loader.getResources("META-INF/services/" + OnnxConfig.class.getName());
            while (lists.hasMoreElements()) {
                for (String line : lines(lists.nextElement())) {
                    Class<? extends OnnxConfig> type = (Class<? extends OnnxConfig>) Class.forName(line, true, loader)
                            .asSubclass(OnnxConfig.class);
                    for (Constructor<?> c : type.getConstructors()) {
                        Class<?>[] p = c.getParameterTypes();
                        if (p.length == 2 && PretrainedConfig.class.isAssignableFrom(p[0]) && p[1] == String.class) {
                            register((Class<? extends PretrainedConfig>) p[0], type);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("An OnnxConfig listed in META-INF/services is missing", e);
        }
    }

    private static List<String> lines(URL url) throws IOException {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                String name = line.replaceAll("#.*", "").strip();
                if (!name.isEmpty()) {
                    out.add(name);
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + config.getModelType() + ", task=" + task + ")";
    }
}
