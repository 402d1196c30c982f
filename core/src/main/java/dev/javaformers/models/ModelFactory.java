package dev.javaformers.models;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.javaformers.config.AutoConfig;
import dev.javaformers.config.ConfigType;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.hub.HubOptions;
import dev.javaformers.nn.Engines;
import dev.javaformers.util.Kwargs;
import dev.javaformers.weights.Checkpoints;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Auto factory: from_pretrained in transformers' five steps (fetch the config and weights, read the
 * config, pick the model class for the config class, build the model with fresh weights, load the weights). There
 * is one instance per {@link Task}, holding that task's config-class-to-model-class mapping, filled from the
 * {@link Architecture} each model folder declares and from {@code register}. {@code AutoModel},
 * {@code AutoModelForSequenceClassification}, ... are thin aliases of {@code forTask(...)}.
 */
public final class ModelFactory {

    private static final Logger LOG = LoggerFactory.getLogger(ModelFactory.class);
    private static final String[] MODEL_KWARGS = {"device", "torch_dtype", "ignore_mismatched_sizes"};
    private static final Map<Task, ModelFactory> BY_TASK = new EnumMap<>(Task.class);

    static {
        for (Task task : Task.values()) {
            BY_TASK.put(task, new ModelFactory(task));
        }
        for (ConfigType type : ServiceLoader.load(ConfigType.class, ConfigType.class.getClassLoader())) {
            if (type instanceof Architecture architecture) {
                architecture.models().forEach((task, model) -> BY_TASK.get(task).register(architecture.configClass(),
                        model));
            }
        }
    }

    private final Task task;
    private final Map<Class<? extends PretrainedConfig>, Class<? extends PreTrainedModel<?>>> mapping =
            new ConcurrentHashMap<>();

    private ModelFactory(Task task) {
        this.task = task;
    }

    /** The factory of {@code task}: {@code forTask(Task.MASKED_LM)} is what AutoModelForMaskedLM uses. */
    public static ModelFactory forTask(Task task) {
        return BY_TASK.get(task);
    }

    public Task task() {
        return task;
    }

    /** Maps a config class to the model class this task builds for it; a config class maps once. */
    public void register(Class<? extends PretrainedConfig> configClass, Class<? extends PreTrainedModel<?>> modelClass) {
        constructor(modelClass, configClass); // fail now, not at load time
        var previous = mapping.putIfAbsent(configClass, modelClass);
        if (previous != null) {
            throw new IllegalArgumentException(task.autoClassName() + " already maps " + configClass.getSimpleName()
                    + " to " + previous.getSimpleName());
        }
    }

    /** The model class for a config, looking at the config's class and then its superclasses. */
    public Class<? extends PreTrainedModel<?>> modelClassFor(PretrainedConfig config) {
        for (Class<?> c = config.getClass(); c != null && c != PretrainedConfig.class; c = c.getSuperclass()) {
            var model = mapping.get(c);
            if (model != null) {
                return model;
            }
        }
        throw new IllegalArgumentException("Unrecognized configuration class " + config.getClass().getSimpleName()
                + " (model_type '" + config.getModelType() + "') for " + task.autoClassName()
                + ". Model types it builds: " + mapping.keySet().stream().map(k -> newConfig(k).getModelType()).sorted().toList()
                + ". Register a model with " + task.autoClassName() + ".register(ConfigClass, ModelClass).");
    }

    /** A model with fresh weights for {@code config}, on the CPU. */
    public PreTrainedModel<?> fromConfig(PretrainedConfig config) {
        return build(modelClassFor(config), config, Device.cpu());
    }

    /**
     * Loads a model from a local folder or the Hub, of the class this task maps the checkpoint's config to.
     * {@code kwargs}: Hub options ({@code revision}, {@code cache_dir}, {@code token}, ...), {@code device}
     * ("cpu", "gpu", "auto"), {@code torch_dtype} ("float32", "float16", "auto"), {@code ignore_mismatched_sizes},
     * and config overrides ({@code num_labels}, {@code id2label}, {@code heads}, ...).
     */
    public PreTrainedModel<?> fromPretrained(String nameOrPath, Map<String, ?> kwargs) {
        return load(null, this, nameOrPath, kwargs);
    }

    /** Loads a model of class {@code type}, whatever any task maps (as {@code BertModel.from_pretrained}). */
    public static <M extends PreTrainedModel<?>> M fromPretrained(Class<M> type, String nameOrPath,
            Map<String, ?> kwargs) {
        return load(type, null, nameOrPath, kwargs);
    }

