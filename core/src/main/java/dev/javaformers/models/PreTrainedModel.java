package dev.javaformers.models;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.javaformers.config.PretrainedConfig;
import dev.javaformers.nn.Module;
import dev.javaformers.nn.Parameter;
import dev.javaformers.util.AtomicFolders;
import dev.javaformers.weights.DType;
import dev.javaformers.weights.HostTensor;
import dev.javaformers.weights.Safetensors;
import dev.javaformers.weights.StateDict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A model with a config, its parameters in an {@link NDManager} on one device, loading from and saving to the
 * HuggingFace format. Subclasses build their modules in the constructor {@code (Config, NDManager)} and implement
 * {@link #forward(Map)}. Close the model to free its native memory.
 *
 * @param <O> what the forward pass returns
 */
public abstract class PreTrainedModel<O extends ModelOutput> extends Module implements AutoCloseable {

    protected final PretrainedConfig config;
    protected final NDManager manager;
    private LoadReport loadReport;

    protected PreTrainedModel(PretrainedConfig config, NDManager manager) {
        this.config = config;
        this.manager = manager;
    }

    /** transformers' {@code base_model_prefix}: the name of the encoder inside a model with a head. */
    public abstract String baseModelPrefix();

    /**
     * The forward pass on named inputs: {@code input_ids}, {@code attention_mask}, {@code token_type_ids}, and
     * {@code labels} for a loss; names a model does not take are ignored, as DistilBERT ignores token types.
     */
    public abstract O forward(Map<String, NDArray> inputs);

    /**
     * The forward pass on a tokenizer's output, encoded with {@code return_tensors="pt"}; the outputs live in the
     * encoding's manager and are freed when it is closed.
     */
    public O forward(dev.javaformers.tokenize.BatchEncoding batch) {
        Map<String, NDArray> inputs = new LinkedHashMap<>();
        batch.forEach((name, value) -> {
            if (value instanceof NDArray array) {
                inputs.put(name, array);
            } else if (!name.equals("offset_mapping") && !name.equals("overflow_to_sample_mapping")) {
                throw new IllegalArgumentException("Encode with return_tensors=\"pt\" to pass the result to a "
                        + "model (" + name + " holds Java arrays)");
            }
        });
        return forward(inputs);
    }

    /** For heads without a pooler: a checkpoint's pooler (and position ids) are no unexpected keys. */
    protected static final List<Pattern> WITHOUT_POOLER = List.of(Pattern.compile("position_ids$"),
            Pattern.compile("pooler"));

    /** Checkpoint names that are no error when absent (buffers, tied weights), as transformers' ignore lists. */
    protected List<Pattern> ignoredWhenMissing() {
        return List.of(Pattern.compile("position_ids$"));
    }

    /** Checkpoint names that are no error when left over. */
    protected List<Pattern> ignoredWhenUnexpected() {
        return List.of(Pattern.compile("position_ids$"));
    }

    public PretrainedConfig config() {
        return config;
    }

    public NDManager manager() {
        return manager;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** What the last {@link #loadStateDict} matched, or null for a freshly initialised model. */
    public LoadReport loadReport() {
        return loadReport;
    }

    /**
     * Copies a checkpoint's tensors into the parameters of the same name. A checkpoint of a model with a head
     * loads into the base model (prefix dropped) and the other way round (prefix added), as transformers does.
     * A shape mismatch is an error naming both shapes, unless {@code ignoreMismatchedSizes}.
     */
    public LoadReport loadStateDict(StateDict checkpoint, String source, boolean ignoreMismatchedSizes) {
        Map<String, Parameter> params = namedParameters();
        String prefix = baseModelPrefix() + ".";
        boolean modelHasPrefix = params.keySet().stream().anyMatch(k -> k.startsWith(prefix));
        boolean checkpointHasPrefix = checkpoint.names().stream().anyMatch(k -> k.startsWith(prefix));
        Map<String, String> modelNameOf = new LinkedHashMap<>();
        for (String name : checkpoint.names()) {
            String mapped = name;
            if (checkpointHasPrefix && !modelHasPrefix) {
                mapped = name.startsWith(prefix) ? name.substring(prefix.length()) : "\0" + name;
            } else if (!checkpointHasPrefix && modelHasPrefix && !params.containsKey(name)) {
                mapped = prefix + name;
            }
            modelNameOf.put(name, mapped);
        }

        List<String> unexpected = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        List<String> mismatchMessages = new ArrayList<>();
        Set<Parameter> loaded = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (var e : modelNameOf.entrySet()) {
            Parameter p = params.get(e.getValue());
            if (p == null) {
                if (ignoredWhenUnexpected().stream().noneMatch(r -> r.matcher(e.getKey()).find())) {
                    unexpected.add(e.getKey());
                }
                continue;
            }
            HostTensor t = checkpoint.get(e.getKey());
            long[] want = p.array().getShape().getShape();
            if (!Arrays.equals(want, t.shape())) {
                mismatched.add(e.getValue());
                mismatchMessages.add("size mismatch for " + e.getValue() + ": copying a param with shape "
                        + Arrays.toString(t.shape()) + " from checkpoint, the shape in current model is "
                        + Arrays.toString(want) + ".");
                continue;
            }
            if (loaded.add(p)) {
                NDArray value = t.toNDArray(manager);
                DataType type = p.array().getDataType();
                if (value.getDataType() != type) {
                    NDArray converted = value.toType(type, false);
                    value.close();
                    value = converted;
                }
                p.set(value);
            }
        }
        if (!mismatched.isEmpty() && !ignoreMismatchedSizes) {
            throw new IllegalArgumentException("Error(s) in loading the weights of " + getClass().getSimpleName()
                    + " from " + source + ":\n\t" + String.join("\n\t", mismatchMessages)
                    + "\n\tPass ignore_mismatched_sizes=true to initialize these weights anew instead.");
        }
        List<String> missing = new ArrayList<>();
        Set<Parameter> reported = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        params.forEach((name, p) -> {
            if (!loaded.contains(p) && reported.add(p)) {
                p.initialize(); // weights the checkpoint did not supply start as a fresh model's
                if (!mismatched.contains(name) && ignoredWhenMissing().stream().noneMatch(r -> r.matcher(name).find())) {
                    missing.add(name);
                }
            }
        });
        loadReport = new LoadReport(source, getClass().getSimpleName(), missing, unexpected, mismatched);
        return loadReport;
    }

    /**
     * The parameters as a state dict, each tied value once under its first name (as save_pretrained drops the
     * tied copies).
     */
    public StateDict stateDict() {
        StateDict dict = new StateDict();
        Set<Parameter> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        namedParameters().forEach((name, p) -> {
            if (seen.add(p)) {
                dict.put(name, HostTensor.of(p.array()));
            }
        });
        dict.metadata().put("format", "pt");
        return dict;
    }

    /**
     * save_pretrained: writes {@code config.json} (with {@code architectures} and {@code torch_dtype} set) and
     * {@code model.safetensors} into {@code dir} as one change ({@link AtomicFolders}): a process killed during the
     * save leaves the old model or the new one, and the weight files of an earlier save (other formats and shards
     * included) are replaced. Other files in {@code dir} stay. Python's transformers loads the result.
     */
    public Path save(Path dir) {
        config.architectures = List.of(getClass().getSimpleName());
        config.torchDtype = DType.of(namedParameters().values().iterator().next().array().getDataType()).torchName();
        return AtomicFolders.save(dir, name -> WEIGHT_FILE.matcher(name).matches(), staging -> {
            Safetensors.write(staging.resolve("model.safetensors"), stateDict());
            config.save(staging);
            saveGenerationConfig(staging);
        });
    }

    /** The weight files transformers loads a model from: safetensors or torch files, whole or in shards. */
    private static final Pattern WEIGHT_FILE = Pattern.compile(
            "(model|pytorch_model)(-\\d+-of-\\d+)?\\.(safetensors|bin)"
            + "|(model\\.safetensors|pytorch_model\\.bin)\\.index\\.json");

    /** Models that generate write their generation_config.json beside config.json, as save_pretrained does. */
    protected void saveGenerationConfig(Path dir) {}

    /** Moves every parameter to floating type {@code type} (float32 or float16). */
    public PreTrainedModel<O> toDtype(DataType type) {
        namedParameters().values().stream().distinct().forEach(p -> {
            if (p.array().getDataType().isFloating()) {
                p.set(p.array().toType(type, false));
            }
        });
        return this;
    }

    @Override
    public PreTrainedModel<O> eval() {
        super.eval();
        return this;
    }

    @Override
    public PreTrainedModel<O> train() {
        super.train();
        return this;
    }

    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + config.getModelType() + ", " + numParameters() + " parameters, "
                + device() + ")";
    }
}