    private static <M extends PreTrainedModel<?>> M load(Class<M> type, ModelFactory factory, String nameOrPath,
            Map<String, ?> kwargs) {
        Kwargs kw = Kwargs.of(kwargs);
        Device device = device(kw.pop("device"));
        String dtype = kw.popString("torch_dtype");
        boolean ignoreMismatched = kw.popBoolean("ignore_mismatched_sizes", false);

        Map<String, Object> configKwargs = new LinkedHashMap<>(kw.remaining());
        HubOptions hub = HubOptions.fromKwargs(kw); // the Hub keys, also passed on to AutoConfig
        AutoConfig.ConfigAndUnused loaded = AutoConfig.fromPretrainedReturnUnused(nameOrPath, configKwargs);
        if (!loaded.unusedKwargs().isEmpty()) {
            throw new IllegalArgumentException("Unexpected arguments for from_pretrained(" + nameOrPath + "): "
                    + loaded.unusedKwargs().keySet() + ". They are neither Hub options, model options "
                    + java.util.Arrays.toString(MODEL_KWARGS) + " nor keys of "
                    + loaded.config().getClass().getSimpleName() + ".");
        }
        PretrainedConfig config = loaded.config();
        config.nameOrPath = nameOrPath;
        Class<? extends PreTrainedModel<?>> modelClass = type != null ? type : factory.modelClassFor(config);
        Checkpoints.Loaded weights = Checkpoints.load(nameOrPath, hub);
        // placeholders only: every parameter is either loaded or initialised by loadStateDict
        PreTrainedModel<?> model = dev.javaformers.nn.Parameter.deferInitialization(() -> build(modelClass, config,
                device));
        try {
            LoadReport report = model.loadStateDict(weights.stateDict(), nameOrPath, ignoreMismatched);
            if (!report.warnings().isEmpty()) {
                LOG.warn(report.warnings().strip());
            }
            DataType wanted = dataType(dtype, config);
            if (wanted != DataType.FLOAT32) {
                model.toDtype(wanted);
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        model.eval(); // as transformers: a loaded model starts in evaluation mode
        @SuppressWarnings("unchecked")
        M typed = type != null ? type.cast(model) : (M) model;
        return typed;
    }

    private static PreTrainedModel<?> build(Class<? extends PreTrainedModel<?>> modelClass, PretrainedConfig config,
            Device device) {
        NDManager manager = Engines.newManager(device);
        try {
            return constructor(modelClass, config.getClass()).newInstance(config, manager);
        } catch (InvocationTargetException e) {
            manager.close();
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            manager.close();
            throw new IllegalStateException("Could not build " + modelClass.getSimpleName(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <M> Constructor<M> constructor(Class<M> modelClass, Class<?> configClass) {
        for (Constructor<?> c : modelClass.getConstructors()) {
            Class<?>[] p = c.getParameterTypes();
            if (p.length == 2 && p[0].isAssignableFrom(configClass) && p[1] == NDManager.class) {
                return (Constructor<M>) c;
            }
        }
        throw new IllegalArgumentException(modelClass.getSimpleName() + " needs a public constructor ("
                + configClass.getSimpleName() + " config, NDManager manager) to be built from that config");
    }

    private static PretrainedConfig newConfig(Class<? extends PretrainedConfig> type) {
        try {
            return type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "cpu" (default), "gpu" / "cuda" / "cuda:N", "auto" (a GPU when there is one), or a DJL Device. */
    static Device device(Object spec) {
        if (spec == null) {
            return Device.cpu();
        }
        if (spec instanceof Device d) {
            return d;
        }
        String s = spec.toString().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("auto")) {
            return Engines.hasGpu() ? Device.gpu() : Device.cpu();
        }
        if (s.startsWith("cuda") || s.startsWith("gpu")) {
            int id = s.contains(":") ? Integer.parseInt(s.substring(s.indexOf(':') + 1)) : 0;
            return Device.gpu(id);
        }
        if (s.equals("cpu")) {
            return Device.cpu();
        }
        throw new IllegalArgumentException("device must be cpu, gpu, cuda[:N] or auto, got '" + spec + "'");
    }

    private static DataType dataType(String torchDtype, PretrainedConfig config) {
        String name = "auto".equals(torchDtype) ? config.torchDtype : torchDtype;
        if (name == null || name.equals("float32")) {
            return DataType.FLOAT32;
        }
        if (name.equals("float16")) {
            return DataType.FLOAT16;
        }
        if (name.equals("bfloat16")) {
            if ("auto".equals(torchDtype)) {
                LOG.warn("The config asks for bfloat16, which DJL 0.36 cannot hold; loading in float32");
                return DataType.FLOAT32;
            }
            throw new IllegalArgumentException("torch_dtype bfloat16 is not supported (DJL 0.36 crashes on bfloat16 "
                    + "arrays); use float32 or float16");
        }
        throw new IllegalArgumentException("torch_dtype must be float32, float16 or auto, got '" + torchDtype + "'");
    }
}
